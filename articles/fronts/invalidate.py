"""Which cached pages a change to a front makes stale, called by the desk after each save.

A front is shown on one page, tagged for the page cache as `Front.cache_tag`: "front-home"
for the home page, "front-section-<section id>" for a section's page. The banner is shown on
every front. The page cache keeps whole-site generations today, so each of these moves the
soft generation once the change commits: readers get the new front on their next request,
and no stampede hits the database. Changes that come due by themselves (an arrangement's
start time, a pin running out, a banner's start and end) are found by the page cache through
`next_front_change()` (articles/models/front.py).
"""

from articles.cache import pages
from articles.models import Front


def front_change_tags(front: Front) -> list[str]:
    """The cache tags of the pages showing `front`."""
    return [front.cache_tag]


def front_changed(front: Front) -> None:
    """`front`'s page is stale once the current transaction commits."""
    pages.bump_on_commit()


def banner_changed() -> None:
    """Every front is stale once the current transaction commits (the banner is on each)."""
    pages.bump_on_commit()
