"""A live file's updates on their own: the fragment the story page polls, and the story's feed.

Both come from the story as readers may see it (`published()`, then a running or ended live
file) and its public updates (`LiveUpdate.objects.public()`, through `Article.updates`), and
both declare the story's key: the page cache keeps them until an update is approved or a
public one changes (`invalidate.story_pages_changed`), so a thousand open pages polling every
30 seconds cost one render per change, not one per request.
"""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from articles.cache import keys
from articles.cache.keys import depends_on
from articles.models import Article


def live_story_or_404(year: int, month: int, day: int, slug: str) -> Article:
    """The live file readers may see at this address (no redirects: machines poll it)."""
    article = Article.objects.published().filter(slug=slug, live_started_at__isnull=False).first()
    if article is None:
        raise Http404("No such live story.")
    published_on = timezone.localdate(article.publish_at)
    if (year, month, day) != (published_on.year, published_on.month, published_on.day):
        raise Http404("No such live story.")
    return article


def live_updates(request, year, month, day, slug):
    """The updates list alone, as the story page shows it, for its script to swap in."""
    article = live_story_or_404(year, month, day, slug)
    depends_on(keys.story(article.pk))
    response = render(request, "includes/_live_updates.html", {"article": article})
    response["X-Robots-Tag"] = "noindex"
    return response
