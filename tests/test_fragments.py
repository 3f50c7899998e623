"""Story pages and cards kept rendered between pages (articles/cache/fragments.py)."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.cache import invalidate
from articles.models import Article, RelatedStory
from articles.previews import preview_url
from articles.public import pieces
from tests.support.factories import ArticleFactory, BylineFactory, SectionFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _pieces_kept(settings):
    """The page cache stays off: these are the pages a page-cache miss renders."""
    settings.FRAGMENT_CACHE_ENABLED = True


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def queries_for(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        get(client, url)
    return [query["sql"] for query in queries]


def related_pair():
    story = ArticleFactory(published=True, headline="Harbour strike enters second week")
    other = ArticleFactory(published=True, headline="Dockers vote on the new offer")
    RelatedStory.objects.create(article=story, related=other, position=0)
    return story, other


def test_a_story_page_read_again_runs_no_query(client):
    story, _ = related_pair()
    # Another story's page first sets what every page shares (menu, schedules, generations).
    get(client, ArticleFactory(published=True).get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        first = get(client, story.get_absolute_url())
    assert len(queries) <= 5  # the page's budget, when nothing of it is kept yet
    with CaptureQueriesContext(connection) as queries:
        again = get(client, story.get_absolute_url())
    assert len(queries) == 0
    assert again == first
    assert "Dockers vote on the new offer" in again


def test_an_edit_shows_on_the_next_request(client, django_capture_on_commit_callbacks):
    story, other = related_pair()
    get(client, story.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.filter(pk=other.pk).update(headline="Dockers accept the offer")
        invalidate.story_changed(other)  # as the desk does after a save
    page = get(client, story.get_absolute_url())
    assert "Dockers accept the offer" in page
    assert "Dockers vote on the new offer" not in page


def test_a_byline_added_on_the_desk_shows_on_the_story_page(
    client, django_capture_on_commit_callbacks
):
    story, _ = related_pair()
    get(client, story.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        BylineFactory(article=story, contributor__name="Late Addition")
        invalidate.story_changed(story)
    assert "Late Addition" in get(client, story.get_absolute_url())


def test_a_killed_story_leaves_its_page_and_the_related_cards_at_once(
    client, django_capture_on_commit_callbacks
):
    story, other = related_pair()
    get(client, story.get_absolute_url())
    get(client, other.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.get(pk=other.pk).kill(by=None, reason="Legal advice")
    assert client.get(other.get_absolute_url()).status_code == 404
    assert "Dockers vote on the new offer" not in get(client, story.get_absolute_url())


def test_a_story_published_at_an_address_that_answered_404_shows_at_once(client):
    draft = ArticleFactory(headline="Embargoed results", bylined=True)
    url = f"/articles/2026/01/01/{draft.slug}/"
    assert client.get(url).status_code == 404
    draft = Article.objects.get(pk=draft.pk)
    draft.publish(by=None)
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_a_change_while_a_page_renders_keeps_none_of_its_pieces(client, monkeypatch):
    story, _ = related_pair()
    render = pieces.render_missing

    def render_while_the_desk_saves(request, missing):
        invalidate.bump_keys([])  # a change anywhere, after the page read its rows
        return render(request, missing)

    monkeypatch.setattr(pieces, "render_missing", render_while_the_desk_saves)
    assert "Dockers vote on the new offer" in get(client, story.get_absolute_url())
    # Its rows were read before the change and may be kept; no rendered piece may be.
    kept = [
        key for key in cache._cache if re.search(r":fragment:\w+:(story|story-meta|card):", key)
    ]
    assert kept == []


def test_cards_are_shared_between_listings(client):
    topic = TopicFactory(slug="ports")
    stories = [ArticleFactory(published=True, bylined=True) for _ in range(3)]
    for story in stories:
        story.topics.add(topic)
    cold = queries_for(client, "/topics/ports/")
    warm = queries_for(client, "/topics/ports/")
    # Kept cards need neither bylines nor photos read again.
    assert not [sql for sql in warm if "articles_byline" in sql]
    assert len(warm) < len(cold)


def test_pieces_are_not_kept_for_previews_or_outside_readers_requests(client, admin_client):
    section = SectionFactory()
    draft = ArticleFactory(section=section, headline="Draft under review")
    response = admin_client.get(f"/admin/articles/article/{draft.pk}/change/")
    assert response.status_code == 200
    assert client.get(preview_url(draft)).status_code == 200
    assert not [key for key in cache._cache if ":fragment:" in key]


def test_the_header_is_rendered_again_when_the_menu_changes(client):
    news = SectionFactory(name="News", slug="news")
    ArticleFactory(published=True, section=news)
    assert ">News</a>" in get(client, "/topics/")
    sport = SectionFactory(name="Sport", slug="sport")
    ArticleFactory(published=True, section=sport)
    invalidate.nav_sections_changed()
    assert ">Sport</a>" in get(client, "/topics/")


def test_pages_render_when_the_cache_is_down(client, settings):
    story, _ = related_pair()
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens here
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        },
        "renditions": settings.CACHES["renditions"],
    }
    assert "Harbour strike enters second week" in get(client, story.get_absolute_url())


def test_a_topic_page_read_again_runs_no_query_and_follows_changes(
    client, django_capture_on_commit_callbacks
):
    topic = TopicFactory(slug="ports")
    older = ArticleFactory(published=True, bylined=True, headline="Cranes idle at the port")
    older.topics.add(topic)
    get(client, "/topics/ports/")
    with CaptureQueriesContext(connection) as queries:
        assert "Cranes idle at the port" in get(client, "/topics/ports/")
    assert len(queries) == 0
    with django_capture_on_commit_callbacks(execute=True):
        newer = ArticleFactory(headline="Port reopens", bylined=True)
        newer.topics.add(topic)
        newer.publish(by=None)
    assert "Port reopens" in get(client, "/topics/ports/")
    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.get(pk=older.pk).kill(by=None, reason="Wrong port")
    page = get(client, "/topics/ports/")
    assert "Port reopens" in page
    assert "Cranes idle at the port" not in page


def test_a_contributor_page_follows_a_new_byline(client, django_capture_on_commit_callbacks):
    story = ArticleFactory(published=True, bylined=True)
    contributor = story.bylines.get().contributor
    url = contributor.get_absolute_url()
    get(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        other = ArticleFactory(headline="Second story by the same reporter")
        BylineFactory(article=other, contributor=contributor)
        other.publish(by=None)
    assert "Second story by the same reporter" in get(client, url)
