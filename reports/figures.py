"""The figures of the annual review report (Art. 26), counted from the system's own records.

One function per group of figures. Each returns Figures that keep the rows they counted, so
a number on the page links to exactly the set behind it. A year is the calendar year in the
local time zone; which date puts a row into a year is said at each group.
"""

from dataclasses import dataclass
from datetime import date
from functools import cache
from statistics import median
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Min, Q
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
from workflow.clock import dossier_clock, filing_due
from workflow.flows import ReviewFlow
from workflow.models import ClockEvent, work_calendar
from workflow.nodes import Step

Action = HistoryEntry.Action

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
    The page shows only counts: a row's link and detail are written when a list shows it
    (``later``), so a year of thousands of rows costs no thousands of dates and URLs."""

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
    """One number of the report, with the rows it counted."""

    group: str
    name: str
    label: str
    date_label: str
    rows: list
    scope: Scope

    @property
    def count(self):
        return len(self.rows)

    @property
    def ids(self):
        return [row.pk for row in self.rows]

    @property
    def url(self):
        return f"{reverse('reports:figure', args=[self.group, self.name])}?{self.scope.query()}"


class StageTime(Figure):
    """Visits to one stage, with the working days each took."""

    @property
    def _days(self):
        return [row.days for row in self.rows if row.days is not None]

    @property
    def median(self):
        """The middle visit's working days; with an even count, halfway between the two
        middle ones: 2 or 2.5, never 2.0."""
        if not self._days:
            return None
        middle = median(self._days)
        return int(middle) if middle == int(middle) else middle

    @property
    def maximum(self):
        return max(self._days, default=None)


def _cn(day):
    return date_format(day, "DATE_FORMAT") if day else "—"


# ``later(function, *args)``: the text ``function(*args)`` returns, written when shown.
later = lazy(lambda function, *args: str(function(*args)), str)


def _dossier_url(pk):
    return reverse("dossiers:detail", args=[pk])


def _dossier_rows(scope, dates, number=False):
    """Rows for {dossier id: date} of the scope's dossiers, in date order; the detail is
    the stage, or the document number. The scope's dossiers are read whole rather than
    named by thousands of ids."""
    found = scope.dossiers().values_list("pk", "title", "department__name", "stage", "number")
    rows = [
        Row(
            pk,
            title,
            later(_dossier_url, pk),
            department,
            dates[pk],
            number_ if number else later(_stage_label, stage),
        )
        for pk, title, department, stage, number_ in found
        if pk in dates
    ]
    return sorted(rows, key=lambda row: (row.on, row.pk))


def _stage_label(stage):
    return Stage(stage).label


def _about(item, dossier, on, detail="", days=None):
    """A row for something that belongs to a dossier."""
    return Row(
        item.pk,
        dossier.title,
        later(_dossier_url, dossier.pk),
        dossier.department.name,
        on,
        detail,
        days,
    )


def _by_choice(scope, group, label, date_label, pairs, choices, labels=None):
    """A total ("all") and one figure per choice, from (choice, row) pairs."""
    labels = labels or {}
    figures = {"all": Figure(group, "all", label, date_label, [r for _c, r in pairs], scope)}
    for choice in choices:
        rows = [row for c, row in pairs if c == choice]
        choice_label = labels.get(choice, choice.label)
        figures[choice.value] = Figure(group, choice.value, choice_label, date_label, rows, scope)
    return figures


def _named(scope, group, date_label, found, labels):
    """One figure per {name: label}, of the rows found under that name."""
    return {
        name: Figure(group, name, label, date_label, found[name], scope)
        for name, label in labels.items()
    }


def _first_days(rows, year, to_date=lambda day: day):
    """{dossier: first day} of (dossier, first) pairs, kept when the first day is in ``year``."""
    days = {row["dossier"]: to_date(row["first"]) for row in rows}
    return {pk: day for pk, day in days.items() if day.year == year}


def received_on(scope):
    """{dossier id: receipt day}: the day stage 1 first passed the draft on to the
    government legal office, when that day is in the year."""
    firsts = (
        HistoryEntry.objects.filter(
            dossier__in=scope.dossiers(), action=Action.PASSED, stage=Stage.DEPT_CHECK
        )
        .order_by()
        .values("dossier")
        .annotate(first=Min("at"))
    )
    return _first_days(firsts, scope.year, timezone.localdate)


def reviewed_on(scope):
    """{dossier id: day the review ended}: the signed written opinion that stopped the
    Art. 16 clock, or the day the draft was deemed passed, whichever came first."""
    firsts = (
        ClockEvent.objects.filter(
            dossier__in=scope.dossiers(),
            kind__in=[ClockEvent.Kind.ANSWERED, ClockEvent.Kind.DEEMED_PASSED],
        )
        .order_by()
        .values("dossier")
        .annotate(first=Min("on"))
    )
    return _first_days(firsts, scope.year)


def review_endings(scope):
    """({dossier: day}, {dossier: day}): reviews of the year that ended with a written
    opinion in time or late, and those that ended by running out (deemed passed, Art. 16)."""
    ended = reviewed_on(scope)
    deemed_days = dict(
        ClockEvent.objects.filter(dossier__in=scope.dossiers(), kind=ClockEvent.Kind.DEEMED_PASSED)
        .order_by()
        .values_list("dossier", "on")
    )
    answered = {pk: day for pk, day in ended.items() if deemed_days.get(pk) != day}
    deemed = {pk: day for pk, day in ended.items() if deemed_days.get(pk) == day}
    return answered, deemed


def throughput(scope):
    """Received (first passed on by stage 1), reviewed (see ``reviewed_on``; answered with
    an opinion apart from deemed passed) and issued (publication date) in the year."""
    issued = dict(
        scope.dossiers().filter(issued_on__year=scope.year).values_list("pk", "issued_on")
    )
    answered, deemed = review_endings(scope)
    return {
        "received": Figure(
            "throughput",
            "received",
            _("收到报送审查"),
            _("收文日期"),
            _dossier_rows(scope, received_on(scope)),
            scope,
        ),
        "reviewed": Figure(
            "throughput",
            "reviewed",
            _("完成合法性审查"),
            _("审结日期"),
            _dossier_rows(scope, reviewed_on(scope)),
            scope,
        ),
        "answered": Figure(
            "throughput",
            "answered",
            _("其中出具书面审查意见"),
            _("审结日期"),
            _dossier_rows(scope, answered),
            scope,
        ),
        "deemed": Figure(
            "throughput",
            "deemed",
            _("其中期限届满视为审查通过"),
            _("视为通过日期"),
            _dossier_rows(scope, deemed),
            scope,
        ),
        "issued": Figure(
            "throughput",
            "issued",
            _("统一登记、编号、公布"),
            _("公布日期"),
            _dossier_rows(scope, issued, number=True),
            scope,
        ),
    }


def opinions(scope):
    """The government legal office's written opinions (stage 2) signed in the year, by
    conclusion. 修改完善 and 取消相关内容 are signed by the reviewer as they go back; the
    others by the head."""
    signed = (
        Opinion.objects.filter(
            dossier__in=scope.dossiers(),
            stage=Stage.LEGAL_REVIEW,
            signed_at__year=scope.year,
        )
        .select_related("dossier__department")
        .order_by("signed_at", "pk")
    )
    pairs = [
        (
            o.conclusion,
            _about(
                o,
                o.dossier,
                timezone.localdate(o.signed_at),
                f"{o.number} {o.get_conclusion_display()}",
            ),
        )
        for o in signed
    ]
    return _by_choice(
        scope, "opinions", _("出具书面审查意见"), _("签发日期"), pairs, REVIEW_CONCLUSIONS
    )


def returns(scope):
    """Send-backs to the drafter and supplement requests dated in the year, by the stage
    that made them; one dossier sent back twice counts twice (件次)."""
    entries = (
        HistoryEntry.objects.filter(
            dossier__in=scope.dossiers(),
            action__in=[Action.SENT_BACK, Action.SUPPLEMENT_REQUESTED],
            at__year=scope.year,
        )
        .select_related("dossier__department")
        .order_by("at", "pk")
    )
    # The head signs the legality opinion that sends a draft back: it is the legality
    # review's return.
    triples = [
        (
            e.action,
            Stage.LEGAL_REVIEW if e.stage == Stage.HEAD_SIGN else e.stage,
            _about(e, e.dossier, timezone.localdate(e.at), e.comment),
        )
        for e in entries
    ]

    def rows(action, stage=None):
        return [r for a, s, r in triples if a == action and stage in (None, s)]

    figures = {
        "sent_back": Figure(
            "returns", "sent_back", _("退回修改"), _("退回日期"), rows(Action.SENT_BACK), scope
        )
    }
    for stage in RETURN_STAGES:
        name = f"sent_back-{stage.value}"
        figures[name] = Figure(
            "returns",
            name,
            _("%(stage)s退回修改") % {"stage": stage.label},
            _("退回日期"),
            rows(Action.SENT_BACK, stage),
            scope,
        )
    figures["supplement"] = Figure(
        "returns",
        "supplement",
        _("要求补正材料"),
        _("通知日期"),
        rows(Action.SUPPLEMENT_REQUESTED),
        scope,
    )
    return figures


def _steps():
    """The flow's human steps in the order of the four reviews."""
    order = list(Stage.values)
    steps = [node for node in ReviewFlow.instance.nodes() if isinstance(node, Step)]
    return sorted(steps, key=lambda node: order.index(node.stage))


def _received_and_done(start, end):
    return _("%(start)s收到，%(end)s办结") % {"start": _cn(start), "end": _cn(end)}


def stage_times(scope):
    """Working days spent at each stage, per visit that ended in the year: from the day
    the step was opened to the day it was done, the first day not counted (as the legal
    periods are counted), so a step done on the day it arrived took 0."""
    between = cache(work_calendar().working_days_between)
    tasks = (
        Task.objects.filter(
            process__dossier__in=scope.dossiers(),
            flow_task_type="HUMAN",
            status=STATUS.DONE,
            finished__year=scope.year,
        )
        .order_by("finished", "pk")
        .values_list(
            "pk",
            "flow_task",
            "created",
            "finished",
            "process__dossier",
            "process__dossier__title",
            "process__dossier__department__name",
        )
    )
    visits = {}
    here = timezone.get_current_timezone()
    for pk, step, created, finished, dossier, title, department in tasks:
        start, end = timezone.localdate(created, here), timezone.localdate(finished, here)
        try:
            days = between(start, end)
        except UnknownCalendarYear:
            days = None
        detail = later(_received_and_done, start, end)
        row = Row(pk, title, later(_dossier_url, dossier), department, end, detail, days)
        visits.setdefault(Stage(step.stage), []).append(row)
    stages = [Stage(step.stage) for step in _steps()]
    return {
        stage.value: StageTime(
            "times", stage.value, stage.label, _("办结日期"), visits.get(stage, []), scope
        )
        for stage in stages
    }


def _deadline_detail(clock):
    due = clock.status.due_date if clock and clock.status else None
    if clock and clock.deemed_passed_on:
        outcome = _("%(day)s视为审查通过") % {"day": _cn(clock.deemed_passed_on)}
    else:
        outcome = _("%(day)s出具书面审查意见") % {"day": _cn(clock and clock.answered_on)}
    return _("期限届满日%(due)s，%(outcome)s") % {"due": _cn(due), "outcome": outcome}


def deadlines(scope):
    """The Art. 16 clock of the reviews that ended in the year: kept (the opinion came by
    the due date), missed (it did not; of which deemed passed, where that was recorded),
    extended by the head, or not computable (a year whose holidays nobody entered)."""
    ended = reviewed_on(scope)
    extended = set(
        ClockEvent.objects.filter(
            dossier__in=scope.dossiers(), kind=ClockEvent.Kind.EXTEND
        ).values_list("dossier", flat=True)
    )
    found = {name: [] for name in ("kept", "missed", "deemed_passed", "extended", "unknown")}
    dossiers = scope.dossiers().select_related("department").prefetch_related("clock_events")
    calendar = work_calendar()
    dossiers = [d for d in dossiers if d.pk in ended]
    for dossier in sorted(dossiers, key=lambda d: (ended[d.pk], d.pk)):
        clock = dossier_clock(dossier, calendar=calendar)
        row = _about(dossier, dossier, ended[dossier.pk], later(_deadline_detail, clock))
        kept = clock.kept if clock else None
        if kept is None:
            found["unknown"].append(row)
        elif kept:
            found["kept"].append(row)
        else:
            found["missed"].append(row)
            if clock.deemed_passed_on:
                found["deemed_passed"].append(row)
        if dossier.pk in extended:
            found["extended"].append(row)
    labels = {
        "kept": _("按期出具书面审查意见"),
        "extended": _("经批准延长审查期限"),
        "missed": _("逾期未出具书面审查意见"),
        "deemed_passed": _("其中视为审查通过"),
        "unknown": _("期限无法计算"),
    }
    return _named(scope, "deadlines", _("审结日期"), found, labels)


def meetings(scope):
    """The executive meeting's decisions on drafts, by meeting date, per outcome."""
    decisions = (
        MeetingDecision.objects.filter(dossier__in=scope.dossiers(), held_on__year=scope.year)
        .select_related("dossier__department")
        .order_by("held_on", "pk")
    )
    pairs = [
        (m.outcome, _about(m, m.dossier, m.held_on, f"{m.meeting}：{m.get_outcome_display()}"))
        for m in decisions
    ]
    outcomes = MeetingDecision.Outcome
    label = _("提请常务会议审议")
    return _by_choice(scope, "meetings", label, _("会议日期"), pairs, outcomes, OUTCOME_LABELS)


def _filing_detail(number, due, filed):
    return _("%(number)s，备案期限%(due)s，报送%(filed)s") % {
        "number": number,
        "due": _cn(due),
        "filed": _cn(filed),
    }


def filing(scope):
    """Documents published in the year: filed with the higher government within the
    filing period (Art. 11), filed late, or not filed yet."""
    found = {name: [] for name in ("on_time", "late", "unfiled", "unknown")}
    issued = (
        scope.dossiers()
        .filter(issued_on__year=scope.year)
        .select_related("department")
        .order_by("issued_on", "pk")
    )
    calendar = work_calendar()
    for dossier in issued:
        try:
            due = filing_due(dossier, calendar)
        except UnknownCalendarYear:
            due = None
        detail = later(_filing_detail, dossier.number, due, dossier.filed_on)
        row = _about(dossier, dossier, dossier.issued_on, detail)
        if not dossier.filed_on:
            found["unfiled"].append(row)
        elif due is None:
            found["unknown"].append(row)
        else:
            found["on_time" if dossier.filed_on <= due else "late"].append(row)
    labels = {
        "on_time": _("按时报送备案"),
        "late": _("逾期报送备案"),
        "unfiled": _("尚未报送备案"),
        "unknown": _("备案期限无法计算"),
    }
    return _named(scope, "filing", _("公布日期"), found, labels)


def register(scope):
    """The register's documents published by the end of the year, by their status today
    (the register keeps a status, not a status per day)."""
    documents = Document.objects.filter(published_on__lte=date(scope.year, 12, 31))
    if scope.department:
        documents = documents.filter(department=scope.department)
    if scope.issuer:
        documents = documents.filter(issuer=scope.issuer)
    pairs = [
        (
            d.status,
            Row(
                d.pk,
                d.title,
                d.get_absolute_url(),
                d.issuer,
                d.published_on,
                f"{d.number} {d.get_status_display()}".strip(),
            ),
        )
        for d in documents.order_by("published_on", "pk")
    ]
    return _by_choice(scope, "register", _("登记文件"), _("公布日期"), pairs, Status)


def cleanup(scope):
    """Cleanup campaigns whose results were published in the year: each approved decision
    (retain, amend, repeal, declare invalid), under the department that handled it."""
    items = CampaignItem.objects.filter(
        state=CampaignItem.State.APPROVED,
        campaign__state=CleanupCampaign.State.PUBLISHED,
        campaign__published_on__year=scope.year,
    ).select_related("campaign", "document", "department")
    if scope.department:
        items = items.filter(department=scope.department)
    if scope.issuer:
        items = items.filter(document__issuer=scope.issuer)
    pairs = [
        (
            item.decision,
            Row(
                item.pk,
                item.document.title,
                item.document.get_absolute_url(),
                item.department.name if item.department else item.document.issuer,
                item.campaign.published_on,
                f"{item.get_decision_display()}：{item.reason}",
            ),
        )
        for item in items.order_by("campaign__published_on", "pk")
    ]
    return _by_choice(scope, "cleanup", _("清理文件"), _("公布日期"), pairs, Decision)


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
    """Every group: {group: {name: Figure}}."""
    return {group: function(scope) for group, (_label, function) in GROUPS.items()}


def find(scope, group, name):
    """One figure, computed as the page computes it; None if there is no such figure."""
    if group not in GROUPS:
        return None
    return GROUPS[group][1](scope).get(name)


def per_month(figure):
    """The figure's rows counted by month of their date: twelve numbers."""
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
