"""The Art. 16 clock of a dossier's legality review, replayed from its ClockEvents.

It starts the day the materials are complete; revision by the drafter, investigations and
hearings pause it; the head may extend it once; it stops when the written opinion is
given. If no opinion is given by the end of the last day, the draft is deemed passed: the
daily job records that as a fact (see ``record_deemed_passed``).
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from core.workdays import (
    ClockError,
    ClockState,
    ClockStatus,
    Extend,
    Pause,
    Resume,
    ReviewClock,
    UnknownCalendarYear,
)
from review import outgoing
from review.models import Dossier, HistoryEntry, Note

from .models import ClockEvent, work_calendar
from .notifications import notify

Kind = ClockEvent.Kind


def allowance(dossier):
    """Working days for the review (Art. 16): 15, 7 if handed down by the government; for an
    emergency the time the legal office set when it confirmed one, never less than a
    working day, so no draft is deemed passed before anyone could read it."""
    rules = settings.REVIEW_RULES
    if dossier.urgency == Dossier.Urgency.EMERGENCY:
        return max(dossier.emergency_working_days or 0, rules["emergency_min_working_days"])
    if dossier.urgency == Dossier.Urgency.HANDED_DOWN:
        return rules["handed_down_working_days"]
    return rules["review_working_days"]


@dataclass
class DossierClock:
    """The clock as the pages show it."""

    status: ClockStatus | None
    answered_on: date | None
    deemed_passed_on: date | None
    error: str = ""

    @property
    def running(self):
        return self.status is not None and self.answered_on is None

    @property
    def kept(self):
        """The opinion came in time (None while undecided)."""
        if self.deemed_passed_on:
            return False
        if self.answered_on and self.status:
            return self.status.due_date is None or self.answered_on <= self.status.due_date
        return None


def _recorded(dossier):
    """The dossier's clock events, from a list's prefetch when it made one: a list then
    costs the same number of queries whatever its length."""
    return sorted(dossier.clock_events.all(), key=lambda e: (e.on, e.pk))


def _events(dossier):
    result = []
    running = (Kind.PAUSE, Kind.RESUME, Kind.EXTEND)
    for e in (e for e in _recorded(dossier) if e.kind in running):
        if e.kind == Kind.PAUSE:
            result.append(Pause(e.on, e.reason))
        elif e.kind == Kind.RESUME:
            result.append(Resume(e.on))
        else:
            result.append(Extend(e.on, e.working_days))
    return result


def dossier_clock(dossier, today=None, calendar=None):
    """The clock on ``today``, or frozen on the day the opinion was given. None before the
    materials are complete. Lists pass one ``calendar`` for all their rows."""
    if dossier.materials_complete_on is None:
        return None
    marks = {e.kind: e.on for e in _recorded(dossier) if e.kind in ClockEvent.STOPS}
    answered = marks.get(Kind.ANSWERED)
    day = answered or today or timezone.localdate()
    try:
        clock = ReviewClock(
            calendar or work_calendar(),
            dossier.materials_complete_on,
            allowance(dossier),
            _events(dossier),
        )
        status = clock.status(max(day, dossier.materials_complete_on))
    except (UnknownCalendarYear, ClockError) as problem:
        return DossierClock(None, answered, marks.get(Kind.DEEMED_PASSED), str(problem))
    return DossierClock(status, answered, marks.get(Kind.DEEMED_PASSED))


def due_date(dossier, calendar=None):
    """The period's last day as the clock stands (frozen once it stopped), or None: not
    started, paused, or in a year nobody entered."""
    clock = dossier_clock(dossier, calendar=calendar)
    return clock.status.due_date if clock and clock.status else None


def keep_due_date(dossier, calendar=None):
    """Store the period's last day as the clock now stands (``Dossier.review_due_on``), so
    that lists order and count by it in the database instead of replaying every clock.
    Called whenever what the clock depends on changes: its events, the day the materials
    were complete, the category, the calendar."""
    due = due_date(dossier, calendar)
    Dossier.objects.filter(pk=dossier.pk).update(review_due_on=due)
    dossier.review_due_on = due
    return due


def unstopped():
    """The dossiers whose clock has started and not stopped for good, wherever they stand
    now (one that moved on after its period ran out is among them)."""
    return Dossier.objects.filter(materials_complete_on__isnull=False).exclude(
        clock_events__kind__in=ClockEvent.STOPS
    )


def keep_due_dates(calendar=None):
    """Every running period's last day again, after the calendar changed (a year's holidays
    entered, a day corrected). Stopped clocks keep theirs."""
    calendar = calendar or work_calendar()
    for dossier in unstopped().prefetch_related("clock_events"):
        keep_due_date(dossier, calendar)


def calendar_changed(**kwargs):
    """A day corrected or a year's holidays entered moves the periods that run through it."""
    transaction.on_commit(keep_due_dates)


def record(dossier, kind, user=None, reason="", working_days=0, on=None, ground=""):
    event = ClockEvent.objects.create(
        dossier=dossier,
        kind=kind,
        on=on or timezone.localdate(),
        reason=reason,
        working_days=working_days,
        by=user,
        ground=ground,
    )
    # A list's prefetch would replay the events as they were before this one.
    getattr(dossier, "_prefetched_objects_cache", {}).pop("clock_events", None)
    keep_due_date(dossier)
    return event


def is_paused(dossier):
    last = dossier.clock_events.filter(kind__in=[Kind.PAUSE, Kind.RESUME]).last()
    return last is not None and last.kind == Kind.PAUSE


def _locked(dossier):
    """Serialise changes to one dossier's clock (two heads extending at once, a pause
    racing the daily job)."""
    Dossier.objects.select_for_update().filter(pk=dossier.pk).exists()


def _running_status(dossier):
    """The running clock's status, or the reason nothing can be done to it."""
    clock = dossier_clock(dossier)
    if clock is None or not clock.running:
        return None, _("审查期限尚未开始计算或已经停止。")
    if clock.status is None:
        return None, clock.error
    if clock.deemed_passed_on or clock.status.state == ClockState.OVERDUE:
        return None, _("审查期限已届满，依规定视为审查通过，不能再暂停计时或延长期限。")
    return clock.status, ""


def pause(dossier, user, reason, ground):
    """Stop the clock on one of the grounds of Art. 16 para 2 (investigation, expert
    consultation, hearing, revision by the drafter). Returns why it was refused, or "" when
    paused: a period that has run out stays run out."""
    if ground not in ClockEvent.Ground.values:
        return _("暂停计算审查期限只能基于调查研究、论证会、听证会或退回修改。")
    with transaction.atomic():
        _locked(dossier)
        record_deemed_passed(dossier)
        status, refused = _running_status(dossier)
        if status and status.paused:
            refused = _("审查期限已经暂停计算。")
        if refused:
            return refused
        record(dossier, Kind.PAUSE, user, reason, ground=ground)
        label = ClockEvent.Ground(ground).label
        dossier.record(user, HistoryEntry.Action.CLOCK_PAUSED, f"{label}：{reason}".rstrip("："))
        return ""


def resume(dossier, user):
    with transaction.atomic():
        _locked(dossier)
        if is_paused(dossier):
            record(dossier, Kind.RESUME, user)
            dossier.record(user, HistoryEntry.Action.CLOCK_RESUMED)


def answer(dossier, user):
    """The written opinion was given: the clock stops for good. A period that ran out
    before is recorded first, so the opinion's lateness is on the record."""
    with transaction.atomic():
        _locked(dossier)
        if dossier.materials_complete_on and not _answered(dossier):
            record_deemed_passed(dossier)
            resume(dossier, user)
            record(dossier, Kind.ANSWERED, user)


def _answered(dossier):
    return dossier.clock_events.filter(kind=Kind.ANSWERED).exists()


def _extended_due(dossier, days):
    """The due date after an extension granted today, or the reason it cannot be given.
    An extension whose new end falls in a year nobody has entered is granted all the same:
    its due date is None until an administrator enters that year."""
    status, refused = _running_status(dossier)
    if refused:
        return None, refused
    if dossier.clock_events.filter(kind=Kind.EXTEND).exists():
        return None, _("审查期限只能延长一次。")
    if status.paused:
        return None, _("计时暂停期间不能延长审查期限，请恢复计时后再办理。")
    events = [*_events(dossier), Extend(timezone.localdate(), days)]
    try:
        clock = ReviewClock(
            work_calendar(), dossier.materials_complete_on, allowance(dossier), events
        )
        return clock.status(timezone.localdate()).due_date, ""
    except UnknownCalendarYear:
        return None, ""
    except ClockError as problem:
        return None, str(problem)


def can_extend(dossier):
    days = settings.REVIEW_RULES["review_extension_working_days"]
    return not _extended_due(dossier, days)[1]


def extend(dossier, user, reason):
    """The head's once-only extension (Art. 16), with the reason told to the drafter.
    Returns why it was refused, or "" when granted."""
    days = settings.REVIEW_RULES["review_extension_working_days"]
    with transaction.atomic():
        _locked(dossier)
        record_deemed_passed(dossier)
        due, refused = _extended_due(dossier, days)
        if refused:
            return refused
        record(dossier, Kind.EXTEND, user, reason, working_days=days)
        dossier.record(user, HistoryEntry.Action.DEADLINE_EXTENDED, reason)
        outgoing.extension_notice(dossier, user, reason, days, due)
        until = due or Note(gettext_noop("下一年度节假日安排录入后确定的日期"))
        message = gettext_noop(
            "《%(title)s》的审查期限已延长%(days)s个工作日，至%(due)s。理由：%(reason)s"
        )
        notify(
            [dossier.created_by],
            Note(message, title=dossier.title, days=days, due=until, reason=reason),
            key=f"extended:{dossier.pk}",
            dossier=dossier,
        )
    return ""


def record_deemed_passed(dossier, today=None):
    """If the review period ran out without a written opinion, record the legal fact:
    the draft is deemed passed (Art. 16). Returns True when it was recorded now."""
    today = today or timezone.localdate()
    with transaction.atomic():
        _locked(dossier)
        clock = dossier_clock(dossier, today)
        if clock is None or not clock.running or clock.deemed_passed_on or not clock.status:
            return False
        if clock.status.paused or today < clock.status.deemed_passed_on:
            return False
        record(
            dossier,
            Kind.DEEMED_PASSED,
            on=clock.status.deemed_passed_on,
            reason=str(_("期限届满未出具书面审查意见")),
        )
        dossier.record(
            None,
            HistoryEntry.Action.DEEMED_PASSED,
            _("审查期限于%(due)s届满，未出具书面审查意见，依规定视为审查通过。")
            % {"due": day_label(clock.status.due_date)},
        )
    return True


def is_deemed_passed(dossier):
    """The review ran out and the draft is deemed passed (Art. 16), on the record."""
    return dossier.clock_events.filter(kind=Kind.DEEMED_PASSED).exists()


def day_label(day):
    """A date as the user's language writes it (2018年1月18日), or a dash."""
    return date_format(day, "DATE_FORMAT") if day else "—"


def filing_due(issued_on, calendar=None):
    """The last day to file a document issued on ``issued_on`` with the higher government
    (Art. 11). Raises UnknownCalendarYear when that day lies in a year nobody has entered."""
    if not issued_on:
        return None
    return (calendar or work_calendar()).add_calendar_days(
        issued_on, settings.REVIEW_RULES["filing_days"]
    )
