import json
import re

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from tests.support.factories import ArticleFactory, BylineFactory, ContributorFactory

pytestmark = pytest.mark.django_db

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


def json_ld(response):
    (data,) = JSON_LD.findall(response.content.decode())
    return json.loads(data)


def test_article_page_carries_news_article_structured_data(client, published_and_hidden):
    story = published_and_hidden[0]
    data = json_ld(client.get(story.get_absolute_url()))
    url = f"http://testserver{story.get_absolute_url()}"
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Korea & Thailand widen <defense> ties"
    assert data["description"] == "Officials agreed to joint training."
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    assert data["datePublished"] == timezone.localtime(story.publish_at).isoformat()
    assert data["dateModified"] == timezone.localtime(story.updated_at).isoformat()
    assert [(a["@type"], a["name"]) for a in data["author"]] == [
        ("Person", "Kim Min-ji"),
        ("Organization", "Yonhap"),
    ]
    assert data["author"][0]["url"] == "http://testserver/contributors/kim-min-ji/"
    assert len(data["image"]) == 3
    assert all(
        image["@type"] == "ImageObject"
        and image["url"].startswith("http://testserver/media/renditions/")
        and image["creditText"] == "Yonhap"
        and [creator["name"] for creator in image["creator"]] == ["Park Photo"]
        for image in data["image"]
    )
    assert data["publisher"]["name"] == "The Newsroom"
    assert data["publisher"]["logo"]["url"] == "http://testserver/static/img/logo.png"
    assert data["articleSection"] == story.section.name
    assert sorted(data["keywords"]) == ["CEPA", "defense"]
    assert data["dateline"] == "SEOUL"
    assert data["locationCreated"] == {"@type": "Place", "name": "SEOUL"}


def test_a_headline_with_a_closing_script_tag_cannot_break_out_of_json_ld(client):
    headline = '</script><script>alert("x")</script><!-- & more'
    story = ArticleFactory(published=True, headline=headline, dek="</SCRIPT>dek")
    response = client.get(story.get_absolute_url())
    html = response.content.decode()
    (script,) = JSON_LD.findall(html)
    assert "<" not in script
    assert ">" not in script
    assert json_ld(response)["headline"] == headline
    assert json_ld(response)["description"] == "</SCRIPT>dek"
    assertNotContains(response, '<script>alert("x")</script>')


def test_story_without_bylines_or_photo_is_credited_to_the_newsroom(client):
    story = ArticleFactory(published=True, dek="", body="<p>Short text here.</p>")
    data = json_ld(client.get(story.get_absolute_url()))
    assert data["author"] == [{"@type": "Organization", "name": "The Newsroom"}]
    assert data["image"] == [
        {
            "@type": "ImageObject",
            "url": "http://testserver/static/img/social-default.png",
            "width": 1200,
            "height": 630,
        }
    ]
    assert data["description"] == "Short text here."


def test_article_page_has_canonical_link_social_cards_and_description(client, published_and_hidden):
    story = published_and_hidden[0]
    response = client.get(story.get_absolute_url())
    url = f"http://testserver{story.get_absolute_url()}"
    assertContains(response, f'<link rel="canonical" href="{url}">')
    assertContains(
        response, '<meta name="description" content="Officials agreed to joint training.">'
    )
    assertContains(response, '<meta property="og:type" content="article">')
    assertContains(
        response,
        '<meta property="og:title" content="Korea &amp; Thailand widen &lt;defense&gt; ties">',
    )
    assertContains(response, f'<meta property="og:url" content="{url}">')
    assertContains(response, '<meta property="og:image" content="http://testserver/media/')
    assertContains(response, '<meta property="og:image:width" content="1200">')
    assertContains(response, '<meta property="og:image:height" content="675">')
    assertContains(response, '<meta name="twitter:card" content="summary_large_image">')
    assertContains(response, '<meta property="article:tag" content="defense">')


@pytest.mark.parametrize(
    ("url", "title", "og_type"),
    [
        ("/", "The Newsroom", "website"),
        ("/topics/defense/", "defense", "website"),
        ("/sections/politics/", None, "website"),
        ("/contributors/kim-min-ji/", "Kim Min-ji", "profile"),
    ],
)
def test_listing_pages_have_canonical_link_and_cards(
    client, published_and_hidden, url, title, og_type
):
    response = client.get(url)
    assertContains(response, f'<link rel="canonical" href="http://testserver{url}">')
    assertContains(response, f'<meta property="og:type" content="{og_type}">')
    assertContains(response, '<meta name="twitter:card" content="summary">')
    assertContains(response, '<meta name="description" content="')
    if title:
        assertContains(response, f'<meta property="og:title" content="{title}">')


def test_later_pages_of_a_listing_are_their_own_canonical_page(client, settings):
    settings.NEWSROOM = {**settings.NEWSROOM, "PAGE_SIZE": 1}
    writer = ContributorFactory(slug="writer")
    for _ in range(2):
        BylineFactory(article=ArticleFactory(published=True), contributor=writer)
    response = client.get("/contributors/writer/", {"page": "2"})
    assertContains(
        response, '<link rel="canonical" href="http://testserver/contributors/writer/?page=2">'
    )
