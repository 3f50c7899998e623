"""The public page cache: fast for readers, and never showing a story it should not.

Each cached page is stored with the dependency keys its view declared (`articles/cache/keys.py`)
and the version each key had when it was rendered; a change moves only the keys it touches
(`articles/cache/invalidate.py`), so a publish re-renders the pages showing that story and the
lists it joins, and every other page stays a hit. Nothing is re-rendered on a timer.

Two site-wide counters remain beside the keys:

- the *hard* generation, moved by a removal from the library (or a whole-archive rewrite): a
  page stamped with an older one is never served again;
- the *soft* generation, moved by a rename in the library (topic, section, contributor, whose
  names appear on many pages): pages refresh one request at a time, stale copies meanwhile.

The next time a scheduled story or an embargo comes due is stored beside them; the first
request after it moves the keys of the stories that came due (hard), so no cached listing
outlives a schedule.

Requests with a session (editors; readers never get one) bypass the cache both ways. The
middleware sits near the top of the stack, so a hit skips sessions, authentication and the
rest: what they add to a response was stored with the page. Each process keeps the pages it
served in a bounded LRU and checks them against the shared versions in one round trip. Cache
errors are logged and the page is rendered from the database: a Redis outage slows the site
down, it does not take it down.
"""

import hashlib
import logging
import time
import weakref
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import patch_cache_control, set_response_etag
from django.utils.http import http_date

from articles.cache import fragments, invalidate
from articles.cache import keys as page_keys
from articles.cache.invalidate import CACHE_ERRORS, HARD_STEP, SEQUENCE_KEY
from articles.cache.local import LocalCopies

logger = logging.getLogger(__name__)

HARD_KEY = "pagecache:hard"
SOFT_KEY = "pagecache:soft"
DUE_KEY = "pagecache:due"
ENTRY_SECONDS = 24 * 3600
# Pages a client can vary without end (older-stories cursors, searches): one client can add
# many of them, so they go soon. The cache itself evicts with allkeys-lru (docs/security.md).
SHORT_ENTRY_SECONDS = 300
SHORT_LIVED_PARAMETERS = ("before", "after", "page", "q")
LOCK_SECONDS = 10
# Browsers and shared caches may keep a page this long, then revalidate in the background.
MAX_AGE = 10
STALE_WHILE_REVALIDATE = 30
# Only these query parameters change what a public page shows; the rest never enter the key,
# so random query strings cannot fill the cache.
KEY_PARAMETERS = ("before", "after", "page", "q")
COUNTERS = [HARD_KEY, SOFT_KEY, DUE_KEY, SEQUENCE_KEY]


@dataclass(frozen=True)
class Generation:
    hard: int
    soft: int


def next_due_timestamp() -> float | None:
    from articles.models import Article, Photo
    from articles.models.front import next_front_change

    # Fronts and photos change by themselves too: a scheduled arrangement, a pin running
    # out, a banner; a photo whose rights run out.
    changes = [
        Article.objects.next_visibility_change(),
        next_front_change(),
        Photo.objects.next_rights_expiry(),
    ]
    due = min((when for when in changes if when), default=None)
    return due.timestamp() if due else None


def record_next_due() -> None:
    try:
        cache.set(DUE_KEY, next_due_timestamp(), None)
    except CACHE_ERRORS:
        logger.exception("Page cache: could not record the next schedule.")


def current_generation() -> Generation:
    values = cache.get_many(COUNTERS)
    if came_due(values):
        values = cache.get_many(COUNTERS)
    return generation_from(values)


def generation_from(values: dict) -> Generation:
    """The site-wide generation from counters already read (set first if the cache lost them)."""
    if HARD_KEY not in values or SOFT_KEY not in values:
        cache.add(HARD_KEY, invalidate.fresh_counter(), None)
        cache.add(SOFT_KEY, invalidate.fresh_counter(), None)
        if DUE_KEY not in values:
            record_next_due()
        values = {**values, **cache.get_many([HARD_KEY, SOFT_KEY])}
    return Generation(hard=values[HARD_KEY], soft=values[SOFT_KEY])


def came_due(values: dict) -> bool:
    """Whether a schedule or embargo came due; if so its stories' keys were moved just now."""
    due = values.get(DUE_KEY)
    if due is None or time.time() < due:
        return False
    invalidate.schedules_due(since=due)
    record_next_due()
    return True


def bump(*, hard: bool = False) -> None:
    """Move the site-wide generation now: every cached page is refreshed before it is served,
    here and in the cache in front (Varnish or the CDN), which holds the same pages."""
    from articles.cache import purge

    try:
        for key in (HARD_KEY, SOFT_KEY) if hard else (SOFT_KEY,):
            try:
                cache.incr(key)
            except ValueError:  # evicted or never set
                cache.set(key, invalidate.fresh_counter(), None)
    except CACHE_ERRORS:
        logger.exception("Page cache: could not record a change; pages may be stale.")
    invalidate.bump_keys([])  # moves the sequence: pages mid-render are not stored
    record_next_due()
    # Once the change is committed (at once if it already is), or the cache in front could
    # fetch the old page again; hard in the request, soft through the worker, as for keys.
    transaction.on_commit(lambda: invalidate.purge_in_front([purge.EVERYTHING], hard=hard))


# One Redis client per cache backend object, kept for the life of the process.
_redis_clients: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def bump_on_commit(*, hard: bool = False) -> None:
    """Move the site-wide generation once the current transaction commits (a front changed)."""
    transaction.on_commit(lambda: bump(hard=hard))


def read_many(names: list[str]) -> dict:
    """`cache.get_many(names)` in one round trip, without its per-call costs on Redis.

    Django's Redis backend builds a client and validates every key on each call; on the
    hit path that was most of the time spent outside the network. Keys come from this
    module only, so they need no validation. Other backends (tests) take the normal path.
    """
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return backend.get_many(names)
    client = _redis_clients.get(backend)
    if client is None:
        client = _redis_clients[backend] = backend._cache.get_client(write=False)
    raw = client.mget([backend.make_key(name) for name in names])
    loads = backend._cache._serializer.loads
    return {name: loads(value) for name, value in zip(names, raw, strict=True) if value is not None}


def reading_sequence(values: dict | None = None) -> int | None:
    """The change sequence before a view runs (set first if the cache lost it), from `values`
    if they hold it; None if the cache cannot be read, and then nothing is stored.

    Without `values` (the page cache is off) it also moves the keys of what came due, as the
    page cache does before serving: a piece of a story whose photo's rights ran out must go.
    """
    try:
        if values is None:
            values = read_many([SEQUENCE_KEY, DUE_KEY])
            if came_due(values):
                values = read_many([SEQUENCE_KEY])
        if values.get(SEQUENCE_KEY) is None:
            cache.add(SEQUENCE_KEY, invalidate.fresh_counter(), None)
            values = read_many([SEQUENCE_KEY])
    except CACHE_ERRORS:
        logger.exception("Page cache unavailable; rendering without stored pieces.")
        return None
    return values.get(SEQUENCE_KEY)


def cache_key(request) -> str:
    params = "&".join(f"{name}={request.GET.get(name, '')}" for name in KEY_PARAMETERS)
    raw = f"{request.get_host()}|{request.path}|{params}"
    return f"pagecache:page:{page_keys.release()}:" + hashlib.sha256(raw.encode()).hexdigest()


def entry_seconds(request) -> int:
    """How long a page stays in the cache: a day, or minutes for a cursor page or search."""
    if any(request.GET.get(name) for name in SHORT_LIVED_PARAMETERS):
        return SHORT_ENTRY_SECONDS
    return ENTRY_SECONDS


def has_session(request) -> bool:
    """Whether the request comes from a signed-in editor's browser: a session cookie *and* the
    signed staff marker set at sign-in. A made-up `sessionid` alone gets the cached page."""
    from newsroom.staff_marker import is_marked

    return settings.SESSION_COOKIE_NAME in request.COOKIES and is_marked(request)


def is_cacheable_request(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if any(request.path.startswith(prefix) for prefix in settings.PAGE_CACHE_EXCLUDED_PATHS):
        return False
    return not has_session(request)


def is_cacheable_response(response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "no-store" not in response.get("Cache-Control", "")
        and "private" not in response.get("Cache-Control", "")
    )


def public_headers(response, rendered_at: float) -> None:
    patch_cache_control(
        response, public=True, max_age=MAX_AGE, stale_while_revalidate=STALE_WHILE_REVALIDATE
    )
    response["Last-Modified"] = http_date(rendered_at)


_local_pages = LocalCopies(64 * 1024 * 1024, size_of=lambda entry: len(entry["content"]))


def entry_state(entry: dict, values: dict, generation: Generation) -> str | None:
    """ "hit" if nothing it shows changed, "stale" if only soft changes did, else None."""
    if entry["hard"] != generation.hard:
        return None
    current = [(values.get(name), version) for name, version in entry["versions"].items()]
    if entry["soft"] == generation.soft and all(now == then for now, then in current):
        return "hit"
    if all(now is not None and now // HARD_STEP == then // HARD_STEP for now, then in current):
        return "stale"
    return None


class PageCacheMiddleware:
    """Serve anonymous readers' GET requests from the key-versioned page cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_cacheable_request(request):
            response = self.get_response(request)
            if has_session(request):
                patch_cache_control(response, private=True)
            return response
        if not settings.PAGE_CACHE_ENABLED:
            sequence = reading_sequence() if settings.FRAGMENT_CACHE_ENABLED else None
            return self.render(request, sequence)[0]
        try:
            return self.serve(request)
        except CACHE_ERRORS:
            logger.exception(
                "Page cache unavailable; rendering %s from the database.", request.path
            )
            return self.get_response(request)

    def render(self, request, sequence: int | None):
        """The response, with the dependency keys its view declared in the `xkey` header.

        `sequence`: the change sequence read before the view runs, which lets it use and keep
        rendered pieces of stories (articles/cache/fragments.py); None renders everything.
        """
        with page_keys.collecting() as declared, fragments.reading(sequence):
            response = self.get_response(request)
        if declared and is_cacheable_response(response):
            response[page_keys.HEADER] = " ".join(sorted(declared))
        return response, declared

    def lookup(self, key: str) -> tuple[dict | None, dict]:
        # A page this process served before is only checked against the shared versions:
        # the page itself (tens of kilobytes) need not cross the network again.
        entry = _local_pages.get(key)
        if entry is not None:
            return entry, read_many([*COUNTERS, *entry["versions"]])
        values = read_many([*COUNTERS, key])
        entry = values.pop(key, None)
        if entry is not None:
            values.update(read_many(list(entry["versions"])))
        return entry, values

    def serve(self, request):
        key = cache_key(request)
        entry, values = self.lookup(key)
        if came_due(values):
            entry, values = self.lookup(key)
        generation = generation_from(values)
        if entry is not None:
            state = entry_state(entry, values, generation)
            refreshing = state == "stale" and not cache.add(f"{key}:lock", 1, LOCK_SECONDS)
            if state == "hit" or refreshing:
                _local_pages.put(key, entry)
                return self.from_entry(entry, state)
        sequence = reading_sequence(values)
        pieces_from = sequence if settings.FRAGMENT_CACHE_ENABLED else None
        response, declared = self.render(request, pieces_from)
        if declared and is_cacheable_response(response):
            seconds = entry_seconds(request)
            self.store(key, response, declared, generation, sequence, seconds)
            response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def store(key, response, declared, generation, sequence, seconds: int) -> None:
        rendered_at = time.time()
        public_headers(response, rendered_at)
        # Stored with the page, so a hit is not hashed again by ConditionalGetMiddleware.
        set_response_etag(response)
        names = [invalidate.version_key(name) for name in declared]
        after = read_many([SEQUENCE_KEY, *names])
        if after.get(SEQUENCE_KEY) == sequence:
            # Nothing changed while the page rendered: its versions are the ones it shows.
            after.pop(SEQUENCE_KEY, None)
            entry = {
                "hard": generation.hard,
                "soft": generation.soft,
                "versions": invalidate.versions(declared, after),
                "rendered_at": rendered_at,
                "content": response.content,
                "headers": dict(response.items()),
            }
            cache.set(key, entry, seconds)
            _local_pages.put(key, entry)
        cache.delete(f"{key}:lock")

    @staticmethod
    def from_entry(entry, state: str) -> HttpResponse:
        response = HttpResponse(entry["content"])
        for name, value in entry["headers"].items():
            response[name] = value
        response["X-Page-Cache"] = state
        return response
