"""The legal clock on a dossier: due dates on the Chinese calendar, pauses, the head's
extension, a review deemed passed, and the years nobody has entered yet."""

from datetime import date

import pytest

from core.workdays import ClockState
from demo.payloads import LAWFUL, REVISE, SIGN
from review.models import HistoryEntry, Stage
from workflow import clock
from workflow.models import CalendarYear, ClockEvent, Notification, WorkdayOverride
from workflow.tasks import filing_reminders, legal_clock_reminders

from .conftest import advance, step

Kind = ClockEvent.Kind


@pytest.fixture
def in_review(people, new_dossier):
    dossier = new_dossier()
    advance(dossier, people, 2)
    return dossier


def received_on(dossier, day):
    dossier.materials_complete_on = day
    dossier.save(update_fields=["materials_complete_on"])


def test_fifteen_working_days_across_national_day(in_review):
    received_on(in_review, date(2025, 9, 26))
    state = clock.dossier_clock(in_review, date(2025, 10, 9))
    # 9-28 (调休), 9-29, 9-30, then after 10-1..10-8: 10-9, 10-10, 10-11 (调休), 10-13..10-23.
    assert state.status.due_date == date(2025, 10, 23)
    assert state.status.deemed_passed_on == date(2025, 10, 24)
    assert state.status.working_days_left == 11


def test_handed_down_documents_have_seven_days(in_review):
    in_review.urgency = "handed_down"
    in_review.save()
    received_on(in_review, date(2025, 1, 20))
    assert clock.dossier_clock(in_review, date(2025, 1, 21)).status.due_date == date(2025, 2, 5)


def test_revision_by_the_drafter_pauses_the_clock_and_resubmission_resumes_it(people, in_review):
    step(in_review, people["reviewer"], REVISE)
    assert not clock.dossier_clock(in_review).status.paused  # until the head signs it
    step(in_review, people["head"], SIGN)
    assert clock.dossier_clock(in_review).status.paused
    assert in_review.clock_events.get().ground == ClockEvent.Ground.REVISION
    assert [e.kind for e in in_review.clock_events.all()] == [Kind.PAUSE]
    from tests.helpers import revised

    step(in_review, people["drafter"], *revised(in_review, "已修改。"))
    assert [e.kind for e in in_review.clock_events.all()] == [Kind.PAUSE, Kind.RESUME]
    assert not clock.dossier_clock(in_review).status.paused


def test_the_head_signing_stops_the_clock_in_time(people, in_review):
    step(in_review, people["reviewer"], LAWFUL)
    step(in_review, people["head"], {"decision": "sign", "comment": ""})
    state = clock.dossier_clock(in_review)
    assert state.answered_on is not None and state.kept is True
    assert not state.running


@pytest.mark.today(date(2025, 10, 9))
def test_the_head_extends_once_and_the_drafter_is_told(people, in_review, client):
    received_on(in_review, date(2025, 9, 26))
    assert clock.dossier_clock(in_review).status.due_date == date(2025, 10, 23)
    client.force_login(people["reviewer"])
    refused = client.post(
        f"/tasks/clock/{in_review.pk}/", {"action": "extend", "reason": "情况复杂"}
    )
    assert refused.status_code == 403
    client.force_login(people["head"])
    client.post(
        f"/tasks/clock/{in_review.pk}/",
        {"action": "extend", "reason": "涉及多部门职责，需征求意见"},
    )
    state = clock.dossier_clock(in_review)
    assert state.status.extended and state.status.working_days_allowed == 25
    # 10 more working days after 10-23: 10-24, 10-27..10-31, 11-3..11-6.
    assert state.status.due_date == date(2025, 11, 6)
    note = Notification.objects.get(user=people["drafter"])
    assert "延长10个工作日" in note.message and "涉及多部门职责" in note.message
    client.post(f"/tasks/clock/{in_review.pk}/", {"action": "extend", "reason": "再次延长"})
    assert in_review.clock_events.filter(kind=Kind.EXTEND).count() == 1
    assert in_review.history.filter(action=HistoryEntry.Action.DEADLINE_EXTENDED).count() == 1


def test_a_review_not_answered_in_time_is_deemed_passed_once(people, in_review):
    received_on(in_review, date(2025, 9, 26))
    assert legal_clock_reminders(date(2025, 10, 22)) > 0  # due within 3 working days
    assert not clock.record_deemed_passed(in_review, date(2025, 10, 23))
    sent = legal_clock_reminders(date(2025, 10, 24))
    assert sent >= 2  # reviewers, head, drafter
    assert legal_clock_reminders(date(2025, 10, 24)) == 0  # a second run repeats nothing
    deemed = in_review.clock_events.get(kind=Kind.DEEMED_PASSED)
    assert deemed.on == date(2025, 10, 24)
    entry = in_review.history.get(action=HistoryEntry.Action.DEEMED_PASSED)
    assert entry.actor is None and "2025年10月23日" in entry.comment
    assert (
        Notification.objects.filter(
            user=people["drafter"], message__contains="视为审查通过"
        ).count()
        == 1
    )


def test_a_pause_after_the_period_ran_out_is_not_recorded(people, in_review):
    received_on(in_review, date(2025, 9, 26))
    clock.pause(in_review, people["reviewer"], "听证", ClockEvent.Ground.HEARING)
    assert clock.dossier_clock(in_review).status.state == ClockState.OVERDUE
    assert not in_review.clock_events.filter(kind=Kind.PAUSE).exists()


def test_an_unknown_year_is_said_not_guessed(in_review, client, people, calendar_known_through):
    calendar_known_through(2026)
    received_on(in_review, date(2026, 12, 24))
    state = clock.dossier_clock(in_review, date(2026, 12, 24))
    assert state.status is None and "2027年" in state.error
    client.force_login(people["reviewer"])
    assert "尚无2027年的节假日安排" in client.get(in_review.get_absolute_url()).content.decode()

    CalendarYear.objects.create(year=2027, complete=True)
    WorkdayOverride.objects.create(day=date(2027, 1, 1), is_working_day=False, note="元旦")
    state = clock.dossier_clock(in_review, date(2026, 12, 24))
    assert state.status.due_date == date(2027, 1, 15)


def test_filing_overdue_is_reminded_once(people, in_review):
    in_review.stage, in_review.issued_on, in_review.number = (
        Stage.ISSUED,
        date(2025, 9, 16),
        "衡政规〔2025〕9号",
    )
    in_review.save()
    # 15 days after 9-16 is 10-1, a holiday: the period ends on 10-9.
    assert filing_reminders(date(2025, 10, 9)) == 0
    assert filing_reminders(date(2025, 10, 10)) == 1
    assert filing_reminders(date(2025, 10, 11)) == 0
    assert "报送备案" in Notification.objects.get(user=people["clerk"]).message


def test_administrators_edit_the_calendar_and_are_warned_of_a_missing_year(
    admin_client, calendar_known_through, today
):
    """On 2026-11-26, with the package's table ending in 2026, 2027 is missing."""
    calendar_known_through(2026)
    year = today.year + 1
    warning = f"尚无{year}年的节假日安排"
    assert warning in admin_client.get("/admin/workflow/workdayoverride/").content.decode()
    response = admin_client.post(
        "/admin/workflow/workdayoverride/add/",
        {"day": f"{year}-01-01", "is_working_day": "", "note": "元旦"},
    )
    assert response.status_code == 302
    admin_client.post("/admin/workflow/calendaryear/add/", {"year": str(year), "complete": "on"})
    assert warning not in admin_client.get("/admin/workflow/workdayoverride/").content.decode()
    assert WorkdayOverride.objects.get(day=date(year, 1, 1)).is_working_day is False


def test_task_lists_show_the_due_date(people, in_review, client):
    client.force_login(people["reviewer"])
    due = clock.dossier_clock(in_review).status.due_date
    for url in ("/tasks/", "/tasks/queue/", "/dossiers/"):
        page = client.get(url).content.decode()
        assert f"{due.year}年{due.month}月{due.day}日" in page, url
        assert "剩余15个工作日" in page, url


def test_after_the_deadline_nothing_pauses_or_extends_and_the_fact_is_recorded(
    people, in_review, client
):
    received_on(in_review, date(2025, 9, 26))  # long run out by the test's today
    client.force_login(people["head"])
    response = client.post(
        f"/tasks/clock/{in_review.pk}/", {"action": "extend", "reason": "情况复杂"}, follow=True
    )
    assert "视为审查通过，不能再暂停计时或延长期限" in response.content.decode()
    client.force_login(people["reviewer"])
    response = client.post(
        f"/tasks/clock/{in_review.pk}/",
        {"action": "pause", "ground": "hearing", "reason": "听证"},
        follow=True,
    )
    assert "不能再暂停计时" in response.content.decode()
    kinds = list(in_review.clock_events.values_list("kind", flat=True))
    assert kinds == [Kind.DEEMED_PASSED]
    assert not in_review.letters.filter(kind="extension_notice").exists()
    in_review.refresh_from_db()
    assert in_review.stage == Stage.MEETING  # deemed passed has its effect


def test_an_opinion_signed_late_records_the_review_as_deemed_passed_first(
    people, in_review, client
):
    received_on(in_review, date(2025, 9, 26))
    step(in_review, people["reviewer"], LAWFUL)
    # Written after the period ran out: deemed passed first, the draft goes on to the
    # meeting, and the opinion waits for the head's signature as late advice.
    assert in_review.stage == Stage.MEETING
    opinion = in_review.opinions.get(stage=Stage.LEGAL_REVIEW)
    assert opinion.late and not opinion.is_signed
    client.force_login(people["head"])
    client.post(f"/tasks/late-opinion/{in_review.pk}/", {"action": "sign", "opinion": opinion.pk})
    opinion.refresh_from_db()
    assert opinion.is_signed and opinion.signed_by == people["head"]
    kinds = list(in_review.clock_events.values_list("kind", flat=True))
    assert kinds == [Kind.DEEMED_PASSED, Kind.ANSWERED]
    state = clock.dossier_clock(in_review)
    assert state.kept is False and state.deemed_passed_on == date(2025, 10, 24)


def test_no_extension_while_paused(people, in_review, client):
    client.force_login(people["reviewer"])
    client.post(
        f"/tasks/clock/{in_review.pk}/",
        {"action": "pause", "ground": "hearing", "reason": "组织听证"},
    )
    client.force_login(people["head"])
    response = client.post(
        f"/tasks/clock/{in_review.pk}/", {"action": "extend", "reason": "x"}, follow=True
    )
    assert "计时暂停期间不能延长审查期限" in response.content.decode()
    assert [e.kind for e in in_review.clock_events.all()] == [Kind.PAUSE]
