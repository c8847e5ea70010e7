"""The redline .docx read back: real Word revisions, the summary table, accept/reject."""

import io
from datetime import datetime

import pytest
from docx import Document
from docx.oxml.ns import qn

from review.compare import ArticleChange, Comparison, Segment
from review.redline import render_redline

WHEN = datetime(2026, 1, 8, 9, 30)
SEP = "\u3000"


def change(status, old_label, new_label, *segments):
    segments = [Segment(op, text) for op, text in segments]
    old = "".join(s.text for s in segments if s.op != "insert")
    new = "".join(s.text for s in segments if s.op != "delete")
    return ArticleChange(
        old_label=old_label,
        new_label=new_label,
        status=status,
        segments=segments,
        old_text=f"{old_label}{SEP}{old}" if status != "inserted" else None,
        new_text=f"{new_label}{SEP}{new}" if status != "deleted" else None,
    )


COMPARISON = Comparison(
    changes=[
        change("unchanged", None, None, ("equal", "第一章　总则")),
        change(
            "modified",
            "第一条",
            "第一条",
            ("equal", "为了规范住房保障工作，根据"),
            ("insert", "《公共租赁住房管理办法》等"),
            ("equal", "有关规定，制定本办法。"),
        ),
        change("moved", "第三条", "第二条", ("equal", "住房保障工作遵循公开、公平、公正的原则。")),
        change("unchanged", "第二条", "第三条", ("equal", "本办法适用于本市市区。")),
        change(
            "modified",
            "第四条",
            "第四条",
            ("delete", "申请人须取得住房保障资格证后方可申请。\n"),
            ("equal", "申请人应当如实申报家庭收入"),
            ("insert", "和住房状况"),
            ("equal", "。"),
        ),
        change("deleted", "第五条", None, ("delete", "骗取公共租赁住房的，处以五万元罚款。")),
        change("inserted", None, "第五条", ("insert", "市住房和城乡建设主管部门负责实施。")),
    ],
    unit="article",
)


@pytest.fixture(scope="module")
def doc():
    data = render_redline(
        COMPARISON,
        "《衡水市市区住房保障管理办法》修改对照",
        "送审稿",
        "修改稿",
        author="住建局张经办",
        date=WHEN,
    )
    return Document(io.BytesIO(data))


def tracked_text(element) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t"), qn("w:delText")))


def body_paragraphs(doc):
    """The unit paragraphs: everything after the note under the summary table."""
    paragraphs = doc.element.body.findall(qn("w:p"))
    start = next(i for i, p in enumerate(paragraphs) if "接受全部修订" in tracked_text(p))
    return paragraphs[start + 1 :]


def resolve(doc, accept: bool) -> str:
    """The text Word shows after accepting (or rejecting) every revision."""
    drop = "w:del" if accept else "w:ins"
    out = []
    for p in body_paragraphs(doc):
        text = "".join(
            t.text or ""
            for t in p.iter(qn("w:t"), qn("w:delText"))
            if not any(a.tag == qn(drop) for a in t.iterancestors())
        )
        mark = p.find(f"{qn('w:pPr')}/{qn('w:rPr')}/{qn(drop)}")
        out.append(text + ("" if mark is not None else "\n"))
    return "".join(out)


def test_insertions_and_deletions_are_word_revisions_with_author_and_date(doc):
    body = doc.element.body
    inserted = [tracked_text(e) for e in body.iter(qn("w:ins")) if tracked_text(e)]
    deleted = [tracked_text(e) for e in body.iter(qn("w:del")) if tracked_text(e)]
    assert "《公共租赁住房管理办法》等" in inserted
    assert "和住房状况" in inserted
    assert "申请人须取得住房保障资格证后方可申请。" in deleted
    assert "骗取公共租赁住房的，处以五万元罚款。" in deleted
    assert "市住房和城乡建设主管部门负责实施。" in inserted
    marks = [*body.iter(qn("w:ins")), *body.iter(qn("w:del"))]
    ids = [m.get(qn("w:id")) for m in marks]
    assert len(ids) == len(set(ids))
    for mark in marks:
        assert mark.get(qn("w:author")) == "住建局张经办"
        assert mark.get(qn("w:date")) == "2026-01-08T09:30:00Z"


def test_deleted_text_is_del_text_never_plain_text(doc):
    for deletion in doc.element.body.iter(qn("w:del")):
        assert not list(deletion.iter(qn("w:t")))
    assert any(True for _ in doc.element.body.iter(qn("w:delText")))


def test_labels_are_bold_and_a_renumbering_is_tracked_too(doc):
    paragraphs = body_paragraphs(doc)
    first = paragraphs[1]
    label_run = first.findall(qn("w:r"))[0]
    assert label_run.findtext(qn("w:t")) == "第一条"
    assert label_run.find(f"{qn('w:rPr')}/{qn('w:b')}") is not None
    renumbered = paragraphs[3]
    assert tracked_text(renumbered.find(qn("w:del"))) == "第二条"
    assert tracked_text(renumbered.find(qn("w:ins"))) == "第三条"


def test_whole_articles_track_their_paragraph_marks(doc):
    paragraphs = body_paragraphs(doc)
    deleted, inserted = paragraphs[-2], paragraphs[-1]
    assert deleted.find(f"{qn('w:pPr')}/{qn('w:rPr')}/{qn('w:del')}") is not None
    assert inserted.find(f"{qn('w:pPr')}/{qn('w:rPr')}/{qn('w:ins')}") is not None
    assert tracked_text(deleted) == "第五条　骗取公共租赁住房的，处以五万元罚款。"


def test_accepting_all_gives_the_new_version_and_rejecting_all_the_old(doc):
    assert resolve(doc, accept=True) == (
        "第一章　总则\n"
        "第一条　为了规范住房保障工作，根据《公共租赁住房管理办法》等有关规定，制定本办法。\n"
        "第二条　住房保障工作遵循公开、公平、公正的原则。\n"
        "第三条　本办法适用于本市市区。\n"
        "第四条　申请人应当如实申报家庭收入和住房状况。\n"
        "第五条　市住房和城乡建设主管部门负责实施。\n"
    )
    assert resolve(doc, accept=False) == (
        "第一章　总则\n"
        "第一条　为了规范住房保障工作，根据有关规定，制定本办法。\n"
        "第三条　住房保障工作遵循公开、公平、公正的原则。\n"
        "第二条　本办法适用于本市市区。\n"
        "第四条　申请人须取得住房保障资格证后方可申请。\n"
        "申请人应当如实申报家庭收入。\n"
        "第五条　骗取公共租赁住房的，处以五万元罚款。\n"
    )


def test_summary_table_counts_and_lists_the_changed_articles_not_the_chapters(doc):
    table = doc.tables[0]
    rows = {row.cells[0].text: (row.cells[1].text, row.cells[2].text) for row in table.rows}
    assert rows["类别"] == ("数量", "涉及条款")
    assert rows["新增"] == ("1", "第五条")
    assert rows["删除"] == ("1", "第五条")
    assert rows["修改"] == ("2", "第一条、第四条")
    assert rows["移动"] == ("1", "第二条（原第三条）")
    assert rows["未变"] == ("1", "—")
    note = next(p.text for p in doc.paragraphs if "接受全部修订" in p.text)
    assert note.startswith("共新增35字，删除37字。")


def test_a_moved_article_carries_a_comment(doc):
    comments = list(doc.comments)
    assert [c.text for c in comments] == ["本条由原第三条移至此处。"]
    assert comments[0].author == "住建局张经办"
