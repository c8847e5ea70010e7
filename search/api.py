"""GET /api/register/search: the public register as JSON (published documents only).

Parameters: q, status, issuer, kind, year_from, year_to, in_force_on, sort, page,
page_size. Answer: {"total", "hits": [{"id", "title", "number", "status", "issuer",
"published", "highlight"}], "facets": {"status", "issuer", "kind"}}. A bad parameter is
answered 400 with {"error": message}; a search server that is down, 503.
"""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from search.backends import SearchUnavailable, search
from search.forms import SearchForm


@require_GET
def register_search(request):
    form = SearchForm(request.GET)
    if not form.is_valid():
        return JsonResponse(
            {"error": form.first_error(), "fields": form.errors.get_json_data()}, status=400
        )
    try:
        result = search(form.to_query(public=True))
    except SearchUnavailable:
        return JsonResponse({"error": _("检索服务暂时不可用，请稍后再试。")}, status=503)
    return JsonResponse(result.as_json(), json_dumps_params={"ensure_ascii": False})
