"""The staff search page (login) and the public register page (published only, no login)."""

from datetime import date

from search.models import Document, Status


def test_staff_search_needs_a_login(db, client):
    assert client.get("/register/?q=审查").status_code == 302


def test_staff_find_documents_with_highlights_and_facets(corpus, client, people):
    client.force_login(people["reviewer"])
    page = client.get("/register/", {"q": "居住证"}).content.decode()
    assert "居住证暂行条例" in page
    assert "<mark>居住证</mark>" in page
    assert "2015年11月26日公布" in page
    assert "制定机关" in page and "国务院" in page


def test_the_public_page_needs_no_login_and_shows_published_documents_only(
    corpus, client, people, register_document
):
    hidden = register_document(
        title="衡水市居住证积分管理办法", status=Status.PENDING, published_on=date(2099, 1, 1)
    )
    page = client.get("/register/public/", {"q": "居住证"}).content.decode()
    assert "居住证暂行条例" in page
    assert "衡水市居住证积分管理办法" not in page
    assert client.get(f"/register/public/{hidden.pk}/").status_code == 404
    shown = Document.objects.get(title="居住证暂行条例")
    assert client.get(f"/register/public/{shown.pk}/").status_code == 200
    # It is in the index all the same: staff find it.
    client.force_login(people["reviewer"])
    assert "衡水市居住证积分管理办法" in client.get("/register/", {"q": "居住证"}).content.decode()


def test_a_bad_filter_is_explained_and_nothing_is_searched(db, client):
    page = client.get("/register/public/", {"q": "审查", "year_from": "2020", "year_to": "2010"})
    assert page.status_code == 200
    assert "起始年份不能晚于截止年份" in page.content.decode()
    assert page.context["result"] is None
