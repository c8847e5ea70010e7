"""The meeting secretary's agenda: several drafts decided at one meeting, with its minutes;
the minutes' download; and the registration page's live preview of its number and dates."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from review.models import Dossier, Minutes, Stage
from review.views import visible_dossier
from workflow.flows import ReviewFlow
from workflow.forms.issuing import AgendaForm, RegistrationForm, shown_value

_TICKED = re.compile(r"^d(\d+)-decide$")


def waiting_for(user):
    """(task, dossier) at the collective decision that ``user`` may record, oldest first."""
    node = ReviewFlow.meeting
    tasks = (
        Task.objects.filter(
            process__flow_class=ReviewFlow,
            flow_task=node,
            status__in=[STATUS.NEW, STATUS.ASSIGNED],
            process__dossier__stage=Stage.MEETING,
        )
        .select_related("process__dossier__department")
        .order_by("created", "pk")
    )
    return [
        (task, task.process.dossier)
        for task in tasks
        if node.can_assign(user, task) or node.can_execute(user, task)
    ]


@login_required
def agenda(request):
    user = request.user
    if not user.records_meetings:
        raise PermissionDenied(_("您没有记录集体审议决定的权限。"))
    waiting = waiting_for(user)
    form = AgendaForm(request.POST or None, request.FILES or None, user=user, waiting=waiting)
    if request.method == "POST":
        gone = _ticked_but_gone(request, user, waiting)
        for dossier in gone:
            messages.warning(request, _stale_message(dossier))
        if form.is_valid():
            try:
                recorded, stale = form.record()
            except ValidationError as refused:
                form.add_error(None, refused)
            else:
                for dossier in stale:
                    messages.warning(request, _stale_message(dossier))
                if recorded:
                    messages.success(
                        request,
                        _("已记录%(meeting)s对%(n)s件草案的决定：%(titles)s。")
                        % {
                            "meeting": form.cleaned_data["meeting"],
                            "n": len(recorded),
                            "titles": _("、").join(
                                _("《%(t)s》") % {"t": d.title} for d in recorded
                            ),
                        },
                    )
                return redirect("workflow:meetings")
        elif gone and not form.chosen_pks():
            return redirect("workflow:meetings")
    return render(request, "workflow/meetings.html", {"form": form})


def _ticked_but_gone(request, user, waiting):
    """Dossiers ticked on the page that are no longer waiting: someone recorded them."""
    ticked = {int(m[1]) for key in request.POST if (m := _TICKED.match(key))}
    ticked -= {dossier.pk for _task, dossier in waiting}
    return list(Dossier.objects.visible_to(user).filter(pk__in=ticked))


def _stale_message(dossier):
    return _("《%(t)s》已由他人记录或已不在集体审议环节，未重复记录。") % {"t": dossier.title}


@login_required
def minutes_download(request, dossier_pk, pk):
    dossier = visible_dossier(request, dossier_pk)
    minutes = get_object_or_404(Minutes, pk=pk, meeting__decisions__dossier=dossier)
    return FileResponse(minutes.file.open("rb"), as_attachment=True, filename=minutes.original_name)


@login_required
def registration_preview(request, dossier_pk):
    """The number and dates the registration page would record for the values in the
    query, as text: for the page's script, when the clerk changes the series or a date."""
    dossier = visible_dossier(request, dossier_pk)
    node = ReviewFlow.registration
    if dossier.stage != Stage.REGISTRATION or not node.allows(request.user, dossier):
        raise Http404
    form = RegistrationForm(request.GET, dossier=dossier, user=request.user)
    return JsonResponse({k: str(shown_value(v)) for k, v in form.preview().items()})


urlpatterns = [
    path("meetings/", agenda, name="meetings"),
    path(
        "meetings/minutes/<int:dossier_pk>/<int:pk>/",
        minutes_download,
        name="minutes_download",
    ),
    path(
        "registration-preview/<int:dossier_pk>/",
        registration_preview,
        name="registration_preview",
    ),
]
