"""The legal clock: working days, periods and the review time limit (Art. 16).

Counting rules (domain BRIEF, "Counting periods"):

- the day a period starts (the day of receipt) is not counted; a period ends at the end of its
  last day, and the day after that the consequence applies (the draft is deemed passed);
- a period of N working days ends on the Nth working day after the start day; weekends and
  statutory holidays are skipped, adjusted working days (调休) count;
- a period of N calendar days ends N days after the start day, or on the next working day if
  that day is not one;
- periods in months and years follow Civil Code Art. 202: the corresponding day of the last
  month, or that month's last day if there is none.
"""

from calendar import monthrange
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

from chinese_calendar import is_workday
from chinese_calendar.constants import holidays
from django.db.models import TextChoices
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

ONE_DAY = timedelta(days=1)

# The package refuses dates outside the span of its holiday table; mirror its own check.
PACKAGE_YEARS = range(min(holidays).year, max(holidays).year + 1)


# The package scans its whole holiday table on every call; its data never changes while the
# process runs, and the clock and the statistics ask about the same days thousands of times.
_package_workday = cache(is_workday)


class UnknownCalendarYear(LookupError):
    """Nobody has told us which days of this year are working days."""

    # Kept as a message and its year, so a notice can say it in each reader's language.
    MESSAGE = gettext_noop(
        "尚无%(year)s年的节假日安排，无法计算期限。请管理员录入该年全年的节假日和调休安排。"
    )

    def __init__(self, year: int):
        self.year = year
        super().__init__(lazy(lambda: gettext(self.MESSAGE) % {"year": year}, str)())


class ClockError(ValueError):
    """The review clock's inputs contradict each other or the law."""


class WorkCalendar:
    """Working days from `chinesecalendar`, corrected and extended by administrators.

    `overrides` maps a date to True (working day) or False (day off) and wins over the package.
    A year the package does not cover is usable only once it is in `complete_years`, meaning an
    administrator has entered all its holidays and adjusted working days; its other days follow
    the weekday rule (Monday to Friday work). Dates in any other year raise UnknownCalendarYear,
    except dates that carry an override.
    """

    def __init__(
        self, overrides: Mapping[date, bool] | None = None, complete_years: Iterable[int] = ()
    ):
        self._overrides = dict(overrides or {})
        self._complete_years = frozenset(complete_years)

    def known_years(self) -> list[int]:
        return sorted(set(PACKAGE_YEARS) | self._complete_years)

    def is_year_known(self, year: int) -> bool:
        return year in PACKAGE_YEARS or year in self._complete_years

    def is_working_day(self, d: date) -> bool:
        # A datetime would never match a date key in the overrides, and its day depends on the
        # time zone: callers must pass the local date (timezone.localdate()).
        if isinstance(d, datetime):
            raise TypeError("is_working_day() takes a date, not a datetime")
        if d in self._overrides:
            return self._overrides[d]
        if d.year in PACKAGE_YEARS:
            return _package_workday(d)
        if d.year in self._complete_years:
            return d.weekday() < 5
        raise UnknownCalendarYear(d.year)

    def _working_days_in(self, a: date, b: date) -> Iterator[date]:
        """Working days after a up to and including b, never looking past b."""
        d = a + ONE_DAY
        while d <= b:
            if self.is_working_day(d):
                yield d
            d += ONE_DAY

    def add_working_days(self, start: date, n: int) -> date:
        """The Nth working day after `start`; `start` itself when n is 0 ("at once")."""
        if n < 0:
            raise ValueError("n must not be negative")
        d = start
        while n:
            d += ONE_DAY
            if self.is_working_day(d):
                n -= 1
        return d

    def working_days_between(self, a: date, b: date) -> int:
        """Working days after a up to and including b; negative when b is before a."""
        if b < a:
            return -self.working_days_between(b, a)
        return sum(1 for _day in self._working_days_in(a, b))

    def add_calendar_days(self, start: date, n: int) -> date:
        """The end of a period of n calendar days, moved to the next working day if need be."""
        if n < 0:
            raise ValueError("n must not be negative")
        d = start + timedelta(days=n)
        while not self.is_working_day(d):
            d += ONE_DAY
        return d


def add_months(d: date, n: int) -> date:
    """The corresponding day n months later (or earlier), else that month's last day.

    2025-08-31 + 6 months is 2026-02-28 (Civil Code Art. 202). No holiday rule applies: use
    WorkCalendar when the result is the last day for an act.
    """
    year, month0 = divmod(d.year * 12 + d.month - 1 + n, 12)
    month = month0 + 1
    return date(year, month, min(d.day, monthrange(year, month)[1]))


def add_years(d: date, n: int) -> date:
    """The same date n years later; 29 February becomes 28 February in a common year."""
    return add_months(d, 12 * n)


def validity_last_day(effective: date, years: int) -> date:
    """The last day a document is in force; it lapses at the end of that day (Art. 24).

    The effective date is the first day in force, so the validity ends the day before the
    `years`-th anniversary, and the document is in force for whole years:
    2025-01-01 for 5 years ends 2029-12-31; 2023-03-01 for 5 years ends 2028-02-29. The
    anniversary of 29 February in a common year is 1 March: 2024-02-29 for 2 years ends
    2026-02-28. Holidays do not move it: a document lapses on a Sunday like on any day.
    """
    try:
        anniversary = effective.replace(year=effective.year + years)
    except ValueError:
        anniversary = date(effective.year + years, 3, 1)
    return anniversary - ONE_DAY


@dataclass(frozen=True)
class Pause:
    """The clock stops: supplement requested, investigation, hearing, revision by the drafter."""

    on: date
    reason: str


@dataclass(frozen=True)
class Resume:
    """The clock runs again, as on a new receipt: the resume day itself is not counted."""

    on: date


@dataclass(frozen=True)
class Extend:
    """The head approved more working days (Art. 16: +10)."""

    on: date
    working_days: int


ClockEvent = Pause | Resume | Extend


class ClockState(TextChoices):
    RUNNING = "running", _("计时中")
    PAUSED = "paused", _("暂停计时")
    DUE_TODAY = "due_today", _("今日到期")
    OVERDUE = "overdue", _("已逾期")


@dataclass(frozen=True)
class ClockStatus:
    """Where the review stands on a given day.

    `working_days_used + working_days_left == working_days_allowed` always holds. Left counts
    working days up to the due date and is 0 from then on, while the state is OVERDUE.
    `due_date` and `deemed_passed_on` are None while the clock is paused, as they depend on
    the day it resumes.
    """

    state: ClockState
    due_date: date | None
    deemed_passed_on: date | None
    working_days_allowed: int
    working_days_used: int
    working_days_left: int
    paused: bool
    paused_since: date | None
    extended: bool


class ReviewClock:
    """The Art. 16 time limit of one review, replayed from its events.

    `working_days` is the initial allowance counted from `start`, the day the materials were
    complete: 15, 7 for documents handed down by the government, 0 for emergencies (due on the
    day of receipt). Events must be in date order.

    A pause counts whole days the conservative way, so that the clock never shows a later
    deadline than the law's: the day of the pause still counts (the reviewer worked on the draft
    that day), the days up to and including the resume day do not, and counting restarts the
    day after resuming. Example: received Fri 2025-09-26, 15 working days; supplement requested
    Tue 2025-09-30 (working days 9-28, 9-29, 9-30 used, 12 left); materials back Wed 2025-10-15;
    the 12 days run from Thu 10-16 and end Fri 2025-10-31. A pause on the due day itself leaves
    0 days, so the opinion is then due on the resume day.

    A pause or extension dated after the due date is refused: by then the draft has been deemed
    passed, and no later act undoes that.
    """

    def __init__(
        self,
        calendar: WorkCalendar,
        start: date,
        working_days: int,
        events: Sequence[ClockEvent] = (),
    ):
        if working_days < 0:
            raise ClockError(_("审查期限的工作日数不能为负数。"))
        self.calendar = calendar
        self._allowed = working_days
        # Counting runs from the day after _anchor: the receipt, later the last resumption.
        self._anchor = start
        self._remaining = working_days
        self._paused_since: date | None = None
        self._extended = False
        self._last_date = start
        for event in events:
            self._apply(event)

    def _apply(self, event: ClockEvent) -> None:
        if event.on < self._last_date:
            raise ClockError(
                format_lazy(
                    _("计时记录的日期{day}早于收到完整材料之日或上一条记录的日期。"), day=event.on
                )
            )
        self._last_date = event.on
        match event:
            case Pause():
                if self._paused_since is not None:
                    raise ClockError(_("计时已暂停，不能重复暂停。"))
                self._refuse_if_expired(event.on)
                self._remaining -= self.calendar.working_days_between(self._anchor, event.on)
                self._paused_since = event.on
            case Resume():
                if self._paused_since is None:
                    raise ClockError(_("计时未暂停，无需恢复。"))
                self._anchor = event.on
                self._paused_since = None
            case Extend():
                if event.working_days <= 0:
                    raise ClockError(_("延长的工作日数必须大于零。"))
                if self._paused_since is None:
                    self._refuse_if_expired(event.on)
                self._remaining += event.working_days
                self._allowed += event.working_days
                self._extended = True
            case _:
                raise TypeError(f"not a clock event: {event!r}")

    def _refuse_if_expired(self, day: date) -> None:
        # Looks no further than the day before `day`, so that a pause in late December works
        # before anyone has entered next year's holidays.
        if day > self._anchor and (
            self.calendar.working_days_between(self._anchor, day - ONE_DAY) >= self._remaining
        ):
            due = self.calendar.add_working_days(self._anchor, self._remaining)
            raise ClockError(
                format_lazy(
                    _("审查期限已于{due}届满，逾期视为审查通过，{day}不能再暂停计时或延长期限。"),
                    due=due,
                    day=day,
                )
            )

    def status(self, today: date) -> ClockStatus:
        """The clock on `today`, which may not precede the start or any event."""
        if today < self._last_date:
            raise ClockError(
                format_lazy(_("查询日期{today}早于最后一条计时记录的日期。"), today=today)
            )
        if self._paused_since is not None:
            return ClockStatus(
                state=ClockState.PAUSED,
                due_date=None,
                deemed_passed_on=None,
                working_days_allowed=self._allowed,
                working_days_used=self._allowed - self._remaining,
                working_days_left=self._remaining,
                paused=True,
                paused_since=self._paused_since,
                extended=self._extended,
            )
        due = self.calendar.add_working_days(self._anchor, self._remaining)
        # Counted no further than the due date: once it has passed nothing is left, and a
        # day in a year nobody has entered yet must not stop a known deadline from running out.
        left = self._remaining - self.calendar.working_days_between(self._anchor, min(today, due))
        if today < due:
            state = ClockState.RUNNING
        elif today == due:
            state = ClockState.DUE_TODAY
        else:
            state = ClockState.OVERDUE
        return ClockStatus(
            state=state,
            due_date=due,
            deemed_passed_on=due + ONE_DAY,
            working_days_allowed=self._allowed,
            working_days_used=self._allowed - left,
            working_days_left=left,
            paused=False,
            paused_since=None,
            extended=self._extended,
        )
