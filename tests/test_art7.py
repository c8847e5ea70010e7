"""Art. 7 flags: which articles of a draft create licences, penalties, compulsory measures,
fees, duties or market restrictions, and whether they cite a superior law for it."""

import json
from pathlib import Path

import pytest

from review.art7 import flag_articles
from review.articles import parse_outline
from review.extract import extract_text

REPO = Path(__file__).resolve().parents[1]
POLICIES = REPO.parent / "shared" / "corpus" / "policies"
LABELS = REPO / "benchmarks" / "prereview" / "articles.json"


def flagged(article_text: str):
    (article,) = flag_articles(article_text)
    return article


def test_a_licence_the_document_creates_is_flagged_with_its_words():
    article = flagged("第三条 从事物业服务的企业，应当取得物业服务许可证后方可经营。")
    assert "licensing" in article.flags
    licensing = [t for t in article.triggers if t.flag == "licensing"]
    assert any("许可证" in t.words for t in licensing)
    assert all(article.text[t.start : t.end] == t.words for t in article.triggers)


def test_a_fine_is_a_penalty_and_says_so_in_one_line():
    article = flagged("第十条 违反本办法第三条规定的，由市住建局处一万元以上三万元以下罚款。")
    assert article.flags == ["penalty"]
    assert article.why == ["设定罚款（“处一万元以上三万元以下罚款”），未引用上位法具体条款"]


def test_sealing_up_premises_is_a_compulsory_measure():
    assert "compulsory" in flagged("第十一条 拒不整改的，市住建局可以查封其经营场所。").flags


def test_a_charge_on_enterprises_is_a_fee():
    article = flagged("第六条 物业服务企业应当按照每平方米0.5元的标准缴纳管理费。")
    assert "fee" in article.flags


def test_a_duty_of_enterprises_is_an_added_obligation():
    article = flagged("第七条 物业服务企业应当建立业主档案，每年向市住建局报送经营情况。")
    assert article.flags == ["obligation_or_restriction"]


@pytest.mark.parametrize(
    "text",
    [
        "第八条 本市住宅小区的电梯维修保养，限定由市住建局指定的企业承担。",
        "第八条 政府采购应当指定交易本地企业的产品。",
        "第八条 外地企业进入本市经营的，应当另行缴纳保证金。",
    ],
    ids=["限定经营", "指定交易", "地方保护"],
)
def test_market_restrictions_call_for_fair_competition_review(text):
    assert "fair_competition" in flagged(text).flags


@pytest.mark.parametrize(
    "text",
    [
        "第二条 各级人民政府应当加强对物业管理工作的领导，保障所需经费。",
        "第三条 市住建局负责本办法的组织实施，应当自受理之日起十日内作出决定。",
        "第四条 社区事务受理服务中心收到申办材料后，对材料不齐全的，应当当场告知补齐材料。",
        "第五条 受理部门工作人员有下列行为之一的，依法给予处分：\n"
        "（一）违反规定收取费用的；\n（二）违反规定扣押居住证的。",
    ],
)
def test_articles_that_bind_only_government_bodies_are_not_flagged(text):
    assert flagged(text).flags == []


def test_acting_according_to_law_is_not_a_basis():
    article = flagged("第九条 违反本办法规定的，由市住建局依法予以处罚。")
    assert article.flags == ["penalty"]
    assert not article.basis_cited
    assert article.why[0].endswith("未引用上位法具体条款")


def test_a_named_superior_law_is_a_basis():
    article = flagged(
        "第五条 依照《中华人民共和国行政许可法》第十二条，从事物业服务的企业，"
        "应当取得物业服务许可证后方可经营。"
    )
    assert article.basis_cited
    assert "《中华人民共和国行政许可法》" in article.why[0]
    assert article.as_json() == {
        "article": "第五条",
        "flags": ["licensing", "obligation_or_restriction"],
        "basis_cited": True,
        "why": "\n".join(article.why),
    }


def test_a_repealed_rule_is_not_a_basis():
    assert not flagged(
        "第四十六条 本办法自2013年7月1日起施行。《上海市居住证暂行规定》同时废止。"
    ).basis_cited


def corpus_article(document: str, label: str):
    text = extract_text((POLICIES / document).read_bytes()).text
    return next(a for a in flag_articles(text) if a.article == label)


def test_real_articles_of_the_corpus():
    fines = corpus_article("重庆/重庆市暂住人口治安管理规定(2002年).docx", "第十九条")
    assert "penalty" in fines.flags
    staff = corpus_article("上海/上海市居住证管理办法.docx", "第四十条")
    assert staff.flags == []
    report = corpus_article("上海/上海市居住证管理办法.docx", "第十五条")
    assert report.flags == ["obligation_or_restriction"]
    prices = corpus_article("天津/天津市限价商品住房管理暂行办法.docx", "第四条")
    assert prices.flags == ["fair_competition"]
    detention = corpus_article("重庆/重庆市暂住人口治安管理规定(2002年).docx", "第十三条")
    assert "compulsory" in detention.flags
    assert detention.laws == ["重庆市收容遣送条例"]


def test_every_article_of_the_benchmark_documents_is_labelled():
    documents = json.loads(LABELS.read_text(encoding="utf-8"))
    assert len(documents) >= 15
    for document in documents:
        text = extract_text((POLICIES / document["document"]).read_bytes()).text
        labels = [a["article"] for a in document["articles"]]
        assert labels == [a.label for a in parse_outline(text)], document["document"]
