"""The user's desk: tasks held and tasks to take, claiming and handing them over, the
archive, submitting a dossier, and notifications."""

import heapq
from dataclasses import dataclass
from datetime import datetime
from functools import reduce
from itertools import islice
from operator import or_

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Exists, F, OuterRef, Q, When, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from review.models import Dossier, HistoryEntry, User
from workflow import assignment
from workflow.clock import dossier_clock
from workflow.flows import ReviewFlow, submit_dossier
from workflow.models import ClockEvent, Notification, work_calendar
from workflow.nodes import Step

PER_PAGE = 25


def _tasks(user):
    """Human tasks of dossiers the user may see."""
    visible = Dossier.objects.visible_to(user).exclude(process=None).values("process_id")
    return (
        Task.objects.filter(
            process__flow_class=ReviewFlow, flow_task_type="HUMAN", process_id__in=visible
        )
        .select_related("process", "process__dossier", "process__dossier__department", "owner")
        .order_by("-created")
    )


def _steps_for(user):
    return [
        node
        for node in ReviewFlow.instance.nodes()
        if isinstance(node, Step) and node.all_roles & user.roles
    ]


def with_clocks(tasks):
    """Each task with its dossier's review clock, for the deadline column."""
    calendar = work_calendar()
    tasks = list(tasks)
    prefetch_related_objects([t.process.dossier for t in tasks], "clock_events")
    for t in tasks:
        t.clock = dossier_clock(t.process.dossier, calendar=calendar)
    return tasks


def desk_for(user, pool_only=False):
    """What the user can act on: the tasks they hold, then those they may take; within
    each, the soonest running deadline first and those without one last. Ordered in the
    database by the stored due date, so a page reads only its own rows."""
    held = Q(owner=user, status=STATUS.ASSIGNED)
    may_take = reduce(or_, (step.takeable_by(user) for step in _steps_for(user)), Q(pk__in=[]))
    pool = Q(status=STATUS.NEW, owner=None) & may_take
    stopped = ClockEvent.objects.filter(
        dossier=OuterRef("process__dossier"), kind__in=ClockEvent.STOPS
    )
    return (
        _tasks(user)
        .filter(pool if pool_only else held | pool)
        .alias(
            mine=Case(When(held, then=0), default=1),
            deadline=Case(
                When(Exists(stopped), then=None), default=F("process__dossier__review_due_on")
            ),
        )
        .order_by("mine", F("deadline").asc(nulls_last=True), "created", "pk")
    )


def _desk(request, tab):
    tasks = desk_for(request.user, pool_only=tab == "queue")
    page = Paginator(tasks, PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = with_clocks(page.object_list)
    return render(request, "workflow/tasks.html", {"page": page, "tab": tab})


@login_required
def inbox(request):
    """Everything the user can act on now, in one list."""
    return _desk(request, "inbox")


@login_required
def queue(request):
    """The same list narrowed to the tasks nobody has claimed yet."""
    return _desk(request, "queue")


@dataclass
class DoneRow:
    dossier: Dossier
    step: str
    at: datetime


class _Done:
    """The user's finished tasks and the dossiers they submitted, newest first, as one
    sequence the paginator slices: each page reads only the rows up to its end."""

    def __init__(self, user):
        self.tasks = (
            _tasks(user)
            .filter(owner=user, finished__isnull=False)
            .prefetch_related(None)
            .order_by("-finished", "-pk")
        )
        self.submissions = (
            HistoryEntry.objects.filter(
                actor=user,
                action=HistoryEntry.Action.SUBMITTED,
                dossier__in=Dossier.objects.visible_to(user),
            )
            .select_related("dossier", "dossier__department")
            .order_by("-at", "-pk")
        )

    def count(self):
        return self.tasks.count() + self.submissions.count()

    def __getitem__(self, part):
        tasks = (
            DoneRow(t.process.dossier, t.flow_task.stage_label, t.finished)
            for t in self.tasks[: part.stop]
        )
        submissions = (
            DoneRow(h.dossier, h.get_action_display(), h.at) for h in self.submissions[: part.stop]
        )
        rows = heapq.merge(tasks, submissions, key=lambda row: row.at, reverse=True)
        return list(islice(rows, part.start, part.stop))


@login_required
def archive(request):
    """已办: the steps the user completed and the dossiers they submitted."""
    page = Paginator(_Done(request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "workflow/tasks.html", {"page": page, "tab": "archive"})


def _task_for(request, task_pk):
    task = get_object_or_404(Task, pk=task_pk, flow_task_type="HUMAN")
    if not Dossier.objects.visible_to(request.user).filter(process_id=task.process_id).exists():
        raise Http404
    return task


@login_required
@require_POST
def claim(request, task_pk):
    """领取: the task is the user's from now on; its page opens."""
    task = _task_for(request, task_pk)
    try:
        assignment.claim(task, request.user)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return redirect("workflow:inbox")
    messages.success(request, _("已领取，请办理。"))
    return redirect("workflow:task", task.pk)


@login_required
@require_POST
def release(request, task_pk):
    """退回待领取: the task goes back to the pool of the step's people."""
    task = _task_for(request, task_pk)
    try:
        assignment.release(task, request.user)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, _("已退回待领取。"))
    return redirect("workflow:inbox")


@login_required
@require_POST
def hand_over(request, task_pk):
    """转办 to a colleague who may do the step, with an optional note."""
    task = _task_for(request, task_pk)
    to_pk = request.POST.get("to", "")
    to = User.objects.filter(pk=to_pk).first() if to_pk.isdigit() else None
    note = request.POST.get("note", "").strip()[:200]
    try:
        assignment.hand_over(task, request.user, to, note)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return redirect("workflow:task", task.pk)
    messages.success(request, _("已转交%(name)s办理。") % {"name": to})
    return redirect("workflow:inbox")


@login_required
@require_POST
def submit(request, dossier_pk):
    """The drafter submits the dossier: the review flow starts at stage 1."""
    dossier = get_object_or_404(Dossier.objects.visible_to(request.user), pk=dossier_pk)
    if not dossier.can_submit(request.user):
        raise PermissionDenied(_("只有起草部门经办人可以提交卷宗。"))
    if dossier.latest_version is None:
        messages.error(request, _("请先上传草案文本。"))
        return redirect(dossier)
    if dossier.latest_version.unreadable:
        messages.error(request, dossier.latest_version.unreadable)
        return redirect(dossier)
    if not submit_dossier(dossier, request.user):
        messages.info(request, _("该卷宗已经提交。"))
        return redirect(dossier)
    messages.success(request, _("已提交部门法制机构初审。"))
    return redirect(dossier)


@login_required
def notifications(request):
    """The user's own notifications; opening the page marks them read."""
    mine = Notification.objects.filter(user=request.user).select_related("dossier")
    page = Paginator(mine, 30).get_page(request.GET.get("page"))
    unread = [n.pk for n in page.object_list if n.read_at is None]
    response = render(request, "workflow/notifications.html", {"page": page, "unread": unread})
    Notification.objects.filter(pk__in=unread).update(read_at=timezone.now())
    return response
