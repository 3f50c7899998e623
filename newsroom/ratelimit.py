"""Rate limits per client address, counted in the shared cache (Redis in production).

    @rate_limited("search")
    def search(request): ...

`settings.NEWSROOM_RATE_LIMITS[scope]` is `(requests, seconds)`: each address may make that
many requests in each window of that many seconds; past it the answer is a plain 429 with
Retry-After saying when the window ends. Windows are fixed (one counter per address and
window, expiring with it), so a flood costs one cache round trip per request and nothing
stays behind.

If the cache is down or hangs (past its 0.5 s timeout), requests are let through and the
error is logged: a limit exists to make abuse expensive, and turning every reader away
during a Redis outage would do the abusers' work for them. Sign-in keeps its own lockouts in
the database (django-axes), which hold either way.

The client's address is the one the site's own trusted proxies saw (`newsroom.signin.client_ip`).
Reusable by any view, including the content API's.
"""

import functools
import logging
import math
import time

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse

from articles.cache.pages import CACHE_ERRORS
from newsroom.signin import client_ip

logger = logging.getLogger(__name__)


def wait_seconds(scope: str, key: str, *, limit: int, window: int) -> int | None:
    """Count one request by `key` in `scope`; the seconds to wait if it is over the limit."""
    now = time.time()
    window_start = math.floor(now / window) * window
    counter = f"ratelimit:{scope}:{key}:{window_start}"
    cache = caches[settings.NEWSROOM_RATE_LIMIT_CACHE]
    try:
        cache.add(counter, 0, window + 1)
        count = cache.incr(counter)
    except ValueError:  # evicted between add and incr: count this one as the first
        return None
    except CACHE_ERRORS:
        logger.warning("Rate limit %s not counted: the cache is unavailable.", scope)
        return None
    if count <= limit:
        return None
    return max(1, math.ceil(window_start + window - now))


def too_many_requests(retry_after: int) -> HttpResponse:
    response = HttpResponse(
        "Too many requests from your address. Please wait a moment and try again.\n",
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


def check(request, scope: str) -> HttpResponse | None:
    """A 429 response if `request`'s address is over the limit of `scope`, else None."""
    limit, window = settings.NEWSROOM_RATE_LIMITS[scope]
    key = client_ip(request) or "unknown"
    retry_after = wait_seconds(scope, key, limit=limit, window=window)
    if retry_after is None:
        return None
    logger.info("Rate limit %s reached by %s.", scope, key)
    return too_many_requests(retry_after)


def rate_limited(scope: str, methods: tuple[str, ...] | None = None):
    """Limit a view by client address; only requests with one of `methods`, if given, count."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if methods is None or request.method in methods:
                refused = check(request, scope)
                if refused is not None:
                    return refused
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
