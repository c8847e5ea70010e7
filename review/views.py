"""Dossier record pages: opening a dossier, uploads, downloads and comparisons (the list and
the dossier page, which show the process, are workflow.views.dossiers). Every query goes
through ``Dossier.objects.visible_to``."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .compare import compare_texts, render_inline_html, render_side_by_side_rows
from .forms import DossierForm, MaterialForm, VersionForm
from .models import Dossier, DraftVersion, Material, Role
from .redline import render_redline
from .uploads import remove_material, same_as_latest, same_as_latest_message


def visible_dossier(request, pk):
    return get_object_or_404(
        Dossier.objects.visible_to(request.user).select_related("department", "created_by"), pk=pk
    )


@login_required
def dossier_create(request):
    user = request.user
    if not (user.has_role(Role.DRAFTER) and user.department_id):
        raise PermissionDenied(_("只有起草部门经办人可以新建送审卷宗。"))
    form = DossierForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        dossier = form.open_for(user)
        messages.success(request, _("卷宗已创建。请上传送审材料后提交。"))
        return redirect(dossier)
    return render(request, "review/dossier_form.html", {"form": form})


@login_required
@require_POST
def material_add(request, pk):
    dossier = visible_dossier(request, pk)
    if not dossier.can_add_material(request.user):
        raise PermissionDenied(_("当前环节不能上传材料。"))
    form = MaterialForm(request.POST, request.FILES, prefix="material")
    if form.is_valid():
        Material.add(dossier, request.user, form.cleaned_data["kind"], form.cleaned_data["file"])
        messages.success(request, _("材料已上传。"))
    else:
        _report(request, form)
    return redirect(dossier)


@login_required
@require_POST
def material_remove(request, pk, material_pk):
    """The drafter takes back a material uploaded by mistake, before submission."""
    dossier = visible_dossier(request, pk)
    if remove_material(dossier, request.user, material_pk):
        messages.success(request, _("材料已删除。"))
    else:
        messages.info(request, _("该材料已经删除。"))
    return redirect(dossier)


@login_required
@require_POST
def version_add(request, pk):
    dossier = visible_dossier(request, pk)
    if not dossier.can_add_version(request.user):
        raise PermissionDenied(_("提交后只能通过退回修改环节上传新版本。"))
    form = VersionForm(request.POST, request.FILES, prefix="version")
    if form.is_valid():
        upload = form.cleaned_data["file"]
        if latest := same_as_latest(dossier, upload):
            messages.error(request, same_as_latest_message(latest))
        else:
            DraftVersion.add(dossier, request.user, upload, form.cleaned_data["note"])
            messages.success(request, _("新版本已上传。"))
    else:
        _report(request, form)
    return redirect(dossier)


@login_required
@require_POST
def version_retry(request, pk, number):
    """The drafting department asks for a failed conversion to be tried again."""
    dossier = visible_dossier(request, pk)
    if not dossier.can_submit(request.user):
        raise PermissionDenied(_("只有起草部门经办人可以重新转换草案文本。"))
    version = get_object_or_404(dossier.versions, number=number)
    if version.retry_extraction():
        messages.success(request, _("已重新开始转换，请稍候。"))
    else:
        messages.info(request, _("该版本不需要重新转换。"))
    return redirect(dossier)


def _report(request, form):
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def _download(stored):
    return FileResponse(stored.file.open("rb"), as_attachment=True, filename=stored.original_name)


@login_required
def version_download(request, pk, number):
    dossier = visible_dossier(request, pk)
    return _download(get_object_or_404(dossier.versions, number=number))


@login_required
def material_download(request, pk, material_pk):
    dossier = visible_dossier(request, pk)
    return _download(get_object_or_404(dossier.materials, pk=material_pk))


@login_required
def letter_download(request, pk, letter_pk):
    dossier = visible_dossier(request, pk)
    return _download(get_object_or_404(dossier.letters, pk=letter_pk))


def _versions_to_compare(request, dossier):
    """The two versions asked for; by default the approved (or previous) one and the latest."""
    versions = {v.number: v for v in dossier.versions.all()}
    latest = max(versions) if versions else None
    default_old = (
        dossier.approved_version.number if dossier.approved_version else max(1, (latest or 1) - 1)
    )
    try:
        old = versions[int(request.GET.get("old", default_old))]
        new = versions[int(request.GET.get("new", latest))]
    except (KeyError, ValueError, TypeError) as missing:
        raise Http404(_("没有这个版本。")) from missing
    return old, new


@login_required
def compare(request, pk):
    """Two versions side by side or inline, aligned by article; all of it, or only what
    changed (?changed=1)."""
    dossier = visible_dossier(request, pk)
    old, new = _versions_to_compare(request, dossier)
    comparison = compare_texts(old.text, new.text)
    view = "side" if request.GET.get("view") == "side" else "inline"
    changed_only = request.GET.get("changed") == "1"
    return render(
        request,
        "review/compare.html",
        {
            "dossier": dossier,
            "old": old,
            "new": new,
            "versions": dossier.versions.all(),
            "comparison": comparison,
            "view": view,
            "changed_only": changed_only,
            "inline": render_inline_html(comparison, changed_only) if view == "inline" else None,
            "rows": render_side_by_side_rows(comparison, changed_only) if view == "side" else None,
        },
    )


@login_required
def compare_docx(request, pk):
    """The comparison as a Word file with tracked changes, made by the drafter of the newer
    version on the day it was uploaded."""
    dossier = visible_dossier(request, pk)
    old, new = _versions_to_compare(request, dossier)
    data = render_redline(
        compare_texts(old.text, new.text),
        dossier.title,
        str(old),
        str(new),
        author=str(new.uploaded_by),
        date=new.uploaded_at,
    )
    name = _("%(title)s（%(old)s与%(new)s对照）.docx") % {
        "title": dossier.title,
        "old": old,
        "new": new,
    }
    return FileResponse(io.BytesIO(data), as_attachment=True, filename=name)
