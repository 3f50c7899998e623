"""The breaking-news banner on every public page: read once per render, from the cache.

Every page built on base.html shows the banner, or its absence, through the
`{% breaking_news %}` tag, which declares the `banner` key: switching a banner on, editing
it or ending it moves that key (`invalidate.banner_changed`), so each cached page is
refreshed. The banners not yet ended are few; they are kept in the shared cache until one
changes, and the one showing is picked in Python (`Banner.is_showing`, the twin of
`Banner.objects.showing()`), so a page costs no query for the banner once the cache holds
them. A banner starting or ending by itself is a change the page cache finds by the clock
(`next_front_change()`), which refreshes the pages at that moment.
"""

import logging

from django.core.cache import cache
from django.utils import timezone

from articles.cache import fragments, keys
from articles.cache.invalidate import CACHE_ERRORS
from articles.cache.keys import depends_on
from articles.models import Banner

logger = logging.getLogger(__name__)

CACHE_KEY = "fronts:banners"


def banners_not_ended() -> list[Banner]:
    return list(Banner.objects.not_ended())


def showing_banner(at=None) -> Banner | None:
    """The banner readers see at `at` (now), if any; the page rendering it now depends on it."""
    depends_on(keys.BANNER)
    # A banner change moves the site's change sequence: each process reuses its copy till then.
    banners = fragments.kept_in_process("banners", shared_banners)
    at = at or timezone.now()
    return next((banner for banner in banners if banner.is_showing(at)), None)


def shared_banners() -> list[Banner]:
    try:
        return cache.get_or_set(CACHE_KEY, banners_not_ended, None)
    except CACHE_ERRORS:
        logger.exception("Cache unavailable; reading the banner from the database.")
        return banners_not_ended()


def forget() -> None:
    """Drop the cached banners (a banner was saved or deleted); read again on the next page."""
    try:
        cache.delete(CACHE_KEY)
    except CACHE_ERRORS:
        logger.exception("Cache unavailable; the banner may be stale until it returns.")
