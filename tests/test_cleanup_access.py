"""Who may do what in a cleanup: departments propose for their own documents, the legal
office starts, approves and publishes."""

from datetime import date

from search.models import CampaignItem, CleanupCampaign, Document, Kind, Status


def campaign_with_one_item(people):
    doc = Document.objects.create(
        title="衡水市物业管理办法", number="衡政规〔2016〕2号", issuer="衡水市人民政府",
        kind=Kind.GOVERNMENT_NORMATIVE, status=Status.IN_FORCE, published_on=date(2016, 2, 1),
        department=people["drafter"].department,
    )  # fmt: skip
    campaign = CleanupCampaign.objects.create(title="清理", created_by=people["reviewer"])
    campaign.add_documents([doc])
    return campaign, campaign.items.get()


def test_only_the_legal_office_starts_a_campaign(people, client):
    client.force_login(people["drafter"])
    assert client.get("/register/cleanup/new/").status_code == 403
    client.logout()
    assert client.get("/register/cleanup/").status_code == 302


def test_another_department_cannot_propose_and_a_department_cannot_approve(people, client):
    campaign, item = campaign_with_one_item(people)
    client.force_login(people["drafter2"])
    assert client.get(campaign.get_absolute_url()).status_code == 403
    response = client.post(
        f"/register/cleanup/items/{item.pk}/propose/", {"decision": "repeal", "reason": "x"}
    )
    assert response.status_code == 403
    client.force_login(people["drafter"])
    client.post(
        f"/register/cleanup/items/{item.pk}/propose/", {"decision": "repeal", "reason": "过时"}
    )
    assert (
        client.post(f"/register/cleanup/items/{item.pk}/review/", {"approve": "1"}).status_code
        == 403
    )
    item.refresh_from_db()
    assert item.state == CampaignItem.State.PROPOSED


def test_a_return_needs_a_reason_and_changes_nothing_without_one(people, client):
    campaign, item = campaign_with_one_item(people)
    client.force_login(people["dept_legal"])
    client.post(
        f"/register/cleanup/items/{item.pk}/propose/", {"decision": "repeal", "reason": "过时"}
    )
    client.force_login(people["head"])
    page = client.post(f"/register/cleanup/items/{item.pk}/review/", {"approve": "0"}, follow=True)
    assert "退回时请写明理由" in page.content.decode()
    item.refresh_from_db()
    assert item.state == CampaignItem.State.PROPOSED


def test_refusals_name_the_roles_that_may_act_not_the_readers_own_office(people, client):
    """A legal-office clerk is not told that only the legal office may launch a cleanup."""
    campaign, item = campaign_with_one_item(people)
    client.force_login(people["clerk"])
    refused = client.get("/register/cleanup/new/")
    assert refused.status_code == 403
    text = refused.content.decode()
    assert "发起清理须具有法制机构负责人或政府法制机构审查人员角色" in text
    assert "只有政府法制机构" not in text
    published = client.post(f"/register/cleanup/{campaign.pk}/publish/", {"confirm": "on"})
    assert (
        "公布清理结果须具有法制机构负责人或政府法制机构审查人员角色" in published.content.decode()
    )

    client.force_login(people["drafter2"])
    other = client.post(
        f"/register/cleanup/items/{item.pk}/propose/", {"decision": "retain", "reason": "x"}
    )
    assert "本件由衡水市住房和城乡建设局承办，只有该部门可以提出清理意见" in other.content.decode()
