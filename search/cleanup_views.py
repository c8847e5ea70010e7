"""Pages of a cleanup campaign (清理): launch, assignment, proposals, review, publication."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from search import exports
from search.cleanup import count_sentence, result_lists
from search.forms import AssignForm, CampaignForm, ProposalForm, PublishForm, ReviewForm
from search.indexing import schedule_indexing
from search.models import (
    CampaignItem,
    CleanupCampaign,
    can_manage_cleanup,
)


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
    if not can_manage_cleanup(request.user):
        raise PermissionDenied(_("只有政府法制机构可以发起规范性文件清理。"))
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            campaign = CleanupCampaign.objects.create(
                title=form.cleaned_data["title"],
                basis=form.cleaned_data["basis"],
                created_by=request.user,
            )
            campaign.add_documents(form.documents())
        messages.success(request, _("已发起清理，共%(n)s件文件。") % {"n": campaign.items.count()})
        return redirect(campaign)
    return render(request, "search/campaign_form.html", {"form": form})


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
    if not (can_manage_cleanup(request.user) and campaign.is_open):
        raise PermissionDenied(_("只有政府法制机构可以在清理期间分配承办部门。"))
    form = AssignForm(request.POST, campaign=campaign)
    if form.is_valid():
        with transaction.atomic():
            for item in form.cleaned_data["items"]:
                item.assign(request.user, form.cleaned_data["department"])
        messages.success(request, _("已分配承办部门。"))
    else:
        _report_errors(request, form)
    return redirect(campaign)


@login_required
@require_POST
def item_propose(request, pk):
    item = get_object_or_404(CampaignItem.objects.select_related("campaign"), pk=pk)
    form = ProposalForm(request.POST)
    if not item.can_propose(request.user):
        raise PermissionDenied(_("只有承办部门可以对本件提出清理意见。"))
    if form.is_valid():
        try:
            with transaction.atomic():
                item.propose(
                    request.user, form.cleaned_data["decision"], form.cleaned_data["reason"]
                )
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, _("已提出清理意见，等待法制机构审核。"))
    else:
        _report_errors(request, form)
    return redirect(item.campaign)


@login_required
@require_POST
def item_review(request, pk):
    item = get_object_or_404(CampaignItem.objects.select_related("campaign"), pk=pk)
    if not item.can_review(request.user):
        raise PermissionDenied(_("本件当前不能审核。"))
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
        raise PermissionDenied(_("只有政府法制机构可以公布清理结果。"))
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
        raise PermissionDenied(_("只有政府法制机构可以导出清理结果。"))
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
