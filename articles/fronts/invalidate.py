"""Which cached pages a change to a front makes stale, called by the desk after each save.

A front is shown on one page, which declares the front's key (`Front.cache_tag`):
"front-home" for the home page, "front-section-<section id>" for a section's page. The banner
is shown on every public page, each declaring the `banner` key (articles/fronts/banner.py).
Each change moves those keys once it commits (and purges them from the cache in front,
through `articles/cache/invalidate.py`), so every other cached page stays a hit. Changes that
come due by themselves (an arrangement's start time, a pin running out, a banner's start and
end) are found by the page cache through `next_front_change()` (articles/models/front.py),
which each change records again: a new start or end time is then watched for.
"""

from django.db import transaction

from articles.cache import invalidate
from articles.cache import keys as page_keys
from articles.fronts import banner
from articles.models import Front


def _watch_schedules() -> None:
    from articles.cache import pages

    transaction.on_commit(pages.record_next_due)


def front_changed(front: Front) -> None:
    """`front`'s page is stale once the current transaction commits."""
    invalidate.pages_changed([front.cache_tag])
    _watch_schedules()


def banner_changed() -> None:
    """Every page showing the banner is stale once the current transaction commits."""
    transaction.on_commit(banner.forget)
    invalidate.pages_changed([page_keys.BANNER])
    _watch_schedules()
