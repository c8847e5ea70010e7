"""The pre-review of a draft (预审): the citations table (search.citations) and the
articles Art. 7 forbids without a superior law (review.art7), in the shape
`manage.py prereview --json` prints and `PreReview` keeps per version."""

from __future__ import annotations

import re
import time
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from review.articles import cn_to_int
from search.citations import NOT_IN_REGISTER, REPEALED, Register, find_citations, resolve
from search.models import FlagDecision, PreReview

_CN = "零〇○Ｏ一二三四五六七八九十"
_DATE_LINE = re.compile(
    rf"^[ \t\u3000]*([\d{_CN}]{{4}})[ \t]*年[ \t]*([\d{_CN}]{{1,3}})[ \t]*月[ \t]*([\d{_CN}]{{1,3}})[ \t]*日[ \t\u3000]*$",
    re.M,
)
_EFFECTIVE = re.compile(r"自(\d{4})年(\d{1,2})月(\d{1,2})日(?:起)?(?:施行|实施|执行)")


def _number(text: str) -> int:
    text = text.translate(str.maketrans("○Ｏ", "〇〇"))
    return int(text) if text.isdigit() else cn_to_int(text)


def draft_date(text: str) -> date | None:
    """The draft's own date: the first date standing alone on a line (its 落款 or the
    date under its title), else the day it says it takes effect."""
    for match in _DATE_LINE.finditer(text):
        try:
            return date(*(_number(g) for g in match.groups()))
        except ValueError:
            continue
    if match := _EFFECTIVE.search(text):
        try:
            return date(*map(int, match.groups()))
        except ValueError:
            return None
    return None


def flag_articles(text: str) -> list[dict]:
    """review.art7's flags as JSON rows; none while that module is not there."""
    try:
        from review import art7
    except ImportError:
        return []
    rows = []
    for item in art7.flag_articles(text):
        rows.append(
            {
                "article": item.article,
                "flags": list(item.flags),
                "basis_cited": bool(item.basis_cited),
                "why": item.why,
            }
        )
    return rows


def prereview(
    text: str, *, on: date, drafted_on: date | None = None, title: str = "", register=None
):
    """{"citations": [...], "articles": [...]} for a draft's text."""
    register = register or Register()
    drafted_on = drafted_on or draft_date(text)
    found = find_citations(text, register.bare_names, title=title)
    citations = resolve(found, on=on, drafted_on=drafted_on, register=register)
    return {
        "drafted_on": drafted_on.isoformat() if drafted_on else None,
        "on": on.isoformat(),
        "citations": [c.as_json() for c in citations],
        "articles": flag_articles(text),
    }


def run_for_version(version) -> PreReview | None:
    """Compute and keep the pre-review of a version whose text has been read; a second
    run replaces the first (the register may have learnt something meanwhile)."""
    if not version.text:
        return None
    started = time.perf_counter()
    today = timezone.localdate()
    result = prereview(
        version.text,
        on=today,
        drafted_on=timezone.localdate(version.uploaded_at),
        title=version.dossier.title,
    )
    elapsed = int((time.perf_counter() - started) * 1000)
    with transaction.atomic():
        kept, _created = PreReview.objects.update_or_create(
            version=version,
            defaults={
                "checked_on": today,
                "drafted_on": timezone.localdate(version.uploaded_at),
                "citations": result["citations"],
                "articles": result["articles"],
                "computed_at": timezone.now(),
                "elapsed_ms": elapsed,
            },
        )
    return kept


# --- the reviewer's use of it ---------------------------------------------------------

_POINTS = {
    "fair_competition": "fair_competition",
}


def basis_of_art7() -> str:
    return settings.REVIEW_RULES.get(
        "prohibited_content_basis", "《河北省规范性文件制定规定》第七条"
    )


def suggested_finding(prereview: PreReview, key: str) -> dict | None:
    """The finding a flag suggests (article, point, text, basis), or None for an unknown key."""
    kind, _sep, rest = key.partition(":")
    if kind == "citation":
        try:
            row = prereview.citations[int(rest)]
        except (ValueError, IndexError):
            return None
        return _citation_finding(row)
    article, _sep, flag = rest.partition(":")
    row = next((a for a in prereview.articles if a["article"] == article), None)
    if kind != "article" or row is None or flag not in row["flags"]:
        return None
    labels = dict(flag_labels())
    text = _(
        "该条涉及%(what)s，未见法律、法规、规章依据，规范性文件不得设定，建议删除或写明上位法依据。"
    ) % {"what": labels[flag]}
    if flag == "fair_competition":
        text = _("该条可能排除、限制公平竞争，建议按公平竞争审查标准修改或删除。")
    return {
        "article": article,
        "point": _POINTS.get(flag, "prohibited"),
        "text": text,
        "legal_basis": basis_of_art7(),
    }


def _citation_finding(row: dict) -> dict:
    if row["status"] == NOT_IN_REGISTER:
        text = _("草案引用的“%(t)s”在文件库中未收录，请核实其名称、文号和效力。")
    elif row["status"] == REPEALED:
        text = _("草案引用的“%(t)s”已废止或被取代，请改按现行规定表述。")
    else:
        text = _("草案引用的“%(t)s”此后已修改，请核对所引条文。")
    return {"article": "", "point": "other", "text": text % {"t": row["text"]}, "legal_basis": ""}


def flag_labels():
    return [
        ("licensing", _("行政许可")),
        ("penalty", _("行政处罚")),
        ("compulsory", _("行政强制措施")),
        ("fee", _("行政事业性收费")),
        ("obligation_or_restriction", _("增加义务或限制权利")),
        ("fair_competition", _("排除、限制公平竞争")),
    ]


def accepted_findings(version) -> list[dict]:
    """The findings the reviewer turned flags into on this version, for the opinion form
    to start from: [{"article", "point", "text", "legal_basis"}]."""
    decisions = FlagDecision.objects.filter(
        prereview__version=version, decision=FlagDecision.Decision.ACCEPTED
    )
    return [
        {"article": d.article, "point": d.point, "text": d.text, "legal_basis": d.legal_basis}
        for d in decisions
    ]
