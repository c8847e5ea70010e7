"""The article outline that findings (第X条第X款第X项) point into."""

from pathlib import Path

import pytest

from review.articles import cn_to_int, find_article, int_to_cn, parse_outline
from review.extract import extract_text

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
LICENSING_LAW = next((CORPUS / "laws" / "行政法").glob("行政许可法*.md"))


@pytest.mark.parametrize(
    ("numeral", "value"),
    [
        ("一", 1),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("二十三", 23),
        ("一百", 100),
        ("一百零五", 105),
        ("一百一十", 110),
        ("一百十", 110),
        ("两百", 200),
        ("九百九十九", 999),
        ("一千零一", 1001),
        ("23", 23),
        ("２３", 23),
    ],
)
def test_chinese_numerals(numeral, value):
    assert cn_to_int(numeral) == value


def test_numerals_round_trip_to_the_written_form():
    assert [int_to_cn(n) for n in (1, 10, 11, 20, 105, 110, 999, 1010)] == [
        "一",
        "十",
        "十一",
        "二十",
        "一百零五",
        "一百一十",
        "九百九十九",
        "一千零一十",
    ]
    assert all(cn_to_int(int_to_cn(n)) == n for n in range(1, 2000))


def test_not_a_numeral_is_an_error():
    with pytest.raises(ValueError):
        cn_to_int("条")


DRAFT = """某市公共租赁住房管理办法（征求意见稿）

第一章　总　则

第一条　为了规范公共租赁住房管理，根据有关规定，制定本办法。
第二条 本办法适用于本市行政区域内公共租赁住房的分配和管理。
本办法所称公共租赁住房，是指限定标准、限定租金的保障性住房。

第二章　申请与审核

第三条　申请公共租赁住房应当符合下列条件：
（一）具有本市户籍；
(二)家庭人均收入低于规定标准；
（三）无自有住房。
有下列情形之一的，不予受理：
1.提供虚假材料的；
2、五年内有违规记录的。
第四条　符合本办法
第三条规定条件的，由市住房保障部门公布。
第一百零五条　本办法自2018年1月1日起施行。
第23条　阿拉伯数字的条号也能识别。

附件：申请表
"""


def test_articles_with_chapters_and_offsets():
    outline = parse_outline(DRAFT)
    assert outline.unit == "article"
    assert [a.label for a in outline] == [
        "第一条",
        "第二条",
        "第三条",
        "第四条",
        "第一百零五条",
        "第23条",
    ]
    assert [a.number for a in outline] == [1, 2, 3, 4, 105, 23]
    assert [a.chapter for a in outline] == ["第一章 总则"] * 2 + ["第二章 申请与审核"] * 4
    for article in outline:
        assert DRAFT[article.start : article.end] == article.text
    assert outline[0].body == "为了规范公共租赁住房管理，根据有关规定，制定本办法。"


def test_a_reference_at_the_start_of_a_line_is_not_an_article():
    fourth = find_article(parse_outline(DRAFT), 4)
    assert fourth.text == "第四条　符合本办法\n第三条规定条件的，由市住房保障部门公布。"
    assert len(fourth.clauses) == 1


def test_the_last_article_stops_before_the_appendix():
    assert find_article(parse_outline(DRAFT), 23).text.endswith("也能识别。")


def test_clauses_and_items():
    third = find_article(parse_outline(DRAFT), "第三条")
    assert [c.number for c in third.clauses] == [1, 2]
    assert third.clauses[1].text.startswith("有下列情形之一的")
    assert [(i.label, i.number, i.level) for i in third.items] == [
        ("（一）", 1, 1),
        ("(二)", 2, 1),
        ("（三）", 3, 1),
        ("1.", 1, 2),
        ("2、", 2, 2),
    ]
    assert [len(c.items) for c in third.clauses] == [3, 2]
    second = find_article(parse_outline(DRAFT), 2)
    assert [c.text for c in second.clauses] == [
        "本办法适用于本市行政区域内公共租赁住房的分配和管理。",
        "本办法所称公共租赁住房，是指限定标准、限定租金的保障性住房。",
    ]


def test_find_article_by_label_number_or_arabic():
    outline = parse_outline(DRAFT)
    assert find_article(outline, "第一百零五条").number == 105
    assert find_article(outline, 105).label == "第一百零五条"
    assert find_article(outline, "第105条").label == "第一百零五条"
    assert find_article(outline, "第二十三条").label == "第23条"
    assert find_article(outline, "第九十九条") is None
    assert find_article(outline, "总则") is None


def test_lines_broken_mid_sentence_stay_in_one_clause():
    text = (
        "第五条　廉租住房保障资金来源主要包括：\n"
        "（一）年度财政预算安排的资金；\n"
        "（二）提取贷款风险准备金后的住房公积金增值\n"
        "收益余额；\n"
        "（三）社会捐赠的资金。\n"
        "第六条　市国土房管局负责拟定保障条件及\n"
        "标准，经市人民政府批准后公布。\n"
        "保障标准每年公布一次。"
    )
    fifth, sixth = parse_outline(text)
    assert [i.text for i in fifth.items][
        1
    ] == "（二）提取贷款风险准备金后的住房公积金增值\n收益余额；"
    assert [c.text.replace("\n", "") for c in sixth.clauses] == [
        "市国土房管局负责拟定保障条件及标准，经市人民政府批准后公布。",
        "保障标准每年公布一次。",
    ]


def test_a_stray_space_inside_a_label_is_tolerated():
    outline = parse_outline("第十四条 备案。\n第十五 条工商部门发现问题的，应当提出建议。\n")
    assert [a.label for a in outline] == ["第十四条", "第十五条"]


def test_a_policy_without_articles_falls_back_to_sections():
    text = (
        "关于做好2016年招生工作的通知\n"
        "各区教育局：\n"
        "一、招生对象\n"
        "本市户籍适龄儿童。\n"
        "二、报名办法\n"
        "（一）网上报名；\n"
        "（二）现场审核。\n"
        "三、工作要求\n"
        "各区要加强领导。\n"
    )
    outline = parse_outline(text)
    assert outline.unit == "section"
    assert [(s.label, s.number) for s in outline] == [("一、", 1), ("二、", 2), ("三、", 3)]
    assert [i.label for i in find_article(outline, "二、").items] == ["（一）", "（二）"]
    assert find_article(outline, 3).text == "三、工作要求\n各区要加强领导。"


def test_parenthesised_sections_are_the_next_fallback():
    outline = parse_outline("通知如下：\n（一）加强领导。\n（二）落实责任。\n")
    assert outline.unit == "section"
    assert [s.label for s in outline] == ["（一）", "（二）"]


def test_text_without_any_structure():
    outline = parse_outline("请各单位认真贯彻执行。")
    assert (outline.unit, list(outline)) == ("none", [])


def test_outline_of_a_real_law():
    text = LICENSING_LAW.read_text(encoding="utf-8")
    outline = parse_outline(text)
    assert outline.unit == "article"
    assert [a.number for a in outline] == list(range(1, 84))
    twelfth = find_article(outline, "第十二条")
    assert twelfth.chapter == "第二章 行政许可的设定"
    assert [i.label for i in twelfth.items] == [f"（{int_to_cn(n)}）" for n in range(1, 7)]
    fifth = find_article(outline, 5)
    assert len(fifth.clauses) == 3
    assert find_article(outline, 83).text.endswith("自本法施行之日起停止执行。")


def test_a_label_running_into_the_text_opens_an_article():
    text = (
        "第六条　起草部门负责组织实施。\n"
        "第七条规范性文件不得设定行政许可。\n"
        "第八条规定的事项，由市人民政府另行公布。\n"
        # Misnumbered (the reviewer will say so), and still an article to cite.
        "第十条规范性文件应当向社会公布。\n"
    )
    assert [a.label for a in parse_outline(text)] == ["第六条", "第七条", "第八条", "第十条"]


def test_a_line_citing_an_article_opens_one_only_as_the_next_in_sequence():
    # The real rule's 第三十四条 opens by citing others; a cited 第三条 in a wrapped line
    # (see DRAFT) is out of sequence and stays in its article.
    rule = CORPUS / "policies" / "上海" / "上海市常住户口管理规定.docx"
    outline = parse_outline(extract_text(rule.read_bytes()).text)
    assert [a.number for a in outline] == list(range(1, len(outline) + 1))
    assert find_article(outline, 34).body.startswith("第二十五条、第三十条")
    assert [a.number for a in parse_outline(DRAFT)] == [1, 2, 3, 4, 105, 23]


def test_the_misprint_of_di_as_zi_is_read_as_di():
    law = next((CORPUS / "laws" / "民法商法").glob("农民专业合作社法(2017*.md"))
    outline = parse_outline(law.read_text(encoding="utf-8"))
    assert [a.number for a in outline] == list(range(1, len(outline) + 1))
    assert find_article(outline, 54).label == "第五十四条"
    assert parse_outline("笫一章　总则\n笫一条　为了规范管理，制定本办法。\n")[0].chapter == (
        "第一章 总则"
    )
