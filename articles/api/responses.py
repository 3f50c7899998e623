"""API responses, cached and invalidated with the public pages.

A response is kept under its path, its query and the reader's scope, stamped with the page
cache's generation counters and the version of the `api` dependency key (articles/cache/):
whatever moves them (a publish, a correction, a kill, a schedule coming due) retires every
cached response. Unlike a page, a response stamped with an older generation is never
served, not even once: partners poll for changes, so they get them at once.

The cache sits behind authentication and permissions, which every request still passes,
and counts every request against its rate limit. A hit costs one round trip to Redis: the
rate counter's `INCR` and the read of the counters go in one pipeline, and the response
itself comes from this process's copy (bounded; each use checked against the counters just
read, so a copy is never served once the shared cache would not serve it). Each response is
stored compressed too: clients that accept gzip (most HTTP libraries, by default) get a body
a fifth the size, compressed once when it was rendered, never per request.

Anonymous readers (when NEWSROOM_API["ANONYMOUS"] is on) are answered by
`ApiCacheMiddleware` near the top of the middleware stack, with the headers the whole stack
gave the same response before; partners' requests pass DRF's authentication first.
"""

import gzip
import hashlib
import json
import logging
import re
import time
import weakref
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from rest_framework import exceptions

from articles.api.access import EVERYTHING, Rate, Scope, rate_of
from articles.cache import invalidate, pages
from articles.cache import keys as page_keys
from articles.models import ApiKey

logger = logging.getLogger(__name__)

PREFIX = "/api/v1/"
ENTRY_SECONDS = 3600
LOCAL_ENTRIES = 500
API_VERSION = invalidate.version_key(page_keys.API)
# What a hit is checked against: the site-wide generations, the next schedule coming due,
# and the version of the key every story change moves.
COUNTERS = [pages.HARD_KEY, pages.SOFT_KEY, pages.DUE_KEY, API_VERSION]
# Headers each response gets anew; the rest of what the stack added is kept for the fast path.
OWN_HEADERS = {
    "date", "content-length", "content-encoding", "etag", "last-modified", "x-api-cache",
}  # fmt: skip
ACCEPTS_GZIP = re.compile(r"\bgzip\b")
# Responses this process served, by key. Bounded, and simply emptied when full.
_local_entries: dict[str, dict] = {}


def remember_locally(key: str, entry: dict) -> None:
    if len(_local_entries) >= LOCAL_ENTRIES and key not in _local_entries:
        _local_entries.clear()
    _local_entries[key] = entry


def cache_key(request, scope) -> str:
    query = "&".join(f"{name}={value}" for name, value in sorted(request.GET.items()))
    raw = f"{request.path}|{query}|{scope.signature}"
    return "api:response:" + hashlib.sha256(raw.encode()).hexdigest()


# Counts the request and reads the counters in one command: a pipeline of three costs the
# worker more CPU (building, sending and parsing each) than the round trip it saves.
CHECK_IN = """
local count = redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[1])
if #KEYS == 1 then return {count, {}} end
return {count, redis.call('MGET', unpack(KEYS, 2))}
"""
# The script, registered on one Redis client per cache backend, for the life of the process.
_scripts: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def check_in(rate, names: list[str]) -> tuple[int, dict]:
    """Count this request in its rate window and read `names` from the cache: one round trip
    on Redis (one script), the ordinary calls on other backends (tests)."""
    counter = rate.counter(time.time())
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        try:
            count = backend.incr(counter)
        except ValueError:  # the window's first request (add: another process may be first)
            count = 1 if backend.add(counter, 1, rate.duration + 1) else backend.incr(counter)
        return count, backend.get_many(names) if names else {}
    script = _scripts.get(backend)
    if script is None:
        client = backend._cache.get_client(write=True)
        script = _scripts[backend] = client.register_script(CHECK_IN)
    keys = [backend.make_key(name) for name in [counter, *names]]
    count, raw = script(keys=keys, args=[rate.duration + 1])
    loads = backend._cache._serializer.loads
    values = {
        name: loads(value) for name, value in zip(names, raw, strict=True) if value is not None
    }
    return count, values


def render(data) -> dict:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    return {
        "body": body,
        "gzip": gzip.compress(body, compresslevel=6, mtime=0),
        "etag": f'"{hashlib.sha256(body).hexdigest()[:32]}"',
        "rendered_at": time.time(),
    }


def variant(request, entry: dict) -> tuple[bytes, str, bool]:
    """(body, ETag, compressed): the gzip copy if the client accepts it (its own ETag)."""
    compressed = entry.get("gzip")
    if compressed is not None and ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
        return compressed, entry["etag"][:-1] + '-gz"', True
    return entry["body"], entry["etag"], False


def with_body(response: HttpResponse, request, entry: dict) -> HttpResponse:
    body, etag, compressed = variant(request, entry)
    response.content = body
    response["Content-Length"] = str(len(body))
    response["ETag"] = etag
    if compressed:
        response["Content-Encoding"] = "gzip"
    response["Last-Modified"] = http_date(entry["rendered_at"])
    return response


def respond(request, entry: dict, state: str, *, public: bool) -> HttpResponse:
    response = with_body(HttpResponse(content_type="application/json"), request, entry)
    response["X-Api-Cache"] = state
    if public:
        patch_cache_control(
            response,
            public=True,
            max_age=pages.MAX_AGE,
            stale_while_revalidate=pages.STALE_WHILE_REVALIDATE,
        )
    else:  # a partner's scope is theirs: no shared cache may hand it to anyone else
        patch_cache_control(response, private=True, max_age=pages.MAX_AGE)
    patch_vary_headers(response, ["Authorization", "Accept-Encoding"])
    return response


def stamp_of(values: dict) -> tuple[int, int, int]:
    """The generation a response rendered now carries (counters set if the cache lost them)."""
    generation = pages.generation_from(values)
    version = invalidate.versions([page_keys.API], values)[API_VERSION]
    return (generation.hard, generation.soft, version)


def cached_json(request, scope, build) -> HttpResponse:
    """The response for `request` from the cache, or `build()`'s data rendered and stored.

    Raises Throttled past the reader's rate, whether the response is cached or not.
    """
    public = request.auth is None
    enabled = settings.PAGE_CACHE_ENABLED
    key = cache_key(request, scope)
    request._request.api_scope = scope  # for the fast path's copy of a verified key
    local = _local_entries.get(key) if enabled else None
    names = (COUNTERS if local else [*COUNTERS, key]) if enabled else []
    rate = rate_of(request, request.auth)
    # The fast path may have counted this request already and read the same counters.
    early = getattr(request._request, "api_check_in", None)
    try:
        count, values = early[1:] if early and early[0] == key else check_in(rate, names)
    except pages.CACHE_ERRORS:
        logger.exception("API cache unavailable; answering %s from the database.", key)
        return respond(request, render(build()), "off", public=public)
    if count > rate.limit:
        raise exceptions.Throttled(wait=rate.wait(time.time()))
    if not enabled:
        return respond(request, render(build()), "off", public=public)
    try:
        if pages.came_due(values):  # a schedule or embargo came due: its keys just moved
            values = {**values, **pages.read_many(COUNTERS)}
        stamp = stamp_of(values)
    except pages.CACHE_ERRORS:
        logger.exception("API cache unavailable; answering %s from the database.", key)
        return respond(request, render(build()), "off", public=public)
    entry = local or values.get(key)
    if entry is not None and entry["generation"] == stamp:
        remember_locally(key, entry)
        return respond(request, entry, "hit", public=public)
    entry = {**render(build()), "generation": stamp}
    remember_locally(key, entry)
    try:
        cache.set(key, entry, ENTRY_SECONDS)
    except pages.CACHE_ERRORS:
        logger.exception("API cache: could not store %s.", key)
    return respond(request, entry, "miss", public=public)


def serves_fast(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and request.path.startswith(PREFIX)
        and settings.PAGE_CACHE_ENABLED
        and ("HTTP_AUTHORIZATION" in request.META or settings.NEWSROOM_API["ANONYMOUS"])
    )


# A key changed in the desk (saved, scoped, revoked, deleted) moves this version.
KEYS_VERSION = invalidate.version_key(page_keys.API_KEYS)
# How long this process trusts a key it verified before asking the database again (which
# also keeps "last used" true to the minute, as the slow path records it).
KEY_TRUST_SECONDS = 60
LOCAL_KEYS = 1000


@dataclass(frozen=True)
class KnownKey:
    """A partner's key this process verified through the whole stack, and what it may read."""

    pk: int
    scope: Scope
    rate: Rate
    expires_at: float | None
    verified_at: float
    keys_version: int | None

    def trusted(self, now: float) -> bool:
        return now - self.verified_at < KEY_TRUST_SECONDS and (
            self.expires_at is None or now < self.expires_at
        )


# sha256 of the bearer token -> the key it was verified as. Bounded, emptied when full.
_known_keys: dict[str, KnownKey] = {}


def token_digest(request) -> str | None:
    scheme, _, token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return hashlib.sha256(token.strip().encode()).hexdigest()


class ApiCacheMiddleware:
    """Answer a repeated API request from this process's copy, before the rest of the stack.

    Sits near the top of the stack: a hit skips the rest of it and DRF, in one round trip
    to Redis (the rate count and the counters). Anonymous readers are answered this way, and
    partners whose key this process verified through the whole stack in the last minute
    (checked against the keys' version in the same round trip, so a revoked key stops at
    once). Anything else (a first request, a changed generation, a schedule come due, a
    client over the rate, an unknown key, Redis away) goes down the whole stack to the view,
    which answers as it would without this middleware; the request is not counted twice.
    The headers the stack gave the response are kept with the local copy, one set for
    anonymous readers (public) and one for partners (private), and sent with each hit.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not serves_fast(request):
            return self.get_response(request)
        digest = token_digest(request) if "HTTP_AUTHORIZATION" in request.META else None
        if "HTTP_AUTHORIZATION" in request.META and digest is None:
            return self.get_response(request)  # DRF answers a malformed header
        audience = "partner" if digest else "public"
        known = _known_keys.get(digest) if digest else None
        now = time.time()
        if digest and (known is None or not known.trusted(now)):
            return self.verify(request, digest)
        scope = known.scope if known else EVERYTHING
        key = cache_key(request, scope)
        entry = _local_entries.get(key)
        if entry is not None and audience in entry.get("headers", {}):
            response = self.hit(request, key, entry, audience, known)
            if response is not None:
                return response
        response = self.get_response(request)
        self.keep_headers(key, audience, response)
        return response

    def verify(self, request, digest: str):
        """The whole stack for a key this process does not trust yet; remembered if it opens."""
        try:
            keys_version = pages.read_many([KEYS_VERSION]).get(KEYS_VERSION)
        except pages.CACHE_ERRORS:
            return self.get_response(request)
        response = self.get_response(request)
        key = getattr(request, "auth", None)
        scope = getattr(request, "api_scope", None)
        if isinstance(key, ApiKey) and scope is not None and response.status_code == 200:
            if len(_known_keys) >= LOCAL_KEYS:
                _known_keys.clear()
            _known_keys[digest] = KnownKey(
                pk=key.pk,
                scope=scope,
                rate=rate_of(request, key),
                expires_at=key.expires_at.timestamp() if key.expires_at else None,
                verified_at=time.time(),
                keys_version=keys_version,
            )
            self.keep_headers(cache_key(request, scope), "partner", response)
        return response

    @staticmethod
    def keep_headers(key: str, audience: str, response) -> None:
        entry = _local_entries.get(key)
        public = "public" in response.get("Cache-Control", "")
        if (
            entry is not None
            and response.status_code == 200
            and public == (audience == "public")
            and response.get("ETag") in (entry["etag"], entry["etag"][:-1] + '-gz"')
        ):
            entry.setdefault("headers", {})[audience] = [
                (name, value) for name, value in response.items() if name.lower() not in OWN_HEADERS
            ]

    @staticmethod
    def hit(request, key: str, entry: dict, audience: str, known) -> HttpResponse | None:
        rate = known.rate if known else rate_of(request)
        names = [*COUNTERS, KEYS_VERSION] if known else COUNTERS
        try:
            count, values = check_in(rate, names)
        except pages.CACHE_ERRORS:
            return None  # the view logs it and answers from the database
        request.api_check_in = (key, count, values)
        if known and values.get(KEYS_VERSION) != known.keys_version:
            _known_keys.pop(token_digest(request), None)  # a key changed: verify again
            return None
        due = values.get(pages.DUE_KEY)
        if count > rate.limit or (due is not None and time.time() >= due):
            return None
        if not all(name in values for name in COUNTERS):
            return None
        current = (values[pages.HARD_KEY], values[pages.SOFT_KEY], values[API_VERSION])
        if entry["generation"] != current:
            return None
        response = HttpResponse()
        for name, value in entry["headers"][audience]:
            response[name] = value
        with_body(response, request, entry)
        response["X-Api-Cache"] = "hit"
        return get_conditional_response(
            request,
            etag=response["ETag"],
            last_modified=int(entry["rendered_at"]),
            response=response,
        )
