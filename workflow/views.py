"""Task lists (inbox, queue, archive) and the one view that executes any step."""

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from review.models import Dossier, Role, Stage

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


def with_clocks(tasks):
    """Each task with its dossier's review clock, for the deadline column."""
    from .clock import dossier_clock
    from .models import work_calendar

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
        except ValidationError as refused:
            # A rule the form could not see (e.g. the register's); nothing was changed.
            form.add_error(None, refused)
        else:
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
    if dossier.latest_version.unreadable:
        messages.error(request, dossier.latest_version.unreadable)
        return redirect(dossier)
    if not _submit(dossier, request.user):
        messages.info(request, _("该卷宗已经提交。"))
        return redirect(dossier)
    messages.success(request, _("已提交部门法制机构初审。"))
    return redirect(dossier)


def dossier_context(dossier, user):
    """What the dossier page shows of the workflow: open tasks and the legal clock."""
    from . import clock

    state = clock.dossier_clock(dossier)
    reviewing = dossier.stage in (Stage.LEGAL_REVIEW, Stage.HEAD_SIGN)
    return {
        "tasks": open_tasks(dossier, user),
        "clock": state,
        "clock_events": dossier.clock_events.select_related("by"),
        "can_pause": reviewing and user.has_role(Role.REVIEWER, Role.HEAD),
        "can_extend": reviewing and user.has_role(Role.HEAD) and clock.can_extend(dossier),
        "can_file": dossier.stage == Stage.ISSUED
        and not dossier.filed_on
        and user.has_role(Role.CLERK),
        "filing_due": clock.filing_due(dossier),
        "extension_days": settings.REVIEW_RULES["review_extension_working_days"],
    }


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


@login_required
@require_POST
def clock_action(request, dossier_pk):
    """Pause or resume the review clock (investigation, hearing), or extend it once."""
    from . import clock

    dossier = get_object_or_404(Dossier.objects.visible_to(request.user), pk=dossier_pk)
    action = request.POST.get("action")
    reason = request.POST.get("reason", "").strip()
    user = request.user
    if dossier.stage not in (Stage.LEGAL_REVIEW, Stage.HEAD_SIGN):
        messages.error(request, _("只有在合法性审查环节才能调整审查期限。"))
    elif action == "extend":
        if not user.has_role(Role.HEAD):
            raise PermissionDenied(_("延长审查期限须经法制机构负责人批准。"))
        if not reason:
            messages.error(request, _("请写明延长审查期限的理由，该理由将告知起草部门。"))
        elif refused := clock.extend(dossier, user, reason):
            messages.error(request, refused)
        else:
            messages.success(request, _("审查期限已延长。"))
    elif action in ("pause", "resume"):
        if not user.has_role(Role.REVIEWER, Role.HEAD):
            raise PermissionDenied(_("只有审查人员可以暂停或恢复计时。"))
        if action == "pause" and not reason:
            messages.error(request, _("请写明暂停计时的原因（如：调查、听证）。"))
        elif action == "pause":
            if refused := clock.pause(dossier, user, reason):
                messages.error(request, refused)
            else:
                messages.success(request, _("已暂停计算审查期限。"))
        else:
            clock.resume(dossier, user)
            messages.success(request, _("已恢复计算审查期限。"))
    else:
        messages.error(request, _("无法识别的操作。"))
    return redirect(dossier)


@login_required
@require_POST
def record_filing(request, dossier_pk):
    """The clerk records the filing with the higher government (报送备案)."""
    dossier = get_object_or_404(Dossier.objects.visible_to(request.user), pk=dossier_pk)
    if not request.user.has_role(Role.CLERK):
        raise PermissionDenied(_("只有登记编号人员可以登记备案。"))
    if dossier.stage != Stage.ISSUED or dossier.filed_on:
        messages.info(request, _("该文件已登记备案或尚未公布。"))
        return redirect(dossier)
    try:
        filed_on = date.fromisoformat(request.POST.get("filed_on", ""))
    except ValueError:
        messages.error(request, _("请填写正确的报送备案日期。"))
        return redirect(dossier)
    if not dossier.issued_on <= filed_on <= timezone.localdate():
        messages.error(request, _("报送备案日期不能早于公布日期，也不能晚于今天。"))
        return redirect(dossier)
    dossier.record_filing(request.user, filed_on)
    messages.success(request, _("已登记报送备案。"))
    return redirect(dossier)


@login_required
def notifications(request):
    """The user's own notifications; opening the page marks them read."""
    from .models import Notification

    mine = Notification.objects.filter(user=request.user).select_related("dossier")
    page = Paginator(mine, 30).get_page(request.GET.get("page"))
    unread = [n.pk for n in page.object_list if n.read_at is None]
    response = render(request, "workflow/notifications.html", {"page": page, "unread": unread})
    Notification.objects.filter(pk__in=unread).update(read_at=timezone.now())
    return response
