"""Document numbers (文号) as people type them.

The number of a normative document is written 机关代字〔年份〕序号号 with the brackets
〔〕 (U+3014/U+3015), but staff type [] () 【】 ［］ or full-width digits instead. Both the
register and every query go through `number_key`, so that all spellings of one number
meet in a single indexed value.
"""

import re
import unicodedata

# After NFKC, ［］（） have become [] (); 【】〖〗 survive NFKC and are mapped here.
_BRACKETS = str.maketrans({"[": "〔", "]": "〕", "(": "〔", ")": "〕", "【": "〔", "】": "〕",
                           "〖": "〔", "〗": "〕", "{": "〔", "}": "〕"})  # fmt: skip
_SPACES = re.compile(r"\s+")
# 代字〔年〕序号号; the 号 and a 第 before the serial are often left out when typing.
_BRACKETED = re.compile(r"^(?P<prefix>[^〔〕]*)〔(?P<year>\d{4})〕第?(?P<serial>\d+)号?$")
# 国务院令第656号, 主席令第12号: orders carry no year.
_ORDER = re.compile(r"^(?:中华人民共和国)?(?P<prefix>\S*令)第?(?P<serial>\d+)号?$")


def _canonical(text: str) -> tuple[str, bool]:
    text = _SPACES.sub("", unicodedata.normalize("NFKC", text or "")).translate(_BRACKETS)
    if match := _BRACKETED.match(text):
        return f"{match['prefix']}〔{match['year']}〕{int(match['serial'])}号", True
    if match := _ORDER.match(text):
        return f"{match['prefix']}第{int(match['serial'])}号", True
    return text, False


def number_key(text: str) -> str:
    """The canonical spelling of a document number; other text comes back cleaned only.

    >>> number_key("衡政规[2016]7号") == number_key("衡政规（２０１６）第007号")
    True
    """
    return _canonical(text)[0]


def looks_like_number(text: str) -> bool:
    """Whether a search query has the shape of a document number rather than words."""
    return _canonical(text)[1]
