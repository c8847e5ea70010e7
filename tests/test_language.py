"""Chinese by default, whatever the browser says; English when the user picks it."""

from django.utils import timezone


def test_chinese_by_default_even_for_an_english_browser(people, client):
    client.force_login(people["drafter"])
    page = client.get("/dossiers/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-hans">' in page and "送审卷宗" in page


def test_english_when_chosen(people, new_dossier, client):
    dossier = new_dossier()
    client.force_login(people["drafter"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/dossiers/"})
    page = client.get(dossier.get_absolute_url()).content.decode()
    assert '<html lang="en">' in page
    assert "Draft versions" in page and "起草部门" not in page
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/dossiers/"})
    page = client.get(dossier.get_absolute_url()).content.decode()
    today = timezone.localdate()
    assert f"{today.year}年{today.month}月{today.day}日" in page
