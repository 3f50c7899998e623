"""What a change readers can see does to cached pages: one place, called after commit.

Each call site names its change (`invalidate.story_changed(story)` from the workflow, the desk,
corrections and restores; `invalidate.library_changed(topic)` from the library admins), and the
versions of the dependency keys it touches move once the transaction commits. Pages carrying
none of those keys stay cached hits. Moves come in two strengths:

- *soft* (a publish, an edit, a correction): the first reader re-renders the page while the
  others get the previous copy for a few seconds (no stampede on a hot page);
- *hard* (a take-down: unpublished, killed, embargoed again, deleted; or a schedule coming
  due): a page carrying the key is never served again, not even while another renders it.

A key's version is one integer: a soft move adds 1, a hard one adds `HARD_STEP`, so a page
compares `version` to know whether it is fresh and `version // HARD_STEP` to know whether it
may be served stale. `keys_for(story)` is the set a change touches; a surrogate-key purge
(Varnish xkey, a CDN) takes the same set.

Signals remain only for writes with no call site of ours: none today (the wire importer only
ever rewrites drafts readers never saw). Bulk scripts that change public stories
(`generate_newsroom`) call `everything_changed()` when they finish.
"""

import datetime
import logging
import time
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from redis.exceptions import RedisError

from articles.cache import keys as page_keys

logger = logging.getLogger(__name__)

HARD_STEP = 1 << 32
VERSION_PREFIX = "pagecache:v:"
# Moves with every change: a page rendered while one happened is not stored (see pages.py).
SEQUENCE_KEY = "pagecache:seq"
CACHE_ERRORS = (RedisError, ConnectionError, OSError)
# The section navigation every page shows (articles/public/context_processors.py).
NAV_SECTIONS_KEY = "nav:sections"


def fresh_counter() -> int:
    # Versions restart from the clock if the cache lost them, so they never repeat a value
    # (and a restarted one always reads as a hard change).
    return time.time_ns()


def version_key(key: str) -> str:
    return VERSION_PREFIX + key


def keys_for(story) -> set[str]:
    """Every dependency key a change to `story` touches: its page, and the lists it is in."""
    from articles.models import Byline, TaggedArticle

    touched = {page_keys.story(story.pk), *page_keys.LISTS_OF_EVERY_STORY}
    if story.section_id:
        touched.add(page_keys.section(story.section_id))
    topic_ids = TaggedArticle.objects.filter(content_object_id=story.pk).values_list("tag_id")
    touched.update(page_keys.topic(pk) for (pk,) in topic_ids)
    contributor_ids = Byline.objects.filter(article_id=story.pk).values_list("contributor_id")
    touched.update(page_keys.contributor(pk) for (pk,) in contributor_ids)
    return touched


def bump_keys(touched: Iterable[str], *, hard: bool = False) -> None:
    """Move the version of each key now (outside a transaction, or from `on_commit`)."""
    step = HARD_STEP if hard else 1
    try:
        for key in sorted(touched):
            try:
                cache.incr(version_key(key), step)
            except ValueError:  # evicted or never set: a fresh value reads as a hard change
                cache.set(version_key(key), fresh_counter(), None)
        try:
            cache.incr(SEQUENCE_KEY)
        except ValueError:
            cache.set(SEQUENCE_KEY, fresh_counter(), None)
    except CACHE_ERRORS:
        logger.exception("Page cache: could not record a change; pages may be stale.")
    purge_in_front(touched, hard=hard)


def purge_in_front(touched: Iterable[str], *, hard: bool) -> None:
    """The same keys, purged from Varnish or the CDN in front (articles/cache/purge.py).

    A take-down is purged inside the request (queued for the worker if that fails); other
    changes go to the worker, so an editor never waits on the cache in front.
    """
    from articles import tasks

    keys = sorted(touched)
    if not keys or not settings.NEWSROOM_PURGE.get("BACKEND"):
        return
    if hard:
        tasks.purge_at_once(keys)
    else:
        tasks.enqueue(tasks.purge_keys_task, keys)


def versions(touched: Iterable[str], values: dict | None = None) -> dict[str, int]:
    """The current version of each key (set now if the cache has none), by version key."""
    wanted = [version_key(key) for key in touched]
    found = values if values is not None else cache.get_many(wanted)
    missing = [name for name in wanted if name not in found]
    if missing:
        for name in missing:
            cache.add(name, fresh_counter(), None)
        found = {**found, **cache.get_many(missing)}
    return {name: found[name] for name in wanted}


def _after_commit(action) -> None:
    transaction.on_commit(action)


def _story_state(pk: int):
    from articles.models import Article

    return (
        Article.objects.filter(pk=pk)
        .only("status", "publish_at", "embargo_until", "first_published_at", "section_id")
        .first()
    )


def _record_schedule() -> None:
    from articles.cache import pages

    pages.record_next_due()


def recount_topics_of(pk: int) -> None:
    """Count again the stories readers see in the story's topics (the topic index shows them).

    Called after commit, before the pages' keys move: an index rendered after the move shows
    the new counts.
    """
    from articles.models import TaggedArticle, Topic

    Topic.objects.filter(
        pk__in=TaggedArticle.objects.filter(content_object_id=pk).values("tag")
    ).recount()


def nav_sections_changed() -> None:
    """The menu lists only sections with a story readers can see (a section used only by
    hidden work must not be named). When a change moves that set, every page's menu differs:
    store the new list and refresh every cached page (at once when a section left it)."""
    from articles.cache import pages
    from articles.public.context_processors import menu_sections

    try:
        cached = cache.get(NAV_SECTIONS_KEY)
        current = menu_sections()
        if cached is None or [s.pk for s in cached] != [s.pk for s in current]:
            cache.set(NAV_SECTIONS_KEY, current, None)
            # Processes keep the menu until the change sequence moves (context_processors):
            # a story change that alters the menu moves it through its own keys.
            if cached is not None:
                # A section that left the menu must leave it everywhere at once; one that
                # joined it may appear as each page is next refreshed.
                gone = {s.pk for s in cached} - {s.pk for s in current}
                pages.bump(hard=bool(gone))
    except CACHE_ERRORS:
        logger.exception("Page cache: could not check the section menu; pages may be stale.")


def story_changed(story) -> None:
    """A story was saved: published, edited, corrected, restored, re-filed or re-scheduled.

    Soft while readers may see it; hard if it may have just left them (not public now, but
    published, unpublished or killed at some point); nothing for a draft never published.
    """
    pk = story.pk

    def apply():
        current = _story_state(pk)
        _record_schedule()
        if current is None:
            return
        nav_sections_changed()
        if current.is_visible():
            recount_topics_of(pk)
            bump_keys(keys_for(current))
        elif current.may_have_been_public():
            recount_topics_of(pk)
            bump_keys(keys_for(current), hard=True)

    _after_commit(apply)


def story_hidden(story) -> None:
    """A story left readers (unpublished, killed): every page showing it goes at once."""
    pk = story.pk

    def apply():
        current = _story_state(pk)
        _record_schedule()
        nav_sections_changed()
        if current is not None:
            recount_topics_of(pk)
            bump_keys(keys_for(current), hard=True)

    _after_commit(apply)


def story_deleted(story) -> None:
    """Call before deleting: the keys are read while the story's rows still exist."""
    from articles.models import TaggedArticle
    from articles.models.topic import recount_after_commit

    touched = keys_for(story)
    # Asked first, so the counts are right before the pages move (the deletion of the
    # story's topic links asks too: models/topic.py).
    recount_after_commit(
        TaggedArticle.objects.filter(content_object_id=story.pk).values_list("tag_id", flat=True)
    )
    _after_commit(
        lambda: (bump_keys(touched, hard=True), _record_schedule(), nav_sections_changed())
    )


def stories_changed(stories: Iterable, *, hard: bool = False) -> None:
    """Several stories at once (a photo placed on them changed, a restore of many)."""
    touched: set[str] = set()
    for story in stories:
        touched |= keys_for(story)
    if touched:
        _after_commit(lambda: bump_keys(touched, hard=hard))


def pages_changed(touched: Iterable[str]) -> None:
    """Pages that declared any of these keys (a front, say) are stale once this commits."""
    touched = set(touched)
    _after_commit(lambda: bump_keys(touched))


def story_pages_changed(ids: Iterable[int]) -> None:
    """Something only the stories' own pages show changed (their related stories)."""
    touched = set(page_keys.stories(ids))
    _after_commit(lambda: bump_keys(touched))


def photo_changed(photo, *, removed: bool = False) -> None:
    """A photo's picture, caption, credit or alt text changed: the stories placing it."""
    from articles.models import Article

    placed_on = list(Article.objects.filter(photo_placements__photo=photo).only("pk"))
    touched = set(page_keys.stories(placed_on))
    if touched:
        _after_commit(lambda: bump_keys(touched, hard=removed))


def api_keys_changed() -> None:
    """A partner's key was saved, re-scoped, revoked or deleted: every process stops trusting
    the keys it verified (articles/api/responses.py) and checks them against the database."""

    def apply():
        name = version_key(page_keys.API_KEYS)
        try:
            try:
                cache.incr(name)
            except ValueError:  # evicted or never set
                cache.set(name, fresh_counter(), None)
        except CACHE_ERRORS:
            logger.exception("Could not record a key change; verified keys expire in a minute.")

    _after_commit(apply)


def library_changed(obj=None, *, removed: bool = False) -> None:
    """A topic, alias, section or contributor changed; their names show on many pages.

    Renames are rare, so they refresh every page softly (the site generation); a removal is
    hard, as pages may link to what no longer exists.
    """
    from articles.cache import pages

    touched = set()
    key_of = {"topic": page_keys.topic, "section": page_keys.section}
    key_of["contributor"] = page_keys.contributor
    if obj is not None and obj._meta.model_name in key_of:
        touched.add(key_of[obj._meta.model_name](obj.pk))
    if obj is not None and obj._meta.model_name in ("topic", "topicalias"):
        touched.add(page_keys.TOPIC_INDEX)
    if obj is not None and obj._meta.model_name == "topic" and not removed:
        from articles.models.topic import recount_after_commit

        recount_after_commit([obj.pk])  # a merge moved stories to it

    def apply():
        if obj is not None and obj._meta.model_name == "section":
            cache.delete(NAV_SECTIONS_KEY)
        bump_keys(touched, hard=removed)
        pages.bump(hard=removed)

    _after_commit(apply)


def everything_changed(*, hard: bool = True) -> None:
    """After a bulk script rewrote the archive: every cached page is refreshed."""
    from articles.cache import pages

    _after_commit(lambda: pages.bump(hard=hard))


def schedules_due(since: float) -> None:
    """Stories whose publish time or embargo came due since `since`: their pages, at once."""
    from articles.models import Article, TaggedArticle, Topic

    start = datetime.datetime.fromtimestamp(since - 1, tz=datetime.UTC)
    now = timezone.now()
    due = Article.objects.filter(status=Article.Status.PUBLISHED).filter(
        Q(publish_at__gte=start, publish_at__lte=now)
        | Q(embargo_until__gte=start, embargo_until__lte=now)
    )
    touched: set[str] = set()
    for story in due.only("pk", "section_id"):
        touched |= keys_for(story)
    if touched:
        # The topic index counts what `published()` returns, which just grew.
        Topic.objects.filter(
            pk__in=TaggedArticle.objects.filter(content_object__in=due).values("tag")
        ).recount()
        nav_sections_changed()
        bump_keys(touched, hard=True)
    if fronts_or_rights_changed(start, now):
        # A front's arrangement, pin or banner, or a photo's rights, came due: fronts and the
        # pages showing the photo differ, and an expired photo must go at once.
        from articles.cache import pages

        pages.bump(hard=True)


def fronts_or_rights_changed(start, end) -> bool:
    """Whether a front or a photo's rights changed by themselves between `start` and `end`."""
    from articles.models import Photo
    from articles.models.front import changed_between

    expired = Photo.objects.filter(rights_expire_at__gt=start, rights_expire_at__lte=end)
    return changed_between(start, end) or expired.exists()
