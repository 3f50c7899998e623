from datetime import timedelta
from pathlib import Path
from xml.etree import ElementTree

import pytest
import time_machine
from django.utils import timezone
from lxml import etree

from tests.support.factories import ArticleFactory, TopicFactory

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).with_name("schemas")
NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


def schema(name):
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name)))


def fetch_valid(client, url, schema_name):
    """The sitemap at `url`, after checking it against its schema."""
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    document = etree.fromstring(response.content)
    validator = schema(schema_name)
    assert validator.validate(document), f"{url}: {validator.error_log}"
    return ElementTree.fromstring(response.content)


def locations(tree, tag="sm:url"):
    return [element.findtext("sm:loc", namespaces=NS) for element in tree.findall(tag, NS)]


def lastmod_of(tree, url_suffix, tag="sm:url"):
    for element in tree.findall(tag, NS):
        if element.findtext("sm:loc", namespaces=NS).endswith(url_suffix):
            return element.findtext("sm:lastmod", namespaces=NS)
    raise AssertionError(f"{url_suffix} not listed")


def month_of(article):
    return f"{timezone.localtime(article.publish_at):%Y-%m}"


def test_index_lists_story_months_topics_sections_and_contributors(client, published_and_hidden):
    story = published_and_hidden[0]
    index = fetch_valid(client, "/sitemap.xml", "siteindex.xsd")
    assert locations(index, "sm:sitemap") == [
        f"http://testserver/sitemap-stories-{month_of(story)}.xml",
        "http://testserver/sitemap-topics.xml",
        "http://testserver/sitemap-sections.xml",
        "http://testserver/sitemap-contributors.xml",
    ]


def test_every_sitemap_lists_published_pages_and_no_unpublished_story(client, published_and_hidden):
    story, *hidden = published_and_hidden
    index = fetch_valid(client, "/sitemap.xml", "siteindex.xsd")
    listed = []
    for url in locations(index, "sm:sitemap"):
        listed += locations(fetch_valid(client, url, "sitemap.xsd"))
    news = fetch_valid(client, "/sitemap-news.xml", "sitemap.xsd")
    listed += locations(news)
    assert f"http://testserver{story.get_absolute_url()}" in listed
    assert "http://testserver/topics/defense/" in listed
    assert "http://testserver/sections/politics/" in listed
    assert "http://testserver/contributors/kim-min-ji/" in listed
    for article in hidden:
        assert not [url for url in listed if article.slug in url], article.headline


def test_topic_with_only_unpublished_stories_is_not_listed(client, published_and_hidden):
    lonely = TopicFactory(slug="lonely")
    published_and_hidden[1].topics.add(lonely)  # the draft
    topics = fetch_valid(client, "/sitemap-topics.xml", "sitemap.xsd")
    assert "http://testserver/topics/lonely/" not in locations(topics)


def test_lastmod_moves_when_a_story_is_corrected(client, published_and_hidden):
    story = published_and_hidden[0]
    section = f"/sitemap-stories-{month_of(story)}.xml"
    before = lastmod_of(fetch_valid(client, section, "sitemap.xsd"), story.get_absolute_url())
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        story.dek = "Corrected: officials agreed to joint exercises."
        story.save()
        after = lastmod_of(fetch_valid(client, section, "sitemap.xsd"), story.get_absolute_url())
        index = fetch_valid(client, "/sitemap.xml", "siteindex.xsd")
    assert after > before
    assert lastmod_of(index, section, "sm:sitemap")[:16] == after[:16]


def test_news_sitemap_names_publication_language_date_and_title(client, published_and_hidden):
    story = published_and_hidden[0]
    ArticleFactory(
        published=True, headline="Old news", publish_at=timezone.now() - timedelta(hours=49)
    )
    news = fetch_valid(client, "/sitemap-news.xml", "sitemap.xsd")
    (entry,) = news.findall("sm:url", NS)
    assert entry.findtext("sm:loc", namespaces=NS).endswith(story.get_absolute_url())
    item = entry.find("news:news", NS)
    assert item.findtext("news:publication/news:name", namespaces=NS) == "The Newsroom"
    assert item.findtext("news:publication/news:language", namespaces=NS) == "en"
    assert item.findtext("news:title", namespaces=NS) == "Korea & Thailand widen <defense> ties"
    published = item.findtext("news:publication_date", namespaces=NS)
    assert published.startswith(timezone.localtime(story.publish_at).isoformat()[:19])


def test_robots_txt_points_to_both_sitemaps(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Sitemap: http://testserver/sitemap-news.xml" in lines


@pytest.mark.parametrize(
    "url",
    [
        "/sitemap-stories-2020-13.xml",
        "/sitemap-stories-x.xml",
        "/sitemap-stories-9999-12.xml",
        "/sitemap-stories-0001-01.xml",
        "/sitemap-photos.xml",
        "/sitemap-topics.xml?p=99",
    ],
)
def test_unknown_sitemap_is_a_404(client, db, url):
    assert client.get(url).status_code == 404


def test_empty_newsroom_has_an_empty_but_valid_index(client, db):
    index = fetch_valid(client, "/sitemap.xml", "siteindex.xsd")
    assert locations(index, "sm:sitemap") == []
    fetch_valid(client, "/sitemap-news.xml", "sitemap.xsd")


def test_schema_rejects_a_news_entry_without_a_title():
    """The news schema really checks the news elements (a sitemap missing one fails)."""
    document = etree.fromstring(
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        b'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url>'
        b"<loc>http://testserver/a/</loc><news:news><news:publication><news:name>N</news:name>"
        b"<news:language>en</news:language></news:publication>"
        b"<news:publication_date>2025-01-01</news:publication_date></news:news></url></urlset>"
    )
    assert not schema("sitemap.xsd").validate(document)
