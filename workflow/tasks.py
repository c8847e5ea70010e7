"""Background jobs of the legal clock, run daily by Celery beat (see CELERY_BEAT_SCHEDULE),
and the mailing of notifications.

Each is idempotent: notifications carry a key, and facts are recorded once, so a job that
runs twice, or is retried after a worker died mid-way, changes nothing more.
"""

import logging
from datetime import date, timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_noop

from core.workdays import ClockState, UnknownCalendarYear
from review.models import Conclusion, Dossier, Note, Role, Stage, User
from search.models import Document

from . import actions, clock
from .models import ClockEvent, work_calendar
from .notifications import mail, notify, people_with, queue_mail, unmailed

logger = logging.getLogger(__name__)

RETRY = {"autoretry_for": (Exception,), "retry_backoff": True, "max_retries": 5}

REVIEWING = [Stage.LEGAL_REVIEW, Stage.HEAD_SIGN]


@shared_task(**RETRY)
def legal_clock_reminders(today=None):
    """Deadlines due within a few working days, overdue, or run out: tell the reviewers
    and the head, and record a review deemed passed."""
    today = timezone.localdate() if today is None else _date(today)
    soon = settings.REVIEW_RULES["reminder_working_days"]
    calendar = work_calendar()
    reviewers, heads = people_with(Role.REVIEWER), people_with(Role.HEAD)
    sent = 0
    # Every review whose clock has not stopped, wherever the dossier stands now: one that
    # moved on after its deadline passed must still get the fact recorded.
    for dossier in clock.unstopped():
        # A calendar corrected outside the app moves the stored due date by the next run.
        clock.keep_due_date(dossier, calendar)
        # The legal fact, and its effect: the dossier goes on to collective deliberation.
        actions.pass_by_deadline(dossier, today)
    # Told apart from recording, so that a retry after a crash between the two still tells
    # everybody (the key keeps it to once); a month back is enough for any retry.
    recent = ClockEvent.objects.filter(
        kind=ClockEvent.Kind.DEEMED_PASSED, on__gte=today - timedelta(days=31)
    ).select_related("dossier__created_by")
    for event in recent:
        dossier = event.dossier
        message = Note(
            gettext_noop("《%(title)s》审查期限已届满，未出具书面审查意见，依规定视为审查通过。"),
            title=dossier.title,
        )
        people = reviewers + heads + [dossier.created_by]
        key = f"deemed:{dossier.pk}"
        sent += len(notify(people, message, key=key, dossier=dossier))
    for dossier in Dossier.objects.filter(stage__in=REVIEWING, materials_complete_on__isnull=False):
        state = clock.dossier_clock(dossier, today)
        if not state or not state.running or not state.status or state.status.paused:
            continue
        if state.deemed_passed_on:
            continue
        due = state.status.due_date
        people = heads if dossier.stage == Stage.HEAD_SIGN else reviewers
        if state.status.state == ClockState.OVERDUE:
            message = Note(
                gettext_noop("《%(title)s》审查期限已于%(due)s届满。"), title=dossier.title, due=due
            )
            sent += len(notify(people, message, key=f"overdue:{dossier.pk}:{due}", dossier=dossier))
        else:
            try:
                left = calendar.working_days_between(today, due)
            except UnknownCalendarYear:
                continue
            if left <= soon:
                message = Note(
                    gettext_noop("《%(title)s》审查期限将于%(due)s届满，剩余%(left)s个工作日。"),
                    title=dossier.title,
                    due=due,
                    left=left,
                )
                sent += len(
                    notify(people, message, key=f"due-soon:{dossier.pk}:{due}", dossier=dossier)
                )
    return sent


@shared_task(**RETRY)
def objection_windows(today=None):
    """不予制定 and 暂缓制定 take effect when the 5 working days for an objection (Art. 18)
    pass unused: the dossier closes, by the system."""
    today = timezone.localdate() if today is None else _date(today)
    closed = 0
    for dossier in Dossier.objects.filter(stage=Stage.OBJECTION):
        opinion = dossier.opinions.filter(signed_at__isnull=False).order_by("-signed_at").first()
        end = actions.objection_window_end(opinion) if opinion else None
        if end is None or today <= end:
            continue
        task = actions.open_task(dossier)
        if task is not None:
            task.flow_task.complete_as_system(task.pk, actions.accept_conclusion)
            notify(
                [dossier.created_by],
                Note(
                    gettext_noop("《%(title)s》的异议期限已届满，审查结论“%(c)s”生效，卷宗办结。"),
                    title=dossier.title,
                    c=Conclusion(opinion.conclusion),
                ),
                key=f"objection-window:{dossier.pk}",
                dossier=dossier,
            )
            closed += 1
    return closed


@shared_task(**RETRY)
def lapse_notices(today=None):
    """Art. 24: six months before a document lapses, its issuing department and the legal
    office are told, so a re-evaluation can start in time."""
    today = timezone.localdate() if today is None else _date(today)
    legal_office = people_with(Role.REVIEWER, Role.HEAD)
    sent = 0
    for document in Document.objects.nearing_lapse(today).select_related("department"):
        department = []
        if document.department_id:
            department = list(
                User.objects.filter(
                    department=document.department_id,
                    groups__name__in=[Role.DRAFTER, Role.DEPT_LEGAL],
                    is_active=True,
                )
            )
        message = Note(
            gettext_noop(
                "《%(title)s》（%(number)s）的有效期将于%(day)s届满。需要继续施行的，请及时评估并重新公布。"
            ),
            title=document.title,
            number=document.number or "—",
            day=document.lapses_on,
        )
        key = f"lapse:{document.pk}:{document.lapses_on}"
        sent += len(notify(department + legal_office, message, key=key))
    return sent


@shared_task(**RETRY)
def filing_reminders(today=None):
    """Issued documents not yet filed with the higher government in time (Art. 11)."""
    today = timezone.localdate() if today is None else _date(today)
    calendar = work_calendar()
    clerks = people_with(Role.CLERK)
    sent = 0
    for dossier in Dossier.objects.filter(stage=Stage.ISSUED, filed_on__isnull=True):
        try:
            due = clock.filing_due(dossier.issued_on, calendar)
        except UnknownCalendarYear as unknown:
            # Said, not skipped: the clerk must know the period cannot be counted yet.
            message = Note(
                gettext_noop("《%(title)s》（%(number)s）的报送备案期限无法计算：%(why)s"),
                title=dossier.title,
                number=dossier.number,
                why=Note(UnknownCalendarYear.MESSAGE, year=unknown.year),
            )
            key = f"filing-unknown:{dossier.pk}:{unknown.year}"
            sent += len(notify(clerks, message, key=key, dossier=dossier))
            continue
        if today > due:
            message = Note(
                gettext_noop("《%(title)s》（%(number)s）应于%(due)s前报送备案，至今未报送。"),
                title=dossier.title,
                number=dossier.number,
                due=due,
            )
            sent += len(notify(clerks, message, key=f"filing:{dossier.pk}", dossier=dossier))
    return sent


@shared_task(**RETRY)
def calendar_warning(today=None):
    """Tell the administrators before a year starts whose holidays nobody has entered."""
    today = timezone.localdate() if today is None else _date(today)
    calendar = work_calendar()
    year = today.year + 1
    if today.month < 10 or calendar.is_year_known(year):
        return 0
    message = Note(
        gettext_noop(
            "系统尚无%(year)s年的节假日和调休安排，跨年的审查期限将无法计算。请在“节假日调整”中录入并确认全年安排。"
        ),
        year=year,
    )
    admins = list(User.objects.filter(is_superuser=True, is_active=True))
    return len(notify(admins, message, key=f"calendar:{year}"))


@shared_task(bind=True)
def mail_notification(self, notification_pk, retry=True):
    """Mail one notice, once. A mail server that refuses or cannot be reached is tried again
    after NOTIFICATION_MAIL["retry_seconds"], doubled each time; after the last retry, or
    when ``retry`` is False (the periodic pass), the periodic pass tries later."""
    try:
        return mail(notification_pk)
    except OSError as error:  # smtplib's errors are OSErrors, as are refused connections
        retries = settings.NOTIFICATION_MAIL["retries"]
        # Run in the request (eager, no worker), a retry would come at once, find the
        # server as it was and keep the person waiting.
        if not retry or self.request.is_eager or self.request.retries >= retries:
            logger.warning("Notification %s not mailed: %s", notification_pk, error)
            return False
        countdown = settings.NOTIFICATION_MAIL["retry_seconds"] * 2**self.request.retries
        raise self.retry(exc=error, countdown=countdown, max_retries=retries) from error


@shared_task
def requeue_notification_mail():
    """Queue again the notices still unmailed a while after they were made: the broker was
    down when they were, a worker died holding them, or the retries ran out."""
    waiting = list(unmailed())
    for pk in waiting:
        queue_mail(pk, retry=False)
    return len(waiting)


def _date(value):
    return value if isinstance(value, date) else date.fromisoformat(value)
