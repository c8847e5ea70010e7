"""The legal clock: working-day arithmetic and the Art. 16 review time limit."""

from datetime import date, datetime

import pytest

from core.workdays import (
    PACKAGE_YEARS,
    ClockError,
    ClockState,
    Extend,
    Pause,
    Resume,
    ReviewClock,
    UnknownCalendarYear,
    WorkCalendar,
    add_months,
    add_years,
    validity_last_day,
)

CAL = WorkCalendar()


def test_package_knows_2025_national_day_and_its_adjusted_working_days():
    assert CAL.is_working_day(date(2025, 9, 28))  # Sunday worked
    assert not any(CAL.is_working_day(date(2025, 10, day)) for day in range(1, 9))
    assert CAL.is_working_day(date(2025, 10, 11))  # Saturday worked
    assert not CAL.is_working_day(date(2025, 10, 12))


def test_fifteen_working_days_across_national_day_2025():
    # Received Fri 9-26 (not counted). 9-27 Sat off; 9-28 Sun worked (1), 9-29 (2), 9-30 (3);
    # 10-1..10-8 holiday; 10-9 (4), 10-10 (5), 10-11 Sat worked (6); 10-12 Sun off;
    # 10-13..10-17 (7-11); 10-20 (12), 10-21 (13), 10-22 (14), 10-23 (15).
    assert CAL.add_working_days(date(2025, 9, 26), 15) == date(2025, 10, 23)
    assert CAL.working_days_between(date(2025, 9, 26), date(2025, 10, 23)) == 15


def test_working_days_between_is_antisymmetric():
    assert CAL.working_days_between(date(2025, 10, 23), date(2025, 9, 26)) == -15
    assert CAL.working_days_between(date(2025, 10, 1), date(2025, 10, 1)) == 0
    # A day off after the start adds nothing.
    assert CAL.working_days_between(date(2025, 10, 10), date(2025, 10, 12)) == 1


def test_fifteen_working_days_across_spring_festival_2026():
    # Received Mon 2-9. 2-10..2-13 (1-4), 2-14 Sat worked (5); 2-15..2-23 holiday;
    # 2-24..2-27 (6-9), 2-28 Sat worked (10); 3-1 Sun off; 3-2..3-6 (11-15).
    assert CAL.add_working_days(date(2026, 2, 9), 15) == date(2026, 3, 6)


def test_calendar_day_period_ending_on_a_holiday_moves_to_next_working_day():
    # Filing within 15 days (Art. 11) of publication on 2025-09-16: day 15 is 10-01, National
    # Day; 10-02..10-08 are holidays too, so the period ends Thu 10-09.
    assert CAL.add_calendar_days(date(2025, 9, 16), 15) == date(2025, 10, 9)
    # Another province's 30 days from 2025-09-01 end on the same holiday.
    assert CAL.add_calendar_days(date(2025, 9, 1), 30) == date(2025, 10, 9)


def test_calendar_day_period_ending_on_a_saturday_may_end_on_an_adjusted_sunday():
    # Day 15 after 2025-09-12 is Sat 9-27; Sun 9-28 is worked before National Day.
    assert CAL.add_calendar_days(date(2025, 9, 12), 15) == date(2025, 9, 28)


def test_calendar_day_period_ending_on_a_working_day_stays():
    assert CAL.add_calendar_days(date(2025, 11, 3), 30) == date(2025, 12, 3)


def test_review_running_due_today_and_overdue():
    clock = ReviewClock(CAL, date(2025, 9, 26), 15)

    on_receipt = clock.status(date(2025, 9, 26))
    assert on_receipt.state == ClockState.RUNNING
    assert on_receipt.due_date == date(2025, 10, 23)
    assert (on_receipt.working_days_used, on_receipt.working_days_left) == (0, 15)

    during_holiday = clock.status(date(2025, 10, 5))
    assert (during_holiday.working_days_used, during_holiday.working_days_left) == (3, 12)

    due = clock.status(date(2025, 10, 23))
    assert due.state == ClockState.DUE_TODAY
    assert due.working_days_left == 0
    assert due.deemed_passed_on == date(2025, 10, 24)

    late = clock.status(date(2025, 10, 27))
    assert late.state == ClockState.OVERDUE
    assert late.deemed_passed_on == date(2025, 10, 24)
    # Fri 10-24 and Mon 10-27 are past the limit: all 15 used, none left.
    assert (late.working_days_used, late.working_days_left) == (15, 0)


def test_pause_for_supplement_and_resume():
    # Pause Tue 9-30: 9-28, 9-29, 9-30 used, 12 left. Resume Wed 10-15 (not counted):
    # 10-16, 10-17 (2), 10-20..10-24 (7), 10-27..10-31 (12).
    events = [Pause(date(2025, 9, 30), "补正材料"), Resume(date(2025, 10, 15))]

    paused = ReviewClock(CAL, date(2025, 9, 26), 15, events[:1]).status(date(2025, 10, 10))
    assert paused.state == ClockState.PAUSED
    assert paused.paused and paused.paused_since == date(2025, 9, 30)
    assert paused.due_date is None and paused.deemed_passed_on is None
    assert (paused.working_days_used, paused.working_days_left) == (3, 12)

    resumed = ReviewClock(CAL, date(2025, 9, 26), 15, events)
    assert resumed.status(date(2025, 10, 15)).due_date == date(2025, 10, 31)
    assert resumed.status(date(2025, 10, 15)).working_days_left == 12
    assert resumed.status(date(2025, 10, 31)).state == ClockState.DUE_TODAY
    overdue = resumed.status(date(2025, 11, 3))
    assert overdue.state == ClockState.OVERDUE
    assert overdue.deemed_passed_on == date(2025, 11, 1)
    assert overdue.working_days_left == 0


def test_a_deadline_in_a_known_year_runs_out_in_an_unknown_one(calendar_known_through):
    """Due Thu 2026-12-31; on Mon 2027-01-04, with no 2027 calendar, it has run out."""
    calendar_known_through(2026)
    clock = ReviewClock(WorkCalendar(), date(2026, 12, 10), 15)
    status = clock.status(date(2027, 1, 4))
    assert status.due_date == date(2026, 12, 31)
    assert status.state == ClockState.OVERDUE and status.deemed_passed_on == date(2027, 1, 1)
    assert status.working_days_left == 0


def test_two_pauses_add_up():
    # Pause 9-30 (3 used, 12 left), resume 10-9; 10-10, 10-11 used (10 left), pause 10-11 for a
    # hearing, resume 10-17; 10-20..10-24 (5), 10-27..10-31 (10).
    events = [
        Pause(date(2025, 9, 30), "补正材料"),
        Resume(date(2025, 10, 9)),
        Pause(date(2025, 10, 11), "听证"),
        Resume(date(2025, 10, 17)),
    ]
    status = ReviewClock(CAL, date(2025, 9, 26), 15, events).status(date(2025, 10, 17))
    assert status.due_date == date(2025, 10, 31)
    assert (status.working_days_used, status.working_days_left) == (5, 10)


def test_pause_on_the_due_day_leaves_the_resume_day_as_due_date():
    events = [Pause(date(2025, 10, 23), "退回修改"), Resume(date(2025, 10, 27))]
    status = ReviewClock(CAL, date(2025, 9, 26), 15, events).status(date(2025, 10, 27))
    assert status.state == ClockState.DUE_TODAY
    assert status.due_date == date(2025, 10, 27)


def test_pause_after_the_due_date_is_refused():
    with pytest.raises(ClockError):
        ReviewClock(CAL, date(2025, 9, 26), 15, [Pause(date(2025, 10, 24), "补正材料")])


def test_extension_of_ten_working_days():
    # Due 10-23, extended that day: 10-24 (16), 10-27..10-31 (21), 11-3..11-6 (25).
    clock = ReviewClock(CAL, date(2025, 9, 26), 15, [Extend(date(2025, 10, 23), 10)])
    status = clock.status(date(2025, 10, 24))
    assert status.extended
    assert status.due_date == date(2025, 11, 6)
    assert status.deemed_passed_on == date(2025, 11, 7)
    assert (status.working_days_allowed, status.working_days_used) == (25, 16)


def test_extension_after_the_due_date_is_refused():
    with pytest.raises(ClockError):
        ReviewClock(CAL, date(2025, 9, 26), 15, [Extend(date(2025, 10, 24), 10)])


def test_extension_during_a_pause_is_accepted_late():
    # Paused on the due day with 0 left; +10 from the resume day Mon 10-27: 10-28..10-31 (4),
    # 11-3..11-7 (9), 11-10 (10).
    events = [
        Pause(date(2025, 10, 23), "调查"),
        Extend(date(2025, 10, 24), 10),
        Resume(date(2025, 10, 27)),
    ]
    status = ReviewClock(CAL, date(2025, 9, 26), 15, events).status(date(2025, 10, 27))
    assert status.due_date == date(2025, 11, 10)


def test_document_handed_down_by_the_government_across_spring_festival_2025():
    # Seven working days from Mon 1-20: 1-21..1-24 (4); 1-25 Sat off; 1-26 Sun worked (5);
    # 1-27 (6); 1-28..2-4 holiday; 2-5 (7).
    status = ReviewClock(CAL, date(2025, 1, 20), 7).status(date(2025, 1, 27))
    assert status.due_date == date(2025, 2, 5)
    assert status.working_days_left == 1


def test_emergency_is_due_on_the_day_of_receipt():
    clock = ReviewClock(CAL, date(2025, 10, 9), 0)
    status = clock.status(date(2025, 10, 9))
    assert status.state == ClockState.DUE_TODAY
    assert status.due_date == date(2025, 10, 9)
    assert status.deemed_passed_on == date(2025, 10, 10)
    assert clock.status(date(2025, 10, 10)).state == ClockState.OVERDUE


@pytest.mark.parametrize(
    "events",
    [
        [Resume(date(2025, 10, 1))],
        [Pause(date(2025, 9, 30), "补正材料"), Pause(date(2025, 10, 9), "听证")],
        [Pause(date(2025, 9, 25), "补正材料")],
        [Pause(date(2025, 10, 9), "补正材料"), Resume(date(2025, 10, 1))],
        [Extend(date(2025, 10, 9), 0)],
    ],
)
def test_inconsistent_events_are_refused(events):
    with pytest.raises(ClockError):
        ReviewClock(CAL, date(2025, 9, 26), 15, events)


def test_status_before_the_last_event_is_refused():
    clock = ReviewClock(CAL, date(2025, 9, 26), 15, [Pause(date(2025, 9, 30), "补正材料")])
    with pytest.raises(ClockError):
        clock.status(date(2025, 9, 29))


def test_package_covers_2004_to_2026():
    assert (PACKAGE_YEARS.start, PACKAGE_YEARS.stop) == (2004, 2027)
    assert CAL.known_years() == list(range(2004, 2027))


def test_unknown_year_raises_until_an_administrator_completes_it(calendar_known_through):
    calendar_known_through(2026)
    with pytest.raises(UnknownCalendarYear) as raised:
        CAL.is_working_day(date(2027, 1, 4))
    assert raised.value.year == 2027
    # Received Thu 2026-12-24: the period runs into 2027.
    with pytest.raises(UnknownCalendarYear):
        CAL.add_working_days(date(2026, 12, 24), 15)

    new_year_off = {date(2027, 1, 1): False}
    partial = WorkCalendar(overrides=new_year_off)
    assert not partial.is_year_known(2027)
    with pytest.raises(UnknownCalendarYear):
        partial.add_working_days(date(2026, 12, 24), 15)

    complete = WorkCalendar(overrides=new_year_off, complete_years={2027})
    assert complete.is_year_known(2027)
    assert complete.known_years()[-1] == 2027
    # 12-25 (1), 12-28..12-31 (5); 2027-01-01 Fri off by override; 1-4..1-8 (10),
    # 1-11..1-15 (15).
    assert complete.add_working_days(date(2026, 12, 24), 15) == date(2027, 1, 15)


def test_pause_before_an_unknown_year_does_not_need_it(calendar_known_through):
    calendar_known_through(2026)
    # Received 12-10, paused 12-18 (6 used): nothing looks into 2027 until the clock resumes.
    clock = ReviewClock(CAL, date(2026, 12, 10), 15, [Pause(date(2026, 12, 18), "补正材料")])
    assert clock.status(date(2026, 12, 31)).working_days_left == 9


def test_override_turning_a_working_day_into_a_day_off_moves_the_due_date():
    cal = WorkCalendar(overrides={date(2025, 10, 20): False})
    # Mon 10-20 no longer counts, so the 15th working day moves from Thu 10-23 to Fri 10-24.
    assert ReviewClock(cal, date(2025, 9, 26), 15).status(date(2025, 9, 26)).due_date == date(
        2025, 10, 24
    )


def test_override_turning_a_day_off_into_a_working_day():
    cal = WorkCalendar(overrides={date(2025, 10, 12): True})
    assert cal.add_working_days(date(2025, 10, 10), 2) == date(2025, 10, 12)


def test_datetime_is_refused():
    # Its calendar day depends on the time zone; the caller must pass the local date.
    with pytest.raises(TypeError):
        CAL.is_working_day(datetime(2025, 10, 9, 9, 30))


def test_months_use_the_corresponding_day_or_the_month_end():
    assert add_months(date(2025, 8, 31), 6) == date(2026, 2, 28)
    assert add_months(date(2024, 8, 31), -6) == date(2024, 2, 29)
    assert add_months(date(2025, 12, 15), 1) == date(2026, 1, 15)
    assert add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)


def test_validity_ends_the_day_before_the_anniversary():
    assert validity_last_day(date(2025, 1, 1), 5) == date(2029, 12, 31)
    assert validity_last_day(date(2024, 2, 29), 2) == date(2026, 2, 28)
    assert validity_last_day(date(2023, 3, 1), 5) == date(2028, 2, 29)
    # Six months' warning before a lapse (the register's cleanup flag).
    assert add_months(validity_last_day(date(2021, 8, 31), 5), -6) == date(2026, 2, 28)
