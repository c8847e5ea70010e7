"""Publishing a cleanup result changes the public register: it asks for confirmation, on
the page and on the server; its date field shows its date."""

from search.models import Decision, Status

from .cleanup import campaign_of, housing_documents, publish


def ready_campaign(people):
    campaign = campaign_of(people, housing_documents(people, 2))
    for item in campaign.items.all():
        item.propose(people["dept_legal"], Decision.REPEAL, "已被省级规定替代。")
        item.review(people["head"], approve=True)
    return campaign


def test_publishing_without_the_confirmation_changes_nothing(people, client):
    campaign = ready_campaign(people)
    client.force_login(people["head"])
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert 'data-confirm="公布后清理结果进入公开文件库' in page
    assert 'name="confirm"' in page

    refused = client.post(
        f"/register/cleanup/{campaign.pk}/publish/", {"published_on": "2026-11-26"}, follow=True
    )
    assert "请勾选确认后再公布" in refused.content.decode()
    campaign.refresh_from_db()
    assert campaign.is_open
    assert {i.document.status for i in campaign.items.all()} == {Status.IN_FORCE}

    publish(client, campaign, on="2026-11-26")
    campaign.refresh_from_db()
    assert not campaign.is_open
    assert {i.document.status for i in campaign.items.all()} == {Status.REPEALED}


def test_the_publication_date_field_shows_its_date(people, client):
    """<input type=date> shows nothing unless its value is 2026-11-26, not 2026/11/26."""
    campaign = ready_campaign(people)
    client.force_login(people["head"])
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert 'type="date" name="published_on" value="2026-11-26"' in page
