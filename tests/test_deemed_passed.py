"""Art. 16 as law, not only as dates: when the period starts, who decides its category, and
what running out does to the dossier (BRIEF, "Legal consequences")."""

from datetime import date

import pytest

from demo.clock import moved_clock
from demo.payloads import COMPLETE, LAWFUL, PASS, SIGN
from review.models import HistoryEntry, Opinion, Stage
from workflow import clock
from workflow.models import ClockEvent, Notification
from workflow.nodes import StaleTask
from workflow.tasks import filing_reminders, legal_clock_reminders

from .conftest import step, submit

Kind = ClockEvent.Kind


def on(day, act, *args):
    with moved_clock(day):
        return act(*args)


def received(people, dossier, day):
    """Submitted the day before ``day``, passed on by stage 1 on ``day``."""
    on(day, submit, dossier, people["drafter"])
    on(day, step, dossier, people["dept_legal"], PASS)


@pytest.mark.today(date(2025, 10, 27))
def test_the_period_runs_from_the_day_complete_materials_arrived_not_from_the_check(
    people, new_dossier
):
    """Passed on by stage 1 on Fri 2025-09-26, checked on Tue 09-30: due 10-23."""
    dossier = new_dossier()
    received(people, dossier, date(2025, 9, 26))
    on(date(2025, 9, 30), step, dossier, people["reviewer"], COMPLETE)
    assert dossier.materials_complete_on == date(2025, 9, 26)
    assert clock.dossier_clock(dossier, date(2025, 10, 9)).status.due_date == date(2025, 10, 23)


@pytest.mark.today(date(2025, 10, 27))
def test_after_a_supplement_the_period_runs_from_its_arrival(people, new_dossier):
    dossier = new_dossier(materials=False)
    received(people, dossier, date(2025, 9, 22))
    asked = {"decision": "supplement", "missing": ["cover_letter", "explanation"]}
    on(date(2025, 9, 23), step, dossier, people["reviewer"], asked)
    # Every required material but two was never uploaded: the request names them all.
    from demo import drafts

    files = {
        kind: drafts.material_upload(kind, dossier.title) for kind in dossier.missing_materials()
    }
    on(date(2025, 9, 26), step, dossier, people["drafter"], {"comment": "已补正。"}, files)
    on(date(2025, 9, 30), step, dossier, people["reviewer"], COMPLETE)
    assert dossier.materials_complete_on == date(2025, 9, 26)


@pytest.mark.today(date(2025, 10, 27))
def test_deemed_passed_moves_the_dossier_on_and_a_later_do_not_make_is_only_advice(
    people, new_dossier, client
):
    """The audit's case: complete on 2025-09-26, run out recorded on 2025-10-24, the
    dossier at the meeting, and a later 不予制定 kept as advisory."""
    dossier = new_dossier()
    received(people, dossier, date(2025, 9, 26))
    on(date(2025, 9, 29), step, dossier, people["reviewer"], COMPLETE)

    assert legal_clock_reminders(date(2025, 10, 23)) >= 0
    dossier.refresh_from_db()
    assert dossier.stage == Stage.LEGAL_REVIEW  # the last day is still the office's

    on(date(2025, 10, 24), legal_clock_reminders, date(2025, 10, 24))
    dossier.refresh_from_db()
    assert dossier.stage == Stage.MEETING
    assert dossier.clock_events.get(kind=Kind.DEEMED_PASSED).on == date(2025, 10, 24)
    entry = dossier.history.get(action=HistoryEntry.Action.DEEMED_PASSED)
    assert entry.actor is None
    assert Notification.objects.filter(user=people["drafter"], dossier=dossier).exists()

    # The office still writes its opinion: 不予制定, late, signed by the head, sent as advice.
    client.force_login(people["reviewer"])
    late = {"late-conclusion": "do_not_make", "late-text": "无上位法依据。", "action": "write"}
    client.post(f"/tasks/late-opinion/{dossier.pk}/", late)
    opinion = Opinion.objects.get(dossier=dossier, stage=Stage.LEGAL_REVIEW)
    assert opinion.late and not opinion.is_signed
    client.force_login(people["head"])
    client.post(f"/tasks/late-opinion/{dossier.pk}/", {"action": "sign", "opinion": opinion.pk})
    opinion.refresh_from_db()
    assert opinion.is_signed and "仅供" in _letter_text(opinion)
    dossier.refresh_from_db()
    assert dossier.stage == Stage.MEETING  # the late 不予制定 closes nothing

    # Deemed passed, the draft may go to the meeting.
    meeting = {"meeting": "市政府第20次常务会议", "held_on": "2025-10-27", "outcome": "adopted"}
    step(dossier, people["secretary"], meeting)
    assert dossier.stage == Stage.RECHECK


def _letter_text(opinion):
    import io

    from docx import Document

    with opinion.letter.file.open("rb") as f:
        return "\n".join(p.text for p in Document(io.BytesIO(f.read())).paragraphs)


@pytest.mark.today(date(2025, 10, 27))
def test_an_opinion_submitted_after_the_period_does_not_stop_the_meeting(people, new_dossier):
    dossier = new_dossier()
    received(people, dossier, date(2025, 9, 26))
    on(date(2025, 9, 29), step, dossier, people["reviewer"], COMPLETE)
    refuse = {**LAWFUL, "conclusion": "do_not_make", "text": "不宜制定。"}
    step(dossier, people["reviewer"], refuse)  # on 10-27, after the run-out
    assert dossier.stage == Stage.MEETING
    assert dossier.opinions.get(stage=Stage.LEGAL_REVIEW).late


@pytest.mark.today(date(2025, 9, 29))
def test_the_drafter_asks_for_an_emergency_and_the_legal_office_decides_it(
    people, new_dossier, client
):
    client.force_login(people["drafter"])
    from demo import drafts

    form = {
        "title": "衡水市突发事件应急物资征用补偿办法（草案）",
        "kind": "government",
        "urgency": "emergency",
        "legal_basis": "《中华人民共和国突发事件应对法》",
        "draft": drafts.upload("草案.docx", drafts.draft_text("应急", "应急", "法", "局")),
    }
    refused = client.post("/dossiers/new/", form)
    assert "申请政府交办或紧急审查时，请写明理由。" in refused.content.decode()
    dossier = new_dossier("衡水市突发事件应急物资征用补偿办法（草案）")
    dossier.urgency_requested, dossier.urgency_reason = "emergency", "防汛应急，须立即施行。"
    dossier.save()
    received(people, dossier, date(2025, 9, 26))  # a Friday
    assert dossier.urgency == "normal"  # asked for, not yet decided
    with pytest.raises(ValueError, match="确定为紧急审查时，请填写审查所需的工作日数。"):
        step(dossier, people["reviewer"], {**COMPLETE, "urgency": "emergency"})
    step(dossier, people["reviewer"], {**COMPLETE, "urgency": "emergency",
                                       "emergency_working_days": "1"})  # fmt: skip
    status = clock.dossier_clock(dossier).status
    # Never deemed passed the next calendar day: one working day of review, Sun 9-28 (调休).
    assert status.due_date == date(2025, 9, 28) and status.working_days_allowed == 1
    assert dossier.urgency == "emergency" and dossier.emergency_working_days == 1


@pytest.mark.today(date(2027, 1, 4))
def test_due_2026_12_31_is_recorded_as_run_out_on_2027_01_04_with_no_2027_calendar(
    people, new_dossier, calendar_known_through
):
    calendar_known_through(2026)
    dossier = new_dossier()
    received(people, dossier, date(2026, 12, 10))
    on(date(2026, 12, 11), step, dossier, people["reviewer"], COMPLETE)
    legal_clock_reminders(date(2027, 1, 4))
    dossier.refresh_from_db()
    assert dossier.clock_events.get(kind=Kind.DEEMED_PASSED).on == date(2027, 1, 1)
    assert dossier.stage == Stage.MEETING


@pytest.mark.today(date(2026, 12, 28))
def test_an_extension_into_an_unknown_year_is_granted_and_its_end_said_to_be_pending(
    people, new_dossier, client, calendar_known_through
):
    calendar_known_through(2026)
    dossier = new_dossier()
    received(people, dossier, date(2026, 12, 10))
    on(date(2026, 12, 11), step, dossier, people["reviewer"], COMPLETE)
    client.force_login(people["head"])
    client.post(f"/tasks/clock/{dossier.pk}/", {"action": "extend", "reason": "涉及多部门"})
    assert dossier.clock_events.filter(kind=Kind.EXTEND).exists()
    page = client.get(dossier.get_absolute_url()).content.decode()
    # The new end falls in 2027: said, and known once an administrator enters that year.
    assert "尚无2027年的节假日安排，无法计算期限。请管理员录入该年全年的节假日和调休安排。" in page
    assert "届满日期待下一年度节假日安排公布后确定" in _letter_of(dossier, "extension_notice")


def _letter_of(dossier, kind):
    import io

    from docx import Document

    with dossier.letters.get(kind=kind).file.open("rb") as f:
        return "\n".join(p.text for p in Document(io.BytesIO(f.read())).paragraphs)


@pytest.mark.today(date(2026, 12, 28))
def test_a_filing_period_ending_in_an_unknown_year_is_said_not_skipped(
    people, new_dossier, calendar_known_through
):
    calendar_known_through(2026)
    dossier = new_dossier()
    dossier.stage, dossier.issued_on, dossier.number = (
        Stage.ISSUED,
        date(2026, 12, 25),
        "衡政规〔2026〕9号",
    )
    dossier.save()
    assert filing_reminders(date(2026, 12, 28)) == 1
    note = Notification.objects.get(user=people["clerk"])
    assert "报送备案期限无法计算" in note.message and "2027" in note.message


def test_from_november_the_legal_office_is_warned_of_next_years_missing_holidays(
    people, client, calendar_known_through, today
):
    """On 2026-11-26 with the package's table ending in 2026."""
    calendar_known_through(2026)
    client.force_login(people["reviewer"])
    assert "尚未录入2027年的节假日和调休安排" in client.get("/tasks/").content.decode()
    client.force_login(people["drafter"])
    assert "尚未录入2027年" not in client.get("/tasks/").content.decode()


def test_a_pause_needs_a_ground_of_art_16(people, new_dossier, client):
    dossier = new_dossier()
    submit(dossier, people["drafter"])
    step(dossier, people["dept_legal"], PASS)
    step(dossier, people["reviewer"], COMPLETE)
    client.force_login(people["reviewer"])
    holiday = {"action": "pause", "ground": "annual_leave", "reason": "审查人员休年假"}
    page = client.post(f"/tasks/clock/{dossier.pk}/", holiday, follow=True)
    assert "请选择暂停事由：调查研究、召开论证会或举行听证会（第十六条）。" in page.content.decode()
    assert not dossier.clock_events.exists()
    hearing = {"action": "pause", "ground": "hearing", "reason": "就收费标准举行听证"}
    client.post(f"/tasks/clock/{dossier.pk}/", hearing)
    assert dossier.clock_events.get().ground == ClockEvent.Ground.HEARING


def test_every_opinion_in_the_offices_name_is_signed_by_its_head(people, new_dossier):
    from demo.payloads import REVISE

    dossier = new_dossier()
    submit(dossier, people["drafter"])
    step(dossier, people["dept_legal"], PASS)
    step(dossier, people["reviewer"], COMPLETE)
    step(dossier, people["reviewer"], REVISE)
    opinion = dossier.opinions.get(stage=Stage.LEGAL_REVIEW)
    assert not opinion.is_signed and dossier.stage == Stage.HEAD_SIGN
    with pytest.raises(StaleTask):
        step(dossier, people["reviewer"], SIGN)
    step(dossier, people["head"], SIGN)
    opinion.refresh_from_db()
    assert opinion.signed_by == people["head"] and dossier.stage == Stage.REVISION
