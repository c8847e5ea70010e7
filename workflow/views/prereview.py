"""The reviewer's answer to a pre-review flag: 转为审查意见 (kept as an accepted flag the
opinion form starts from) or 不予采纳 with a reason."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from review.models import Dossier
from search.models import FlagDecision, PreReview
from search.prereview import suggested_finding


@login_required
@require_POST
def decide(request, prereview_pk):
    user = request.user
    if not user.reviews:
        raise PermissionDenied(_("只有审查人员可以处理预审提示。"))
    kept = get_object_or_404(PreReview.objects.select_related("version"), pk=prereview_pk)
    get_object_or_404(Dossier.objects.visible_to(user), pk=kept.version.dossier_id)
    key = request.POST.get("key", "")
    suggestion = suggested_finding(kept, key)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}):
        back = kept.version.dossier.get_absolute_url()
    if suggestion is None:
        messages.error(request, _("没有这条预审提示。"))
        return redirect(back)
    accept = request.POST.get("decision") == FlagDecision.Decision.ACCEPTED
    try:
        if accept:
            FlagDecision.record(
                kept, key, user, decision=FlagDecision.Decision.ACCEPTED, **suggestion
            )
        else:
            FlagDecision.record(
                kept,
                key,
                user,
                decision=FlagDecision.Decision.DISMISSED,
                article=suggestion["article"],
                reason=request.POST.get("reason", "").strip(),
            )
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(
            request,
            _("已转为审查意见，请在逐条审查意见中修改完善。")
            if accept
            else _("已记录不予采纳及理由。"),
        )
    return redirect(back)


urlpatterns = [
    path("prereview/<int:prereview_pk>/decide/", decide, name="prereview_decide"),
]
