"""The statistics page, the list behind each figure, and the two exports."""

import io
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import charts, exports, figures, wording
from .forms import ScopeForm


def legal_office_only(view):
    """The legal office (reviewers, head, secretary, clerk) and administrators."""

    @login_required
    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not (request.user.is_superuser or request.user.is_legal_office):
            raise PermissionDenied(_("年度审查统计仅供政府法制机构查看。"))
        return view(request, *args, **kwargs)

    return guarded


def scoped(view):
    """Read the year, department and issuer; a bad one is shown on the page, not raised."""

    @wraps(view)
    def with_scope(request, *args, **kwargs):
        form = ScopeForm(request.GET)
        if not form.is_valid():
            return render(request, "reports/statistics.html", {"form": form}, status=400)
        return view(request, form, form.scope(), *args, **kwargs)

    return with_scope


@legal_office_only
@scoped
def statistics(request, form, scope):
    groups = figures.compute(scope)
    return render(
        request,
        "reports/statistics.html",
        {
            "form": form,
            "scope": scope,
            "groups": groups,
            "labels": figures.labels(),
            "charts": charts.for_report(groups),
            "sections": wording.sections(scope, groups),
        },
    )


@legal_office_only
@scoped
def figure(request, form, scope, group, name):
    found = figures.find(scope, group, name)
    if found is None:
        raise Http404(_("没有这项统计。"))
    return render(
        request,
        "reports/figure.html",
        {"form": form, "scope": scope, "figure": found, "group": figures.GROUPS[group][0]},
    )


def _download(data, scope, extension):
    name = f"{exports.title(scope)}{exports.scope_line(scope)}.{extension}"
    return FileResponse(io.BytesIO(data), as_attachment=True, filename=name)


@legal_office_only
@scoped
def export_docx(request, form, scope):
    return _download(exports.docx(scope, figures.compute(scope)), scope, "docx")


@legal_office_only
@scoped
def export_xlsx(request, form, scope):
    return _download(exports.xlsx(scope, figures.compute(scope)), scope, "xlsx")
