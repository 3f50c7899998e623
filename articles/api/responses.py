"""API responses, cached and invalidated with the public pages.

A response is kept under its path, its query and the reader's scope, stamped with the page
cache's generation counters (articles/cache/pages.py): whatever moves them (a publish, a
correction, a kill, a schedule coming due) retires every cached response with every page.
Unlike a page, a response stamped with an older generation is never served, not even once:
partners poll for changes, so they get them at once. The cache sits behind authentication,
permissions and rate limits, which every request still passes.
"""

import hashlib
import json
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from articles.cache import invalidate, pages
from articles.cache import keys as page_keys

ENTRY_SECONDS = 3600
LOCAL_ENTRIES = 500
# Responses this process served, by key; each use is checked against the shared generation,
# so a copy here is never served once the shared cache would not serve it. Bounded, and
# simply emptied when full.
_local_entries: dict[str, dict] = {}


def remember_locally(key: str, entry: dict) -> None:
    if len(_local_entries) >= LOCAL_ENTRIES:
        _local_entries.clear()
    _local_entries[key] = entry


def cache_key(request, scope) -> str:
    query = "&".join(f"{name}={value}" for name, value in sorted(request.GET.items()))
    raw = f"{request.path}|{query}|{scope.signature}"
    return "api:response:" + hashlib.sha256(raw.encode()).hexdigest()


def render(data) -> dict:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    return {
        "body": body,
        "etag": f'"{hashlib.sha256(body).hexdigest()[:32]}"',
        "rendered_at": time.time(),
    }


def respond(request, entry: dict, state: str) -> HttpResponse:
    response = HttpResponse(entry["body"], content_type="application/json")
    response["ETag"] = entry["etag"]
    response["Last-Modified"] = http_date(entry["rendered_at"])
    response["X-Api-Cache"] = state
    if request.auth is None:
        patch_cache_control(
            response,
            public=True,
            max_age=pages.MAX_AGE,
            stale_while_revalidate=pages.STALE_WHILE_REVALIDATE,
        )
    else:  # a partner's scope is theirs: no shared cache may hand it to anyone else
        patch_cache_control(response, private=True, max_age=pages.MAX_AGE)
    patch_vary_headers(response, ["Authorization"])
    return response


def cached_json(request, scope, build) -> HttpResponse:
    """The response for `request` from the cache, or `build()`'s data rendered and stored."""
    if not settings.PAGE_CACHE_ENABLED:
        return respond(request, render(build()), "off")
    key = cache_key(request, scope)
    # As for pages: a response this process served is only checked against the shared
    # counters, so a list of twenty whole stories need not cross the network again.
    # The site-wide generation, and the version of the key every story change moves.
    api_version = invalidate.version_key(page_keys.API)
    counters = [pages.HARD_KEY, pages.SOFT_KEY, pages.DUE_KEY, api_version]
    local = _local_entries.get(key)
    try:
        values = cache.get_many(counters if local else [*counters, key])
        if pages.came_due(values):  # a schedule or embargo came due: its keys just moved
            values = {**values, **cache.get_many(counters)}
        generation = pages.generation_from(values)
        version = invalidate.versions([page_keys.API], values)[api_version]
    except pages.CACHE_ERRORS:
        pages.logger.exception("API cache unavailable; answering %s from the database.", key)
        return respond(request, render(build()), "off")
    stamp = (generation.hard, generation.soft, version)
    entry = local or values.get(key)
    if entry is not None and entry["generation"] == stamp:
        remember_locally(key, entry)
        return respond(request, entry, "hit")
    entry = {**render(build()), "generation": stamp}
    remember_locally(key, entry)
    try:
        cache.set(key, entry, ENTRY_SECONDS)
    except pages.CACHE_ERRORS:
        pages.logger.exception("API cache: could not store %s.", key)
    return respond(request, entry, "miss")
