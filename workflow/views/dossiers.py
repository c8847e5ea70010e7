"""Dossier pages with the process around them: the list with deadlines, the dossier page
with its open tasks and legal clock, and the clock and filing actions."""

from datetime import date

from django.conf import settings
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

from review.forms import MaterialForm, VersionForm
from review.models import Dossier, Role, Stage
from review.views import visible_dossier
from workflow import clock
from workflow.models import work_calendar


@login_required
def dossier_list(request):
    dossiers = Dossier.objects.visible_to(request.user).select_related("department")
    stage = request.GET.get("stage", "")
    if stage in Stage.values:
        dossiers = dossiers.filter(stage=stage)
    q = request.GET.get("q", "").strip()
    if q:
        dossiers = dossiers.filter(title__icontains=q)
    page = Paginator(dossiers, 25).get_page(request.GET.get("page"))
    calendar = work_calendar()
    for dossier in page.object_list:
        dossier.clock = clock.dossier_clock(dossier, calendar=calendar)
    return render(
        request,
        "workflow/dossier_list.html",
        {"page": page, "stage": stage, "q": q, "stages": Stage.choices},
    )


@login_required
def dossier_detail(request, pk):
    dossier = visible_dossier(request, pk)
    user = request.user
    versions = list(dossier.versions.select_related("uploaded_by"))
    return render(
        request,
        "workflow/dossier_detail.html",
        {
            "dossier": dossier,
            "versions": versions,
            "processing": any(v.processing for v in versions),
            "materials": dossier.materials.select_related("uploaded_by"),
            "latest_materials": dossier.latest_materials(),
            "missing": dossier.missing_materials(),
            "opinions": dossier.opinions_for(user),
            "meetings": dossier.meetings.all(),
            "letters": dossier.letters.all(),
            "history": dossier.history_for(user),
            **dossier_context(dossier, user),
            "material_form": MaterialForm(prefix="material")
            if dossier.can_add_material(user)
            else None,
            "version_form": VersionForm(prefix="version")
            if dossier.can_add_version(user)
            else None,
            "can_submit": dossier.stage == Stage.DRAFT and dossier.can_submit(user),
        },
    )


def dossier_context(dossier, user):
    """What the dossier page shows of the workflow: open tasks and the legal clock."""
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
