"""Task lists (inbox, queue, archive) and the one view that executes any step."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from review.models import Dossier, Stage

from .nodes import StaleTask


def _flow():
    from .flows import ReviewFlow

    return ReviewFlow


def _submit(dossier, user):
    from .flows import submit_dossier

    return submit_dossier(dossier, user)


def _tasks(user):
    """Human tasks of dossiers the user may see."""
    visible = Dossier.objects.visible_to(user).exclude(process=None).values("process_id")
    return (
        Task.objects.filter(
            process__flow_class=_flow(), flow_task_type="HUMAN", process_id__in=visible
        )
        .select_related("process", "process__dossier", "process__dossier__department", "owner")
        .order_by("-created")
    )


def _steps_for(user):
    return [node for node in _flow().instance.nodes() if getattr(node, "role", None) in user.roles]


def queue_for(user):
    """Unassigned tasks this user could take."""
    steps = _steps_for(user)
    tasks = _tasks(user).filter(status=STATUS.NEW, flow_task__in=steps)
    return [t for t in tasks if t.flow_task.can_assign(user, t)]


@login_required
def inbox(request):
    tasks = _tasks(request.user).filter(owner=request.user, status=STATUS.ASSIGNED)
    return render(request, "workflow/tasks.html", {"tasks": tasks, "tab": "inbox"})


@login_required
def queue(request):
    return render(
        request, "workflow/tasks.html", {"tasks": queue_for(request.user), "tab": "queue"}
    )


@login_required
def archive(request):
    tasks = _tasks(request.user).filter(owner=request.user, finished__isnull=False)[:200]
    return render(request, "workflow/tasks.html", {"tasks": tasks, "tab": "archive"})


def _get_task(request, task_pk):
    task = get_object_or_404(Task, pk=task_pk, process__flow_class=_flow(), flow_task_type="HUMAN")
    dossier = Dossier.objects.visible_to(request.user).filter(process_id=task.process_id).first()
    if dossier is None:
        raise Http404
    return task, dossier


@login_required
def task(request, task_pk):
    task, dossier = _get_task(request, task_pk)
    node = task.flow_task
    if task.status not in (STATUS.NEW, STATUS.ASSIGNED):
        messages.info(request, _("该任务已经办理完毕。"))
        return redirect(dossier)
    if not node.allows(request.user, dossier):
        raise PermissionDenied(_("您没有办理此任务的权限。"))
    if task.owner_id and task.owner_id != request.user.pk:
        messages.warning(request, _("该任务已由%(name)s领取。") % {"name": task.owner})
        return redirect(dossier)

    form = node.form_class(
        request.POST or None, request.FILES or None, dossier=dossier, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            node.execute(task.pk, request.user, form)
        except StaleTask as stale:
            messages.error(request, str(stale))
            return redirect(dossier)
        messages.success(request, _("已办理：%(step)s。") % {"step": Stage(node.stage).label})
        return redirect(dossier)
    return render(
        request,
        "workflow/task.html",
        {"task": task, "dossier": dossier, "form": form, "step": Stage(node.stage).label},
    )


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
    if not _submit(dossier, request.user):
        messages.info(request, _("该卷宗已经提交。"))
        return redirect(dossier)
    messages.success(request, _("已提交部门法制机构初审。"))
    return redirect(dossier)


def open_tasks(dossier, user):
    """The dossier's open tasks, each marked with whether this user can act on it."""
    if dossier.process_id is None:
        return []
    tasks = Task.objects.filter(
        process_id=dossier.process_id,
        flow_task_type="HUMAN",
        status__in=[STATUS.NEW, STATUS.ASSIGNED],
    ).select_related("owner")
    for t in tasks:
        t.actionable = t.flow_task.allows(user, dossier) and t.owner_id in (None, user.pk)
        t.step = Stage(t.flow_task.stage).label
    return tasks
