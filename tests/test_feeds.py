import html
from datetime import timedelta

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django.asserts import assertContains

from articles.models import Photo
from tests.support.factories import ArticleFactory, PhotoFactory

pytestmark = pytest.mark.django_db

FEEDS = [
    "/feed/",
    "/feed/atom/",
    "/topics/defense/feed/",
    "/topics/defense/feed/atom/",
    "/sections/politics/feed/",
    "/sections/politics/feed/atom/",
    "/contributors/kim-min-ji/feed/",
    "/contributors/kim-min-ji/feed/atom/",
]


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert not feed.bozo, f"{url}: {feed.get('bozo_exception')}"
    return response, feed


@pytest.mark.parametrize("url", FEEDS)
def test_feed_parses_cleanly_and_lists_only_published_stories(client, published_and_hidden, url):
    story, *hidden = published_and_hidden
    _, feed = parse(client, url)
    # RSS titles are HTML to feed readers (escaped text), Atom titles are text.
    titles = [html.unescape(entry.title) for entry in feed.entries]
    assert titles == [story.headline]
    for article in hidden:
        assert article.headline not in titles


@pytest.mark.parametrize("url", ["/feed/", "/feed/atom/"])
def test_feed_entry_carries_the_story(client, published_and_hidden, url):
    story = published_and_hidden[0]
    _, feed = parse(client, url)
    (entry,) = feed.entries
    assert entry.link == f"http://testserver{story.get_absolute_url()}"
    assert entry.summary == "Officials agreed to joint training."
    assert [author.name for author in entry.authors] == ["Kim Min-ji", "Yonhap"]
    assert sorted(tag.term for tag in entry.tags) == ["CEPA", "defense"]
    assert entry.published_parsed[:5] == story.publish_at.utctimetuple()[:5]
    assert entry.updated_parsed[:5] == story.updated_at.utctimetuple()[:5]
    (media,) = entry.media_content
    assert media["url"].startswith("http://testserver/media/renditions/")
    assert (media["width"], media["height"]) == ("1200", "800")
    assert media["medium"] == "image"


def test_feeds_never_link_the_original_photo(client, published_and_hidden):
    original = published_and_hidden[0].lead_placement.photo.image.url
    for url in FEEDS:
        assert original.encode() not in client.get(url).content


def test_a_photo_without_a_stored_size_leaves_the_feed_readable(client, published_and_hidden):
    """Photos saved before their size was stored: the entry goes out without its picture."""
    Photo.objects.update(width=None, height=None)
    for url in FEEDS:
        response, feed = parse(client, url)
        assert not any(entry.get("media_content") for entry in feed.entries), url


def test_feed_of_an_unknown_topic_is_a_404(client, db):
    assert client.get("/topics/nothing-here/feed/").status_code == 404


@pytest.mark.parametrize(
    ("page", "rss", "atom"),
    [
        ("/", "/feed/", "/feed/atom/"),
        ("/topics/defense/", "/topics/defense/feed/", "/topics/defense/feed/atom/"),
        ("/sections/politics/", "/sections/politics/feed/", "/sections/politics/feed/atom/"),
        (
            "/contributors/kim-min-ji/",
            "/contributors/kim-min-ji/feed/",
            "/contributors/kim-min-ji/feed/atom/",
        ),
    ],
)
def test_pages_link_their_feeds(client, published_and_hidden, page, rss, atom):
    response = client.get(page)
    assertContains(response, 'type="application/rss+xml" title="', count=2 if page != "/" else 1)
    assertContains(response, f'href="{rss}"')
    assertContains(response, f'href="{atom}"')


@pytest.mark.parametrize(
    ("page", "rss"),
    [
        ("/topics/defense/", "/topics/defense/feed/"),
        ("/sections/politics/", "/sections/politics/feed/"),
        ("/contributors/kim-min-ji/", "/contributors/kim-min-ji/feed/"),
    ],
)
def test_followable_pages_show_readers_a_feed_link(client, published_and_hidden, page, rss):
    """Browsers no longer show <link rel="alternate"> feeds: the page itself links its feed."""
    assertContains(client.get(page), f'<a href="{rss}" type="application/rss+xml">Follow ')


def test_a_control_character_from_wire_copy_does_not_break_the_feeds(client, db):
    story = ArticleFactory(published=True, headline="Markets\x0b open higher", dek="Up\x01 1%")
    for url in ["/feed/", "/feed/atom/"]:
        _, feed = parse(client, url)
        assert feed.entries[0].title == "Markets open higher"
    assert story.headline.encode() not in client.get("/sitemap-news.xml").content
    assert (
        b"<news:title>Markets open higher</news:title>" in client.get("/sitemap-news.xml").content
    )


def feed_text(client, url):
    return client.get(url).content.decode()


def photo_block(photo):
    return f'<figure data-block="photo" data-photo="{photo.pk}"></figure>'


@pytest.mark.parametrize("url", ["/feed/", "/feed/atom/"])
def test_photos_placed_in_a_storys_text_go_out_as_media(client, url):
    placed = PhotoFactory(caption="Rescuers at the dam", credit="Yonhap")
    gallery = PhotoFactory.create_batch(2)
    ids = ",".join(str(photo.pk) for photo in gallery)
    ArticleFactory(
        published=True,
        body=f'<p>Opening.</p><figure data-block="photo" data-photo="{placed.pk}" '
        'data-caption="At the dam on Tuesday" data-credit="Pool"></figure>'
        f'<figure data-block="gallery" data-photos="{ids}"></figure>'
        f"{photo_block(gallery[0])}",
    )
    _, feed = parse(client, url)
    (entry,) = feed.entries
    media = entry.media_content
    assert len(media) == 3
    for item, photo in zip(media, [placed, *gallery], strict=True):
        assert item["url"].startswith("http://testserver/media/renditions/")
        assert item["type"] == "image/jpeg"
        assert (item["width"], item["height"]) == (str(photo.width), str(photo.height))
    # Each photo once, with the caption and credit the story gives it where it does.
    assert [credit["content"] for credit in entry.media_credit] == ["Pool", "Yonhap", "Yonhap"]
    assert "At the dam on Tuesday" in feed_text(client, url)
    assert "Rescuers at the dam" not in feed_text(client, url)


def test_a_photo_readers_may_not_see_stays_out_of_the_feed(client):
    expired = PhotoFactory(rights_expire_at=timezone.now() - timedelta(days=1))
    ArticleFactory(published=True, body=f"<p>Text.</p>{photo_block(expired)}")
    _, feed = parse(client, "/feed/")
    assert "media_content" not in feed.entries[0]


def test_body_photos_cost_one_query_for_the_whole_feed(client):
    ArticleFactory(published=True, body=f"<p>One.</p>{photo_block(PhotoFactory())}")
    client.get("/feed/")
    with CaptureQueriesContext(connection) as one:
        client.get("/feed/")
    for _ in range(5):
        ArticleFactory(published=True, body=f"<p>More.</p>{photo_block(PhotoFactory())}")
    with CaptureQueriesContext(connection) as six:
        client.get("/feed/")
    assert len(six) == len(one)
