"""The figures of the annual review report (Art. 26), counted from the system's own records.

One function per group of figures. Each counts its figures in the database, a few queries
whatever the year's size; a Figure lists the rows it counted only when asked for them
(``Figure.rows``), so a number on the page links to exactly the set behind it and the page
itself builds no rows. A year is the calendar year in the local time zone; which date puts
a row into a year is said at each group.
"""

from collections import Counter
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date
from functools import cache, cached_property, partial
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Case, Count, DateField, F, Min, Q, Value, When
from django.db.models.functions import ExtractMonth, TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from core.workdays import UnknownCalendarYear
from review.models import (
    REVIEW_CONCLUSIONS,
    Department,
    Dossier,
    HistoryEntry,
    MeetingDecision,
    Opinion,
    Stage,
)
from search.models import CampaignItem, CleanupCampaign, Decision, Document, Status
from workflow.clock import filing_due
from workflow.flows import ReviewFlow
from workflow.models import ClockEvent, work_calendar
from workflow.nodes import Step

Action = HistoryEntry.Action
MONTHS = range(1, 13)

# The steps whose form can send the draft back to the drafter (workflow.flows); the head's
# refusal to sign goes back to the reviewer, not the drafter, so it is not a send-back.
RETURN_STAGES = [
    Stage.DEPT_CHECK,
    Stage.COMPLETENESS,
    Stage.LEGAL_REVIEW,
    Stage.MEETING,
    Stage.RECHECK,
]


# The model's label has a comma, which would break a report's 、-separated list.
OUTCOME_LABELS = {MeetingDecision.Outcome.AMEND: _("原则通过并按会议意见修改")}


@dataclass(frozen=True)
class Scope:
    """What is counted: one year, optionally of one drafting department or issuing body."""

    year: int
    department: Department | None = None
    issuer: str = ""

    def dossiers(self):
        dossiers = Dossier.objects.all()
        if self.department:
            dossiers = dossiers.filter(department=self.department)
        if self.issuer:
            dossiers = dossiers.filter(issued_by(self.issuer))
        return dossiers

    def query(self):
        """The scope as GET parameters, for links that must count the same set."""
        params = {"year": self.year}
        if self.department:
            params["department"] = self.department.pk
        if self.issuer:
            params["issuer"] = self.issuer
        return urlencode(params)


def issued_by(issuer):
    """Dossiers whose document goes out in ``issuer``'s name: the government's own
    documents, or a department's (部门规范性文件)."""
    if issuer == settings.GOVERNMENT_NAME:
        return Q(kind=Dossier.Kind.GOVERNMENT)
    return Q(kind=Dossier.Kind.DEPARTMENT, department__name=issuer)


@dataclass(frozen=True)
class Row:
    """One thing counted: a dossier, an opinion, a step, a register entry, a cleanup item.
    A row's link and detail are written when a list shows it (``later``), so a list of
    thousands of rows costs no thousands of dates and URLs it does not show."""

    pk: int
    title: str
    url: str
    department: str
    on: date | None
    detail: str = ""
    # Working days, for the time spent at a stage; None when the calendar is unknown.
    days: int | None = None


@dataclass
class Figure:
    """One number of the report. ``listing()`` reads the rows it counted, in date order:
    only the list behind one figure asks for them, never the page of all the counts."""

    group: str
    name: str
    label: str
    date_label: str
    scope: Scope
    count: int
    listing: Callable[[], list]
    # The count by month of the rows' dates, where the page charts it; else None.
    months: list | None = None

    @cached_property
    def rows(self):
        return self.listing()

    @property
    def ids(self):
        return [row.pk for row in self.rows]

    @property
    def url(self):
        return f"{reverse('reports:figure', args=[self.group, self.name])}?{self.scope.query()}"


@dataclass
class StageTime(Figure):
    """Visits to one stage; ``days``: {working days: visits} of those whose working days
    could be counted."""

    days: dict = field(default_factory=dict)

    def _nth(self, position):
        """The working days of the visit at ``position`` (from 0) in order of days."""
        for days, visits in sorted(self.days.items()):
            if position < visits:
                return days
            position -= visits
        raise IndexError(position)

    @property
    def median(self):
        """The middle visit's working days; with an even count, halfway between the two
        middle ones: 2 or 2.5, never 2.0."""
        counted = sum(self.days.values())
        if not counted:
            return None
        middle = (self._nth((counted - 1) // 2) + self._nth(counted // 2)) / 2
        return int(middle) if middle == int(middle) else middle

    @property
    def maximum(self):
        return max(self.days, default=None)


def _figures(scope, group, date_label, items, parts, listing, key="pk", months=False):
    """One Figure per part {name: (label, condition)}, counting the ``items`` that meet the
    condition, every part in one query (and by month, when ``months``: the items then
    carry their ``month``). ``key`` names one item. A figure's rows are ``listing`` of the
    items its condition keeps, the same filter that counted them: a list has as many rows as
    its figure counts."""
    counts = {}
    for name, (_label, condition) in parts.items():
        counts[name] = Count(key, filter=condition or None)
        if months:
            counts.update(
                {f"{name}@{m}": Count(key, filter=condition & Q(month=m)) for m in MONTHS}
            )
    found = items.aggregate(**counts)
    return {
        name: Figure(
            group,
            name,
            label,
            date_label,
            scope,
            found[name],
            partial(listing, items.filter(condition)),
            [found[f"{name}@{m}"] for m in MONTHS] if months else None,
        )
        for name, (label, condition) in parts.items()
    }


def _by_choice(label, field_name, choices, labels=None):
    """Parts: a total ("all") and one per choice of ``field_name``."""
    labels = labels or {}
    parts = {"all": (label, Q())}
    for choice in choices:
        parts[choice.value] = (labels.get(choice, choice.label), Q(**{field_name: choice}))
    return parts


def _cn(day):
    return date_format(day, "DATE_FORMAT") if day else "—"


# ``later(function, *args)``: the text ``function(*args)`` returns, written when shown.
later = lazy(lambda function, *args: str(function(*args)), str)


def _dossier_url(pk):
    return reverse("dossiers:detail", args=[pk])


def _stage_label(stage):
    return Stage(stage).label


def _dossier_rows(found):
    """Rows of (dossier id, title, department, day, detail), in date order."""
    rows = [
        Row(pk, title, later(_dossier_url, pk), department, day, detail)
        for pk, title, department, day, detail in found
    ]
    return sorted(rows, key=lambda row: (row.on, row.pk))


def _about(item, dossier, on, detail=""):
    """A row for something that belongs to a dossier."""
    return Row(
        item.pk, dossier.title, later(_dossier_url, dossier.pk), dossier.department.name, on, detail
    )


def _received(scope):
    """Per dossier received in the year, the moment stage 1 first passed the draft on to
    the government legal office."""
    return (
        HistoryEntry.objects.filter(
            dossier__in=scope.dossiers(), action=Action.PASSED, stage=Stage.DEPT_CHECK
        )
        .order_by()
        .values("dossier")
        .annotate(first=Min("at"))
        .filter(first__year=scope.year)
        .annotate(month=ExtractMonth("first"))
    )


def _endings(scope):
    """Per dossier whose review ended in the year: the day it ended (the signed written
    opinion that stopped the Art. 16 clock, or the day the draft was deemed passed,
    whichever came first), both of those days, the extensions and the period's last day."""
    kind = ClockEvent.Kind
    return (
        ClockEvent.objects.filter(dossier__in=scope.dossiers())
        .order_by()
        .values("dossier", due=F("dossier__review_due_on"))
        .annotate(
            ended=Min("on", filter=Q(kind__in=ClockEvent.STOPS)),
            answered_on=Min("on", filter=Q(kind=kind.ANSWERED)),
            deemed_on=Min("on", filter=Q(kind=kind.DEEMED_PASSED)),
            extensions=Count("pk", filter=Q(kind=kind.EXTEND)),
        )
        .filter(ended__year=scope.year)
        .annotate(month=ExtractMonth("ended"))
    )


def _stage_rows(items, day, to_date=None):
    """Rows of the dossiers in ``items``, dated by their ``day`` (made a date by
    ``to_date``), with the stage each stands at now."""
    found = items.values_list(
        "dossier", "dossier__title", "dossier__department__name", day, "dossier__stage"
    )
    return _dossier_rows(
        (pk, title, department, to_date(on) if to_date else on, later(_stage_label, stage))
        for pk, title, department, on, stage in found
    )


def _issued(scope):
    return scope.dossiers().filter(issued_on__year=scope.year)


def _issued_rows(items):
    found = items.values_list("pk", "title", "department__name", "issued_on", "number")
    return _dossier_rows(found)


def throughput(scope):
    """Received (first passed on by stage 1), reviewed (see ``_endings``; answered with
    an opinion apart from deemed passed) and issued (publication date) in the year."""
    group = "throughput"
    ended = {
        "reviewed": (_("完成合法性审查"), Q()),
        "answered": (_("其中出具书面审查意见"), Q(deemed_on=None) | Q(deemed_on__gt=F("ended"))),
        # Ended by running out (deemed passed, Art. 16): that was the review's first end.
        "deemed": (_("其中期限届满视为审查通过"), Q(deemed_on=F("ended"))),
    }
    figures = {
        **_figures(
            scope,
            group,
            _("收文日期"),
            _received(scope),
            {"received": (_("收到报送审查"), Q())},
            partial(_stage_rows, day="first", to_date=timezone.localdate),
            "dossier",
            months=True,
        ),
        **_figures(
            scope,
            group,
            _("审结日期"),
            _endings(scope),
            ended,
            partial(_stage_rows, day="ended"),
            "dossier",
            months=True,
        ),
        **_figures(
            scope,
            group,
            _("公布日期"),
            _issued(scope).annotate(month=ExtractMonth("issued_on")),
            {"issued": (_("统一登记、编号、公布"), Q())},
            _issued_rows,
            months=True,
        ),
    }
    figures["deemed"].date_label = _("视为通过日期")
    return figures


def opinions(scope):
    """The government legal office's written opinions (stage 2) signed in the year, by
    conclusion. 修改完善 and 取消相关内容 are signed by the reviewer as they go back; the
    others by the head."""
    signed = Opinion.objects.filter(
        dossier__in=scope.dossiers(), stage=Stage.LEGAL_REVIEW, signed_at__year=scope.year
    )
    parts = _by_choice(_("出具书面审查意见"), "conclusion", REVIEW_CONCLUSIONS)
    return _figures(scope, "opinions", _("签发日期"), signed, parts, _opinion_rows)


def _opinion_rows(signed):
    return [
        _about(
            o,
            o.dossier,
            timezone.localdate(o.signed_at),
            f"{o.number} {o.get_conclusion_display()}",
        )
        for o in signed.select_related("dossier__department").order_by("signed_at", "pk")
    ]


def returns(scope):
    """Send-backs to the drafter and supplement requests dated in the year, by the stage
    that made them; one dossier sent back twice counts twice (件次)."""
    entries = HistoryEntry.objects.filter(
        dossier__in=scope.dossiers(),
        action__in=[Action.SENT_BACK, Action.SUPPLEMENT_REQUESTED],
        at__year=scope.year,
    )
    sent_back = Q(action=Action.SENT_BACK)
    parts = {"sent_back": (_("退回修改"), sent_back)}
    for stage in RETURN_STAGES:
        # The head signs the legality opinion that sends a draft back: it is the legality
        # review's return.
        stages = [stage, Stage.HEAD_SIGN] if stage == Stage.LEGAL_REVIEW else [stage]
        parts[f"sent_back-{stage.value}"] = (
            _("%(stage)s退回修改") % {"stage": stage.label},
            sent_back & Q(stage__in=stages),
        )
    parts["supplement"] = (_("要求补正材料"), Q(action=Action.SUPPLEMENT_REQUESTED))
    figures = _figures(scope, "returns", _("退回日期"), entries, parts, _return_rows)
    figures["supplement"].date_label = _("通知日期")
    return figures


def _return_rows(entries):
    return [
        _about(e, e.dossier, timezone.localdate(e.at), e.comment)
        for e in entries.select_related("dossier__department").order_by("at", "pk")
    ]


def _steps():
    """The flow's human steps in the order of the four reviews."""
    order = list(Stage.values)
    steps = [node for node in ReviewFlow.instance.nodes() if isinstance(node, Step)]
    return sorted(steps, key=lambda node: order.index(node.stage))


def _received_and_done(start, end):
    return _("%(start)s收到，%(end)s办结") % {"start": _cn(start), "end": _cn(end)}


def _working_days(calendar):
    """``calendar.working_days_between``, None for a year nobody entered; each pair of
    days counted once, however many visits span it."""

    @cache
    def between(start, end):
        try:
            return calendar.working_days_between(start, end)
        except UnknownCalendarYear:
            return None

    return between


def stage_times(scope):
    """Working days spent at each stage, per visit that ended in the year: from the day
    the step was opened to the day it was done, the first day not counted (as the legal
    periods are counted), so a step done on the day it arrived took 0."""
    between = _working_days(work_calendar())
    tasks = Task.objects.filter(
        process__in=scope.dossiers().values("process"),
        flow_task_type="HUMAN",
        status=STATUS.DONE,
        finished__year=scope.year,
    )
    # Visits by step and local days: thousands of visits share a few hundred spans.
    spans = (
        tasks.order_by()
        .values("flow_task", start=TruncDate("created"), end=TruncDate("finished"))
        .annotate(visits=Count("pk"))
        .values_list("flow_task", "start", "end", "visits")
    )
    steps = {}
    for step in _steps():
        steps.setdefault(Stage(step.stage), []).append(step)
    days = {stage: Counter() for stage in steps}
    for step, start, end, visits in spans:
        days[Stage(step.stage)][between(start, end)] += visits
    return {
        stage.value: StageTime(
            "times",
            stage.value,
            stage.label,
            _("办结日期"),
            scope,
            days[stage].total(),
            partial(_visit_rows, tasks.filter(flow_task__in=nodes), between),
            days={d: n for d, n in days[stage].items() if d is not None},
        )
        for stage, nodes in steps.items()
    }


def _visit_rows(tasks, between):
    found = tasks.order_by("finished", "pk").values_list(
        "pk",
        "created",
        "finished",
        "process__dossier",
        "process__dossier__title",
        "process__dossier__department__name",
    )
    rows = []
    here = timezone.get_current_timezone()
    for pk, created, finished, dossier, title, department in found:
        start, end = timezone.localdate(created, here), timezone.localdate(finished, here)
        detail = later(_received_and_done, start, end)
        url = later(_dossier_url, dossier)
        rows.append(Row(pk, title, url, department, end, detail, between(start, end)))
    return rows


def _deadline_detail(due, answered_on, deemed_on):
    if deemed_on:
        outcome = _("%(day)s视为审查通过") % {"day": _cn(deemed_on)}
    else:
        outcome = _("%(day)s出具书面审查意见") % {"day": _cn(answered_on)}
    return _("期限届满日%(due)s，%(outcome)s") % {"due": _cn(due), "outcome": outcome}


def deadlines(scope):
    """The Art. 16 clock of the reviews that ended in the year, by the period's last day
    the clock keeps (``Dossier.review_due_on``): kept (the opinion came by then), missed
    (it did not, or the draft was deemed passed), extended by the head, or not computable
    (a year whose holidays nobody entered)."""
    known = Q(due__isnull=False)
    deemed = Q(deemed_on__isnull=False)
    parts = {
        "kept": (_("按期出具书面审查意见"), known & ~deemed & Q(answered_on__lte=F("due"))),
        "extended": (_("经批准延长审查期限"), Q(extensions__gt=0)),
        "missed": (_("逾期未出具书面审查意见"), known & (deemed | Q(answered_on__gt=F("due")))),
        "deemed_passed": (_("其中视为审查通过"), known & deemed),
        "unknown": (_("期限无法计算"), Q(due=None)),
    }
    return _figures(
        scope, "deadlines", _("审结日期"), _endings(scope), parts, _deadline_rows, "dossier"
    )


def _deadline_rows(items):
    found = items.values_list(
        "dossier",
        "dossier__title",
        "dossier__department__name",
        "ended",
        "due",
        "answered_on",
        "deemed_on",
    )
    return _dossier_rows(
        (pk, title, department, ended, later(_deadline_detail, due, answered_on, deemed_on))
        for pk, title, department, ended, due, answered_on, deemed_on in found
    )


def meetings(scope):
    """The executive meeting's decisions on drafts, by meeting date, per outcome."""
    decisions = MeetingDecision.objects.filter(
        dossier__in=scope.dossiers(), held_on__year=scope.year
    )
    parts = _by_choice(_("提请常务会议审议"), "outcome", MeetingDecision.Outcome, OUTCOME_LABELS)
    return _figures(scope, "meetings", _("会议日期"), decisions, parts, _meeting_rows)


def _meeting_rows(decisions):
    return [
        _about(m, m.dossier, m.held_on, f"{m.meeting}：{m.get_outcome_display()}")
        for m in decisions.select_related("dossier__department").order_by("held_on", "pk")
    ]


def _filing_detail(number, due, filed):
    return _("%(number)s，备案期限%(due)s，报送%(filed)s") % {
        "number": number,
        "due": _cn(due),
        "filed": _cn(filed),
    }


def filing(scope):
    """Documents published in the year: filed with the higher government within the
    filing period (Art. 11), filed late, or not filed yet."""
    issued = _issued(scope)
    calendar = work_calendar()
    # The period's last day depends on the publication day alone: one per day of the year;
    # none (unknown) for a day whose period ends in a year nobody entered.
    dues = []
    for day in issued.order_by().values_list("issued_on", flat=True).distinct():
        with suppress(UnknownCalendarYear):
            due = filing_due(day, calendar)
            dues.append(When(issued_on=day, then=Value(due)))
    issued = issued.annotate(due=Case(*dues, output_field=DateField()))
    parts = {
        "on_time": (_("按时报送备案"), Q(filed_on__lte=F("due"))),
        "late": (_("逾期报送备案"), Q(filed_on__gt=F("due"))),
        "unfiled": (_("尚未报送备案"), Q(filed_on=None)),
        "unknown": (_("备案期限无法计算"), Q(filed_on__isnull=False, due=None)),
    }
    return _figures(scope, "filing", _("公布日期"), issued, parts, _filing_rows)


def _filing_rows(issued):
    found = issued.values_list(
        "pk", "title", "department__name", "issued_on", "number", "due", "filed_on"
    )
    return _dossier_rows(
        (pk, title, department, issued_on, later(_filing_detail, number, due, filed_on))
        for pk, title, department, issued_on, number, due, filed_on in found
    )


def register(scope):
    """The register's documents published by the end of the year, by their status today
    (the register keeps a status, not a status per day)."""
    documents = Document.objects.filter(published_on__lte=date(scope.year, 12, 31))
    if scope.department:
        documents = documents.filter(department=scope.department)
    if scope.issuer:
        documents = documents.filter(issuer=scope.issuer)
    parts = _by_choice(_("登记文件"), "status", Status)
    return _figures(scope, "register", _("公布日期"), documents, parts, _register_rows)


def _register_rows(documents):
    return [
        Row(
            d.pk,
            d.title,
            d.get_absolute_url(),
            d.issuer,
            d.published_on,
            f"{d.number} {d.get_status_display()}".strip(),
        )
        for d in documents.order_by("published_on", "pk")
    ]


def cleanup(scope):
    """Cleanup campaigns whose results were published in the year: each approved decision
    (retain, amend, repeal, declare invalid), under the department that handled it."""
    items = CampaignItem.objects.filter(
        state=CampaignItem.State.APPROVED,
        campaign__state=CleanupCampaign.State.PUBLISHED,
        campaign__published_on__year=scope.year,
    )
    if scope.department:
        items = items.filter(department=scope.department)
    if scope.issuer:
        items = items.filter(document__issuer=scope.issuer)
    parts = _by_choice(_("清理文件"), "decision", Decision)
    return _figures(scope, "cleanup", _("公布日期"), items, parts, _cleanup_rows)


def _cleanup_rows(items):
    found = items.select_related("campaign", "document", "department")
    return [
        Row(
            item.pk,
            item.document.title,
            item.document.get_absolute_url(),
            item.department.name if item.department else item.document.issuer,
            item.campaign.published_on,
            f"{item.get_decision_display()}：{item.reason}",
        )
        for item in found.order_by("campaign__published_on", "pk")
    ]


GROUPS = {
    "throughput": (_("收文、审查和公布"), throughput),
    "opinions": (_("书面审查意见"), opinions),
    "returns": (_("退回修改和要求补正"), returns),
    "times": (_("各环节办理用时"), stage_times),
    "deadlines": (_("审查期限"), deadlines),
    "meetings": (_("常务会议审议"), meetings),
    "filing": (_("报送备案"), filing),
    "register": (_("文件库效力状态"), register),
    "cleanup": (_("规范性文件清理"), cleanup),
}


def labels():
    """{group: heading}."""
    return {group: label for group, (label, _function) in GROUPS.items()}


def compute(scope):
    """Every group: {group: {name: Figure}}, counted; no figure has read its rows yet."""
    return {group: function(scope) for group, (_label, function) in GROUPS.items()}


def find(scope, group, name):
    """One figure, computed as the page computes it; None if there is no such figure."""
    if group not in GROUPS:
        return None
    return GROUPS[group][1](scope).get(name)


def per_month(figure):
    """The figure's rows counted by month of their date: twelve numbers."""
    if figure.months is not None:
        return list(figure.months)
    months = [0] * 12
    for row in figure.rows:
        months[row.on.month - 1] += 1
    return months


def years():
    """The years one may ask for: from the first dossier (or last year, on a machine with
    none) to this year."""
    this_year = timezone.localdate().year
    first = Dossier.objects.aggregate(first=Min("created_at"))["first"]
    start = min(timezone.localdate(first).year if first else this_year, this_year - 1)
    return list(range(start, this_year + 1))


def issuers():
    """The issuing bodies: the government, each drafting department (for its own
    department documents), and any other body named in the register."""
    names = [settings.GOVERNMENT_NAME]
    names += Department.objects.filter(kind=Department.Kind.DRAFTING).values_list("name", flat=True)
    names += Document.objects.order_by("issuer").values_list("issuer", flat=True).distinct()
    return list(dict.fromkeys(names))
