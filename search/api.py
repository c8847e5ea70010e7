"""GET /api/register/search: the public register as JSON (published documents only).

Parameters: q, status, issuer, kind, year_from, year_to, in_force_on, sort, page,
page_size. Answer: {"total", "relaxed_total", "hits": [{"id", "title", "number", "status",
"issuer", "published", "highlight", "url"}], "facets": {"status", "issuer", "kind"}},
where "url" is the document's public page. "total" counts the documents holding every
word; when they are few, the "relaxed_total" documents holding most of the query follow
them, each of those hits with "relaxed": true, and pages and facets count both. Chinese is
written as it is, in UTF-8. A bad parameter is answered 400 with {"error": message}; a
search server that is down, 503. One address may ask
SEARCH_LIMITS["api_requests_per_minute"] times in each minute of the clock; beyond that it
is answered 429 with {"error"} and Retry-After.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.http import forwarded_client_ip
from search.backends import SearchUnavailable, search
from search.forms import SearchForm


def _client(request):
    if getattr(settings, "BEHIND_PROXY", False):
        return forwarded_client_ip(request)
    return request.META.get("REMOTE_ADDR", "")


def _wait(request) -> int:
    """Seconds until this address may ask again; 0 if it may ask now."""
    now = time.time()
    key = f"search-api:{_client(request)}:{int(now // 60)}"
    # Made in its minute with a minute to live, the count outlasts the minute it counts.
    cache.add(key, 0, 60)
    if cache.incr(key) <= settings.SEARCH_LIMITS["api_requests_per_minute"]:
        return 0
    return 60 - int(now % 60)


def _json(data, status=200):
    """Chinese as it is (not \\u escapes), in UTF-8 as the header says."""
    return JsonResponse(
        data,
        status=status,
        content_type="application/json; charset=utf-8",
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
def register_search(request):
    wait = _wait(request)
    if wait:
        response = _json(
            {
                "error": _("查询过于频繁：每个地址每分钟最多查询%(n)s次，请%(s)s秒后再试。")
                % {"n": settings.SEARCH_LIMITS["api_requests_per_minute"], "s": wait}
            },
            status=429,
        )
        response["Retry-After"] = str(wait)
        return response
    form = SearchForm(request.GET)
    if not form.is_valid():
        return _json({"error": form.first_error(), "fields": form.errors.get_json_data()}, 400)
    try:
        result = search(form.to_query(public=True))
    except SearchUnavailable:
        return _json({"error": _("检索服务暂时不可用，请稍后再试。")}, 503)
    body = result.as_json()
    for hit in body["hits"]:
        hit["url"] = request.build_absolute_uri(reverse("search:public_document", args=[hit["id"]]))
    return _json(body)
