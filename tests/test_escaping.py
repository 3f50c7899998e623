"""Markup typed into a headline, caption, credit or name is text everywhere: readers' pages,
feeds, the desk's lists, forms, history and calendar, and the desk's messages."""

import pytest

from articles.models import Byline, Correction, Topic
from tests.support.factories import (
    ArticleFactory,
    ArticlePhotoFactory,
    ContributorFactory,
    SectionFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)>'
RAW = ('<script>alert("x")', "<img src=x")


@pytest.fixture
def marked_up_story():
    article = ArticleFactory(
        published=True,
        kicker=f"Kicker {EVIL}",
        headline=f"Headline {EVIL}",
        dek=f"Dek {EVIL}",
        dateline=f"SEOUL {EVIL}",
        section=SectionFactory(name=f"Section {EVIL}", slug="section"),
    )
    Byline.objects.create(
        article=article, contributor=ContributorFactory(name=f"Kim {EVIL}", slug="kim")
    )
    article.topics.add(TopicFactory(name=f"topic {EVIL}", slug="topic"))
    ArticlePhotoFactory(
        article=article,
        photo__caption=f"Caption {EVIL}",
        photo__credit=f"Credit {EVIL}",
        photo__alt_text=f"Alt {EVIL}",
    )
    Correction.objects.create(article=article, text=f"Correction {EVIL}")
    Topic.objects.all().recount()  # written by factories: the topic index counts it too
    return article


def assert_escaped(response, url):
    assert response.status_code == 200, url
    content = response.content.decode()
    for raw in RAW:
        assert raw not in content, f"unescaped markup on {url}"


def test_readers_pages_and_feeds_show_markup_as_text(client, marked_up_story):
    urls = [
        "/",
        marked_up_story.get_absolute_url(),
        "/topics/",
        "/topics/topic/",
        "/sections/section/",
        "/contributors/kim/",
        "/corrections/",
        "/search/?q=Headline",
        "/feed/",
        "/feed/atom/",
        "/topics/topic/feed/",
        "/sitemap-news.xml",
    ]
    for url in urls:
        assert_escaped(client.get(url), url)


def test_desk_pages_show_markup_as_text(editor_client, marked_up_story):
    pk = marked_up_story.pk
    photo = marked_up_story.photo_placements.get().photo
    urls = [
        "/admin/articles/article/",
        f"/admin/articles/article/{pk}/change/",
        f"/admin/articles/article/{pk}/history/",
        "/admin/articles/article/calendar/",
        "/admin/articles/photo/",
        f"/admin/articles/photo/{photo.pk}/change/",
        "/admin/articles/topic/",
        "/admin/articles/contributor/",
        "/admin/articles/section/",
    ]
    for url in urls:
        assert_escaped(editor_client.get(url), url)


def test_desk_messages_naming_a_story_show_markup_as_text(editor_client, marked_up_story):
    # Submitting a published story is refused, with a message naming the story.
    response = editor_client.post(
        "/admin/articles/article/",
        {"action": "submit_selected", "_selected_action": [marked_up_story.pk]},
        follow=True,
    )
    assert_escaped(response, "the article list after an action")
    assert "Not changed: “Headline &lt;script&gt;" in response.content.decode()


@pytest.mark.parametrize(
    ("href", "kept"),
    [
        ("https://example.com/a", True),
        ("http://example.com/a", True),
        ("mailto:desk@example.com", True),
        ("tel:+82-2-123-4567", True),
        ("javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        ("data:text/html;base64,PHNjcmlwdD4=", False),
        ("vbscript:msgbox(1)", False),
        ("file:///etc/passwd", False),
    ],
)
def test_story_links_keep_only_web_mail_and_phone_addresses(href, kept):
    article = ArticleFactory(body=f'<p><a href="{href}">link</a></p>')
    article.refresh_from_db()
    assert (f'href="{href}"' in article.body) is kept
