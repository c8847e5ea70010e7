"""Comparing two versions of a draft the way the pre-issue recheck reads them."""

import time
from pathlib import Path

import pytest

from review.articles import int_to_cn, parse_outline
from review.compare import (
    Segment,
    compare_texts,
    diff_tokens,
    render_inline_html,
    render_side_by_side_rows,
    tokens,
)

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
LICENSING_LAW = next((CORPUS / "laws" / "行政法").glob("行政许可法*.md"))

BODIES = [
    "为了规范公共租赁住房管理，制定本办法。",
    "本办法适用于本市行政区域内公共租赁住房的分配和管理。",
    "市住房保障部门负责公共租赁住房的监督管理。",
    "申请人应当如实提交家庭收入和住房情况证明材料。",
    "公共租赁住房租金标准由市价格主管部门会同有关部门确定。",
    "承租人不得转租、转借公共租赁住房。",
    "违反本办法规定的，由市住房保障部门责令改正。",
    "本办法自2018年1月1日起施行。",
]


def draft(bodies: list[str]) -> str:
    articles = "\n".join(f"第{int_to_cn(k)}条　{body}" for k, body in enumerate(bodies, 1))
    return f"某市公共租赁住房管理办法\n{articles}\n"


def changed(comparison):
    return [c for c in comparison.changes if c.status != "unchanged"]


def test_identical_versions_have_no_changes():
    comparison = compare_texts(draft(BODIES), draft(BODIES))
    assert comparison.unit == "article"
    assert changed(comparison) == []
    assert (comparison.inserted_chars, comparison.deleted_chars) == (0, 0)


def test_inserting_an_article_is_one_insertion_not_a_renumbering_cascade():
    new = [*BODIES[:2], "住房保障工作应当坚持公开、公平、公正的原则。", *BODIES[2:]]
    comparison = compare_texts(draft(BODIES), draft(new))
    assert comparison.changed_articles == 1
    (insertion,) = changed(comparison)
    assert (insertion.status, insertion.old_label, insertion.new_label) == (
        "inserted",
        None,
        "第三条",
    )
    assert comparison.inserted_chars == len(new[2])
    assert comparison.deleted_chars == 0
    renumbered = [c for c in comparison.changes if c.renumbered]
    assert [(c.old_label, c.new_label) for c in renumbered][0] == ("第三条", "第四条")
    assert len(renumbered) == len(BODIES) - 2


def test_deleting_an_article_keeps_it_where_it_was():
    new = BODIES[:3] + BODIES[4:]
    comparison = compare_texts(draft(BODIES), draft(new))
    (deletion,) = changed(comparison)
    assert (deletion.status, deletion.old_label, deletion.new_label) == ("deleted", "第四条", None)
    position = comparison.changes.index(deletion)
    assert comparison.changes[position - 1].old_label == "第三条"
    assert comparison.changes[position + 1].old_label == "第五条"


def test_a_moved_article_is_reported_as_moved():
    new = [BODIES[0], BODIES[6], *BODIES[1:6], BODIES[7]]
    comparison = compare_texts(draft(BODIES), draft(new))
    (move,) = changed(comparison)
    assert (move.status, move.old_label, move.new_label) == ("moved", "第七条", "第二条")
    assert comparison.inserted_chars == comparison.deleted_chars == 0


def test_a_moved_and_lightly_edited_article_is_still_moved():
    edited = BODIES[6].replace("责令改正", "责令限期改正")
    new = [BODIES[0], edited, *BODIES[1:6], BODIES[7]]
    (move,) = changed(compare_texts(draft(BODIES), draft(new)))
    assert move.status == "moved"
    assert Segment("insert", "限期") in move.segments


def test_an_edited_article_shows_only_the_edit():
    new = list(BODIES)
    new[5] = "承租人不得擅自转租、转借或者出售公共租赁住房。"
    comparison = compare_texts(draft(BODIES), draft(new))
    (edit,) = changed(comparison)
    assert (edit.status, edit.old_label, edit.new_label) == ("modified", "第六条", "第六条")
    assert [s for s in edit.segments if s.op != "equal"] == [
        Segment("insert", "擅自"),
        Segment("insert", "或者出售"),
    ]
    assert "".join(s.text for s in edit.segments if s.op != "insert") == BODIES[5]
    assert "".join(s.text for s in edit.segments if s.op != "delete") == new[5]


def test_a_rewritten_article_is_deleted_and_inserted():
    new = list(BODIES)
    new[5] = "公共租赁住房实行年度复核制度，不再符合条件的应当腾退。"
    statuses = sorted(c.status for c in changed(compare_texts(draft(BODIES), draft(new))))
    assert statuses == ["deleted", "inserted"]


def test_a_changed_title_line_outside_any_article_is_reported():
    old = draft(BODIES)
    new = old.replace("管理办法", "管理暂行办法", 1)
    (title,) = changed(compare_texts(old, new))
    assert (title.status, title.old_label, title.new_label) == ("modified", None, None)
    assert Segment("insert", "暂行") in title.segments


def test_a_changed_number_is_deleted_and_inserted_whole():
    assert diff_tokens("应当在60日内作出决定", "应当在70日内作出决定") == [
        Segment("equal", "应当在"),
        Segment("delete", "60"),
        Segment("insert", "70"),
        Segment("equal", "日内作出决定"),
    ]


@pytest.mark.parametrize(
    "old, new",
    [("６０", "７０"), ("1.5", "2.5"), ("15%", "25%"), ("1,000", "2,000"), ("2025年", "2026年")],
)
def test_full_width_decimal_percent_and_year_numbers_are_whole_too(old, new):
    assert [s for s in diff_tokens(f"标准为{old}。", f"标准为{new}。") if s.op != "equal"] == [
        Segment("delete", old),
        Segment("insert", new),
    ]


def test_a_year_and_a_latin_word_are_single_tokens():
    assert tokens("自2026年1月起，以PDF或OFD格式报送") == [
        *"自",
        "2026年",
        "1",
        *"月起，以",
        "PDF",
        "或",
        "OFD",
        *"格式报送",
    ]
    segments = diff_tokens("提交docx文件", "提交doc文件")
    assert [s for s in segments if s.op != "equal"] == [
        Segment("delete", "docx"),
        Segment("insert", "doc"),
    ]


def test_char_diff_folds_single_character_coincidences():
    segments = diff_tokens("申请人应当提交证明", "经办人员可以补交材料证明")
    assert [s.op for s in segments] == ["delete", "insert", "equal"]
    assert segments[-1] == Segment("equal", "证明")


def test_versions_without_articles_are_compared_by_paragraph():
    old = "关于做好招生工作的通知\n请各区认真执行。\n"
    new = "关于做好招生工作的通知\n请各区认真贯彻执行。\n"
    comparison = compare_texts(old, new)
    assert comparison.unit == "paragraph"
    (edit,) = changed(comparison)
    assert Segment("insert", "贯彻") in edit.segments


def test_inline_html_marks_changes_for_eyes_and_screen_readers_and_escapes_text():
    new = list(BODIES)
    new[5] = BODIES[5] + "<script>alert(1)</script>"
    new.insert(1, "新增一条。")
    html = str(render_inline_html(compare_texts(draft(BODIES), draft(new))))
    assert "<script>" not in html
    assert (
        '<ins><span class="visually-hidden">插入开始 </span>&lt;script&gt;alert(1)&lt;/script&gt;'
        '<span class="visually-hidden"> 插入结束</span></ins>'
    ) in html
    assert (
        '<div class="diff-unit diff-inserted" id="change-1" tabindex="-1">'
        '<span class="diff-label">第二条</span>'
    ) in html
    assert "第七条（原第六条）" in html


def test_each_change_has_an_anchor_and_the_filter_keeps_only_changes():
    new = list(BODIES)
    new[2] = BODIES[2].replace("监督管理", "日常监督管理")
    new[6] = BODIES[6].replace("责令改正", "责令限期改正")
    comparison = compare_texts(draft(BODIES), draft(new).replace("管理办法", "管理暂行办法", 1))
    assert list(comparison.anchors.values()) == ["change-1", "change-2", "change-3"]
    full = str(render_inline_html(comparison))
    only = str(render_inline_html(comparison, changed_only=True))
    assert full.count('id="change-') == only.count('id="change-') == 3
    assert only.count('class="diff-unit') == 3 and full.count('class="diff-unit') == 9
    assert only.index("暂行") < only.index("第三条") < only.index("第七条")
    assert "本办法适用于" in full and "本办法适用于" not in only
    rows = render_side_by_side_rows(comparison, changed_only=True)
    assert [(r.anchor, r.new_label) for r in rows] == [
        ("change-1", None),
        ("change-2", "第三条"),
        ("change-3", "第七条"),
    ]


def test_chapter_headings_and_the_title_are_not_counted_as_articles():
    def chaptered(management):
        chapters = {1: "第一章　总则", 5: f"第二章　{management}"}
        lines = ["某市公共租赁住房管理办法"]
        for k, body in enumerate(BODIES, 1):
            lines += [chapters[k]] if k in chapters else []
            lines.append(f"第{int_to_cn(k)}条　{body}")
        return "\n".join(lines)

    old = chaptered("管理")
    new = chaptered("监督管理").replace("责令改正", "责令限期改正")
    comparison = compare_texts(old, new)
    assert comparison.status_counts == {
        "inserted": 0,
        "deleted": 0,
        "modified": 1,
        "moved": 0,
        "unchanged": len(BODIES) - 1,
    }
    assert (comparison.changed_articles, comparison.other_changes) == (1, 1)
    assert len(comparison.anchors) == 2


def test_characters_are_counted_without_line_breaks():
    old = draft(BODIES)
    new = old.replace(BODIES[3], BODIES[3] + "\n申请人应当配合核查。")
    comparison = compare_texts(old, new)
    assert (comparison.inserted_chars, comparison.deleted_chars) == (len("申请人应当配合核查。"), 0)


def test_side_by_side_rows_split_deletions_and_insertions():
    new = list(BODIES)
    new[2] = "市住房保障部门负责公共租赁住房的日常监督管理。"
    rows = render_side_by_side_rows(compare_texts(draft(BODIES[:-1]), draft(new)))
    edit = next(r for r in rows if r.status == "modified")
    assert ">日常<" in edit.new_html and "<ins>" not in edit.old_html
    added = next(r for r in rows if r.status == "inserted")
    assert (added.old_html, added.new_label) == ("", "第八条")


def test_a_real_law_with_an_insertion_a_move_and_edits_compares_quickly():
    old = LICENSING_LAW.read_text(encoding="utf-8")
    outline = parse_outline(old)
    new = old.replace(
        outline[4].body, outline[4].body.replace("非歧视", "非歧视、便民高效")
    ).replace(outline[60].text, outline[60].text + "\n\n第六十一条 新增的条文内容。")
    started = time.perf_counter()
    comparison = compare_texts(old, new)
    elapsed = time.perf_counter() - started
    statuses = sorted(c.status for c in changed(comparison))
    assert statuses == ["inserted", "modified"]
    # The budget is 0.5 s for 50,000 characters on the CI machine; this law is about 17,000.
    assert elapsed < 0.5
