"""Art. 18: the drafting department may object in writing within 5 working days of
receiving the opinion, whatever its conclusion; the two sides negotiate; if they do not
agree the government decides. 不予制定 and 暂缓制定 close the dossier only after that."""

from datetime import date

import pytest

from demo.payloads import LAWFUL, REVISE, SIGN
from review.models import HistoryEntry, Objection, Stage
from workflow.tasks import objection_windows

from .conftest import advance, step

A = HistoryEntry.Action
DO_NOT_MAKE = {**LAWFUL, "conclusion": "do_not_make", "text": "该事项无上位法依据。"}


@pytest.fixture
def refused(people, new_dossier):
    """不予制定, signed by the head on the test's day (Thu 2026-11-26)."""
    dossier = advance(new_dossier(), people, 2)
    step(dossier, people["reviewer"], DO_NOT_MAKE)
    step(dossier, people["head"], SIGN)
    assert dossier.stage == Stage.OBJECTION
    return dossier


def test_do_not_make_closes_once_the_window_passes_unused(people, refused):
    # Five working days after Thu 11-26: 11-27, 11-30 … 12-03; closed on Fri 12-04.
    assert objection_windows(date(2026, 12, 3)) == 0
    refused.refresh_from_db()
    assert refused.stage == Stage.OBJECTION
    assert objection_windows(date(2026, 12, 4)) == 1
    refused.refresh_from_db()
    assert refused.stage == Stage.CLOSED
    passed = refused.history.get(action=A.OBJECTION_WINDOW_PASSED)
    assert passed.actor is None and refused.history.last().action == A.CLOSED
    assert objection_windows(date(2026, 12, 7)) == 0  # once


def test_an_objection_is_negotiated_then_referred_and_the_government_decides(
    people, refused, client
):
    drafter, reviewer, secretary = people["drafter"], people["reviewer"], people["secretary"]
    with pytest.raises(ValueError, match="请写明异议的内容和理由。"):
        step(refused, drafter, {"decision": "object", "text": ""})
    step(refused, drafter, {"decision": "object", "text": "上位法已有授权，请重新审查。"})
    assert refused.stage == Stage.NEGOTIATION
    objection = Objection.objects.get(dossier=refused)
    assert objection.raised_by == drafter and objection.opinion.conclusion == "do_not_make"

    client.force_login(reviewer)
    task_page = client.get(f"/tasks/{_open_task(refused)}/").content.decode()
    assert "上位法已有授权" in task_page  # the objection is on the page that negotiates it
    step(refused, reviewer, {"outcome": "no_agreement", "record": "双方各执己见。"})
    assert refused.stage == Stage.RULING
    step(refused, secretary, {"ruling": "objection_upheld", "text": "市政府支持起草部门意见。"})
    # The objection upheld: the legal office reviews again.
    assert refused.stage == Stage.LEGAL_REVIEW
    objection.refresh_from_db()
    assert objection.settled and objection.ruling == Objection.Ruling.OBJECTION_UPHELD
    actions = list(refused.history.values_list("action", flat=True))
    assert actions[-3:] == [A.OBJECTION, A.NEGOTIATED, A.RULED]


def test_an_agreement_that_the_opinion_stands_closes_the_dossier(people, refused):
    step(refused, people["drafter"], {"decision": "object", "text": "请重新考虑。"})
    step(refused, people["reviewer"], {"outcome": "opinion_stands", "record": "已说明理由。"})
    assert refused.stage == Stage.CLOSED


def test_an_objection_to_a_revise_opinion_is_recorded_within_the_window_only(
    people, new_dossier, client, today
):
    dossier = advance(new_dossier(), people, 2)
    step(dossier, people["reviewer"], REVISE)
    step(dossier, people["head"], SIGN)
    client.force_login(people["drafter"])
    page = client.get(dossier.get_absolute_url()).content.decode()
    assert "提出书面异议" in page
    client.post(
        f"/tasks/objection/{dossier.pk}/", {"action": "raise", "text": "第六条有上位法依据。"}
    )
    objection = Objection.objects.get(dossier=dossier)
    assert objection.text == "第六条有上位法依据。"
    client.force_login(people["reviewer"])
    client.post(
        f"/tasks/objection/{dossier.pk}/",
        {"action": "negotiate", "objection": objection.pk, "outcome": "opinion_stands",
         "text": "经协商，起草部门同意删除。"},
    )  # fmt: skip
    objection.refresh_from_db()
    assert objection.outcome == Objection.Outcome.OPINION_STANDS
    dossier.refresh_from_db()
    assert dossier.stage == Stage.REVISION  # recorded, not routed


def test_no_objection_after_the_window(people, refused, client):
    from demo.clock import moved_clock

    with moved_clock(date(2026, 12, 4)), pytest.raises(ValueError, match="异议期限已过"):
        step(refused, people["drafter"], {"decision": "object", "text": "迟到的异议。"})


def _open_task(dossier):
    from workflow.actions import open_task

    return open_task(dossier).pk
