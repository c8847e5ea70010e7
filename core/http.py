"""The client's address behind the reverse proxy (used only with DJANGO_BEHIND_PROXY=true:
by the login throttle and the public search API's rate limit).

The proxy in front of the application appends the address it was connected from to
X-Forwarded-For (nginx: ``proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for``), so
the right-most entry is the one it vouches for; whatever stands to its left came from the
client and could be forged to dodge the per-address login throttle.
"""


def forwarded_client_ip(request):
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    entries = [entry.strip() for entry in forwarded.split(",") if entry.strip()]
    return entries[-1] if entries else request.META.get("REMOTE_ADDR")
