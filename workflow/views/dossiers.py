"""Dossier pages with the process around them: the list with deadlines, the dossier page
with its open tasks and legal clock, and the clock and filing actions."""

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.workdays import UnknownCalendarYear
from review.forms import MaterialForm, VersionForm
from review.models import Dossier, FilingReply, Objection, Opinion, Role, Stage, User
from review.uploads import may_remove_materials
from review.views import visible_dossier
from search.models import Document
from workflow import actions, clock
from workflow.forms import LateOpinionForm
from workflow.models import ClockEvent, work_calendar


@login_required
def dossier_list(request):
    dossiers = (
        Dossier.objects.visible_to(request.user)
        .select_related("department")
        .prefetch_related("clock_events")
    )
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
            "meetings": dossier.meetings.select_related("session").prefetch_related(
                "session__minutes"
            ),
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
            "can_retry": dossier.can_submit(user),
            "can_remove_materials": may_remove_materials(dossier, user),
        },
    )


def _filing_due(dossier):
    try:
        return {"filing_due": clock.filing_due(dossier.issued_on), "filing_due_error": ""}
    except UnknownCalendarYear as unknown:
        return {"filing_due": None, "filing_due_error": str(unknown)}


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
        **_filing_due(dossier),
        "extension_days": settings.REVIEW_RULES["review_extension_working_days"],
        "pause_grounds": ClockEvent.Ground.chosen_by_reviewer(),
        "objections": dossier.objections.select_related("opinion", "raised_by"),
        "can_object": user.has_role(Role.DRAFTER)
        and user.department_id == dossier.department_id
        and dossier.stage != Stage.OBJECTION
        and actions.objectable_opinion(dossier) is not None,
        "can_negotiate": user.has_role(Role.REVIEWER, Role.HEAD),
        "can_rule": user.has_role(Role.SECRETARY),
        "outcomes": Objection.Outcome.choices,
        "rulings": Objection.Ruling.choices,
        "late_opinion_form": LateOpinionForm(prefix="late")
        if user.has_role(Role.REVIEWER) and _may_write_late(dossier)
        else None,
        "can_sign_late": user.has_role(*settings.OPINION_SIGNER_ROLES),
        "can_record_reply": dossier.filed_on
        and not dossier.filing_reply
        and user.has_role(Role.CLERK),
        "filing_replies": FilingReply.choices,
    }


def open_tasks(dossier, user):
    """The dossier's open tasks, each marked with whether this user may act on its step
    and whether they hold it."""
    if dossier.process_id is None:
        return []
    tasks = actions.open_tasks(dossier).select_related("owner", "process")
    for t in tasks:
        t.allowed = t.flow_task.allows(user, dossier)
        t.actionable = t.allowed and t.owner_id == user.pk
    return tasks


@login_required
def dossier_status(request, dossier_pk):
    """Whether the draft's conversion is still running, for the page to poll instead of
    reloading itself (a reload would wipe a form being filled in)."""
    dossier = visible_dossier(request, dossier_pk)
    versions = dossier.versions.only("number", "extracted_at", "extraction_error")
    return JsonResponse(
        {
            "processing": any(v.processing for v in versions),
            "versions": [
                {
                    "number": v.number,
                    "processing": v.processing,
                    "message": _("正在转换和提取文本，完成后此处即显示结果")
                    if v.processing
                    else v.extraction_error or _("文本已转换完成。"),
                    "failed": bool(v.extraction_error),
                }
                for v in versions
            ],
        }
    )


@login_required
@require_POST
def clock_action(request, dossier_pk):
    """Pause or resume the review clock (investigation, hearing), or extend it once."""
    dossier = get_object_or_404(Dossier.objects.visible_to(request.user), pk=dossier_pk)
    action = request.POST.get("action")
    reason = request.POST.get("reason", "").strip()
    user = request.user
    # A period that has run out has its effect first: the draft is deemed passed.
    actions.pass_by_deadline(dossier)
    if clock.is_deemed_passed(dossier):
        messages.error(request, _("审查期限已届满，依规定视为审查通过，不能再暂停计时或延长期限。"))
        return redirect(dossier)
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
        ground = request.POST.get("ground", "")
        if action == "pause" and ground not in dict(ClockEvent.Ground.chosen_by_reviewer()):
            messages.error(
                request, _("请选择暂停事由：调查研究、召开论证会或举行听证会（第十六条）。")
            )
        elif action == "pause":
            if refused := clock.pause(dossier, user, reason, ground):
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
    if dossier.record_filing(request.user, filed_on):
        messages.success(request, _("已登记报送备案。"))
    else:
        messages.info(request, _("该文件已登记备案或尚未公布。"))
    return redirect(dossier)


def _may_write_late(dossier):
    """Deemed passed, with no legality opinion yet: the office may still give one."""
    return (
        clock.is_deemed_passed(dossier)
        and not dossier.opinions.filter(stage=Stage.LEGAL_REVIEW).exists()
    )


@login_required
@require_POST
def late_opinion(request, dossier_pk):
    """An opinion given after the draft was deemed passed: written by a reviewer, signed by
    the head, sent as advice (Art. 16)."""
    dossier = get_object_or_404(Dossier.objects.visible_to(request.user), pk=dossier_pk)
    user = request.user
    try:
        with transaction.atomic():
            # Two heads signing at once would give the opinion two numbers.
            dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
            if request.POST.get("action") == "sign":
                if not user.has_role(*settings.OPINION_SIGNER_ROLES):
                    raise PermissionDenied(_("审查意见由法制机构负责人签发。"))
                opinion = get_object_or_404(
                    Opinion, pk=request.POST.get("opinion"), dossier=dossier, late=True
                )
                actions.sign_late_opinion(dossier, user, opinion)
                messages.success(request, _("已签发逾期审查意见，该意见仅供参考。"))
            else:
                if not user.has_role(Role.REVIEWER):
                    raise PermissionDenied(_("只有审查人员可以出具审查意见。"))
                form = LateOpinionForm(request.POST, prefix="late")
                if not form.is_valid() or not _may_write_late(dossier):
                    messages.error(request, _("请填写审查结论和意见；或该卷宗已有审查意见。"))
                    return redirect(dossier)
                actions.write_late_opinion(dossier, user, **form.cleaned_data)
                messages.success(request, _("逾期审查意见已提交负责人签发。"))
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    return redirect(dossier)


@login_required
@require_POST
def objection(request, dossier_pk):
    """Art. 18 on the dossier page: the department objects to a signed opinion; the legal
    office records the 协商; the government office records the government's 裁决."""
    dossier = get_object_or_404(Dossier.objects.visible_to(request.user), pk=dossier_pk)
    user, action = request.user, request.POST.get("action")
    text = request.POST.get("text", "").strip()
    if not text:
        messages.error(request, _("请填写内容。"))
        return redirect(dossier)
    try:
        with transaction.atomic():
            locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
            if action == "raise":
                if not (
                    user.has_role(Role.DRAFTER) and user.department_id == dossier.department_id
                ):
                    raise PermissionDenied(_("书面异议由起草部门提出。"))
                actions.raise_objection(locked, user, text)
                messages.success(request, _("书面异议已提交政府法制机构。"))
                return redirect(dossier)
            found = get_object_or_404(locked.objections, pk=request.POST.get("objection"))
            if action == "negotiate":
                if not user.has_role(Role.REVIEWER, Role.HEAD):
                    raise PermissionDenied(_("协商记录由政府法制机构填写。"))
                outcome = request.POST.get("outcome", "")
                if outcome not in Objection.Outcome.values:
                    raise ValidationError(_("请选择协商结果。"))
                actions.negotiate(locked, user, found, outcome, text)
            elif action == "rule":
                if not user.has_role(Role.SECRETARY):
                    raise PermissionDenied(_("政府裁决由政府办公室记录。"))
                ruling = request.POST.get("ruling", "")
                if ruling not in Objection.Ruling.values:
                    raise ValidationError(_("请选择裁决结果。"))
                actions.rule(locked, user, found, ruling, text)
            else:
                raise ValidationError(_("无法识别的操作。"))
            messages.success(request, _("已记录。"))
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    return redirect(dossier)


@login_required
@require_POST
def filing_reply(request, dossier_pk):
    """The higher government's reply to the filing (Art. 11, 19): 无异议 or 要求纠正."""
    dossier = get_object_or_404(Dossier.objects.visible_to(request.user), pk=dossier_pk)
    if not request.user.has_role(Role.CLERK):
        raise PermissionDenied(_("只有登记编号人员可以登记备案审查答复。"))
    reply = request.POST.get("reply", "")
    try:
        replied_on = date.fromisoformat(request.POST.get("replied_on", ""))
    except ValueError:
        replied_on = None
    if reply not in FilingReply.values or replied_on is None:
        messages.error(request, _("请选择答复结果并填写答复日期。"))
    elif not dossier.filed_on or not dossier.filed_on <= replied_on <= timezone.localdate():
        messages.error(request, _("答复日期不能早于报送备案日期，也不能晚于今天。"))
    elif dossier.record_filing_reply(request.user, reply, replied_on, request.POST.get("text", "")):
        messages.success(request, _("已登记备案审查答复。"))
    else:
        messages.info(request, _("备案审查答复已经登记。"))
    return redirect(dossier)


@login_required
@require_POST
def reevaluate(request, document_pk):
    """The legal office opens a re-evaluation dossier for a document nearing its lapse."""
    if not request.user.has_role(Role.REVIEWER, Role.HEAD):
        raise PermissionDenied(_("重新评估由政府法制机构发起。"))
    document = get_object_or_404(Document, pk=document_pk)
    drafter = User.objects.filter(pk=request.POST.get("drafter")).first()
    try:
        with transaction.atomic():
            dossier = actions.open_reevaluation(document, request.user, drafter or request.user)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return redirect(document)
    messages.success(request, _("已开立重新评估卷宗，并通知起草部门经办人。"))
    return redirect(dossier)
