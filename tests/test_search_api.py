"""GET /api/register/search: the public register as JSON."""

from datetime import date

import pytest

from search.backends import SearchQuery, search
from search.models import Document, Kind, Status


def test_the_answer_has_total_hits_and_facets(imported, client):
    body = client.get("/api/register/search", {"q": "居住证", "page_size": 5}).json()
    assert body["total"] >= 1
    hit = body["hits"][0]
    assert set(hit) == {
        "id", "title", "number", "status", "issuer", "published", "highlight", "url"
    }  # fmt: skip
    assert hit["title"] == "居住证暂行条例"
    assert hit["number"] == "国务院令第663号"
    assert hit["published"] == "2015-11-26"
    assert "<mark>居住证</mark>" in hit["highlight"]
    assert set(body["facets"]) == {"status", "issuer", "kind"}
    assert sum(body["facets"]["status"].values()) == body["total"]


def test_each_hit_links_to_its_public_page(imported, client):
    hit = client.get("/api/register/search", {"q": "居住证暂行条例"}).json()["hits"][0]
    assert hit["url"] == f"http://testserver/register/public/{hit['id']}/"
    assert "居住证暂行条例" in client.get(hit["url"]).content.decode()


def test_chinese_is_written_as_it_is_in_utf8(imported, client, settings):
    answers = [
        client.get("/api/register/search", {"q": "居住证"}),
        client.get("/api/register/search", {"year_from": 2020, "year_to": 2010}),
    ]
    settings.SEARCH_LIMITS = {**settings.SEARCH_LIMITS, "api_requests_per_minute": 2}
    answers.append(client.get("/api/register/search", {"q": "居住证"}))
    assert [answer.status_code for answer in answers] == [200, 400, 429]
    for answer in answers:
        assert answer["Content-Type"] == "application/json; charset=utf-8"
        assert "\\u" not in answer.content.decode("utf-8")
    assert "居住证暂行条例" in answers[0].content.decode("utf-8")
    assert "起始年份不能晚于截止年份。" in answers[1].content.decode("utf-8")
    assert "查询过于频繁" in answers[2].content.decode("utf-8")


def test_filters_and_pages(imported, client):
    body = client.get(
        "/api/register/search",
        {"q": "条例", "status": "有效", "kind": "administrative_regulation", "year_from": 2000,
         "year_to": 2020, "in_force_on": "2020-01-01", "page": 2, "page_size": 3},
    ).json()  # fmt: skip
    assert body["total"] > 3 and len(body["hits"]) == 3
    for hit in body["hits"]:
        doc = Document.objects.get(pk=hit["id"])
        assert doc.status == Status.IN_FORCE and doc.kind == Kind.ADMINISTRATIVE_REGULATION
        assert 2000 <= doc.published_on.year <= 2020


def test_documents_not_yet_published_are_not_shown(imported, client, register_document):
    hidden = register_document(
        title="衡水市居住证积分管理办法", status=Status.PENDING, published_on=date(2099, 1, 1)
    )
    # It is in the index: the staff search finds it.
    assert hidden in [hit.document for hit in search(SearchQuery(text="居住证积分")).hits]
    body = client.get("/api/register/search", {"q": "居住证积分"}).json()
    # Other documents may follow as partial matches; the unpublished one never does.
    assert body["total"] == 0
    assert hidden.pk not in [hit["id"] for hit in body["hits"]]
    assert all(hit["relaxed"] for hit in body["hits"])


@pytest.mark.parametrize(
    "params, message",
    [
        ({"status": "作废"}, "效力状态“作废”无效，可选：in_force（有效）、pending（尚未生效）、"
                             "amended（已修改）、repealed（已废止）、lapsed（失效）"),
        ({"kind": "notice"}, "文件类别“notice”无效，可选：constitution（宪法）、law（法律）、"
                             "administrative_regulation（行政法规）、judicial_interpretation（司法解释）、"
                             "departmental_rule（部门规章）、local_regulation（地方性法规）、"
                             "local_rule（地方政府规章）、government_normative（政府规范性文件）、"
                             "department_normative（部门规范性文件）、other（其他）"),
        ({"year_from": 2020, "year_to": 2010}, "起始年份不能晚于截止年份。"),
        ({"year_from": "二〇二〇"}, "输入整数。"),
        ({"in_force_on": "2020/1/1"}, "日期格式应为 2018-01-18。"),
        ({"page_size": 1000}, "确保该值小于或等于100。"),
        ({"page": 0}, "确保该值大于或等于1。"),
        ({"page": 5000, "page_size": 100}, "最多只能翻到第10000条结果，请增加筛选条件。"),
    ],
    ids=["status", "kind", "years", "integer", "date", "page_size", "page", "window"],
)  # fmt: skip
def test_bad_parameters_get_400_with_a_message(db, client, params, message):
    response = client.get("/api/register/search", params)
    assert response.status_code == 400
    assert response.json()["error"] == message
