"""A pooled task is claimed (领取) before it is done; its holder (承办人) may give it back or
hand it over (转办); the reviewer who wrote the opinion keeps the dossier in later rounds."""

import pytest
from django.core.exceptions import ValidationError
from viewflow.workflow.models import Task

from demo.payloads import COMPLETE, LAWFUL, REVISE, SIGN
from review.models import HistoryEntry, Stage
from workflow import actions
from workflow.assignment import claim, hand_over, release
from workflow.models import Notification
from workflow.nodes import StaleTask

from .conftest import advance, step, submit
from .helpers import revised


def pooled(new_dossier, people):
    """A dossier waiting in the reviewers' pool for its completeness check."""
    dossier = advance(new_dossier(), people, 1)
    return dossier, actions.open_task(dossier)


def test_the_reviewer_who_claims_it_holds_it_and_a_colleague_is_told(people, new_dossier, client):
    dossier, task = pooled(new_dossier, people)
    client.force_login(people["reviewer"])
    response = client.post(f"/tasks/{task.pk}/claim/")
    assert response.status_code == 302 and response["Location"] == f"/tasks/{task.pk}/"
    task.refresh_from_db()
    assert task.owner == people["reviewer"] and task.status == "ASSIGNED"

    client.force_login(people["reviewer2"])
    response = client.post(f"/tasks/{task.pk}/claim/", follow=True)
    assert "该任务已由王审查领取。" in response.content.decode()
    task.refresh_from_db()
    assert task.owner == people["reviewer"]


def test_two_claims_at_once_give_one_holder(people, new_dossier):
    dossier, task = pooled(new_dossier, people)
    # Both read the task while it was free; the lock makes the second find it taken.
    seen_by_second = Task.objects.get(pk=task.pk)
    claim(task, people["reviewer"])
    with pytest.raises(ValidationError, match="已由王审查领取"):
        claim(seen_by_second, people["reviewer2"])
    assert Task.objects.get(pk=task.pk).owner == people["reviewer"]


def test_a_reviewer_who_did_not_claim_cannot_submit_the_form(people, new_dossier):
    dossier, task = pooled(new_dossier, people)
    claim(task, people["reviewer"])
    form = task.flow_task.form_class(COMPLETE, {}, dossier=dossier, user=people["reviewer2"])
    assert form.is_valid()
    with pytest.raises(StaleTask):
        task.flow_task.execute(task.pk, people["reviewer2"], form, claim=False)
    release(task, people["reviewer"])
    with pytest.raises(StaleTask, match="请先领取"):
        task.flow_task.execute(task.pk, people["reviewer2"], form, claim=False)
    dossier.refresh_from_db()
    assert dossier.stage == Stage.COMPLETENESS


def test_releasing_puts_it_back_in_the_pool_and_only_the_holder_may(people, new_dossier, client):
    dossier, task = pooled(new_dossier, people)
    claim(task, people["reviewer"])
    with pytest.raises(ValidationError, match="只有承办人"):
        release(task, people["reviewer2"])
    client.force_login(people["reviewer"])
    response = client.post(f"/tasks/{task.pk}/release/")
    assert response["Location"] == "/tasks/"
    task.refresh_from_db()
    assert task.owner is None and task.status == "NEW"


def test_handing_over_to_a_colleague_tells_them(people, new_dossier, client):
    dossier, task = pooled(new_dossier, people)
    claim(task, people["reviewer"])
    client.force_login(people["reviewer"])
    page = client.get(dossier.get_absolute_url()).content.decode()
    assert "退回待领取" in page and "陈审查" in page  # the colleague is offered

    response = client.post(
        f"/tasks/{task.pk}/handover/", {"to": people["reviewer2"].pk, "note": "我下周出差。"}
    )
    assert response["Location"] == "/tasks/"
    task.refresh_from_db()
    assert task.owner == people["reviewer2"]
    [notice] = Notification.objects.filter(user=people["reviewer2"], message__contains="转交")
    assert "王审查" in notice.message and "我下周出差。" in notice.message


def test_who_held_the_task_is_on_the_offices_record_not_the_drafters(people, new_dossier, client):
    dossier, task = pooled(new_dossier, people)
    claim(task, people["reviewer"])
    release(task, people["reviewer"])
    claim(task, people["reviewer"])
    hand_over(task, people["reviewer"], people["reviewer2"], "我下周出差。")
    Action = HistoryEntry.Action
    assignments = [Action.CLAIMED, Action.RELEASED, Action.HANDED_OVER]
    entries = dossier.history.filter(action__in=assignments).order_by("pk")
    assert [(e.action, e.actor) for e in entries] == [
        (Action.CLAIMED, people["reviewer"]),
        (Action.RELEASED, people["reviewer"]),
        (Action.CLAIMED, people["reviewer"]),
        (Action.HANDED_OVER, people["reviewer"]),
    ]
    assert "转交陈审查办理。我下周出差。" in entries.last().comment
    client.force_login(people["reviewer2"])
    assert "转交陈审查办理" in client.get(dossier.get_absolute_url()).content.decode()
    client.force_login(people["drafter"])
    assert "转交陈审查办理" not in client.get(dossier.get_absolute_url()).content.decode()


@pytest.mark.parametrize("to", ["drafter", "inactive", "reviewer"])
def test_a_task_goes_only_to_an_active_colleague_who_may_do_it(to, people, new_dossier):
    dossier, task = pooled(new_dossier, people)
    claim(task, people["reviewer"])
    if to == "inactive":
        people["reviewer2"].is_active = False
        people["reviewer2"].save()
    target = people["reviewer2" if to == "inactive" else to]
    with pytest.raises(ValidationError, match="在岗同事"):
        hand_over(task, people["reviewer"], target)
    task.refresh_from_db()
    assert task.owner == people["reviewer"]
    assert not Notification.objects.filter(message__contains="转交").exists()


def test_a_hand_over_without_a_colleague_is_refused_on_the_page(people, new_dossier, client):
    dossier, task = pooled(new_dossier, people)
    claim(task, people["reviewer"])
    client.force_login(people["reviewer"])
    for to in ("", "abc", str(people["drafter"].pk)):
        page = client.post(f"/tasks/{task.pk}/handover/", {"to": to}, follow=True)
        assert "请选择可以办理该环节的在岗同事。" in page.content.decode()
    task.refresh_from_db()
    assert task.owner == people["reviewer"]


def reviewed_by(
    people, new_dossier, reviewer, conclusion, title="衡水市城市房屋租赁管理办法（草案）"
):
    """The legality review done by ``reviewer`` with ``conclusion``, awaiting the head."""
    dossier = advance(new_dossier(title=title), people, 2)
    step(dossier, people[reviewer], conclusion)
    return dossier


def test_the_second_round_goes_back_to_the_reviewer_who_wrote_the_opinion(people, new_dossier):
    dossier = reviewed_by(people, new_dossier, "reviewer2", REVISE)
    step(dossier, people["head"], SIGN)
    data, files = revised(dossier, "按审查意见修改。")
    step(dossier, people["drafter"], data, files)
    assert dossier.stage == Stage.LEGAL_REVIEW
    assert actions.open_task(dossier).owner == people["reviewer2"]


def test_a_refused_signature_returns_to_the_author_unless_they_left(people, new_dossier):
    dossier = reviewed_by(people, new_dossier, "reviewer2", LAWFUL)
    step(dossier, people["head"], {"decision": "refuse", "comment": "依据引用不全。"})
    assert actions.open_task(dossier).owner == people["reviewer2"]

    other = reviewed_by(
        people, new_dossier, "reviewer2", LAWFUL, title="衡水市物业管理办法（草案）"
    )
    people["reviewer2"].is_active = False
    people["reviewer2"].save()
    step(other, people["head"], {"decision": "refuse", "comment": "依据引用不全。"})
    task = actions.open_task(other)
    assert task.flow_task.stage == Stage.LEGAL_REVIEW and task.owner is None


def test_head_sign_stays_with_the_pool(people, new_dossier):
    dossier = reviewed_by(people, new_dossier, "reviewer", LAWFUL)
    assert dossier.stage == Stage.HEAD_SIGN and actions.open_task(dossier).owner is None


def test_the_first_legality_review_is_pooled(people, new_dossier):
    dossier = new_dossier()
    submit(dossier, people["drafter"])
    step(dossier, people["dept_legal"], {"decision": "pass", "comment": "同意。"})
    step(dossier, people["reviewer"], COMPLETE)
    assert actions.open_task(dossier).owner is None
