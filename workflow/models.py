"""The process proxy, and the legal clock's records: calendar corrections, clock events
and notifications."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

from core.models import ImmutableModel
from core.workdays import WorkCalendar
from review.models import Dossier, compose_note


class ReviewProcess(Process):
    """The viewflow process of one dossier; the dossier holds the domain data."""

    class Meta:
        proxy = True
        verbose_name = _("审查流程")
        verbose_name_plural = _("审查流程")


class WorkdayOverride(models.Model):
    """A day whose status differs from the calendar package, or that it does not know yet
    (节假日和调休安排, published by the State Council each year)."""

    day = models.DateField(_("日期"), unique=True)
    is_working_day = models.BooleanField(_("是否工作日"))
    note = models.CharField(_("说明"), max_length=100, blank=True, help_text=_("如：春节调休上班"))

    class Meta:
        verbose_name = _("节假日调整")
        verbose_name_plural = _("节假日调整")
        ordering = ["day"]

    def __str__(self):
        kind = _("工作日") if self.is_working_day else _("休息日")
        return f"{self.day:%Y-%m-%d} {kind}"


class CalendarYear(models.Model):
    """A year whose holidays an administrator has entered in full. Until then no period
    that reaches into it is computed: a guess could let a deadline pass unnoticed."""

    year = models.PositiveIntegerField(_("年份"), unique=True)
    complete = models.BooleanField(_("已录入全年节假日和调休安排"), default=False)

    class Meta:
        verbose_name = _("节假日年度")
        verbose_name_plural = _("节假日年度")
        ordering = ["year"]

    def __str__(self):
        return str(self.year)


def work_calendar():
    """The working-day calendar with the administrators' corrections."""
    overrides = dict(WorkdayOverride.objects.values_list("day", "is_working_day"))
    complete = CalendarYear.objects.filter(complete=True).values_list("year", flat=True)
    return WorkCalendar(overrides, complete)


class ClockEvent(ImmutableModel):
    """审查期限计时记录: what stopped, restarted or extended the Art. 16 clock, and the
    moment it was answered or deemed passed."""

    class Kind(models.TextChoices):
        PAUSE = "pause", _("暂停计时")
        RESUME = "resume", _("恢复计时")
        EXTEND = "extend", _("延长审查期限")
        ANSWERED = "answered", _("出具书面审查意见")
        DEEMED_PASSED = "deemed_passed", _("逾期视为审查通过")

    # The events that stop the clock for good.
    STOPS = (Kind.ANSWERED, Kind.DEEMED_PASSED)

    class Ground(models.TextChoices):
        """Why the clock stops (Art. 16 para 2); nothing else stops it."""

        INVESTIGATION = "investigation", _("调查研究")
        EXPERT_CONSULTATION = "expert_consultation", _("召开论证会")
        HEARING = "hearing", _("举行听证会")
        REVISION = "revision", _("退回起草部门修改")

        @classmethod
        def chosen_by_reviewer(cls):
            """The grounds a reviewer records by hand; revision is recorded by the flow."""
            return [(g.value, g.label) for g in cls if g != cls.REVISION]

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="clock_events")
    ground = models.CharField(_("暂停事由"), max_length=30, choices=Ground.choices, blank=True)
    kind = models.CharField(_("事项"), max_length=20, choices=Kind.choices)
    on = models.DateField(_("日期"))
    working_days = models.PositiveIntegerField(_("延长工作日"), default=0)
    reason = models.CharField(_("原因"), max_length=300, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("审查期限计时记录")
        verbose_name_plural = _("审查期限计时记录")
        ordering = ["dossier", "on", "pk"]
        constraints = [
            # Extended once (Art. 16), answered once, deemed passed once.
            models.UniqueConstraint(
                fields=["dossier", "kind"],
                condition=models.Q(kind__in=["extend", "answered", "deemed_passed"]),
                name="clock_event_once",
            )
        ]

    def __str__(self):
        return f"{self.on:%Y-%m-%d} {self.get_kind_display()}"


class Notification(models.Model):
    """A message to one user, shown in the app and sent by email. ``key`` makes sending
    idempotent: a reminder job that runs twice finds the first one."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    dossier = models.ForeignKey(Dossier, null=True, on_delete=models.CASCADE, related_name="+")
    # In the record's language, as mailed; ``note`` keeps its parts for the page.
    message = models.CharField(_("内容"), max_length=500)
    note = models.JSONField(default=dict, blank=True, editable=False)
    key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    # The mail is sent by a Celery task keyed by the notification: set once it is sent,
    # so a retry or a second worker never mails twice.
    mailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)
    mail_attempts = models.PositiveIntegerField(_("邮件发送尝试次数"), default=0)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at"]
        # Every page counts the reader's unread notices.
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self):
        return self.text

    @property
    def text(self):
        """The notice in the reader's language (one written before notes were kept, as
        written)."""
        return compose_note(self.note) if self.note else self.message


class TaskDraft(models.Model):
    """What a person has typed into a task's form and saved without submitting (暂存): a
    long opinion is written over days. Deleted when the task is done."""

    task = models.ForeignKey("viewflow.Task", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    data = models.JSONField(_("暂存内容"), default=dict)
    saved_at = models.DateTimeField(_("暂存时间"), auto_now=True)

    class Meta:
        verbose_name = _("暂存")
        verbose_name_plural = _("暂存")
        constraints = [models.UniqueConstraint(fields=["task", "user"], name="one_draft_per_task")]

    def __str__(self):
        return f"{self.task_id} {self.saved_at:%Y-%m-%d %H:%M}"
