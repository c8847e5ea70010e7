"""A finding cites the draft by 条, 款 and 项 as a reviewer writes it: the citation is checked
on the draft and kept in its usual written form."""

import pytest

from review.articles import NotInDraft, cite, normal_reference, parse_outline
from review.extract import extract_text
from workflow.forms import FindingForm

from .conftest import CORPUS

# A real municipal rule: labels run straight into the text (第九条现役军人……).
SHANGHAI = CORPUS / "policies" / "上海" / "上海市常住户口管理规定.docx"


@pytest.fixture(scope="module")
def shanghai():
    return parse_outline(extract_text(SHANGHAI.read_bytes()).text)


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ("第二十六条第三项", "第二十六条第三项"),
        ("第二十六条第一款第（三）项", "第二十六条第一款第三项"),
        ("第26条第1款第3项", "第二十六条第一款第三项"),
        ("第十条第二款", "第十条第二款"),
        ("第 十 条　第 二 款", "第十条第二款"),
        ("第二十六条（六）项", "第二十六条第六项"),
        ("第9条", "第九条"),
        ("九", "第九条"),
        ("第四十七条第三项", "第四十七条第三项"),
    ],
)
def test_a_citation_of_an_article_clause_or_item_is_kept_in_its_written_form(
    shanghai, written, kept
):
    assert cite(shanghai, written).label == kept


def test_the_cited_words_are_found_in_the_article(shanghai):
    before, cited, after = cite(shanghai, "第二十六条第三项").quote
    assert before.startswith("第二十六条本市居民符合下列情形之一的")
    assert cited == "（三）在同一学校或工作单位内姓名完全相同的；"
    assert after.startswith("\n（四）")
    assert cite(shanghai, "第十条第二款").quote[1].startswith("父母双方或一方为本市居民")
    assert cite(shanghai, "第十条").quote[::2] == ("", "")


@pytest.mark.parametrize(
    ("written", "unit", "count"),
    [
        ("第十条第三款", "款", 2),
        ("第二十六条第七项", "项", 6),
        ("第二十六条第一款第（七）项", "项", 6),
        ("第九条第三项", "项", 2),
    ],
)
def test_a_clause_or_item_the_article_does_not_have_is_refused(shanghai, written, unit, count):
    with pytest.raises(NotInDraft) as refused:
        cite(shanghai, written)
    assert (refused.value.unit, refused.value.count) == (unit, count)


def test_an_item_of_an_article_without_visible_items_is_accepted(shanghai):
    # The outline cannot see every list: only what it sees can refuse a citation.
    assert cite(shanghai, "第十一条第二项").label == "第十一条第二项"


def test_an_article_the_draft_does_not_have_is_refused(shanghai):
    with pytest.raises(NotInDraft) as refused:
        cite(shanghai, "第九十九条第一款")
    assert refused.value.count is None


def test_citations_are_written_the_usual_way_even_without_an_outline():
    assert normal_reference("第12条第2款第（一）项") == "第十二条第二款第一项"
    assert normal_reference("总则部分") is None


def finding(outline, article):
    form = FindingForm(
        {"article": article, "point": "conflict", "text": "与上位法不一致。"}, outline=outline
    )
    form.is_valid()
    return form


def test_the_finding_form_keeps_the_citation_and_explains_a_refusal(shanghai):
    assert finding(shanghai, "第26条第3项").cleaned_data["article"] == "第二十六条第三项"
    assert finding(shanghai, "第二十六条第七项").errors["article"] == [
        "草案第二十六条只有6项，没有“第二十六条第七项”。"
    ]
    assert finding(shanghai, "第十条第三款").errors["article"] == [
        "草案第十条只有2款，没有“第十条第三款”。"
    ]
    assert finding(shanghai, "第九十九条").errors["article"] == ["草案中没有“第九十九条”。"]
