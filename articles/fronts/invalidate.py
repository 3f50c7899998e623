"""Which cached pages a change to a front makes stale, called by the desk after each save.

A front is shown on one page, which declares the front's key (`Front.cache_tag`):
"front-home" for the home page, "front-section-<section id>" for a section's page. The banner
is shown on every front. Each change moves those keys once it commits (and purges them from
the cache in front, through `articles/cache/invalidate.py`), so every other cached page stays
a hit. Changes that come due by themselves (an arrangement's start time, a pin running out, a
banner's start and end) are found by the page cache through `next_front_change()`
(articles/models/front.py).
"""

from articles.cache import invalidate
from articles.models import Front


def front_changed(front: Front) -> None:
    """`front`'s page is stale once the current transaction commits."""
    invalidate.pages_changed([front.cache_tag])


def banner_changed() -> None:
    """Every front is stale once the current transaction commits (the banner is on each)."""
    tags = [front.cache_tag for front in Front.objects.only("section_id")]
    invalidate.pages_changed({"front-home", *tags})
