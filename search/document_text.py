"""A register document's text as it is read and downloaded: its chapters and articles
found (review.articles), each with an anchor that stays the same for the same text
(#art-12 for 第十二条, #chapter-2 for 第二章), a table of contents, and the text set as a
公文 in Word."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from core.typesetting import HEITI, add_paragraph, format_cn_date, new_document, save
from review.articles import HEADING, cn_to_int, parse_outline

# 编, 章 and 节 in anchors. A 节 is numbered within its 章 (and in a code a 章 within its
# 编), so an anchor names the headings above it: #chapter-3-section-1, #part-2-chapter-1.
_LEVEL_SLUGS = {"编": "part", "章": "chapter", "节": "section"}
_TITLE = 20  # characters of a section's first line in the table of contents


@dataclass
class Block:
    """A piece of the text: "text" as written, a "heading" (编/章/节) or an "article"
    (its label, then the rest of it as written)."""

    kind: str
    text: str
    anchor: str = ""
    label: str = ""
    entry: str = ""  # how the table of contents names an article or section
    level: str = ""  # a heading's: 编, 章 or 节
    depth: int = 0  # a heading's rank among the heading levels the text uses, from 0


@dataclass
class TocEntry:
    """A heading of the table of contents, or None for articles before any, and the
    articles under it."""

    heading: Block | None
    articles: list[Block] = field(default_factory=list)


@dataclass
class Reading:
    blocks: list[Block]
    toc: list[TocEntry]


def read_text(text: str) -> Reading:
    """The text cut into headings, articles (or 一、二、 sections) and what lies between."""
    outline = parse_outline(text)
    prefix = {"article": "art", "section": "sec"}.get(outline.unit)
    if prefix is None:
        return Reading([Block("text", text)] if text.strip() else [], [])
    anchors: set[str] = set()
    path: dict[str, int] = {}
    blocks: list[Block] = []
    at = 0
    for article in outline:
        if outline.unit == "article":
            blocks += _between(text[at : article.start], path, anchors)
        elif text[at : article.start].strip():
            blocks.append(Block("text", text[at : article.start].strip("\n")))
        label = text[article.start : article.body_start].rstrip(" \t\u3000:：")
        rest = text[article.start + len(label) : article.end]
        # A section's first line is its title (一、总体要求); an article has none.
        entry = label if prefix == "art" else label + rest.split("\n", 1)[0].strip()[:_TITLE]
        anchor = _unique(f"{prefix}-{article.number}", anchors)
        blocks.append(Block("article", rest, anchor, label=label, entry=entry))
        at = article.end
    if text[at:].strip():
        blocks.append(Block("text", text[at:].strip("\n")))
    _rank_headings(blocks)
    return Reading(blocks, _toc(blocks))


def _between(gap: str, path: dict[str, int], anchors: set[str]) -> list[Block]:
    """The text between two articles: the headings that open the next one, and any other
    lines as they are."""
    blocks, at = [], 0
    for match in HEADING.finditer(gap):
        if gap[at : match.start()].strip():
            blocks.append(Block("text", gap[at : match.start()].strip("\n")))
        level = match.group(3)
        path[level] = cn_to_int(match.group(2))
        for lower in "编章节"["编章节".index(level) + 1 :]:
            path.pop(lower, None)
        anchor = "-".join(f"{_LEVEL_SLUGS[k]}-{path[k]}" for k in "编章节" if k in path)
        title = " ".join(gap[match.start(1) : match.end()].split())
        blocks.append(Block("heading", title, _unique(anchor, anchors), level=level))
        at = match.end()
    if gap[at:].strip():
        blocks.append(Block("text", gap[at:].strip("\n")))
    return blocks


def _unique(anchor: str, taken: set[str]) -> str:
    """The anchor, or with -2, -3… where the text repeats a number (an appended text)."""
    candidate, n = anchor, 1
    while candidate in taken:
        n += 1
        candidate = f"{anchor}-{n}"
    taken.add(candidate)
    return candidate


def _rank_headings(blocks: list[Block]) -> None:
    headings = [block for block in blocks if block.kind == "heading"]
    used = [level for level in "编章节" if any(h.level == level for h in headings)]
    for heading in headings:
        heading.depth = used.index(heading.level)


def _toc(blocks: list[Block]) -> list[TocEntry]:
    toc = [TocEntry(None)]
    for block in blocks:
        if block.kind == "heading":
            toc.append(TocEntry(block))
        elif block.kind == "article":
            toc[-1].articles.append(block)
    return [entry for entry in toc if entry.heading or entry.articles]


def text_docx(document, version) -> bytes:
    """The text of `version` as a Word document: title, number, the date it takes effect
    where it is still to come, then the headings and articles."""
    doc = new_document()
    body = doc.element.body
    add_paragraph(body, "GwTitle", runs=[(document.title, {})])
    if document.number:
        add_paragraph(body, "GwSubtitle", runs=[(f"（{document.number}）", {})])
    if document.takes_effect_on:
        note = _("本文件将于%(d)s起施行。") % {"d": format_cn_date(document.takes_effect_on)}
        add_paragraph(body, "GwSubtitle", runs=[(f"（{note}）", {})])
    add_paragraph(body, runs=[("", {})])
    for block in read_text(version.text).blocks:
        if block.kind == "heading":
            add_paragraph(body, "GwHeading1", keep_next=True, runs=[(block.text, {})])
            continue
        lines = [line.strip() for line in block.text.split("\n")]
        lines = [line for line in lines if line]
        for i, line in enumerate(lines):
            runs = [(line, {})]
            if block.kind == "article" and i == 0:
                runs = [(block.label, {"font": HEITI}), ("\u3000" + line, {})]
            add_paragraph(body, runs=runs)
        if block.kind == "article" and not lines:
            add_paragraph(body, runs=[(block.label, {"font": HEITI})])
    return save(doc)
