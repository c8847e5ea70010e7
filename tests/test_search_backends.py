"""What staff get from the register search, asked of each backend alike.

The embedded index always runs; OpenSearch runs on the real node `make test` starts
(TEST_OPENSEARCH_URL; under CI=true its absence fails the run), sent the very bodies the
Elasticsearch backend sends; Elasticsearch itself runs only where ELASTICSEARCH_URL names a
real server and is otherwise skipped with that reason.
"""

import os
import re
from datetime import date

import pytest
from django.core.exceptions import ImproperlyConfigured

from search.backends import SearchQuery, get_backend, search
from search.backends.base import IndexEntry
from search.backends.server import ServerBackend
from search.chinese import tokens
from search.highlight import highlight
from search.indexing import index_documents
from search.models import Document, Kind, Status


def titles(result):
    return [hit.document.title for hit in result.hits]


def test_a_two_character_word_finds_documents_that_contain_it(imported):
    result = search(SearchQuery(text="审查", page_size=100))
    assert result.total > 0
    for hit in result.hits:
        assert "审查" in hit.document.title + hit.document.text
        assert "<mark>审查</mark>" in hit.highlight


def test_a_phrase_matches_only_where_its_characters_stand_together(imported):
    phrase = "应当自收到申请之日起"
    result = search(SearchQuery(text=phrase, page_size=100))
    expected = {d.pk for d in Document.objects.all() if phrase in d.text}
    assert expected
    assert {hit.document.pk for hit in result.hits} == expected
    assert result.total == len(expected)


def test_words_separated_by_spaces_must_all_occur(imported):
    both = search(SearchQuery(text="居住证 申领", page_size=100))
    assert "居住证暂行条例" in titles(both)
    # The documents holding every word come first; partial matches may follow them
    # (search.backends.RELAXED_BELOW).
    assert all(hit.relaxed for hit in both.hits[both.total :])
    for hit in both.hits[: both.total]:
        assert not hit.relaxed
        assert "居住证" in hit.document.text and "申领" in hit.document.text


def test_the_full_title_comes_first(imported):
    assert titles(search(SearchQuery(text="体育法")))[0] == "中华人民共和国体育法"
    assert (
        titles(search(SearchQuery(text="中华人民共和国行政处罚法")))[0]
        == "中华人民共和国行政处罚法"
    )


@pytest.mark.parametrize(
    "typed", ["国务院令第656号", "国务院令第６５６号", "中华人民共和国国务院令第656号"]
)
def test_an_order_number_finds_its_document(imported, typed):
    assert titles(search(SearchQuery(text=typed)))[0] == "不动产登记暂行条例"


@pytest.mark.parametrize(
    "typed", ["衡政规〔2016〕7号", "衡政规[2016]7号", "衡政规(2016)7号", "衡政规【2016】7号",
              "衡政规［２０１６］７号", "衡政规（2016）第7号"],
)  # fmt: skip
def test_a_document_number_is_found_whatever_brackets_are_typed(imported, register_document, typed):
    doc = register_document(title="衡水市居住证管理办法", number="衡政规〔2016〕7号")
    assert search(SearchQuery(text=typed)).hits[0].document == doc


def test_filters_narrow_the_results_and_facets_count_them(imported):
    everything = search(SearchQuery(text="管理"))
    assert sum(everything.facets["status"].values()) == everything.total
    assert everything.facets["status"].get(Status.REPEALED, 0) > 0
    repealed = search(SearchQuery(text="管理", status=(Status.REPEALED,), page_size=100))
    assert repealed.total == everything.facets["status"][Status.REPEALED]
    assert {hit.document.status for hit in repealed.hits} == {Status.REPEALED}

    issuer = "国务院"
    by_issuer = search(SearchQuery(text="管理", issuer=issuer, page_size=100))
    assert by_issuer.total == everything.facets["issuer"][issuer]
    assert {hit.document.issuer for hit in by_issuer.hits} == {issuer}

    laws = search(SearchQuery(text="管理", kind=Kind.LAW, page_size=100))
    assert laws.total == everything.facets["kind"][Kind.LAW]
    assert {hit.document.kind for hit in laws.hits} == {Kind.LAW}


def test_a_year_range_keeps_documents_published_in_those_years(imported):
    result = search(SearchQuery(year_from=2015, year_to=2018, page_size=100))
    assert result.total == Document.objects.filter(published_on__year__range=(2015, 2018)).count()
    assert all(2015 <= hit.document.published_on.year <= 2018 for hit in result.hits)


def test_in_force_on_a_date_excludes_what_was_not_yet_or_no_longer_in_force(imported):
    old_noise_law = "中华人民共和国环境噪声污染防治法"
    assert Document.objects.get(title=old_noise_law).status == Status.REPEALED
    today = search(SearchQuery(text="噪声污染防治法", in_force_on=date(2025, 1, 1)))
    assert old_noise_law not in titles(today)
    assert "中华人民共和国噪声污染防治法" in titles(today)
    sports = search(SearchQuery(text="体育法", in_force_on=date(2010, 1, 1)))
    assert "中华人民共和国体育法" not in titles(sports)  # in force here from 2016 only
    assert "中华人民共和国体育法" in titles(
        search(SearchQuery(text="体育法", in_force_on=date(2020, 1, 1)))
    )


def test_sorting_by_date_puts_the_newest_first_and_pages_do_not_overlap(imported):
    first = search(SearchQuery(text="条例", sort="date", page=1, page_size=10))
    second = search(SearchQuery(text="条例", sort="date", page=2, page_size=10))
    dates = [h.document.published_on for h in first.hits + second.hits if h.document.published_on]
    assert dates == sorted(dates, reverse=True)
    assert not {h.document.pk for h in first.hits} & {h.document.pk for h in second.hits}
    assert first.total == second.total > 20


def test_the_public_sees_only_published_documents(imported, register_document):
    future = register_document(
        title="衡水市居住证积分管理办法", number="衡政规〔2099〕1号", status=Status.PENDING,
        published_on=date(2099, 1, 1),
    )  # fmt: skip
    assert future in [h.document for h in search(SearchQuery(text="居住证积分")).hits]
    assert search(SearchQuery(text="居住证积分", public=True)).total == 0


def test_snippets_show_the_text_as_written(backend, register_document):
    """Matched in normalised text (half-width, lower case, … as ...), shown as written."""
    doc = register_document(title="衡水市数据管理办法", number="衡政规〔2016〕9号")
    doc.add_version(
        "第一条　为了规范……ＡＰＰ数据管理，根据国务院令第６５６号，\n制定本办法（试行）。"
    )
    index_documents([doc.pk])
    backend.refresh()
    snippet = search(SearchQuery(text="app数据 656号"), backend).hits[0].highlight
    assert "".join(re.findall("<mark>(.*?)</mark>", snippet)) == "ＡＰＰ数据６５６号"
    # The line break is a space in a snippet (or stays one, as Elasticsearch cuts it).
    assert re.sub("</?mark>|[ \n]", "", snippet) == (
        "第一条　为了规范……ＡＰＰ数据管理，根据国务院令第６５６号，制定本办法（试行）。"
    )


def test_a_snippet_shows_markup_in_the_text_as_text(backend, register_document):
    doc = register_document(title="衡水市网页管理办法", number="衡政规〔2016〕10号")
    doc.add_version("第一条　网页不得含有<script>alert(1)</script>等脚本。")
    index_documents([doc.pk])
    backend.refresh()
    snippet = search(SearchQuery(text="脚本"), backend).hits[0].highlight
    assert "<script>" not in snippet and "&lt;script&gt;" in snippet
    assert "<mark>脚本</mark>" in snippet


def test_a_mark_covers_the_written_characters_however_they_normalise():
    # ㈠ is "(一)" and ⑩ is "10" once normalised: the mark covers the character as written.
    assert highlight("关于第㈠项的通知", "", ["(一)项"]) == "关于第<mark>㈠项</mark>的通知"
    assert highlight("", "见附件⑩号表……ＸＹ", ["10号", "xy"]) == (
        "见附件<mark>⑩号</mark>表……<mark>ＸＹ</mark>"
    )


def test_a_query_of_which_no_document_holds_every_word_lists_those_holding_most(imported):
    typed = "居住证管理暂行条例"  # 居住证暂行条例 holds 5 of its 8 bigrams, not the phrase
    grams = set(tokens(typed))
    result = search(SearchQuery(text=typed, page_size=100))
    assert result.total == 0 and result.relaxed_total > 0
    assert titles(result)[0] == "居住证暂行条例"
    for hit in result.hits:
        held = grams & set(tokens(hit.document.title + " " + hit.document.text))
        assert len(held) >= 0.6 * len(grams), (hit.document.title, held)


def test_a_rebuild_is_searched_only_once_complete(backend, register_document):
    kept = register_document(title="衡水市居住证管理办法", number="衡政规〔2016〕7号")
    dropped = register_document(title="衡水市居住证申领办法", number="衡政规〔2016〕8号")
    before = backend.indices() if isinstance(backend, ServerBackend) else []

    def found():
        return {hit.document for hit in search(SearchQuery(text="居住证")).hits}

    during = []
    backend.rebuild([IndexEntry.of(kept)], progress=lambda n: during.append(found()))
    assert during == [{kept, dropped}]  # the old index, while the new one fills
    assert found() == {kept}
    if isinstance(backend, ServerBackend):
        # The alias moved to a new index in one step, and the old one is gone.
        (after,) = backend.indices()
        assert after not in before
        assert not any(backend.client.indices.exists(index=name) for name in before)


@pytest.mark.opensearch
def test_search_url_names_either_engine_and_the_server_says_which(settings):
    settings.SEARCH_URL = os.environ.get("TEST_OPENSEARCH_URL", "")
    assert str(get_backend()).startswith("OpenSearch ")
    settings.OPENSEARCH_URL = settings.SEARCH_URL
    with pytest.raises(ImproperlyConfigured):
        get_backend()
