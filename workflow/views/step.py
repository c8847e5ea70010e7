"""The one page that executes any step of the flow: flows.py hands it to every Step."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from review.models import Dossier, Stage
from workflow.nodes import StaleTask


def _get_task(request, task_pk):
    task = get_object_or_404(Task, pk=task_pk, flow_task_type="HUMAN")
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
