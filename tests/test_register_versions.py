"""The text in force on a given date, and the document page that shows it."""

from datetime import date

from search.models import Document


def test_the_text_in_force_on_a_date_is_that_dates_version(corpus):
    sports = Document.objects.get(title="中华人民共和国体育法")
    assert sports.version_on(date(2020, 6, 1)).published_on == date(2016, 11, 7)
    assert sports.version_on(date(2024, 6, 1)).published_on == date(2022, 6, 24)
    assert sports.version_on(date(2010, 1, 1)) is None


def test_the_document_page_shows_the_chosen_dates_text_history_and_links(corpus, client, people):
    client.force_login(people["reviewer"])
    sports = Document.objects.get(title="中华人民共和国体育法")
    page = client.get(f"/register/{sports.pk}/?on=2020-06-01").content.decode()
    assert "2020年6月1日有效的文本（第1版）" in page
    assert "已修改（2023年1月1日起被新版本取代）" in page
    criminal = Document.objects.get(title="中华人民共和国刑法")
    page = client.get(f"/register/{criminal.pk}/").content.decode()
    assert "被以下文件修改" in page and "中华人民共和国刑法修正案（十一）" in page
