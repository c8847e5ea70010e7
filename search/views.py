"""Pages of the register: staff search and the public register (Art. 25)."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from review.models import Dossier, Role, User
from search.backends import SearchUnavailable, search
from search.document_text import read_text, text_docx
from search.forms import SearchForm
from search.models import (
    Document,
    Kind,
    Status,
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
    takes_effect_on = document.takes_effect_on
    if version is None and day and takes_effect_on and day < takes_effect_on:
        # Published and not yet in force: the text is shown as it will apply.
        version = document.current_version
    if request.GET.get("download") == "docx":
        return _download(document, version)
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
            "takes_effect_on": takes_effect_on,
            "version": version,
            "reading": read_text(version.text) if version else None,
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


def _download(document, version):
    """The text shown on the page (the version of ?on=, else the current one) in Word."""
    if version is None or not version.text.strip():
        raise Http404("no text to download")
    return HttpResponse(
        text_docx(document, version),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        headers={"Content-Disposition": content_disposition_header(True, f"{document.title}.docx")},
    )


@login_required
def document_detail(request, pk):
    documents = Document.objects.visible_to(request.user).prefetch_related("versions")
    document = get_object_or_404(documents, pk=pk)
    return _document_page(request, document, public=False)


def public_document(request, pk):
    document = get_object_or_404(Document.objects.published().prefetch_related("versions"), pk=pk)
    return _document_page(request, document, public=True)
