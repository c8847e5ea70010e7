"""Pages of the register: staff search, the public register (Art. 25), cleanup campaigns."""

from datetime import date
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from review.models import Dossier, Role, User
from search import exports
from search.backends import SearchUnavailable, search
from search.cleanup import count_sentence, result_lists
from search.forms import AssignForm, CampaignForm, ProposalForm, PublishForm, ReviewForm, SearchForm
from search.indexing import schedule_indexing
from search.models import (
    CampaignItem,
    CleanupCampaign,
    Document,
    Kind,
    Status,
    can_manage_cleanup,
)

FACET_LABELS = {"status": Status, "kind": Kind}


def _search_page(request, public):
    # With no parameters the register is listed newest first.
    form = SearchForm(request.GET)
    context = {
        "form": form,
        "public": public,
        "result": None,
        "statuses": Status.choices,
        "kinds": Kind.choices,
    }
    if form.is_valid():
        hidden = () if public else Document.objects.hidden_from(request.user).values_list("pk")
        try:
            result = search(form.to_query(public=public, hidden=tuple(pk for (pk,) in hidden)))
        except SearchUnavailable:
            messages.error(request, _("检索服务暂时不可用，请稍后再试。"))
            return render(request, "search/search.html", context, status=503)
        context["result"] = result
        context["facets"] = _facets(request, result)
        context["page"] = result.page
    return render(request, "search/search.html", context)


def _facets(request, result):
    """Each facet's values with their counts and the link that filters by them."""
    facets = []
    for name, label in (
        ("status", _("效力状态")),
        ("issuer", _("制定机关")),
        ("kind", _("文件类别")),
    ):
        values = []
        for value, count in sorted(result.facets.get(name, {}).items(), key=lambda kv: -kv[1]):
            params = request.GET.copy()
            params[name] = value
            params.pop("page", None)
            display = FACET_LABELS[name](value).label if name in FACET_LABELS else value
            values.append(
                {
                    "label": display,
                    "count": count,
                    "url": "?" + params.urlencode(),
                    "active": request.GET.get(name) == value,
                }
            )
        facets.append({"name": name, "label": label, "values": values})
    return facets


@login_required
def staff_search(request):
    """检索规范性文件数据库, for staff: every registered document."""
    return _search_page(request, public=False)


def public_search(request):
    """规范性文件公开查询: published documents only, no login."""
    return _search_page(request, public=True)


def _reevaluators(user, document):
    """The drafters of its department, to whom the legal office may open a re-evaluation
    of a normative document in force that has a validity to lapse (Art. 24)."""
    if not (user.is_authenticated and user.has_role(Role.REVIEWER, Role.HEAD)):
        return []
    if document.status != Status.IN_FORCE or not document.lapses_on or not document.department_id:
        return []
    return list(
        User.objects.filter(
            department=document.department_id, groups__name=Role.DRAFTER, is_active=True
        )
    )


def _document_page(request, document, public):
    day = None
    if on := request.GET.get("on"):
        try:
            day = date.fromisoformat(on)
        except ValueError:
            messages.error(request, _("日期格式应为 2018-01-18。"))
    version = document.version_on(day) if day else document.current_version
    shown = Document.objects.published() if public else Document.objects.visible_to(request.user)
    links = {
        "outgoing": document.outgoing_links.filter(target__in=shown).select_related("target"),
        "incoming": document.incoming_links.filter(source__in=shown).select_related("source"),
    }
    return render(
        request,
        "search/document.html",
        {
            "document": document,
            "public": public,
            "day": day,
            "in_force_that_day": day and document.in_force_on(day),
            "version": version,
            "versions": document.ordered_versions(),
            "history": document.status_changes.all(),
            "links": links,
            "reevaluators": _reevaluators(request.user, document) if not public else [],
            # The review file behind a document stays with those who may see the dossier.
            "dossier": None
            if public or not document.dossier_id
            else Dossier.objects.visible_to(request.user).filter(pk=document.dossier_id).first(),
        },
    )


@login_required
def document_detail(request, pk):
    documents = Document.objects.visible_to(request.user).prefetch_related("versions")
    document = get_object_or_404(documents, pk=pk)
    return _document_page(request, document, public=False)


def public_document(request, pk):
    document = get_object_or_404(Document.objects.published().prefetch_related("versions"), pk=pk)
    return _document_page(request, document, public=True)


# --- Cleanup campaigns -------------------------------------------------------------------


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
