"""Launching a cleanup shows how many documents it will take in (将纳入 N 件文件), by
department, before anything is created; the launcher gives the departments a deadline."""

from search.models import CampaignItem, CleanupCampaign, Kind, Status

from .cleanup import LAUNCH, housing_documents

FILTERS = {"title": "2026年住房领域文件清理", "kind": [Kind.GOVERNMENT_NORMATIVE],
           "status": [Status.IN_FORCE], "reply_due": "2026-12-24"}  # fmt: skip


def test_the_count_is_shown_first_and_nothing_is_created_until_confirmed(people, client):
    housing_documents(people, 3)
    client.force_login(people["reviewer"])
    preview = client.post(LAUNCH, FILTERS).content.decode()
    assert "将纳入 3 件文件" in preview
    assert "衡水市住房和城乡建设局：3件" in preview
    assert 'name="confirm"' in preview
    assert not CleanupCampaign.objects.exists()

    launched = client.post(LAUNCH, {**FILTERS, "expected": "3", "confirm": "1"})
    campaign = CleanupCampaign.objects.get()
    assert launched["Location"] == campaign.get_absolute_url()
    assert campaign.items.count() == 3
    assert str(campaign.reply_due) == "2026-12-24"


def test_a_confirmation_of_another_count_launches_nothing(people, client):
    """The filters were changed after counting, or documents entered the register."""
    housing_documents(people, 3)
    client.force_login(people["reviewer"])
    page = client.post(LAUNCH, {**FILTERS, "expected": "2", "confirm": "1"}, follow=True)
    assert "符合条件的文件现为3件，与确认前不同" in page.content.decode()
    assert "将纳入 3 件文件" in page.content.decode()
    assert not CleanupCampaign.objects.exists() and not CampaignItem.objects.exists()


def test_the_deadline_is_suggested_as_an_iso_date_and_must_lie_ahead(people, client):
    housing_documents(people, 1)
    client.force_login(people["reviewer"])
    form = client.get(LAUNCH).content.decode()
    # 20 working days after Thursday 26 November 2026.
    assert 'type="date" name="reply_due" value="2026-12-24"' in form
    past = client.post(LAUNCH, {**FILTERS, "reply_due": "2026-11-26", "confirm": "1"})
    assert "答复期限应晚于今天" in past.content.decode()
    assert not CleanupCampaign.objects.exists()
