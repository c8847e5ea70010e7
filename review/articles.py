"""The article outline of a Chinese normative document: 编/章/节, 条, 款 and 项.

Findings cite the draft by article (第十二条第二款第（三）项), so the outline keeps offsets
into the text. Many policies have no 条 but 一、二、三 sections; the outline then falls
back to those, and says so in `Outline.unit`.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
CN_DIGITS |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_NUMBER = "[零〇一二两三四五六七八九十百千]+"
NUMBER = rf"(?:{CN_NUMBER}|\d+)"

# Leading spaces, full-width spaces and Markdown heading marks (the law corpus is Markdown).
LEAD = r"^[ \t\u3000]*(?:#{1,6}[ \t]+)?"
SP = r"[ \t\u3000]*"
# 笫 is a common misprint of 第 (the law corpus has "笫五十四条"); labels are rebuilt with 第.
DI = "[第笫]"
# Typed drafts have stray spaces inside labels ("第十五 条"); the label is rebuilt without.
HEADING = re.compile(LEAD + rf"({DI}{SP}({NUMBER}){SP}([编章节])){SP}(.*)$", re.MULTILINE)
# The label may run straight into the text ("第七条规范性文件……"), so every 第X条 at a line
# start is a candidate; one followed by what a citation is followed by ("第三条规定的……",
# "第三十四条第二十五条、……") opens an article only where its number comes next.
ARTICLE = re.compile(LEAD + rf"({DI}{SP}({NUMBER}){SP}条)[ \t\u3000:：]*", re.MULTILINE)
CITING = re.compile(r"[、，,及和或与至到之的第笫款项所]|规定")
# A finding's citation: 第四十七条第三项, 第12条第2款, 第十二条第二款第（一）项.
REFERENCE = re.compile(
    rf"^{SP}{DI}?{SP}({NUMBER}){SP}条"
    rf"(?:{SP}{DI}?{SP}({NUMBER}){SP}款)?"
    rf"(?:{SP}{DI}?{SP}[（(]?{SP}({NUMBER}){SP}[）)]?{SP}项)?{SP}$"
)
SECTION = re.compile(rf"^[ \t\u3000]*(({CN_NUMBER})[、．.])[ \t\u3000]*", re.MULTILINE)
# Where the last article ends: an appendix heading (附件：, 附件1) or a date line alone.
END_OF_ARTICLES = re.compile(
    r"^[ \t\u3000]*(?:附[ \t\u3000]*件[ \t\u3000]*(?:[\d一二三四五六七八九十]|[：:]|$)"
    r"|主[ \t\u3000]*题[ \t\u3000]*词|抄[ \t\u3000]*[送报][ \t\u3000]*[：:]"
    r"|[\d〇零一二三四五六七八九]{4}年[\d一二三四五六七八九十]{1,2}月[\d一二三四五六七八九十]{1,3}日[ \t\u3000]*$)",
    re.MULTILINE,
)
ITEM_PATTERNS = (
    (1, re.compile(rf"([（(]({CN_NUMBER})[）)])[ \t\u3000]*")),
    (2, re.compile(r"((\d+)[.．、])(?!\d)[ \t\u3000]*")),
    (3, re.compile(r"([（(](\d+)[）)])[ \t\u3000]*")),
    (3, re.compile(r"(([①-⑳]))[ \t\u3000]*")),
)
HEADING_MAX_CHARS = 40
# A line ending in one of these (before any closing quote) ends a sentence; a line that
# does not runs on into the next.
SENTENCE_ENDS = ("。", "：", ":", "；", ";", "！", "!", "？", "?", "…")
CLOSING_QUOTES = "”’」』\"'"


@dataclass(frozen=True)
class Item:
    """A 项 (（一）) or a lower level (1. and （1）), `level` 1 to 3."""

    label: str
    number: int
    level: int
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Clause:
    """A 款: a paragraph of an article, with the 项 it lists."""

    number: int
    text: str
    start: int
    end: int
    items: list[Item] = field(default_factory=list)


@dataclass(frozen=True)
class Article:
    number: int
    label: str
    chapter: str | None
    text: str
    start: int
    end: int
    items: list[Item] = field(default_factory=list)
    clauses: list[Clause] = field(default_factory=list)
    # The enclosing headings, outermost first: ("第二编 …", "第一章 总则", "第一节 …").
    headings: tuple[str, ...] = ()
    body_start: int = 0

    @property
    def body(self) -> str:
        """The text after the label."""
        return self.text[self.body_start - self.start :]


class Outline(list):
    """A list of Article, and the unit they stand for: "article", "section" or "none"."""

    def __init__(self, articles: list[Article], unit: str):
        super().__init__(articles)
        self.unit = unit


def cn_to_int(numeral: str) -> int:
    """二十三 → 23, 一百零五 → 105, 十二 → 12; Arabic and full-width digits pass through."""
    numeral = numeral.strip()
    if numeral.isdigit():
        return int(numeral)
    if not numeral or any(c not in CN_DIGITS and c not in CN_UNITS for c in numeral):
        raise ValueError(f"not a Chinese numeral: {numeral!r}")
    if all(c in CN_DIGITS for c in numeral) and len(numeral) > 1:
        # 二〇一六 (a year) is read digit by digit.
        return int("".join(str(CN_DIGITS[c]) for c in numeral))
    total, digit = 0, None
    for char in numeral:
        if char in CN_DIGITS:
            digit = CN_DIGITS[char]
        else:
            total += (1 if digit is None else digit) * CN_UNITS[char]
            digit = None
    return total + (digit or 0)


def int_to_cn(number: int) -> str:
    """23 → 二十三, 105 → 一百零五, 10 → 十; 1 to 9999."""
    if not 0 < number < 10000:
        raise ValueError(f"out of range: {number}")
    digits = "零一二三四五六七八九"
    parts, zero = [], False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, number = divmod(number, value)
        if digit:
            if zero:
                parts.append("零")
            parts.append(digits[digit] + unit)
            zero = False
        elif parts:
            zero = True
    text = "".join(parts)
    return text[1:] if text.startswith("一十") else text


def parse_outline(text: str) -> Outline:
    """Articles (第X条) with their chapters, or failing that 一、, （一） or 1. sections."""
    articles = _parse_articles(text)
    if articles:
        return Outline(articles, "article")
    fallbacks = (
        (SECTION, (1, 2, 3)),
        (ITEM_PATTERNS[0][1], (2, 3)),
        (ITEM_PATTERNS[1][1], (3,)),
    )
    for pattern, item_levels in fallbacks:
        sections = _parse_sections(text, pattern, item_levels)
        if sections:
            return Outline(sections, "section")
    return Outline([], "none")


def find_article(outline: list[Article], ref: str | int) -> Article | None:
    """The first article cited as 12, "12", "第十二条", "第12条", "十二", "第十二条第二款"
    or a section label."""
    if isinstance(ref, int):
        number = ref
    else:
        ref = ref.strip()
        for article in outline:
            if article.label == ref:
                return article
        parsed = _reference(ref)
        if parsed is not None:
            number = parsed[0]
        else:
            core = ref.removeprefix("第").removesuffix("条").strip("、.．（）() ")
            try:
                number = cn_to_int(core)
            except ValueError:
                return None
    return next((a for a in outline if a.number == number), None)


@dataclass(frozen=True)
class Citation:
    """An article, 款 or 项 of the draft a finding cites, with the citation in its usual
    written form (第四十七条第三项) and the cited words' place in the article's text."""

    article: Article
    label: str
    start: int
    end: int

    @property
    def quote(self) -> tuple[str, str, str]:
        """The article's text as (before, cited, after); the whole article when it is cited."""
        a = self.article
        s, e = self.start - a.start, self.end - a.start
        return a.text[:s], a.text[s:e], a.text[e:]


class NotInDraft(ValueError):
    """The draft has no such article (``count`` None), or the article has only ``count``
    款 or 项 (``unit``)."""

    def __init__(self, ref: str, article: Article | None = None, unit: str = "", count=None):
        super().__init__(ref)
        self.ref, self.article, self.unit, self.count = ref, article, unit, count


def normal_reference(ref: str) -> str | None:
    """第12条第2款第（一）项 → 第十二条第二款第一项; None when it cites no 条."""
    parsed = _reference(ref)
    return None if parsed is None else _label(parsed)


def _label(parsed: tuple[int, int | None, int | None]) -> str:
    parts = zip(parsed, "条款项", strict=True)
    return "".join(f"第{int_to_cn(n)}{unit}" for n, unit in parts if n is not None)


def cite(outline: list[Article], ref: str) -> Citation:
    """The citation of ``ref`` in the draft: the 条 must exist; a 款 or 项 beyond those the
    article is seen to have is refused, one the outline cannot see is accepted."""
    ref = ref.strip()
    article = find_article(outline, ref)
    if article is None:
        raise NotInDraft(ref)
    parsed = _reference(ref)
    if parsed is None:
        # A bare number (十二) or a section label (二、).
        label = f"第{int_to_cn(article.number)}条" if article.label[-1:] == "条" else article.label
        return Citation(article, label, article.start, article.end)
    _n, clause_number, item_number = parsed
    start, end, items = article.start, article.end, article.items
    if clause_number is not None and article.clauses:
        if clause_number > len(article.clauses):
            raise NotInDraft(ref, article, "款", len(article.clauses))
        clause = article.clauses[clause_number - 1]
        start, end, items = clause.start, clause.end, clause.items
    if item_number is not None and items:
        top = min(i.level for i in items)
        listed = [i for i in items if i.level == top]
        item = next((i for i in listed if i.number == item_number), None)
        if item is None:
            raise NotInDraft(ref, article, "项", max(i.number for i in listed))
        start, end = item.start, item.end
    return Citation(article, _label(parsed), start, end)


def _reference(ref: str) -> tuple[int, int | None, int | None] | None:
    """(条, 款, 项) of a citation such as 第四十七条第三项, or None."""
    match = REFERENCE.match(ref)
    if match is None:
        return None
    article, clause, item = (None if g is None else _number(g) for g in match.groups())
    given = [n for g, n in zip(match.groups(), (article, clause, item), strict=True) if g]
    if article is None or not all(n is not None and 0 < n < 10000 for n in given):
        return None
    return article, clause, item


def _parse_articles(text: str) -> list[Article]:
    numbered = _in_sequence(text)
    if not numbered:
        return []
    headings = [m for m in HEADING.finditer(text) if _is_heading(m)]
    stops = sorted(
        [m.start(1) for m, _ in numbered]
        + [_line_start(text, m.start(1)) for m in headings]
        + [_line_start(text, m.start()) for m in END_OF_ARTICLES.finditer(text)]
        + [len(text)]
    )
    articles = []
    path: dict[str, str] = {}
    heading_iter = iter(headings)
    pending = next(heading_iter, None)
    for match, number in numbered:
        start = match.start(1)
        while pending is not None and pending.start(1) < start:
            _enter_heading(path, pending)
            pending = next(heading_iter, None)
        end = _trim_end(text, start, _next_stop(stops, start))
        body_start = min(match.end(), end)
        articles.append(
            Article(
                number=number,
                label=f"第{match.group(2)}条",
                chapter=path.get("章"),
                text=text[start:end],
                start=start,
                end=end,
                headings=tuple(path[k] for k in "编章节" if k in path),
                body_start=body_start,
                **_clauses(text, body_start, end, (1, 2, 3)),
            )
        )
    return articles


def _in_sequence(text: str) -> list[tuple[re.Match, int]]:
    """The 第X条 that open articles, with their numbers: a candidate that reads like a
    citation counts only as the next number, and only if no plain label has that number."""
    candidates = [
        (m, n, bool(CITING.match(text, m.end(1))))
        for m in ARTICLE.finditer(text)
        if (n := _number(m.group(2))) is not None
    ]
    plain = {n for _m, n, citing in candidates if not citing}
    kept, last = [], 0
    for match, number, citing in candidates:
        if citing and (number != last + 1 or number in plain):
            continue
        kept.append((match, number))
        last = number
    return kept


def _parse_sections(text: str, pattern: re.Pattern, item_levels: tuple[int, ...]) -> list:
    starts = list(pattern.finditer(text)) if pattern is SECTION else _line_matches(text, pattern)
    if not starts:
        return []
    stops = sorted(
        [m.start(1) for m in starts]
        + [_line_start(text, m.start()) for m in END_OF_ARTICLES.finditer(text)]
        + [len(text)]
    )
    sections = []
    for match in starts:
        start = match.start(1)
        end = _trim_end(text, start, _next_stop(stops, start))
        body_start = min(match.end(), end)
        sections.append(
            Article(
                number=cn_to_int(match.group(2)),
                label=match.group(1),
                chapter=None,
                text=text[start:end],
                start=start,
                end=end,
                body_start=body_start,
                **_clauses(text, body_start, end, item_levels),
            )
        )
    return sections


def _line_matches(text: str, pattern: re.Pattern) -> list[re.Match]:
    """Item-style markers at line starts, as matches whose offsets are in `text`."""
    found = []
    for start, line in _lines(text, 0, len(text)):
        stripped = line.lstrip(" \t\u3000")
        match = pattern.match(text, start + len(line) - len(stripped))
        if match:
            found.append(match)
    return found


def _clauses(text: str, start: int, end: int, item_levels: tuple[int, ...]) -> dict:
    """Split an article body into 款 (paragraphs) and the 项 inside them.

    Drafts pasted from web pages or PDFs break lines mid-sentence, so a line begins a new
    款 only after a line that ends a sentence, and a new 项 only after such a line or when
    it carries the next number of its level (a 项 may be a title without punctuation).
    """
    clauses: list[list] = []  # [start, end, [item, ...]]
    items: list[list] = []  # [start, end, label, number, level]
    last_number: dict[int, int] = {}
    open_item = False
    previous_ends_sentence = True
    for line_start, line in _lines(text, start, end):
        stripped = line.strip(" \t\u3000")
        if not stripped:
            continue
        s = line_start + len(line) - len(line.lstrip(" \t\u3000"))
        e = s + len(stripped)
        marker = _item_marker(stripped, item_levels)
        if marker is not None:
            label, number, level = marker
            if not (previous_ends_sentence or number in (1, last_number.get(level, 0) + 1)):
                marker = None
        if marker is not None:
            label, number, level = marker
            last_number[level] = number
            for deeper in [k for k in last_number if k > level]:
                del last_number[deeper]
            item = [s, e, label, number, level]
            items.append(item)
            if not clauses:
                clauses.append([s, e, []])
            clauses[-1][1] = e
            clauses[-1][2].append(item)
            open_item = True
        elif clauses and not previous_ends_sentence:
            clauses[-1][1] = e
            if open_item:
                items[-1][1] = e
        else:
            clauses.append([s, e, []])
            open_item = False
            last_number.clear()
        previous_ends_sentence = stripped.rstrip(CLOSING_QUOTES).endswith(SENTENCE_ENDS)

    def build(item: list) -> Item:
        i_start, i_end, label, number, level = item
        return Item(label, number, level, text[i_start:i_end], i_start, i_end)

    built = {id(item): build(item) for item in items}
    return {
        "clauses": [
            Clause(n, text[c[0] : c[1]], c[0], c[1], [built[id(i)] for i in c[2]])
            for n, c in enumerate(clauses, 1)
        ],
        "items": [built[id(i)] for i in items],
    }


def _item_marker(line: str, levels: tuple[int, ...]) -> tuple[str, int, int] | None:
    """(label, number, level) when the line opens a 项, such as （三） or 2．"""
    for level, pattern in ITEM_PATTERNS:
        if level not in levels:
            continue
        match = pattern.match(line)
        if match:
            raw = match.group(2)
            number = ord(raw) - 0x245F if "①" <= raw <= "⑳" else _number(raw)
            return None if number is None else (match.group(1), number, level)
    return None


def _lines(text: str, start: int, end: int):
    offset = start
    for line in text[start:end].split("\n"):
        yield offset, line
        offset += len(line) + 1


def _number(numeral: str) -> int | None:
    try:
        return cn_to_int(numeral)
    except ValueError:
        return None


def _is_heading(match: re.Match) -> bool:
    title = match.group(4).strip()
    return (
        _number(match.group(2)) is not None
        and len(title) <= HEADING_MAX_CHARS
        and not title.endswith(("。", "；", "，", ";", ","))
    )


def _enter_heading(path: dict[str, str], match: re.Match) -> None:
    level = match.group(3)
    title = "".join(match.group(4).split())
    path[level] = f"第{match.group(2)}{level} {title}".strip()
    # A new 编 closes its 章 and 节; a new 章 closes its 节.
    for lower in "编章节"["编章节".index(level) + 1 :]:
        path.pop(lower, None)


def _line_start(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1


def _next_stop(stops: list[int], start: int) -> int:
    return stops[bisect.bisect_right(stops, start)]


def _trim_end(text: str, start: int, stop: int) -> int:
    return start + len(text[start:stop].rstrip())
