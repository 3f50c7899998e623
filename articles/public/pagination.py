"""Paging through story listings.

Listings of a topic, section or contributor page by *keyset*: "older stories" continues
strictly after the last story shown, by (publish time, id). The database walks its index from
that point, so the 10,000th story costs what the 20th does, and no COUNT over a topic of
50,000 stories is needed. Search results, ranked rather than dated, page by number.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
CURSOR = re.compile(r"^(-?\d{1,20})\.(\d{1,20})$")


def paginate(request, object_list, per_page: int | None = None):
    """The requested page of `object_list`; a page that does not exist is a 404, not a 500."""
    paginator = Paginator(object_list, per_page or settings.NEWSROOM["PAGE_SIZE"])
    try:
        return paginator.page(request.GET.get("page") or 1)
    except InvalidPage as exc:
        raise Http404("No such page.") from exc


def make_cursor(article) -> str:
    """An opaque, exact position: microseconds since the epoch and the story's id."""
    delta = article.publish_at - EPOCH
    microseconds = (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds
    return f"{microseconds}.{article.pk}"


def parse_cursor(value: str) -> tuple[datetime, int]:
    match = CURSOR.match(value)
    if not match:
        raise Http404("No such page.")
    microseconds, pk = (int(part) for part in match.groups())
    try:
        return EPOCH + timedelta(microseconds=microseconds), pk
    except OverflowError as exc:
        raise Http404("No such page.") from exc


@dataclass
class StoryPage:
    object_list: list
    newer: str | None
    older: str | None

    @property
    def has_other_pages(self) -> bool:
        return bool(self.newer or self.older)


def keyset_page(request, stories, per_page: int | None = None) -> StoryPage:
    """One page of `stories` (ordered newest first) around the ?before= or ?after= cursor."""
    per_page = per_page or settings.NEWSROOM["PAGE_SIZE"]
    before, after = request.GET.get("before"), request.GET.get("after")
    if after:
        when, pk = parse_cursor(after)
        rows = list(
            stories.filter(publish_at__gte=when)
            .exclude(publish_at=when, pk__lte=pk)
            .order_by("publish_at", "pk")[: per_page + 1]
        )
        more_newer = len(rows) > per_page
        rows = rows[:per_page][::-1]
        more_older = True
    else:
        if before:
            when, pk = parse_cursor(before)
            stories = stories.filter(publish_at__lte=when).exclude(publish_at=when, pk__gte=pk)
        rows = list(stories[: per_page + 1])
        more_older = len(rows) > per_page
        rows = rows[:per_page]
        more_newer = bool(before)
    if not rows and (before or after):
        raise Http404("No such page.")
    return StoryPage(
        object_list=rows,
        newer=make_cursor(rows[0]) if rows and more_newer else None,
        older=make_cursor(rows[-1]) if rows and more_older else None,
    )
