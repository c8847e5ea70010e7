"""A comparison of two versions as a Word document with tracked changes.

Insertions and deletions are real Word revisions (w:ins, w:del with w:delText), so the
review pane lists them, "accept all" yields the new version and "reject all" the old
one (moved units aside, which stand at their new place). The comparison is the one of
`review.compare`: per unit, a label and segments of the body (the text after the label),
"\\n" between the paragraphs (款) of an article. Its counts (characters, articles) are
the ones the comparison page shows.
"""

from __future__ import annotations

import datetime

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.text.run import Run

from core.text import normalize_text
from core.typesetting import LINE_PITCH, add_paragraph, add_run, new_document, save

SUMMARY_WIDTHS = (Mm(25), Mm(20), Mm(111))
STATUS_ROWS = (
    ("inserted", "新增"),
    ("deleted", "删除"),
    ("modified", "修改"),
    ("moved", "移动"),
    ("unchanged", "未变"),
)
# What a unit is called in the summary, and in "本条由原第三条移至此处".
UNIT_NOUNS = {"article": ("条款", "条"), "section": ("部分", "部分"), "paragraph": ("段落", "段")}
# Labels listed per row of the summary before it says "等" instead.
MAX_LISTED = 30


def render_redline(
    comparison,
    title: str,
    old_label: str,
    new_label: str,
    *,
    author: str = "合法性审查系统",
    date: datetime.datetime | None = None,
) -> bytes:
    """The comparison as a .docx: title, summary table, then one paragraph per unit.

    `author` and `date` (default now; naive is read as UTC) stamp every revision, as
    Word's review pane shows them; the dossier's page passes the drafter of the newer
    version and the time it was uploaded.
    """
    when = date or datetime.datetime.now(datetime.UTC)
    if when.tzinfo is not None:
        when = when.astimezone(datetime.UTC)
    when = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    # add_run cleans what it sets; the text that python-docx sets itself is cleaned here.
    author = normalize_text(author, multiline=False)
    doc = new_document()
    body = doc.element.body
    add_paragraph(body, "GwTitle", runs=[(title, {})])
    add_paragraph(body, "GwSubtitle", runs=[(f"（{old_label}与{new_label}对照）", {})])

    changes = list(comparison.changes)
    noun, one = UNIT_NOUNS[comparison.unit]
    _summary(doc, comparison, noun)
    others = (
        f"标题、章节名称另有{comparison.other_changes}处改动。" if comparison.other_changes else ""
    )
    add_paragraph(
        body,
        before=LINE_PITCH // 2,
        runs=[
            (
                f"共新增{comparison.inserted_chars}字，删除{comparison.deleted_chars}字。"
                f"{others}正文以修订方式标示{new_label}相对于"
                f"{old_label}的改动：接受全部修订即为{new_label}文本，拒绝全部修订即为"
                f"{old_label}文本（移动的{noun}按新位置排列）。",
                {},
            )
        ],
    )

    revisions = _Revisions(author, when, first_id=len(changes) + 1)
    for change in changes:
        label_run = _write_change(body, change, revisions)
        if change.status == "moved" and label_run is not None:
            moved_from = f"原{change.old_label}" if change.old_label else "原位置"
            comment = f"本{one}由{moved_from}移至此处。"
            doc.add_comment(Run(label_run, doc), text=normalize_text(comment), author=author)

    props = doc.core_properties
    props.title = normalize_text(title, multiline=False)
    props.author = props.last_modified_by = author
    return save(doc)


class _Revisions:
    """Makes w:ins / w:del wrappers with unique ids and one author and date."""

    def __init__(self, author: str, when: str, first_id: int):
        self.author, self.when, self.next_id = author, when, first_id

    def mark(self, tag: str):
        element = OxmlElement(tag)
        element.set(qn("w:id"), str(self.next_id))
        element.set(qn("w:author"), self.author)
        element.set(qn("w:date"), self.when)
        self.next_id += 1
        return element


def _summary(doc, comparison, noun: str) -> None:
    """The article counts by status, with the labels of the changed ones."""
    counts = comparison.status_counts
    labels: dict[str, list[str]] = {}
    for change in comparison.articles:
        label = change.new_label or change.old_label
        if change.status == "moved" and change.old_label and change.old_label != label:
            label = f"{label}（原{change.old_label}）"
        labels.setdefault(change.status, []).append(label or "（无编号）")

    table = doc.add_table(rows=1 + len(STATUS_ROWS), cols=3)
    table.style = "Table Grid"
    rows = [("类别", "数量", f"涉及{noun}")]
    for status, name in STATUS_ROWS:
        listed = labels.get(status, [])
        if status == "unchanged" or not listed:
            where = "—"
        else:
            where = "、".join(listed[:MAX_LISTED]) + ("等" if len(listed) > MAX_LISTED else "")
        rows.append((name, str(counts.get(status, 0)), where))
    # Word reads the cell widths, LibreOffice the grid columns.
    for column, width in zip(table.columns, SUMMARY_WIDTHS, strict=True):
        column.width = width
    for index, (row, cells) in enumerate(zip(table.rows, rows, strict=True)):
        for cell, text, width in zip(row.cells, cells, SUMMARY_WIDTHS, strict=True):
            cell.width = width
            p = cell.paragraphs[0]
            p.style = doc.styles["表格文字"]
            p.add_run(normalize_text(text)).bold = index == 0


def _write_change(body, change, revisions: _Revisions):
    """Write one unit; return the w:r of its (new) label, for a comment to hang on."""
    status = change.status
    whole = {"inserted": "w:ins", "deleted": "w:del"}.get(status)
    p = add_paragraph(body)

    def put(text: str, op: str, **fmt):
        """Append text under `op`; a "\\n" ends the paragraph, its mark tracked too."""
        nonlocal p
        tag = whole or {"insert": "w:ins", "delete": "w:del"}.get(op)
        pieces = text.split("\n")
        last_run = None
        for i, piece in enumerate(pieces):
            if i:
                if tag:
                    _track_mark(p, revisions.mark(tag))
                p = add_paragraph(body)
            if piece:
                last_run = _tracked_run(p, piece, tag, revisions, **fmt)
        return last_run

    label_run = None
    if change.old_label and change.new_label and change.old_label != change.new_label:
        put(change.old_label, "delete", bold=True)
        label_run = put(change.new_label, "insert", bold=True)
        put(_separator(change.new_label), "equal")
    elif change.new_label or change.old_label:
        label = change.new_label or change.old_label
        label_run = put(label, "equal", bold=True)
        put(_separator(label), "equal")

    for segment in change.segments:
        put(segment.text, segment.op)
    if whole:
        _track_mark(p, revisions.mark(whole))
    return label_run


def _tracked_run(p, text: str, tag: str | None, revisions: _Revisions, **fmt):
    if tag is None:
        return add_run(p, text, **fmt)
    wrapper = revisions.mark(tag)
    p.append(wrapper)
    text_tag = "w:delText" if tag == "w:del" else "w:t"
    return add_run(wrapper, text, text_tag=text_tag, **fmt)


def _track_mark(p, mark) -> None:
    """Track the paragraph mark itself, so accepting or rejecting joins the paragraphs."""
    ppr = p.get_or_add_pPr()
    rpr = ppr.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        ppr.append(rpr)
    rpr.insert(0, mark)


def _separator(label: str) -> str:
    """A full-width space after 第三条, as statutes are printed; none after 一、."""
    return "" if label.endswith(("、", ".", "．")) else "\u3000"
