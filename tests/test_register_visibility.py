"""Staff see the register before publication only where their work needs it: the government
legal office (reviewers, heads, deputy heads, clerks) sees every entry; other staff see
published documents and their own department's unpublished ones."""

from datetime import date

import pytest
from django.contrib.auth.models import Group

from demo.people import HOUSING, LEGAL
from review.models import Department, Role, User
from search.backends import SearchQuery, search
from search.indexing import index_documents
from search.models import DocumentLink, Kind, Status

UNPUBLISHED_TEXT = "第一条 为了规范本市住房租赁活动，制定本办法。"


@pytest.fixture
def register(people, register_document):
    housing = Department.objects.get(name=HOUSING)
    future = register_document(
        title="衡水市住房租赁管理办法", number="衡住建规〔2026〕3号", department=housing,
        kind=Kind.DEPARTMENT_NORMATIVE, status=Status.PENDING, published_on=date(2026, 12, 20),
    )  # fmt: skip
    future.add_version(UNPUBLISHED_TEXT)
    index_documents([future.pk])
    undated = register_document(
        title="衡水市住房物业管理办法", number="衡住建规〔2026〕4号", department=housing,
        kind=Kind.DEPARTMENT_NORMATIVE, status=Status.PENDING, published_on=None,
    )  # fmt: skip
    published = register_document(title="衡水市住房公积金管理办法", number="衡政规〔2016〕7号")
    # An imported law in force whose publication date nobody recorded.
    law = register_document(
        title="城市住房供水条例", kind=Kind.ADMINISTRATIVE_REGULATION, published_on=None
    )
    DocumentLink.objects.create(source=future, target=published, kind=DocumentLink.Kind.AMENDS)
    return {"future": future, "undated": undated, "published": published, "law": law}


def titles(client):
    response = client.get("/register/", {"q": "住房"})
    assert response.status_code == 200
    result = response.context["result"]
    assert sum(result.facets["status"].values()) == result.total
    return {hit.document.title for hit in result.hits}, result.total


def deputy_head():
    user = User.objects.create(username="deputy", department=Department.objects.get(name=LEGAL))
    user.groups.add(Group.objects.get_or_create(name=Role.DEPUTY_HEAD)[0])
    return user


@pytest.mark.parametrize("who", ["drafter2", "dept_legal2", "secretary", "no_department"])
def test_other_staff_do_not_see_another_departments_unpublished_entries(
    register, people, client, who
):
    user = people.get(who) or User.objects.create(username=who)
    client.force_login(user)
    found, total = titles(client)
    assert found == {"衡水市住房公积金管理办法", "城市住房供水条例"} and total == 2
    for name in ("future", "undated"):
        assert client.get(f"/register/{register[name].pk}/").status_code == 404
    for name in ("published", "law"):
        assert client.get(f"/register/{register[name].pk}/").status_code == 200
    # Not even as the document that amends a published one.
    page = client.get(f"/register/{register['published'].pk}/").content.decode()
    assert "衡水市住房租赁管理办法" not in page


@pytest.mark.parametrize("who", ["drafter", "dept_legal"])
def test_staff_see_their_own_departments_unpublished_entries(register, people, client, who):
    client.force_login(people[who])
    found, total = titles(client)
    assert "衡水市住房租赁管理办法" in found and "衡水市住房物业管理办法" in found and total == 4
    page = client.get(f"/register/{register['future'].pk}/").content.decode()
    # The article's label is its anchor's link; the text follows it.
    assert UNPUBLISHED_TEXT.removeprefix("第一条") in page and 'href="#art-1">第一条</a>' in page


@pytest.mark.parametrize("who", ["reviewer", "head", "deputy_head", "clerk"])
def test_the_legal_office_sees_every_entry(register, people, client, who):
    client.force_login(people[who] if who in people else deputy_head())
    assert titles(client)[1] == 4
    for document in register.values():
        assert client.get(f"/register/{document.pk}/").status_code == 200
    page = client.get(f"/register/{register['published'].pk}/").content.decode()
    assert "衡水市住房租赁管理办法" in page


def test_both_backends_leave_out_the_entries_hidden_from_the_user(backend, register_document):
    shown = register_document(number="衡政规〔2016〕7号")
    hidden = register_document(title="衡水市居住证积分管理办法", number="衡政规〔2016〕8号")
    result = search(SearchQuery(text="居住证", hidden=(hidden.pk,)), backend)
    assert [hit.document for hit in result.hits] == [shown]
    assert result.total == sum(result.facets["status"].values()) == 1


def test_the_public_sees_published_documents_and_laws_with_no_recorded_date(register, client):
    found = client.get("/register/public/", {"q": "住房"}).context["result"]
    assert {hit.document.title for hit in found.hits} == {
        "衡水市住房公积金管理办法",
        "城市住房供水条例",
    }
    api = client.get("/api/register/search", {"q": "住房"}).json()
    assert {hit["title"] for hit in api["hits"]} == {"衡水市住房公积金管理办法", "城市住房供水条例"}
    for name, status in (("published", 200), ("law", 200), ("future", 404), ("undated", 404)):
        assert client.get(f"/register/public/{register[name].pk}/").status_code == status
    page = client.get(f"/register/public/{register['law'].pk}/").content.decode()
    assert "公布日期不详" in page
