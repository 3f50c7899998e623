"""Journey 4: a reader searches the demo newsroom, pages through a topic, follows a contributor
and opens their feed."""

import re

import feedparser
import pytest
from playwright.sync_api import expect

from articles.demo.newsroom import load_demo
from articles.models import Article, Contributor, Topic

pytestmark = pytest.mark.e2e

# Small pages, so the demo's topics run to several of them.
PAGE_SIZE = 2


def headlines(page) -> list[str]:
    return page.locator(".story-list .card__headline").all_inner_texts()


def test_reader_searches_pages_through_a_topic_and_follows_a_contributor(open_page, settings):
    settings.NEWSROOM = {**settings.NEWSROOM, "PAGE_SIZE": PAGE_SIZE}
    load_demo()
    defense = Topic.objects.get(slug="defense")
    expected = list(
        Article.objects.published()
        .in_topic(defense)
        .newest_first()
        .values_list("headline", flat=True)
    )
    assert len(expected) > 2 * PAGE_SIZE, "the demo needs three pages of defense stories"
    reader = open_page()
    reader.goto("/")

    # Search from the masthead; a result opens its story.
    search_box = reader.get_by_role("searchbox", name="Search stories")
    search_box.fill("semiconductor")
    search_box.press("Enter")
    found = Article.objects.published().search("semiconductor").count()
    assert found
    expect(reader.locator("#results-heading")).to_have_text(
        f"{found} {'story' if found == 1 else 'stories'} for “semiconductor”"
    )
    first_result = reader.locator(".story-list .card__headline a").first
    headline = first_result.inner_text()
    first_result.click()
    expect(reader.get_by_role("heading", level=1)).to_have_text(headline)

    # A featured topic from the home page, then "Older stories" to its end and back.
    reader.get_by_role("link", name="The Newsroom").click()
    reader.locator(".topic-box").get_by_role("link", name="defense", exact=True).click()
    expect(reader.get_by_role("heading", level=1)).to_have_text("defense")
    seen = []
    while True:
        shown = headlines(reader)
        assert 0 < len(shown) <= PAGE_SIZE
        seen += shown
        older = reader.get_by_role("link", name="Older stories")
        if not older.count():
            break
        older.click()
    assert seen == expected
    last_page_starts = len(seen) - len(shown)
    reader.get_by_role("link", name="Newer stories").click()
    expect(reader.locator(".story-list .card__headline")).to_have_text(
        expected[last_page_starts - PAGE_SIZE : last_page_starts]
    )

    # A byline on a story leads to its contributor, whose page offers their feed.
    reader.locator(".story-list .card__headline a").first.click()
    byline = reader.locator(".story__meta a[rel=author]").first
    name = byline.inner_text()
    byline.click()
    expect(reader.get_by_role("heading", level=1)).to_have_text(name)
    contributor = Contributor.objects.get(name=name)
    on_page = headlines(reader)
    feed_link = reader.get_by_role("link", name=re.compile(rf"^Follow {re.escape(name)} by RSS$"))
    with reader.expect_response(feed_link.get_attribute("href")) as response:
        feed_link.click()
    assert response.value.headers["content-type"].startswith("application/rss+xml")
    feed = feedparser.parse(response.value.body())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.title.startswith(contributor.name)
    assert [entry.title for entry in feed.entries][: len(on_page)] == on_page
