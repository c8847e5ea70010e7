"""The public page of a register document: any published text is shown, a text still to take
effect with the day it does, each chapter and article with an anchor, a table of contents
and the text to download."""

import io
from datetime import date
from pathlib import Path

import pytest
from docx import Document as Docx

from search.document_text import read_text
from search.indexing import index_documents
from search.models import Kind, Status

FIREWORKS = (
    Path(__file__).resolve().parents[2]
    / "shared/corpus/laws/DLC/上海地方法规/地方性法规/上海/上海市烟花爆竹安全管理条例.md"
)
RENTAL = "第一章 总则\n第一条 为了规范本市住房租赁活动，制定本办法。\n第二条 本办法自2027年1月1日起施行。"


def fireworks_text():
    # As the corpus import keeps it: the text after INFO END, Markdown heading marks off.
    body = FIREWORKS.read_text(encoding="utf-8").split("<!-- INFO END -->", 1)[1]
    return "\n".join(line.lstrip("#").strip() for line in body.splitlines()).strip()


@pytest.fixture
def fireworks(register_document):
    """Imported in force, with no publication date recorded."""
    document = register_document(
        title="上海市烟花爆竹安全管理条例", issuer="上海市人民代表大会常务委员会",
        kind=Kind.LOCAL_REGULATION, published_on=None,
    )  # fmt: skip
    document.add_version(fireworks_text())
    index_documents([document.pk])
    return document


@pytest.fixture
def prospective(register_document):
    """Published on 20 November, in force from 1 January."""
    document = register_document(
        title="衡水市住房租赁管理办法", number="衡政规〔2026〕9号", status=Status.PENDING,
        published_on=date(2026, 11, 20), effective_on=date(2027, 1, 1),
    )  # fmt: skip
    document.add_version(RENTAL, published_on=date(2026, 11, 20), effective_on=date(2027, 1, 1))
    return document


def test_a_law_in_force_whose_publication_date_is_unknown_is_public(
    fireworks, client, register_document
):
    draft = register_document(
        title="衡水市烟花爆竹燃放管理办法", status=Status.PENDING, published_on=None
    )
    page = client.get(f"/register/public/{fireworks.pk}/").content.decode()
    assert "公布日期不详" in page and "第一条" in page
    found = client.get("/register/public/", {"q": "烟花爆竹"}).content.decode()
    assert "上海市烟花爆竹安全管理条例" in found and "公布日期不详" in found
    hits = client.get("/api/register/search", {"q": "烟花爆竹"}).json()["hits"]
    assert [(hit["title"], hit["published"]) for hit in hits] == [
        ("上海市烟花爆竹安全管理条例", None)
    ]
    # An entry with no date that is not yet in force is a draft being registered: hidden.
    assert "衡水市烟花爆竹燃放管理办法" not in found
    assert client.get(f"/register/public/{draft.pk}/").status_code == 404


def test_a_published_text_not_yet_in_force_is_shown_with_the_day_it_takes_effect(
    prospective, client
):
    for params in ({}, {"on": "2026-12-01"}):
        page = client.get(f"/register/public/{prospective.pk}/", params).content.decode()
        assert "本文件将于2027年1月1日起施行。" in page
        assert "为了规范本市住房租赁活动" in page
        assert "不在有效期内" not in page


def test_a_repealed_text_is_still_out_of_force_after_its_end(register_document, client):
    repealed = register_document(status=Status.REPEALED, ended_on=date(2020, 1, 1))
    repealed.add_version("第一条 为了加强居住证管理，制定本办法。")
    page = client.get(f"/register/public/{repealed.pk}/", {"on": "2021-01-01"}).content.decode()
    assert "2021年1月1日本文件不在有效期内" in page
    assert "加强居住证管理" not in page and "起施行" not in page


def test_each_chapter_and_article_has_an_anchor_and_a_line_in_the_contents(fireworks, client):
    page = client.get(f"/register/public/{fireworks.pk}/").content.decode()
    assert '<h3 id="chapter-1" class="doc-heading">第一章 总则</h3>' in page
    assert (
        '<div class="doc-article pre" id="art-12"><a class="article-label" href="#art-12">第十二条</a>'
        in page
    )
    assert '<details class="doc-toc" id="toc">' in page
    assert (
        '<a href="#chapter-1">第一章 总则</a>' in page and '<a href="#art-12">第十二条</a>' in page
    )
    anchors = [b.anchor for b in read_text(fireworks.text).blocks if b.anchor]
    assert len(anchors) == len(set(anchors)) > 30


def test_anchors_name_the_headings_above_and_stay_unique():
    code = "第一编 总则\n第一章 基本规定\n第一条 甲。\n第二编 物权\n第一章 一般规定\n第一节 通则\n第二条 乙。\n附件\n第一条 丙。"
    blocks = read_text(code).blocks
    assert [b.anchor for b in blocks if b.anchor] == [
        "part-1", "part-1-chapter-1", "art-1", "part-2", "part-2-chapter-1",
        "part-2-chapter-1-section-1", "art-2", "art-1-2",
    ]  # fmt: skip
    sections = read_text("一、总体要求\n坚持依法行政。\n二、主要任务\n规范管理。").blocks
    assert [(b.anchor, b.label, b.entry) for b in sections] == [
        ("sec-1", "一、", "一、总体要求"), ("sec-2", "二、", "二、主要任务"),
    ]  # fmt: skip


def test_the_text_downloads_as_a_word_document(prospective, client, people):
    response = client.get(f"/register/public/{prospective.pk}/", {"download": "docx"})
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E8%A1%A1%E6%B0%B4%E5%B8%82%E4%BD%8F%E6%88%BF%E7%A7%9F"
        "%E8%B5%81%E7%AE%A1%E7%90%86%E5%8A%9E%E6%B3%95.docx"
    )
    lines = [p.text for p in Docx(io.BytesIO(response.content)).paragraphs]
    assert lines[:3] == [
        "衡水市住房租赁管理办法",
        "（衡政规〔2026〕9号）",
        "（本文件将于2027年1月1日起施行。）",
    ]
    assert "第一章 总则" in lines
    assert "第一条\u3000为了规范本市住房租赁活动，制定本办法。" in lines
    client.force_login(people["reviewer"])
    staff = client.get(f"/register/{prospective.pk}/", {"download": "docx"})
    assert staff.content[:2] == b"PK"
    page = client.get(f"/register/{prospective.pk}/").content.decode()
    assert "download=docx" in page and 'id="art-2"' in page
