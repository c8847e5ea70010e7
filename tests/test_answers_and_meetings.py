"""What the department answers and who decides: supplements remembered, each finding
answered, the meeting told where the opinion was not adopted, and the collective decision
taken by the body Art. 20 names for the issuer."""

import pytest

from demo import drafts
from demo.payloads import COMPLETE, PASS, REVISE, SIGN
from review.models import FindingAnswer, MeetingDecision, Stage

from .conftest import advance, login, step, submit
from .helpers import revised


def test_a_partial_supplement_leaves_the_rest_outstanding(people, new_dossier, client):
    dossier = new_dossier(materials=False)
    submit(dossier, people["drafter"])
    step(dossier, people["dept_legal"], PASS)
    asked = {"decision": "supplement", "missing": dossier.missing_materials()}
    step(dossier, people["reviewer"], asked)
    task = client_task_page(client, people["drafter"], dossier)
    assert "政府法制机构要求补正的材料" in task and "起草说明" in task
    first = {"cover_letter": drafts.material_upload("cover_letter", dossier.title)}
    step(dossier, people["drafter"], {"comment": "先补公函。"}, first)
    assert "cover_letter" not in dossier.requested_materials
    assert "explanation" in dossier.requested_materials  # still outstanding
    with pytest.raises(ValueError, match="材料不齐全，尚缺：.*起草说明"):
        step(dossier, people["reviewer"], COMPLETE)
    page = client_task_page(client, people["reviewer"], dossier)
    assert "要求补正尚未收到的材料" in page


def test_every_finding_is_answered_and_the_meeting_is_told_what_was_not_adopted(
    people, new_dossier, client
):
    dossier = advance(new_dossier(), people, 2)
    step(dossier, people["reviewer"], REVISE)
    step(dossier, people["head"], SIGN)
    finding = dossier.opinions.get(conclusion="revise").findings.get()
    data, files = revised(dossier, "保留第六条。")
    page = client_task_page(client, people["drafter"], dossier)
    assert finding.text in page and "提出书面异议的期限" in page
    with pytest.raises(ValueError, match="部分采纳或不采纳的，请说明理由。"):
        step(dossier, people["drafter"], {**data, f"answer_{finding.pk}": "not_adopted"}, files)
    data, files = revised(dossier, "保留第六条。")
    answer = {f"answer_{finding.pk}": "not_adopted", f"reason_{finding.pk}": "上位法已授权。"}
    step(dossier, people["drafter"], {**data, **answer}, files)
    assert FindingAnswer.objects.get(finding=finding).answer == "not_adopted"
    step(
        dossier, people["reviewer"], {**REVISE, "conclusion": "lawful", "findings-TOTAL_FORMS": "0"}
    )
    step(dossier, people["head"], SIGN)
    assert dossier.stage == Stage.MEETING
    meeting_page = client_task_page(client, people["secretary"], dossier)
    assert "未采纳的审查意见" in meeting_page and "上位法已授权。" in meeting_page


def test_a_department_document_is_decided_by_its_own_office_meeting(people, new_dossier, client):
    dossier = new_dossier()
    dossier.kind = "department"
    dossier.save()
    advance(dossier, people, 4)
    assert dossier.stage == Stage.MEETING
    # Not the government's secretary: the department records it.
    with pytest.raises(Exception, match="该任务已由他人办理"):
        step(dossier, people["secretary"], {"meeting": "x", "held_on": "2026-11-02",
                                            "outcome": "adopted"})  # fmt: skip
    with pytest.raises(ValueError, match="executive_meeting"):
        step(dossier, people["dept_legal"], {"body": "executive_meeting", "meeting": "x",
                                             "held_on": "2026-11-02", "outcome": "adopted"})  # fmt: skip
    step(dossier, people["dept_legal"], {"body": "office_meeting", "meeting": "局第5次办公会议",
                                         "held_on": "2026-11-02", "outcome": "adopted"})  # fmt: skip
    decision = dossier.meetings.get()
    assert decision.body == MeetingDecision.Body.OFFICE_MEETING
    assert decision.recorded_by == people["dept_legal"] and dossier.stage == Stage.RECHECK
    assert (
        "部门办公会议"
        in login(client, people["drafter"]).get(dossier.get_absolute_url()).content.decode()
    )


def client_task_page(client, user, dossier):
    from workflow.actions import open_task

    client.force_login(user)
    return client.get(f"/tasks/{open_task(dossier).pk}/").content.decode()
