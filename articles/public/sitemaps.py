"""Sitemaps for search engines: an index of monthly story sitemaps, topics, sections and
contributors, and a Google News sitemap of the last 48 hours.

Only `published()` stories appear, and a page appears only while it has one. `lastmod` is
the later of a story's last save and its publish time, so it moves when a story is updated
or corrected, and when a scheduled story goes out.
"""

import math
from datetime import datetime, timedelta

from django.contrib.sitemaps import Sitemap
from django.db.models import Count, Max, OuterRef, Subquery
from django.db.models.functions import Greatest, TruncMonth
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Contributor, Section, Topic

NEWS_WINDOW = timedelta(hours=48)
# Google News reads at most 1,000 stories from one news sitemap.
NEWS_LIMIT = 1000
# The sitemaps.org limit of URLs in one file.
URL_LIMIT = 50_000


def _last_change():
    """When readers last saw a story change: its last save, or its going out if later."""
    return Greatest("updated_at", "publish_at")


def _last_story_change(**match):
    """The last change among the published stories matching `match` (an OuterRef filter)."""
    return Subquery(
        Article.objects.published()
        .filter(**match)
        .annotate(changed=_last_change())
        .order_by("-changed")
        .values("changed")[:1]
    )


class StoriesOfMonthSitemap(Sitemap):
    """The published stories of one calendar month (in the newsroom's time zone)."""

    limit = URL_LIMIT

    def __init__(self, year: int, month: int):
        self.start = timezone.make_aware(datetime(year, month, 1))
        next_month = datetime(year + month // 12, month % 12 + 1, 1)
        self.end = timezone.make_aware(next_month)

    def items(self):
        return (
            Article.objects.published()
            .filter(publish_at__gte=self.start, publish_at__lt=self.end)
            .annotate(changed=_last_change())
            .only("slug", "publish_at", "created_at", "updated_at")
            .order_by("publish_at", "pk")
        )

    def lastmod(self, article):
        return article.changed


class _ArchivePageSitemap(Sitemap):
    """Pages of a topic, section or contributor that has at least one published story."""

    limit = URL_LIMIT

    def lastmod(self, obj):
        return obj.last_story_change


class TopicsSitemap(_ArchivePageSitemap):
    def items(self):
        return (
            Topic.objects.annotate(last_story_change=_last_story_change(topics=OuterRef("pk")))
            .filter(last_story_change__isnull=False)
            .order_by("pk")
        )


class SectionsSitemap(_ArchivePageSitemap):
    def items(self):
        return (
            Section.objects.annotate(last_story_change=_last_story_change(section=OuterRef("pk")))
            .filter(last_story_change__isnull=False)
            .order_by("pk")
        )


class ContributorsSitemap(_ArchivePageSitemap):
    def items(self):
        return (
            Contributor.objects.annotate(
                last_story_change=_last_story_change(bylines__contributor=OuterRef("pk"))
            )
            .filter(last_story_change__isnull=False)
            .order_by("pk")
        )


ARCHIVE_SITEMAPS = {
    "topics": TopicsSitemap,
    "sections": SectionsSitemap,
    "contributors": ContributorsSitemap,
}


def sitemap_for(section: str) -> Sitemap | None:
    """The sitemap named `section` ("topics", "stories-2025-03"...), or None if there is none."""
    if section in ARCHIVE_SITEMAPS:
        return ARCHIVE_SITEMAPS[section]()
    prefix, _, month = section.partition("-")
    try:
        when = datetime.strptime(month, "%Y-%m")
    except ValueError:
        return None
    # Far-off years would overflow in time zone arithmetic; no story is filed there anyway.
    if prefix != "stories" or not 1900 <= when.year <= 9000:
        return None
    return StoriesOfMonthSitemap(when.year, when.month)


def index_entries() -> list[dict]:
    """Each sitemap file with its lastmod, newest month first: two queries in all."""
    months = (
        Article.objects.published()
        .annotate(month=TruncMonth("publish_at"))
        .values("month")
        .annotate(count=Count("pk"), changed=Max(_last_change()))
        .order_by("-month")
    )
    entries = []
    for row in months:
        section = f"stories-{row['month']:%Y-%m}"
        url = reverse("articles:sitemap_section", kwargs={"section": section})
        pages = math.ceil(row["count"] / URL_LIMIT)
        entries.extend(
            {"location": url if page == 1 else f"{url}?p={page}", "last_mod": row["changed"]}
            for page in range(1, pages + 1)
        )
    if entries:
        changed = max(entry["last_mod"] for entry in entries)
        for section in ARCHIVE_SITEMAPS:
            url = reverse("articles:sitemap_section", kwargs={"section": section})
            entries.append({"location": url, "last_mod": changed})
    return entries


def news_stories():
    """Stories for the Google News sitemap: published in the last 48 hours, newest first."""
    return (
        Article.objects.published()
        .filter(publish_at__gte=timezone.now() - NEWS_WINDOW)
        .newest_first()
        .only("headline", "slug", "publish_at", "created_at")[:NEWS_LIMIT]
    )
