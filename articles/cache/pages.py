"""The public page cache: fast for readers, and never showing a story it should not.

Every cached page is stamped with two generation counters kept in the cache:

- the *hard* generation moves when something leaves the public site (a story unpublished,
  killed, deleted, embargoed again) and when a scheduled story or embargo comes due. A page
  stamped with an older hard generation is never served again.
- the *soft* generation moves on every other change readers can see (a story published or
  edited, a caption, a topic or byline renamed). A page stamped with an older soft generation
  is refreshed by one request while the others keep getting the previous copy for at most
  `LOCK_SECONDS`: hot pages survive a change without a stampede.

The next time a scheduled story or an embargo comes due is stored beside the counters; the
first request after it moves the hard generation, so no cached listing outlives a schedule.

Requests with a session (editors; readers never get one) bypass the cache both ways. The
middleware sits near the top of the stack, so a hit skips sessions, authentication and the
rest: what they add to a response was stored with the page. Cache errors are logged and the page is
rendered from the database: a Redis outage slows the site down, it does not take it down.
"""

import hashlib
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control, set_response_etag
from django.utils.http import http_date
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

HARD_KEY = "pagecache:hard"
SOFT_KEY = "pagecache:soft"
DUE_KEY = "pagecache:due"
ENTRY_SECONDS = 24 * 3600
LOCK_SECONDS = 10
# A page older than this is refreshed even when nothing changed (stale copies still serve).
REFRESH_SECONDS = 300
# Browsers and shared caches may keep a page this long, then revalidate in the background.
MAX_AGE = 10
STALE_WHILE_REVALIDATE = 30
# Only these query parameters change what a public page shows; the rest never enter the key,
# so random query strings cannot fill the cache.
KEY_PARAMETERS = ("before", "after", "page", "q")
CACHE_ERRORS = (RedisError, ConnectionError, OSError)


@dataclass(frozen=True)
class Generation:
    hard: int
    soft: int


def _fresh_counter() -> int:
    # Counters restart from the clock if the cache lost them, so they never repeat a value.
    return time.time_ns()


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


def current_generation() -> Generation:
    return generation_from(cache.get_many([HARD_KEY, SOFT_KEY, DUE_KEY]))


def generation_from(values: dict) -> Generation:
    """The generation from counters already read (a cache hit costs one round trip in all)."""
    if HARD_KEY not in values or SOFT_KEY not in values:
        cache.add(HARD_KEY, _fresh_counter(), None)
        cache.add(SOFT_KEY, _fresh_counter(), None)
        cache.set(DUE_KEY, next_due_timestamp(), None)
        values = cache.get_many([HARD_KEY, SOFT_KEY, DUE_KEY])
    due = values.get(DUE_KEY)
    if due is not None and time.time() >= due:
        bump(hard=True)
        values = cache.get_many([HARD_KEY, SOFT_KEY])
    return Generation(hard=values[HARD_KEY], soft=values[SOFT_KEY])


def bump(*, hard: bool = False) -> None:
    """Move the generation now: every cached page is refreshed before it is served again."""
    try:
        for key in (HARD_KEY, SOFT_KEY) if hard else (SOFT_KEY,):
            try:
                cache.incr(key)
            except ValueError:  # evicted or never set
                cache.set(key, _fresh_counter(), None)
        cache.set(DUE_KEY, next_due_timestamp(), None)
    except CACHE_ERRORS:
        logger.exception("Page cache: could not record a change; pages may be stale.")


def bump_on_commit(*, hard: bool = False) -> None:
    """Move the generation once the current transaction commits (now, outside one)."""
    transaction.on_commit(lambda: bump(hard=hard))


def cache_key(request) -> str:
    params = "&".join(f"{name}={request.GET.get(name, '')}" for name in KEY_PARAMETERS)
    raw = f"{request.get_host()}|{request.path}|{params}"
    return "pagecache:page:" + hashlib.sha256(raw.encode()).hexdigest()


def has_session(request) -> bool:
    """Whether the request carries a session: editors do, anonymous readers never get one."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES


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


# Pages this process served, by cache key. Only a copy: every use is checked against the
# generation counters in the shared cache, so it can never show what the shared cache would
# not. Bounded, and simply emptied when full.
_local_pages: dict[str, dict] = {}
LOCAL_PAGES = 500


def remember_locally(key: str, entry: dict) -> None:
    if len(_local_pages) >= LOCAL_PAGES:
        _local_pages.clear()
    _local_pages[key] = entry


class PageCacheMiddleware:
    """Serve anonymous readers' GET requests from the generation-stamped page cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.PAGE_CACHE_ENABLED or not is_cacheable_request(request):
            response = self.get_response(request)
            if has_session(request):
                patch_cache_control(response, private=True)
            return response
        try:
            return self.serve(request)
        except CACHE_ERRORS:
            logger.exception(
                "Page cache unavailable; rendering %s from the database.", request.path
            )
            return self.get_response(request)

    def serve(self, request):
        key = cache_key(request)
        # A page this process served before is only checked against the shared counters:
        # the page itself (tens of kilobytes) need not cross the network again.
        entry = _local_pages.get(key)
        if entry is None:
            values = cache.get_many([HARD_KEY, SOFT_KEY, DUE_KEY, key])
            entry = values.get(key)
        else:
            values = cache.get_many([HARD_KEY, SOFT_KEY, DUE_KEY])
        generation = generation_from(values)
        if entry is not None and entry["hard"] == generation.hard:
            fresh = (
                entry["soft"] == generation.soft
                and time.time() - entry["rendered_at"] < REFRESH_SECONDS
            )
            if fresh or not cache.add(f"{key}:lock", 1, LOCK_SECONDS):
                remember_locally(key, entry)
                return self.from_entry(entry, "hit" if fresh else "stale")
        response = self.get_response(request)
        if is_cacheable_response(response):
            rendered_at = time.time()
            public_headers(response, rendered_at)
            # Stored with the page, so a hit is not hashed again by ConditionalGetMiddleware.
            set_response_etag(response)
            entry = {
                "hard": generation.hard,
                "soft": generation.soft,
                "rendered_at": rendered_at,
                "content": response.content,
                "headers": dict(response.items()),
            }
            cache.set(key, entry, ENTRY_SECONDS)
            remember_locally(key, entry)
            cache.delete(f"{key}:lock")
            response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def from_entry(entry, state: str) -> HttpResponse:
        response = HttpResponse(entry["content"])
        for name, value in entry["headers"].items():
            response[name] = value
        response["X-Page-Cache"] = state
        return response


def was_public(article) -> bool:
    """Whether `article` as last loaded from or saved to the database could be public."""
    loaded = getattr(article, "_loaded_values", None)
    return loaded is not None and loaded.get("status") == article.Status.PUBLISHED


def article_saved(sender, instance, created, **kwargs):
    from articles.models import Article

    now = timezone.now()
    public_now = instance.status == Article.Status.PUBLISHED
    if not (public_now or was_public(instance)):
        return  # a draft's edits change nothing readers can see
    hidden_again = was_public(instance) and (
        not public_now
        or (instance.publish_at and instance.publish_at > now)
        or (instance.embargo_until and instance.embargo_until > now)
    )
    bump_on_commit(hard=hidden_again)


def article_deleted(sender, instance, **kwargs):
    bump_on_commit(hard=True)


def content_changed(sender, **kwargs):
    bump_on_commit()


def content_deleted(sender, **kwargs):
    # Removing a byline, a photo or a topic is usually a take-down: no stale copies.
    bump_on_commit(hard=True)


def connect_signals():
    """Every write that readers could see moves the generation, whatever path made it."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from articles.models import (
        Article,
        ArticlePhoto,
        Byline,
        Contributor,
        Correction,
        LiveUpdate,
        Photo,
        Section,
        TaggedArticle,
        Topic,
        TopicAlias,
    )

    post_save.connect(article_saved, sender=Article, dispatch_uid="pagecache-article-save")
    post_delete.connect(article_deleted, sender=Article, dispatch_uid="pagecache-article-del")
    for model in (
        ArticlePhoto,
        Byline,
        Contributor,
        # `Article.add_correction()` saves the correction and updates the story in a query
        # that sends no signal: the correction's own save is what readers' pages miss.
        Correction,
        LiveUpdate,
        Photo,
        Section,
        TaggedArticle,
        Topic,
        TopicAlias,
    ):
        uid = f"pagecache-{model._meta.model_name}"
        post_save.connect(content_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(content_deleted, sender=model, dispatch_uid=f"{uid}-del")
    m2m_changed.connect(content_changed, sender=TaggedArticle, dispatch_uid="pagecache-topics")
