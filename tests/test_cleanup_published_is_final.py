"""A published cleanup result is final: nothing of the campaign, its items or their records
can be changed or deleted afterwards, by the models or in the admin."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from search.models import CampaignEvent, CampaignItem, CleanupCampaign, Decision, Status


def run_campaign(people, register_document, *, publish=True):
    housing = people["drafter"].department
    docs = [
        register_document(title=title, number=f"衡政规〔2016〕{n}号", department=housing)
        for n, title in enumerate(["衡水市物业管理办法", "衡水市住房公积金管理办法"], start=1)
    ]
    campaign = CleanupCampaign.objects.create(title="2018年清理", created_by=people["reviewer"])
    campaign.add_documents(docs)
    keep, repeal = campaign.items.order_by("document__number")
    keep.propose(people["dept_legal"], Decision.RETAIN, "继续适用。")
    repeal.propose(people["dept_legal"], Decision.REPEAL, "已被省级规定替代。")
    for item in (keep, repeal):
        item.review(people["head"], approve=True)
    if publish:
        campaign.publish(people["head"], on=date(2018, 6, 30))
    return campaign


@pytest.fixture
def published(people, register_document):
    return run_campaign(people, register_document)


def snapshot(campaign):
    campaign.refresh_from_db()
    return (
        campaign.title,
        campaign.state,
        campaign.counts(),
        sorted(campaign.items.values_list("pk", "state", "decision", "reason", "department")),
        CampaignEvent.objects.filter(item__campaign=campaign).count(),
    )


def test_the_models_refuse_to_change_or_delete_a_published_result(published):
    before = snapshot(published)
    assert before[2][Decision.RETAIN] == 1 and before[2][Decision.REPEAL] == 1
    item = published.items.first()

    item.decision = Decision.AMEND
    with pytest.raises(ValidationError):
        item.save()
    with pytest.raises(ValidationError):
        item.delete()
    with pytest.raises(ValidationError):
        CampaignItem.objects.filter(pk=item.pk).update(decision=Decision.AMEND)
    with pytest.raises(ValidationError):
        CampaignItem.objects.filter(campaign=published).delete()
    with pytest.raises(ValidationError):
        item.assign(item.proposed_by, None)
    with pytest.raises(ValidationError):
        item.log(item.proposed_by, CampaignEvent.Action.APPROVED, "补记")
    with pytest.raises(ValidationError):
        CampaignEvent.objects.filter(item=item).delete()

    published.title = "另一个名称"
    with pytest.raises(ValidationError):
        published.save()
    with pytest.raises(ValidationError):
        published.delete()
    with pytest.raises(ValidationError):
        CleanupCampaign.objects.filter(pk=published.pk).update(state=CleanupCampaign.State.OPEN)
    with pytest.raises(ValidationError):
        CleanupCampaign.objects.all().delete()
    with pytest.raises(ValidationError):
        published.publish(item.proposed_by)

    assert snapshot(published) == before


def test_the_admin_offers_no_change_or_delete_of_a_published_result(published, admin_client):
    before = snapshot(published)
    item = published.items.first()
    for url in (
        f"/admin/search/campaignitem/{item.pk}/delete/",
        f"/admin/search/cleanupcampaign/{published.pk}/delete/",
    ):
        assert admin_client.post(url, {"post": "yes"}).status_code == 403, url

    # The change forms are shown, read-only; posting them anyway is refused.
    item_change = f"/admin/search/campaignitem/{item.pk}/change/"
    page = admin_client.get(item_change)
    assert page.status_code == 200
    assert 'name="department"' not in page.content.decode()
    assert admin_client.post(item_change, {"department": ""}).status_code == 403
    campaign_change = f"/admin/search/cleanupcampaign/{published.pk}/change/"
    assert 'name="title"' not in admin_client.get(campaign_change).content.decode()
    assert admin_client.post(campaign_change, {"title": "改", "basis": ""}).status_code == 403

    # The bulk "delete selected" action deletes nothing either.
    for model, pks in (
        ("campaignitem", list(published.items.values_list("pk", flat=True))),
        ("cleanupcampaign", [published.pk]),
    ):
        admin_client.post(
            f"/admin/search/{model}/",
            {"action": "delete_selected", "_selected_action": pks, "post": "yes"},
        )
    assert snapshot(published) == before
    assert published.items.get(decision=Decision.REPEAL).document.status == Status.REPEALED


def test_an_open_campaign_can_still_be_corrected(people, register_document, admin_client):
    campaign = run_campaign(people, register_document, publish=False)
    item = campaign.items.first()
    item.assign(people["head"], people["drafter2"].department)
    assert CampaignItem.objects.get(pk=item.pk).department == people["drafter2"].department
    campaign.title = "2018年市政府规范性文件清理"
    campaign.save()
    page = admin_client.get(f"/admin/search/campaignitem/{item.pk}/change/")
    assert 'name="department"' in page.content.decode()
    assert (
        'name="title"'
        in admin_client.get(f"/admin/search/cleanupcampaign/{campaign.pk}/change/").content.decode()
    )
