"""Citations in a draft and what the register says of each (issue 16, the pre-review).

A draft cites the laws and documents it rests on in four ways: a title in 《》 (with or
without an article: 《…》第十三条第二款, and often with its number: 《…》（国办发〔2011〕45号）),
the bare name of a law in running text (依照行政许可法规定), a document number
(国办发〔2011〕45号, any brackets) and an order (国务院令第663号). `find_citations` reads
them; `resolve` looks each up in the register and says what became of it between the
draft's date and the day of the check: in force, amended since (with the cited article's
text then and now), repealed or replaced (by what), not yet in force, or not in the
register at all, which is said plainly and never counted as fine.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Max, Prefetch, Sum
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy as _

from review.articles import NUMBER, NotInDraft, cite, cn_to_int, normal_reference, parse_outline
from search.backends.base import NATIONAL_PREFIX
from search.models import Document, DocumentLink, DocumentVersion, Kind, StatedRepeal, Status
from search.numbers import number_key

IN_FORCE, AMENDED_SINCE = "in_force", "amended_since"
REPEALED, NOT_YET, NOT_IN_REGISTER = "repealed_or_replaced", "not_yet_in_force", "not_in_register"
STATUSES = {
    IN_FORCE: _("现行有效"),
    AMENDED_SINCE: _("此后已修改"),
    REPEALED: _("已废止或被取代"),
    NOT_YET: _("尚未施行"),
    NOT_IN_REGISTER: _("文件库中未收录"),
}

_CJK = "\u4e00-\u9fff"
# What a cited document's title ends with; 《居住证》《申请表》 name a certificate or a form.
_DOCUMENT_ENDS = (
    "法", "法典", "条例", "规定", "办法", "细则", "规则", "决定", "意见", "通知", "通告",
    "公告", "批复", "解释", "纲要", "规划", "方案", "决议", "命令", "标准", "准则", "目录",
    "章程", "规程", "守则", "指引", "指南", "制度", "措施", "要点", "函", "令", "答复",
    "通则", "总则", "修正案",
)  # fmt: skip
_TRAILING = re.compile(
    r"[（(][^（()）]*(?:试行|暂行|修订|修正|草案|征求意见稿|\d{4}年?)[^（()）]*[）)]$"
)
# 修正案（九）, 解释（一）: part of the title, which is still a document's.
_ORDINAL = re.compile(r"[（(][一二三四五六七八九十]+[）)]$")
_ARTICLE = rf"[第笫]\s*{NUMBER}\s*条(?:\s*[第笫]\s*{NUMBER}\s*款)?(?:\s*[第笫]\s*[（(]?\s*{NUMBER}\s*[）)]?\s*项)?"
_BRACKET_OPEN, _BRACKET_CLOSE = "〔［【﹝\\[（(", "〕］】﹞\\]）)"
_DOC_NUMBER = (
    rf"(?P<prefix>(?:[{_CJK}]|\n(?=[{_CJK}])){{1,12}})\s*[{_BRACKET_OPEN}]\s*(?P<year>\d{{4}})\s*[{_BRACKET_CLOSE}]"
    r"\s*第?\s*(?P<serial>\d{1,5})\s*号"
)
_ORDER = (
    rf"(?P<oprefix>[{_CJK}]{{0,16}}?)(?:令[ \t\u3000]*第[ \t\u3000]*(?P<serial1>{NUMBER})[ \t\u3000]*号"
    rf"|第[ \t\u3000]*(?P<serial2>{NUMBER})[ \t\u3000]*号令)"
)
_TITLE = re.compile(
    r"《(?P<title>[^《》]{2,120}?)》"
    rf"(?:\s*[（(](?P<inner>[^（()）]{{2,60}})[）)])?"
    rf"(?P<article>\s*{_ARTICLE})?"
)
_NUMBER_RE = re.compile(_DOC_NUMBER)
_ORDER_RE = re.compile(_ORDER)
# Words that lead into a number without being part of its 代字.
_LEADING = re.compile(
    r"^(?:.*?(?:根据|依据|按照|参照|依照|执行|贯彻|落实|详见|见|转发|印发|符合|对照|以|和|及|与|或"
    r"|的|经|按|据|号文|文件|号|日))+"
)
# The lines under the title that say how the document itself was made: not citations.
_HISTORY = re.compile(r"^[（(][^\n]*(?:发布|公布|通过|修正|修订|施行)[^\n]*[）)]\s*$", re.M)
_OWN_NUMBER = re.compile(r"(?:文\s*号|发文字号|文件编号|索\s*引\s*号)[】\]\s：:]*(?=[^\s：:】\]])")
# Bare names in running text: what comes before and after a law's name when it is cited.
_BARE_BEFORE = "(?:依照|依据|根据|按照|违反|适用|参照|遵守|执行|贯彻|实施|符合)"
_BARE = re.compile(
    rf"{_BARE_BEFORE}(?:国家|国务院)?(?P<name>[{_CJK}]{{2,24}}?(?:法|条例))"
    rf"(?=(?:的|及其|和|等)?(?:有关|相关)?(?:规定|要求)|\s*{_ARTICLE}|(?:及|和|、))"
)
_GENERIC = re.compile(
    r"法律|法规|本|按照|依照|根据|依据|^(?:该|上述|有关|相关|其他|上位|国家|其|现行|原|此|各)"
)
# After a name, these make it a longer word (法人, 法律, 法院…), not the law.
_NOT_AFTER_NAME = set("人律规院官定庭制治学务师典")
_LONGEST_NAME = 24
_SPACES = re.compile(r"\s+")
_ISSUED_BY = re.compile(r"\s*(?:发布|公布|印发|颁布)?的?\s*")
_REPEALED_TITLE = re.compile(
    rf"《(?P<title>[^《》]{{2,80}})》(?:\s*[（(][^（()）]*[）)])?(?P<article>\s*[第笫]\s*{NUMBER}\s*条)?"
)


@dataclass
class Found:
    """One citation as written in the draft."""

    text: str
    start: int
    end: int
    kind: str  # "title", "name", "number", "order"
    title: str = ""
    number: str = ""
    article: str = ""


@dataclass
class Amendment:
    """The version in force on the check day differs from the one of the draft's date."""

    version: int
    published_on: date | None
    effective_on: date | None
    article_changed: bool | None = None
    text_then: str = ""
    text_now: str = ""


@dataclass
class Resolved:
    found: Found
    document: Document | None = None
    status: str = NOT_IN_REGISTER
    status_then: str = NOT_IN_REGISTER
    replaced_by: list[Document] = field(default_factory=list)
    amendment: Amendment | None = None

    def as_json(self):
        found = self.found
        out = {
            "text": found.text,
            "cited": found.title or found.number,
            "article": found.article,
            "title": self.document.title if self.document else (found.title or found.number),
            "document_id": self.document.pk if self.document else None,
            "status": self.status,
            "replaced_by": [{"document_id": d.pk, "title": d.title} for d in self.replaced_by],
            "status_on_draft_date": self.status_then,
        }
        if self.amendment:
            a = self.amendment
            out["amendment"] = {
                "version": a.version,
                "published_on": a.published_on and a.published_on.isoformat(),
                "effective_on": a.effective_on and a.effective_on.isoformat(),
                "article_changed": a.article_changed,
                "text_then": a.text_then,
                "text_now": a.text_now,
            }
        return out


# --- finding -------------------------------------------------------------------------


def normal_title(title: str) -> str:
    """The form titles are compared in: no spaces, 〈〉 and <> as 《》, full-width brackets."""
    title = _SPACES.sub("", unicodedata.normalize("NFKC", title))
    title = title.translate(str.maketrans("<>〈〉()", "《》《》（）"))
    return title.strip("“”\"'")


def title_keys(title: str) -> list[str]:
    """The keys a title is found under: as written, without 中华人民共和国, without a
    trailing （试行）/（2019年修正）, and the document a 关于印发《X》的通知 carries."""
    key = normal_title(title)
    keys = [key]
    if match := re.fullmatch(r".*?关于(?:印发|转发|发布|颁布)《?(.+?)》?的(?:通知|决定|公告)", key):
        keys.append(match[1])
    for k in list(keys):
        bare = _TRAILING.sub("", k)
        if bare != k:
            keys.append(bare)
    for k in list(keys):
        if k.startswith(NATIONAL_PREFIX) and len(k) > len(NATIONAL_PREFIX) + 1:
            keys.append(k.removeprefix(NATIONAL_PREFIX))
    return list(dict.fromkeys(keys))


def is_document_title(title: str) -> bool:
    stripped = _ORDINAL.sub("", _TRAILING.sub("", normal_title(title)))
    return stripped.endswith(_DOCUMENT_ENDS)


def _article(text: str | None) -> str:
    if not text:
        return ""
    return normal_reference(_SPACES.sub("", text).replace("笫", "第")) or _SPACES.sub("", text)


def _clean_prefix(prefix: str) -> str:
    head, _newline, tail = prefix.rpartition("\n")
    prefix = (head + tail) if len(tail) < 2 else tail
    prefix = _LEADING.sub("", prefix)
    return prefix[-8:]


def _number_value(match: re.Match) -> str:
    return f"{_clean_prefix(match['prefix'])}〔{match['year']}〕{int(match['serial'])}号"


def _start_of(raw_start: int, raw: str, kept: str) -> int:
    """Where the kept end of a prefix starts in the text, line breaks inside it counted."""
    count, index = 0, len(raw)
    while index > 0 and count < len(kept):
        index -= 1
        count += raw[index] != "\n"
    return raw_start + index


def _own_number_spans(text: str, own: set[str]) -> list[tuple[int, int]]:
    """The draft's own number in its head (文号：…, or a number alone on a line before the
    first article), which is not a citation."""
    spans = []
    for match in _NUMBER_RE.finditer(text):
        bracket = match.start("year") - 1
        line_start = text.rfind("\n", 0, bracket) + 1
        line_end = text.find("\n", match.end())
        line_end = len(text) if line_end < 0 else line_end
        before = text[line_start:bracket]
        alone = not text[match.end() : line_end].strip(" \t\u3000）)") and len(before) <= 14
        prefix = _clean_prefix(match["prefix"])
        titled = normal_title(before.removesuffix(prefix)).rstrip("（") in own
        if _OWN_NUMBER.search(before) or (match.start() < 400 and alone) or titled:
            spans.append((min(line_start, match.start()), match.end()))
    return spans


def own_titles(text: str, title: str = "") -> set[str]:
    """The draft's own title (``title``, and the short lines of its head naming a
    document, such as 关于印发X的通知 and X itself), which the draft names without citing."""
    titles = set(title_keys(title)) if title else set()
    head = [line.strip() for line in text[:1500].splitlines() if line.strip()][:15]
    for line in head:
        if len(line) <= 60 and not line.startswith(("《", "现将", "根据", "为")):
            titles.update(title_keys(line))
    return titles


def find_citations(
    text: str, names: dict[str, object] | None = None, title: str = ""
) -> list[Found]:
    """Every citation in ``text``, in reading order. ``names`` are the register's short
    names of laws (see `Register.bare_names`), looked for in running text; ``title`` is
    the draft's own, which it names without citing."""
    found: list[Found] = []
    taken = bytearray(len(text))

    def take(item: Found):
        found.append(item)
        taken[item.start : item.end] = b"\x01" * (item.end - item.start)

    own = own_titles(text, title)
    own_numbers = set()
    for start, end in _own_number_spans(text, own):
        taken[start:end] = b"\x01" * (end - start)
        own_numbers.add(_number_value(_NUMBER_RE.search(text, start)))
    for match in _HISTORY.finditer(text[:600]):
        taken[match.start() : match.end()] = b"\x01" * (match.end() - match.start())
    for match in _TITLE.finditer(text):
        if any(taken[match.start() : match.end()]):
            continue
        title = match["title"]
        if normal_title(title) in own:
            continue
        number, end = "", match.end()
        inner = match["inner"] or ""
        if inner:
            inner_number = _NUMBER_RE.search(inner) or _ORDER_RE.search(inner)
            if inner_number:
                number = number_key(_inner_number_text(inner_number))
            elif not re.search(r"试行|暂行|修订|修正", inner):
                # （以下简称…）and the like: not part of the citation.
                end = match.end("title") + 1
        if not is_document_title(title):
            continue
        article = match["article"] if end == match.end() else None
        if article is None and end != match.end():
            after = re.match(rf"\s*{_ARTICLE}", text[end:])
            if after:
                article, end = after.group(), end + after.end()
        take(
            Found(
                text=text[match.start() : end].strip(),
                start=match.start(),
                end=end,
                kind="title",
                title=normal_title(title),
                number=number,
                article=_article(article),
            )
        )
    for match in _NUMBER_RE.finditer(text):
        if any(taken[match.start("year") - 1 : match.end()]):
            continue
        prefix = _clean_prefix(match["prefix"])
        if not prefix:
            continue
        start = _start_of(match.start("prefix"), match["prefix"], prefix)
        if start > 0 and text[start - 1] in "《〈":
            continue
        value = f"{prefix}〔{match['year']}〕{int(match['serial'])}号"
        if value in own_numbers:
            continue  # the draft naming itself: 符合沪教委学〔2015〕62号文件…
        take(Found(text[start : match.end()], start, match.end(), "number", number=value))
    for match in _ORDER_RE.finditer(text):
        if any(taken[match.start() : match.end()]):
            continue
        prefix = _clean_prefix(match["oprefix"]) or ""
        if not prefix or prefix in {"的", "第"}:
            continue
        start = match.end("oprefix") - len(prefix)
        value = number_key(_inner_number_text(match, prefix))
        take(Found(text[start : match.end()], start, match.end(), "order", number=value))
    for item in _bare_names(text, taken, names or {}):
        take(item)
    found.sort(key=lambda f: f.start)
    return _merged(text, found)


def _merged(text: str, found: list[Found]) -> list[Found]:
    """An order or number just before the title it issued (…令第122号发布的《X》) is one
    citation with that title."""
    out: list[Found] = []
    for item in found:
        before = out[-1] if out else None
        if (
            before is not None
            and item.kind == "title"
            and not item.number
            and before.kind in ("order", "number")
            and _ISSUED_BY.fullmatch(text[before.end : item.start])
        ):
            item.number, item.start = before.number, before.start
            item.text = text[item.start : item.end]
            out[-1] = item
            continue
        out.append(item)
    return out


def _inner_number_text(match: re.Match, prefix: str | None = None) -> str:
    groups = match.groupdict()
    if groups.get("year"):
        return f"{_clean_prefix(groups['prefix'])}〔{groups['year']}〕{groups['serial']}号"
    serial = groups.get("serial1") or groups.get("serial2") or ""
    if not serial.isdigit():
        serial = str(cn_to_int(serial))
    head = prefix if prefix is not None else _clean_prefix(groups.get("oprefix") or "")
    head = re.sub(r"第$", "", head)
    return f"{head}令第{serial}号"


def _bare_names(text: str, taken: bytearray, names: dict[str, object]):
    """Names of laws outside 《》: the register's names wherever they stand, and any name
    after 依照/根据/违反… that reads as a law's (so that one the register lacks is caught)."""
    seen = []
    longest = min(max((len(n) for n in names), default=0), _LONGEST_NAME)
    for end in (m.end() for m in re.finditer("法|条例", text)):
        if end < len(text) and text[end] in _NOT_AFTER_NAME or any(taken[end - 1 : end]):
            continue
        for length in range(min(longest, end), 1, -1):
            start = end - length
            candidate = text[start:end]
            if candidate in names and not any(taken[start:end]):
                if start > 0 and text[start - 1] in "《〈":
                    break
                if text[max(0, start - len(NATIONAL_PREFIX)) : start] == NATIONAL_PREFIX:
                    start -= len(NATIONAL_PREFIX)
                seen.append((start, end))
                break
    for match in _BARE.finditer(text):
        name = match["name"]
        start, end = match.start("name"), match.end("name")
        if _GENERIC.search(name) or any(taken[start:end]):
            continue
        if any(s <= start < e or s < end <= e for s, e in seen):
            continue
        seen.append((start, end))
    for start, end in sorted(seen):
        item = Found(text[start:end], start, end, "name", title=text[start:end])
        after = re.match(rf"(?:的?规定)?\s*({_ARTICLE})", text[end:])
        if after:
            item.article = _article(after[1])
            item.end = end + after.end()
            item.text = text[start : item.end]
        yield item


# --- resolving -----------------------------------------------------------------------


class Register:
    """The register as the resolver reads it: titles, numbers and the names of laws, kept
    per process until a document or a learnt repeal is added; and the documents a draft
    cites, with their versions and links, read for each draft."""

    # Laws and regulations are cited bare; a normative document is cited by its title.
    BARE_KINDS = {
        Kind.CONSTITUTION,
        Kind.LAW,
        Kind.ADMINISTRATIVE_REGULATION,
        Kind.LOCAL_REGULATION,
    }
    _kept: dict = {}

    def __init__(self):
        # Cheap to ask, and changed by any added, removed or renamed document.
        stamp = (
            Document.objects.aggregate(
                n=Count("pk"),
                last=Max("pk"),
                titles=Sum(Length("title")),
                numbers=Sum(Length("number_key")),
                kinds=Sum(Length("kind")),
            ),
            StatedRepeal.objects.aggregate(n=Count("pk"), last=Max("pk")),
        )
        if Register._kept.get("stamp") != stamp:
            Register._kept = {"stamp": stamp, "index": self._index()}
        self.by_title, self.by_number, self.bare_names, self.repealed_titles = Register._kept[
            "index"
        ]

    @classmethod
    def _index(cls):
        by_title, by_number, bare_names, repealed = {}, {}, {}, {}
        for pk, title, key, kind in Document.objects.values_list(
            "pk", "title", "number_key", "kind"
        ):
            for k in title_keys(title):
                by_title.setdefault(k, []).append(pk)
            if key:
                by_number[key] = pk
            short = normal_title(title).removeprefix(NATIONAL_PREFIX)
            # Two characters only for the national codes (刑法, 宪法): 民法 or 商法 name fields.
            shortest = 2 if kind in (Kind.CONSTITUTION, Kind.LAW) else 3
            named = shortest <= len(short) <= _LONGEST_NAME and short.endswith(("法", "条例"))
            if kind in cls.BARE_KINDS and named:
                bare_names[short] = pk
        rows = StatedRepeal.objects.filter(target__isnull=True).values_list("title", "repealing")
        for title, repealing in rows:
            for k in title_keys(title):
                repealed.setdefault(k, []).append(repealing)
        return by_title, by_number, bare_names, repealed

    def candidates(self, found: Found) -> list[int]:
        if found.number and found.number in self.by_number:
            return [self.by_number[found.number]]
        for key in title_keys(found.title) if found.title else []:
            if key in self.by_title:
                return self.by_title[key]
        return []

    def repealers(self, found: Found) -> list[int]:
        """The register documents whose repeal clause names a title it lacks."""
        for key in title_keys(found.title) if found.title else []:
            if key in self.repealed_titles:
                return self.repealed_titles[key]
        return []

    def documents(self, pks) -> dict[int, Document]:
        links = DocumentLink.objects.filter(kind=DocumentLink.Kind.REPEALS).select_related("source")
        return {
            doc.pk: doc
            for doc in Document.objects.filter(pk__in=set(pks)).prefetch_related(
                "versions", Prefetch("incoming_links", queryset=links, to_attr="repealed_by")
            )
        }


def resolve(found: list[Found], *, on: date, drafted_on: date | None, register=None):
    """What the register says of each citation on ``on``, and on ``drafted_on`` (the
    draft's date; without one, the same day)."""
    register = register or Register()
    drafted_on = drafted_on or on
    candidates = {id(f): register.candidates(f) for f in found}
    repealers = {id(f): register.repealers(f) for f in found if not candidates[id(f)]}
    wanted = [pk for pks in [*candidates.values(), *repealers.values()] for pk in pks]
    documents = register.documents(wanted)
    outlines: dict[int, object] = {}
    out = []
    for item in found:
        docs = [documents[pk] for pk in candidates[id(item)] if pk in documents]
        if not docs:
            # A title the register lacks may still be named by a repeal clause.
            by = [documents[pk] for pk in repealers[id(item)] if pk in documents]
            status = REPEALED if by else NOT_IN_REGISTER
            out.append(Resolved(item, status=status, replaced_by=by))
            continue
        doc = _choose(docs, drafted_on)
        result = Resolved(item, document=doc)
        result.status_then, _ = _status(doc, drafted_on)
        result.status, result.replaced_by = _status(doc, on)
        if result.status == IN_FORCE:
            then, now = _version_on(doc, drafted_on), _version_on(doc, on)
            if now is not None and (then is None or then.number != now.number):
                # Without the earlier text (a law kept only as amended), the amendment
                # is still known from the date the text in force took effect.
                result.status = AMENDED_SINCE
                result.amendment = _amendment(item, then, now, outlines)
        out.append(result)
    return out


def _choose(docs: list[Document], day: date) -> Document:
    """Of documents sharing a title, the one in force on the draft's date, else the latest."""
    for doc in docs:
        if _status(doc, day)[0] == IN_FORCE:
            return doc
    return max(docs, key=lambda d: (d.effective_on or d.published_on or date.min, d.pk))


def repealed_on(doc: Document) -> date | None:
    """The day a repealing document in the register took effect, the earliest of them
    (``doc`` as `Register.documents` reads it)."""
    days = [link.source.effective_on or link.source.published_on for link in doc.repealed_by]
    days = [d for d in days if d]
    return min(days) if days else None


def _status(doc: Document, day: date) -> tuple[str, list[Document]]:
    replacers = [link.source for link in doc.repealed_by]
    end = repealed_on(doc)
    if doc.status in Status.ended():
        end = doc.ended_on or end or date.min
    if end is not None and end <= day:
        return REPEALED, replacers
    versions = doc.ordered_versions()
    start = doc.effective_on or (versions[0].effective_on if versions else None)
    start = start or doc.published_on
    if start is None and doc.status == Status.PENDING:
        return NOT_YET, []
    if start is not None and start > day:
        # Published and waiting for its day; a text published later still is a newer
        # text of a law the draft could cite (the register lacks the earlier one).
        published = doc.published_on or start
        return (NOT_YET if published <= day else IN_FORCE), []
    return IN_FORCE, []


def _version_on(doc: Document, day: date) -> DocumentVersion | None:
    versions = [v for v in doc.ordered_versions() if v.starts_on <= day]
    return versions[-1] if versions else None


def _amendment(item: Found, then, now, outlines) -> Amendment:
    amendment = Amendment(now.number, now.published_on, now.effective_on)
    if not item.article:
        return amendment
    if then is None:
        return amendment
    texts = []
    for version in (then, now):
        if version.pk not in outlines:
            outlines[version.pk] = parse_outline(version.text)
        try:
            quote = cite(outlines[version.pk], item.article).quote
        except NotInDraft:
            texts.append("")
        else:
            texts.append(quote[1].strip())
    amendment.text_then, amendment.text_now = texts
    amendment.article_changed = _compact(texts[0]) != _compact(texts[1])
    return amendment


def _compact(text: str) -> str:
    """An article's words without its label and spacing, so renumbering alone is no change."""
    text = re.sub(rf"^[第笫]\s*{NUMBER}\s*条", "", text.strip())
    return _SPACES.sub("", text)


# --- repeal clauses --------------------------------------------------------------------


def stated_repeals(text: str) -> list[str]:
    """The titles a document's own closing provisions repeal (“…《X》、《Y》同时废止”):
    whole documents only, not “《X》第五条同时废止”."""
    titles = []
    for sentence in re.split(r"[。；;\n]", text[-3000:]):
        if not sentence.rstrip().endswith("废止") or "《" not in sentence:
            continue
        for match in _REPEALED_TITLE.finditer(sentence):
            if not match["article"] and is_document_title(match["title"]):
                titles.append(normal_title(match["title"]))
    return list(dict.fromkeys(titles))
