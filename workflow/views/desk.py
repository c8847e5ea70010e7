"""The user's desk: tasks assigned and tasks to take, the archive, submitting a dossier, and
notifications."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from review.models import Dossier
from workflow.clock import dossier_clock
from workflow.flows import ReviewFlow, submit_dossier
from workflow.models import Notification, work_calendar
from workflow.nodes import Step


def _tasks(user):
    """Human tasks of dossiers the user may see."""
    visible = Dossier.objects.visible_to(user).exclude(process=None).values("process_id")
    return (
        Task.objects.filter(
            process__flow_class=ReviewFlow, flow_task_type="HUMAN", process_id__in=visible
        )
        .select_related("process", "process__dossier", "process__dossier__department", "owner")
        .prefetch_related("process__dossier__clock_events")
        .order_by("-created")
    )


def _steps_for(user):
    return [
        node
        for node in ReviewFlow.instance.nodes()
        if isinstance(node, Step) and node.all_roles & user.roles
    ]


def queue_for(user):
    """Unassigned tasks this user could take."""
    steps = _steps_for(user)
    tasks = _tasks(user).filter(status=STATUS.NEW, flow_task__in=steps)
    return [t for t in tasks if t.flow_task.can_assign(user, t)]


def with_clocks(tasks):
    """Each task with its dossier's review clock, for the deadline column."""
    calendar = work_calendar()
    tasks = list(tasks)
    for t in tasks:
        t.clock = dossier_clock(t.process.dossier, calendar=calendar)
    return tasks


@login_required
def inbox(request):
    """Everything the user can act on now: tasks assigned to them, then those their post
    may take."""
    mine = list(_tasks(request.user).filter(owner=request.user, status=STATUS.ASSIGNED))
    tasks = with_clocks(mine + queue_for(request.user))
    return render(request, "workflow/tasks.html", {"tasks": tasks, "tab": "inbox"})


@login_required
def queue(request):
    tasks = with_clocks(queue_for(request.user))
    return render(request, "workflow/tasks.html", {"tasks": tasks, "tab": "queue"})


@login_required
def archive(request):
    tasks = _tasks(request.user).filter(owner=request.user, finished__isnull=False)[:200]
    return render(request, "workflow/tasks.html", {"tasks": tasks, "tab": "archive"})


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
