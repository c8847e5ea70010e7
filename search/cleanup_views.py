"""Pages of a cleanup campaign (清理): launch, assignment, proposals, review, publication."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from search import exports
from search.cleanup import ANSWERED, cleanup_tasks, count_sentence, result_lists
from search.forms import (
    AssignForm,
    BulkProposalForm,
    CampaignForm,
    ProposalForm,
    PublishForm,
    ReviewForm,
)
from search.indexing import schedule_indexing
from search.models import (
    CampaignEvent,
    CampaignItem,
    CleanupCampaign,
    Decision,
    can_manage_cleanup,
)
from search.models.cleanup import cleanup_manager_refusal


def _items_for(campaign, user):
    items = campaign.items.select_related("document", "department", "proposed_by")
    if can_manage_cleanup(user):
        return items
    if user.department_id is None:  # else they would match the unassigned items
        return items.none()
    return items.filter(department_id=user.department_id)


@login_required
def campaign_list(request):
    campaigns = CleanupCampaign.objects.all()
    if not can_manage_cleanup(request.user):
        campaigns = campaigns.filter(
            items__department_id=request.user.department_id or -1
        ).distinct()
    return render(
        request,
        "search/campaign_list.html",
        {"campaigns": campaigns, "can_manage": can_manage_cleanup(request.user)},
    )


@login_required
def campaign_create(request):
    """Two submissions: the first counts the documents the filters select, the second
    launches, and only if the count is still the one the launcher saw."""
    if not can_manage_cleanup(request.user):
        raise PermissionDenied(cleanup_manager_refusal(_("发起清理")))
    form = CampaignForm(request.POST or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        count = form.documents().count()
        if "confirm" in request.POST and request.POST.get("expected") == str(count):
            with transaction.atomic():
                campaign = CleanupCampaign.objects.create(
                    title=form.cleaned_data["title"],
                    basis=form.cleaned_data["basis"],
                    reply_due=form.cleaned_data["reply_due"],
                    created_by=request.user,
                )
                campaign.add_documents(form.documents())
            messages.success(request, _("已发起清理，共%(n)s件文件。") % {"n": count})
            return redirect(campaign)
        if "confirm" in request.POST:
            messages.warning(
                request,
                _("符合条件的文件现为%(n)s件，与确认前不同，请核对后再发起。") % {"n": count},
            )
        preview = {"count": count, "departments": form.by_department()}
    return render(request, "search/campaign_form.html", {"form": form, "preview": preview})


@login_required
def cleanup_tasks_page(request):
    """我的清理任务: the campaigns that gave the user's department documents."""
    return render(request, "search/cleanup_tasks.html", {"tasks": cleanup_tasks(request.user)})


@login_required
def campaign_detail(request, pk):
    campaign = get_object_or_404(CleanupCampaign, pk=pk)
    items = list(_items_for(campaign, request.user))
    manage = can_manage_cleanup(request.user)
    if not manage and not items:
        raise PermissionDenied(_("本次清理没有分配给您所在部门的文件。"))
    for item in items:
        item.campaign = campaign
        item.may_propose = item.can_propose(request.user)
        item.may_review = item.can_review(request.user)
    proposable = any(item.may_propose for item in items)
    return render(
        request,
        "search/campaign_detail.html",
        {
            "campaign": campaign,
            "items": items,
            "can_manage": manage,
            "assign_form": AssignForm(campaign=campaign) if manage and campaign.is_open else None,
            "publish_form": PublishForm() if manage and campaign.is_open else None,
            "proposal_form": ProposalForm(),
            "proposable": proposable,
            # The last record this page shows: a bulk proposal leaves later ones alone.
            "seen": CampaignEvent.objects.aggregate(last=Max("pk"))["last"] or 0
            if proposable
            else None,
            "overdue": campaign.is_open
            and campaign.is_overdue()
            and any(item.state not in ANSWERED for item in items),
            "review_form": ReviewForm(),
            "counts": count_sentence(campaign),
            "lists": result_lists(campaign) if not campaign.is_open else None,
            "unfinished": campaign.unfinished().count(),
        },
    )


def _report_errors(request, form):
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


@login_required
@require_POST
def campaign_assign(request, pk):
    campaign = get_object_or_404(CleanupCampaign, pk=pk)
    if not can_manage_cleanup(request.user):
        raise PermissionDenied(cleanup_manager_refusal(_("分配承办部门")))
    if not campaign.is_open:
        raise PermissionDenied(_("清理结果已经公布，不能修改。"))
    form = AssignForm(request.POST, campaign=campaign)
    if form.is_valid():
        with transaction.atomic():
            campaign.assign(
                request.user, form.cleaned_data["items"], form.cleaned_data["department"]
            )
        messages.success(request, _("已分配承办部门。"))
    else:
        _report_errors(request, form)
    return redirect(campaign)


@login_required
@require_POST
def item_propose(request, pk):
    item = get_object_or_404(CampaignItem.objects.select_related("campaign", "department"), pk=pk)
    if refusal := item.why_not_propose(request.user):
        raise PermissionDenied(refusal)
    form = ProposalForm(request.POST)
    if form.is_valid():
        try:
            item.propose(request.user, form.cleaned_data["decision"], form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, _("已提出清理意见，等待法制机构审核。"))
    else:
        _report_errors(request, form)
    return redirect(item.campaign)


@login_required
@require_POST
def campaign_propose(request, pk):
    """One decision for several of the department's documents."""
    campaign = get_object_or_404(CleanupCampaign, pk=pk)
    form = BulkProposalForm(request.POST, campaign=campaign, user=request.user)
    if not form.is_valid():
        _report_errors(request, form)
        return redirect(campaign)
    data = form.cleaned_data
    try:
        proposed, skipped = data["items"].propose(
            request.user, data["decision"], data["reason"], seen=data["seen"]
        )
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect(campaign)
    if proposed:
        messages.success(
            request,
            _("已对%(n)s件文件提出清理意见（%(d)s），等待法制机构审核。")
            % {"n": len(proposed), "d": Decision(data["decision"]).label},
        )
    if skipped:
        messages.warning(
            request,
            _("以下%(n)s件文件在您打开页面后已由他人办理，未作更改，请核对：%(t)s")
            % {"n": len(skipped), "t": "、".join(f"《{i.document.title}》" for i in skipped)},
        )
    return redirect(campaign)


@login_required
@require_POST
def item_review(request, pk):
    item = get_object_or_404(CampaignItem.objects.select_related("campaign"), pk=pk)
    if refusal := item.why_not_review(request.user):
        raise PermissionDenied(refusal)
    form = ReviewForm(request.POST)
    if form.is_valid():
        with transaction.atomic():
            item.review(request.user, form.cleaned_data["approve"], form.cleaned_data["comment"])
        messages.success(request, _("已审核。"))
    else:
        _report_errors(request, form)
    return redirect(item.campaign)


@login_required
@require_POST
def campaign_publish(request, pk):
    campaign = get_object_or_404(CleanupCampaign, pk=pk)
    if not can_manage_cleanup(request.user):
        raise PermissionDenied(cleanup_manager_refusal(_("公布清理结果")))
    form = PublishForm(request.POST)
    if not form.is_valid():
        _report_errors(request, form)
        return redirect(campaign)
    try:
        with transaction.atomic():
            changed = campaign.publish(request.user, form.cleaned_data["published_on"])
            schedule_indexing(changed)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, _("清理结果已公布：%(c)s。") % {"c": count_sentence(campaign)})
    return redirect(campaign)


@login_required
def campaign_export(request, pk, fmt):
    campaign = get_object_or_404(CleanupCampaign, pk=pk)
    if not can_manage_cleanup(request.user):
        raise PermissionDenied(cleanup_manager_refusal(_("导出清理结果")))
    if campaign.is_open:
        messages.error(request, _("清理结果公布后才能导出目录。"))
        return redirect(campaign)
    if fmt == "xlsx":
        data = exports.campaign_xlsx(campaign)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        data = exports.campaign_docx(campaign)
        content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    response = HttpResponse(data, content_type=content_type)
    filename = f"{campaign.title}结果.{fmt}"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
