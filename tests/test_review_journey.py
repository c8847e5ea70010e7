"""One dossier through the four reviews, with send-backs and a supplement request."""

import pytest
from django.utils import timezone

from demo import drafts
from demo.payloads import COMPLETE, LAWFUL, REVISE, SIGN
from review.models import Conclusion, HistoryEntry, Stage

from .conftest import add_material, advance, login, step, submit
from .helpers import revised

A = HistoryEntry.Action


def test_dossier_travels_through_the_four_reviews(people, new_dossier, client):
    drafter, dept_legal, reviewer, head, secretary, clerk = (
        people[n] for n in ("drafter", "dept_legal", "reviewer", "head", "secretary", "clerk")
    )
    dossier = new_dossier(materials=False)
    login(client, drafter)
    for kind in ("cover_letter", "explanation", "legal_basis"):
        add_material(client, dossier, kind)
    assert submit(dossier, drafter)
    assert dossier.stage == Stage.DEPT_CHECK

    # Stage 1 sends it back; the resubmission returns to stage 1.
    step(dossier, dept_legal, {"decision": "send_back", "comment": "第三条表述不清。"})
    assert (dossier.stage, dossier.returned_from) == (Stage.REVISION, Stage.DEPT_CHECK)
    step(dossier, drafter, *revised(dossier, "明确第三条部门职责。"))
    assert dossier.stage == Stage.DEPT_CHECK
    step(dossier, dept_legal, {"decision": "pass", "comment": "同意报送。"})
    assert dossier.stage == Stage.COMPLETENESS

    # Stage 2: the consultation record is missing, so "complete" is refused.
    with pytest.raises(ValueError, match="材料不齐全，尚缺：征求意见及采纳情况。请要求补正。"):
        step(dossier, reviewer, COMPLETE)
    step(dossier, reviewer, {"decision": "supplement", "missing": ["consultation"], "comment": ""})
    assert dossier.stage == Stage.SUPPLEMENT
    assert dossier.materials_complete_on is None
    step(
        dossier,
        drafter,
        {"comment": "补充征求意见情况。"},
        {"consultation": drafts.material_upload("consultation", "x")},
    )
    assert dossier.stage == Stage.COMPLETENESS
    step(dossier, reviewer, COMPLETE)
    assert dossier.stage == Stage.LEGAL_REVIEW and dossier.materials_complete_on

    # Stage 2 sends it back with a "revise" opinion on an article, signed by the head; it
    # returns to stage 2.
    step(dossier, reviewer, REVISE)
    assert dossier.stage == Stage.HEAD_SIGN
    step(dossier, head, SIGN)
    assert (dossier.stage, dossier.returned_from) == (Stage.REVISION, Stage.HEAD_SIGN)
    step(dossier, drafter, *revised(dossier, "删除第六条处罚内容。"))
    assert dossier.stage == Stage.LEGAL_REVIEW
    step(dossier, reviewer, LAWFUL)
    assert dossier.stage == Stage.HEAD_SIGN
    step(dossier, head, SIGN)
    assert dossier.stage == Stage.MEETING

    # Stage 3 and 4.
    meeting = {
        "meeting": "市政府第12次常务会议",
        "held_on": "2026-11-20",
        "outcome": "adopted",
        "notes": "",
    }
    step(dossier, secretary, meeting)
    assert dossier.stage == Stage.RECHECK
    assert dossier.approved_version == dossier.latest_version
    step(dossier, clerk, {"decision": "pass", "opinion_adopted": "on", "comment": ""})
    step(dossier, clerk, {"published_on": "2026-11-25", "published_in": "政府网站"})
    assert dossier.stage == Stage.ISSUED
    assert dossier.number == "衡政规〔2026〕1号"
    assert dossier.process.finished is not None or dossier.process.status == "DONE"

    # Every submission is a version; every opinion kept with its conclusion and signer.
    assert [v.number for v in dossier.versions.all()] == [1, 2, 3]
    opinions = list(dossier.opinions.order_by("created_at"))
    assert [(o.stage, o.conclusion) for o in opinions] == [
        (Stage.DEPT_CHECK, Conclusion.PASS),
        (Stage.LEGAL_REVIEW, Conclusion.REVISE),
        (Stage.LEGAL_REVIEW, Conclusion.LAWFUL),
    ]
    assert all(o.is_signed for o in opinions)
    assert opinions[1].version.number == 2 and opinions[2].version.number == 3
    assert opinions[1].signed_by == opinions[2].signed_by == head
    assert opinions[1].findings.get().article == "第六条"
    assert opinions[2].number.startswith(f"衡法审〔{timezone.localdate().year}〕")

    actions = list(dossier.history.values_list("action", flat=True))
    assert actions == [
        A.CREATED, A.VERSION_ADDED,
        A.MATERIAL_ADDED, A.MATERIAL_ADDED, A.MATERIAL_ADDED,
        A.SUBMITTED,
        A.SENT_BACK, A.VERSION_ADDED, A.RESUBMITTED,
        A.PASSED,
        A.SUPPLEMENT_REQUESTED, A.MATERIAL_ADDED, A.SUPPLEMENTED,
        A.MATERIALS_COMPLETE,
        A.OPINION_WRITTEN, A.OPINION_SIGNED, A.CLOCK_PAUSED, A.SENT_BACK,
        A.CLOCK_RESUMED, A.VERSION_ADDED, A.FINDINGS_ANSWERED, A.RESUBMITTED,
        A.OPINION_WRITTEN, A.OPINION_SIGNED,
        A.MEETING_DECIDED, A.RECHECKED, A.REGISTERED,
    ]  # fmt: skip
    sent_back = dossier.history.filter(action=A.SENT_BACK).first()
    assert (sent_back.actor, sent_back.comment, sent_back.stage) == (
        dept_legal,
        "第三条表述不清。",
        Stage.DEPT_CHECK,
    )

    # The dossier page shows it all.
    login(client, drafter)
    page = client.get(dossier.get_absolute_url()).content.decode()
    for text in (
        "衡政规〔2026〕1号",
        "第3稿",
        "第六条",
        "修改完善",
        "内容合法",
        "要求补正材料",
        "市政府第12次常务会议",
    ):
        assert text in page


def test_do_not_make_closes_the_dossier_with_its_record(people, new_dossier):
    dossier = new_dossier()
    advance(dossier, people, 2)
    step(
        dossier,
        people["reviewer"],
        {**LAWFUL, "conclusion": "do_not_make", "text": "无上位法依据。"},
    )
    step(dossier, people["head"], SIGN)
    # Art. 18: it closes only once the department accepts or the objection window passes.
    assert dossier.stage == Stage.OBJECTION
    step(dossier, people["drafter"], {"decision": "accept"})
    assert dossier.stage == Stage.CLOSED
    assert dossier.history.last().action == A.CLOSED
    assert dossier.opinions.get(conclusion="do_not_make").is_signed


def test_meeting_amendments_go_to_the_drafter_then_to_the_recheck(people, new_dossier):
    dossier = new_dossier()
    advance(dossier, people, 4)
    step(
        dossier,
        people["secretary"],
        {
            "meeting": "第3次常务会议",
            "held_on": "2026-11-02",
            "outcome": "amend",
            "notes": "第五条增加信息公开要求。",
        },
    )
    assert dossier.stage == Stage.REVISION
    approved = dossier.approved_version
    step(dossier, people["drafter"], *revised(dossier, "按会议意见修改第五条。"))
    assert dossier.stage == Stage.RECHECK
    # A changed text needs its changes justified before it can be issued.
    with pytest.raises(
        ValueError, match="拟发布文本与常务会议审议通过的文本不一致，请说明每处修改的理由。"
    ):
        step(dossier, people["clerk"], {"decision": "pass", "opinion_adopted": "on", "comment": ""})
    step(
        dossier,
        people["clerk"],
        {"decision": "pass", "opinion_adopted": "on", "comment": "按会议意见修改第五条。"},
    )
    assert dossier.stage == Stage.REGISTRATION
    assert dossier.approved_version == approved != dossier.latest_version


def test_meeting_rejection_closes_the_dossier(people, new_dossier):
    dossier = new_dossier()
    advance(dossier, people, 4)
    step(
        dossier,
        people["secretary"],
        {"meeting": "第3次常务会议", "held_on": "2026-11-02", "outcome": "rejected", "notes": ""},
    )
    assert dossier.stage == Stage.CLOSED


def test_a_finding_must_point_at_an_article_of_the_draft(people, new_dossier):
    dossier = advance(new_dossier(), people, 2)
    wrong = {**REVISE, "findings-0-article": "第九十九条"}
    with pytest.raises(ValueError, match="草案中没有“第九十九条”。"):
        step(dossier, people["reviewer"], wrong)
    step(dossier, people["reviewer"], {**REVISE, "findings-0-article": "第6条"})
    assert dossier.opinions.get(conclusion="revise").findings.get().article == "第六条"
