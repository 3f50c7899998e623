"""Feeds carry plain text as text: a feed reader renders what a feed calls HTML, so markup typed
into a headline, dek, caption or name must reach it escaped, and a body only as sanitized HTML.

Parsed with feedparser's sanitizer off, as a careless feed reader would: whatever it reports
as HTML must hold no element from the text fields.
"""

import feedparser
import pytest

from articles.models import Byline
from tests.support.factories import (
    ArticleFactory,
    ArticlePhotoFactory,
    ContributorFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

# A closing tag too: feedparser (like many readers) then takes an untyped RSS field for HTML.
EVIL = "<b>x</b><img src=x onerror=alert(2)>"
FEEDS = ["/feed/", "/feed/atom/", "/topics/topic/feed/", "/topics/topic/feed/atom/"]


@pytest.fixture
def story_with_markup_in_every_text_field():
    article = ArticleFactory(
        published=True, headline=f"Headline {EVIL}", dek=f"Dek {EVIL}", body="<p>Body.</p>"
    )
    Byline.objects.create(
        article=article, contributor=ContributorFactory(name=f"Kim {EVIL}", slug="kim")
    )
    article.topics.add(TopicFactory(name=f"topic {EVIL}", slug="topic"))
    ArticlePhotoFactory(
        article=article,
        photo__caption=f"Caption {EVIL}",
        photo__credit=f"Credit {EVIL}",
        photo__width=64,
        photo__height=48,
    )
    return article


def rendered_as_html(detail_value: str, detail_type: str) -> str:
    """What a feed reader would put into its page for this value."""
    return detail_value if "html" in detail_type else ""


def html_values(entry):
    """Every (field, value) of an entry that a feed reader treats as HTML.

    Atom names, Media RSS credits and `type="plain"` descriptions are text by their specs,
    and feedparser hands them over as text: escaping them would show readers "&lt;".
    """
    for field in ("title", "summary"):
        detail = entry.get(f"{field}_detail")
        if detail:
            yield field, rendered_as_html(detail.value, detail.type)
    for content in entry.get("content", []):
        yield "content", rendered_as_html(content.value, content.type)


@pytest.mark.parametrize("url", FEEDS)
def test_markup_in_text_fields_reaches_feed_readers_as_text(
    client, story_with_markup_in_every_text_field, url
):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content, sanitize_html=False)
    assert not feed.bozo, feed.get("bozo_exception")
    (entry,) = feed.entries
    for field, value in html_values(entry):
        assert "<img" not in value, f"{url}: {field} carries live markup: {value!r}"
    # Still readable: the words arrive, shown as the text that was typed.
    assert "Dek" in entry.summary


@pytest.mark.parametrize("url", ["/feed/", "/feed/atom/"])
def test_a_story_without_a_dek_summarises_its_sanitized_body_as_text(client, url):
    ArticleFactory(published=True, dek="", body="<p>Fish &lt;b&gt;and chips</p>")
    feed = feedparser.parse(client.get(url).content, sanitize_html=False)
    (entry,) = feed.entries
    # The HTML a reader's feed reader shows: the body's text, its "<b>" as text.
    assert entry.summary == "Fish &lt;b&gt;and chips"
