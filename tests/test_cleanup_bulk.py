"""A department gives one decision to several documents in one submission (e.g. 保留 for
twenty); what a colleague did meanwhile is reported, not overwritten; bad input changes
nothing."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from search.models import CampaignEvent, CampaignItem, Decision

from .cleanup import campaign_of, documents_of, housing_documents


def bulk(client, campaign, items, decision="retain", reason="符合上位法，继续适用。", seen=None):
    page = client.get(campaign.get_absolute_url()).content.decode()
    if seen is None:
        seen = re.search(r'name="seen" value="(\d+)"', page)[1]
    return client.post(
        f"/register/cleanup/{campaign.pk}/propose/",
        {"items": [i.pk for i in items], "decision": decision, "reason": reason, "seen": seen},
        follow=True,
    )


def states(campaign):
    return sorted(campaign.items.values_list("state", "decision", "reason", "proposed_by"))


def test_one_submission_proposes_for_every_ticked_document(people, client):
    campaign = campaign_of(people, housing_documents(people, 20))
    client.force_login(people["dept_legal"])
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert "全选" in page and page.count('form="propose"') == 20 + 3

    items = list(campaign.items.all())
    done = bulk(client, campaign, items[:18]).content.decode()
    assert "已对18件文件提出清理意见（保留）" in done
    proposed = campaign.items.filter(state=CampaignItem.State.PROPOSED)
    assert proposed.count() == 18
    assert set(proposed.values_list("decision", "reason", "proposed_by")) == {
        (Decision.RETAIN, "符合上位法，继续适用。", people["dept_legal"].pk)
    }
    assert CampaignEvent.objects.filter(action=CampaignEvent.Action.PROPOSED).count() == 18
    # The single-item path still works for the rest.
    client.post(
        f"/register/cleanup/items/{items[18].pk}/propose/",
        {"decision": "repeal", "reason": "已被省级规定替代。"},
    )
    assert CampaignItem.objects.get(pk=items[18].pk).decision == Decision.REPEAL


def test_a_colleagues_proposal_made_meanwhile_is_reported_not_overwritten(people, client):
    campaign = campaign_of(people, housing_documents(people, 3))
    client.force_login(people["dept_legal"])
    seen = re.search(
        r'name="seen" value="(\d+)"', client.get(campaign.get_absolute_url()).content.decode()
    )[1]
    first, *others = campaign.items.select_related("document")
    first.propose(people["drafter"], Decision.REPEAL, "已被省级规定替代。")

    page = bulk(client, campaign, [first, *others], seen=seen).content.decode()
    assert "已对2件文件提出清理意见" in page
    assert (
        f"以下1件文件在您打开页面后已由他人办理，未作更改，请核对：《{first.document.title}》"
        in page
    )
    first.refresh_from_db()
    assert (first.decision, first.proposed_by) == (Decision.REPEAL, people["drafter"])
    assert {i.decision for i in campaign.items.exclude(pk=first.pk)} == {Decision.RETAIN}


def test_bad_input_changes_nothing(people, client):
    campaign = campaign_of(people, housing_documents(people, 2))
    theirs = campaign_of(people, documents_of(people["drafter2"].department, 1, first=3))
    client.force_login(people["dept_legal"])
    mine = list(campaign.items.all())
    before = states(campaign)

    no_reason = bulk(client, campaign, mine, reason="  ").content.decode()
    assert "请写明清理理由" in no_reason
    assert "请勾选要提出清理意见的文件" in bulk(client, campaign, []).content.decode()
    not_ours = bulk(client, campaign, [*mine, theirs.items.get()]).content.decode()
    assert "勾选的文件不属于本部门承办的清理文件" in not_ours
    assert "请选择" in bulk(client, campaign, mine, decision="keep").content.decode()
    assert states(campaign) == before and not CampaignEvent.objects.exists()

    # Someone of the legal office, who may not propose, is refused for the documents too.
    approved = mine[0]
    approved.propose(people["dept_legal"], Decision.RETAIN, "继续适用。")
    approved.review(people["head"], approve=True)
    before = states(campaign)
    refused = bulk(client, campaign, mine, seen="999999").content.decode()
    assert "本件的清理意见已经审核同意，不能再修改" in refused
    assert states(campaign) == before


def test_the_cost_of_a_bulk_proposal_does_not_grow_with_its_size(people, client):
    campaign = campaign_of(people, housing_documents(people, 30))
    client.force_login(people["dept_legal"])
    items = list(campaign.items.all())
    costs = []
    for chosen, decision in ((items[:3], "retain"), (items[3:], "amend")):
        with CaptureQueriesContext(connection) as queries:
            client.post(
                f"/register/cleanup/{campaign.pk}/propose/",
                {"items": [i.pk for i in chosen], "decision": decision, "reason": "继续适用。",
                 "seen": "0"},
            )  # fmt: skip
        costs.append(len(queries))
    assert costs[0] == costs[1]
    assert campaign.items.filter(state=CampaignItem.State.PROPOSED).count() == 30
