"""The one page that executes any step of the flow: flows.py hands it to every Step."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from review.models import Dossier, Stage
from workflow.models import TaskDraft
from workflow.nodes import StaleTask

# The buttons that keep the person on the page instead of submitting the step.
SAVE, ADD_ROW = "save_draft", "add_row"


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
    # A pooled task is taken before it is worked on, so two colleagues never write the same
    # opinion; a submission without taking it is still accepted (execute takes it).
    holding = task.owner_id == request.user.pk

    def make(data=None, files=None):
        return node.form_class(data, files, dossier=dossier, user=request.user)

    draft = TaskDraft.objects.filter(task=task, user=request.user).first()
    if request.GET.get("letter") == "docx":
        return _letter_preview(make())
    if request.method == "POST" and (SAVE in request.POST or ADD_ROW in request.POST):
        form = make(_kept(request.POST, grow=ADD_ROW in request.POST))
        form.silence()
        if SAVE in request.POST:
            draft = _save_draft(request, task, holding)
    elif request.method == "POST":
        form = make(request.POST, request.FILES)
        if form.is_valid():
            try:
                node.execute(task.pk, request.user, form)
            except StaleTask as stale:
                messages.error(request, str(stale))
                return redirect(dossier)
            except ValidationError as refused:
                # A rule the form could not see (e.g. the register's); nothing was changed.
                form.add_error(None, refused)
            else:
                TaskDraft.objects.filter(task=task).delete()
                messages.success(
                    request, _("已办理：%(step)s。") % {"step": Stage(node.stage).label}
                )
                if notice := getattr(form, "notice", ""):
                    # e.g. the number shown was taken meanwhile: say which one this got.
                    messages.warning(request, notice)
                return redirect(dossier)
    elif draft and holding:
        form = make(_as_query(draft.data))
        form.silence()
    else:
        form = make()
    return render(
        request,
        "workflow/task.html",
        {
            "task": task,
            "dossier": dossier,
            "form": form,
            "step": Stage(node.stage).label,
            # Someone who submitted without taking the task sees what they typed again.
            "acting": holding or form.is_bound,
            "draft": draft if holding else None,
        },
    )


def _kept(post, grow):
    """The typed fields to show again (files cannot be kept), with one more row to fill in
    each formset when ``grow``."""
    data = post.copy()
    for key in (SAVE, ADD_ROW, "csrfmiddlewaretoken"):
        data.pop(key, None)
    if grow:
        for key in [k for k in data if k.endswith("-TOTAL_FORMS")]:
            data[key] = str(_count(data[key]) + 1)
    return data


def _count(value):
    try:
        return max(0, int(value))
    except ValueError:
        return 0


def _save_draft(request, task, holding):
    """Keep what the holder typed (暂存) for when they come back; validation waits for
    the submission."""
    if not holding:
        messages.error(request, _("请先领取任务再暂存。"))
        return None
    data = _kept(request.POST, grow=False)
    draft, _created = TaskDraft.objects.update_or_create(
        task=task, user=request.user, defaults={"data": dict(data.lists())}
    )
    saved = date_format(timezone.localtime(draft.saved_at), "DATETIME_FORMAT")
    messages.success(request, _("已暂存（%(time)s）。") % {"time": saved})
    return draft


def _as_query(data):
    query = QueryDict(mutable=True)
    for key, values in data.items():
        query.setlist(key, values)
    return query


def _letter_preview(form):
    """The letter the step would send, as Word, before anyone signs it."""
    docx = getattr(form, "letter_docx", lambda: None)()
    if docx is None:
        raise Http404
    name, data = docx
    return FileResponse(io.BytesIO(data), as_attachment=True, filename=name)
