"""What a draft's own final clauses say about its dates (Art. 22, 24): "本办法自2027年1月1日
起施行", "有效期3年", "有效期至2029年12月31日". Registration suggests them; people confirm."""

import re
from datetime import date

from .articles import cn_to_int

_NUMERAL = r"[0-9０-９一二两三四五六七八九十]+"
_DATE = r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
# "自…起施行", and in older texts "从…起施行".
_EFFECTIVE = re.compile(r"[自从]\s*" + _DATE + r"\s*起(?:施行|实施|执行|生效)")
_VALIDITY_YEARS = re.compile(r"有效期(?:为)?\s*(" + _NUMERAL + r")\s*年")
# "有效期至2029年12月31日", or "自2011年3月15日起施行，2013年3月14日废止".
_VALIDITY_UNTIL = re.compile(r"有效期(?:至|到)\s*" + _DATE + r"|" + _DATE + r"\s*(?:废止|失效)")


def _number(text: str) -> int:
    text = text.translate(str.maketrans("０１２３４５６７８９", "0123456789")).replace("两", "二")
    return int(text) if text.isdigit() else cn_to_int(text)


def _date(match) -> date | None:
    try:
        return date(*(int(g) for g in match.groups() if g is not None))
    except (TypeError, ValueError):
        return None


def _last(pattern, text):
    """The final clauses come last: the last statement is the one that governs."""
    matches = list(pattern.finditer(text))
    return matches[-1] if matches else None


def stated_effective_date(text: str) -> date | None:
    """The date the text says it takes effect, if it names one."""
    match = _last(_EFFECTIVE, text)
    return _date(match) if match else None


def stated_validity_years(text: str, effective: date | None = None) -> int | None:
    """The validity period the text states, in whole years: "有效期3年", or "有效期至…"
    counted from ``effective``."""
    if match := _last(_VALIDITY_YEARS, text):
        return _number(match.group(1))
    if effective and (match := _last(_VALIDITY_UNTIL, text)) and (until := _date(match)):
        years = (
            until.year
            - effective.year
            + ((until.month, until.day) >= (effective.month, effective.day))
        )
        return max(years, 1)
    return None
