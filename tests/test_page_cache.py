from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.cache import invalidate
from articles.cache import pages as page_cache
from articles.models import Article
from newsroom import staff_marker
from tests.support.factories import ArticleFactory, BylineFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True
    cache.clear()
    page_cache._local_pages.clear()


def get(client, url="/"):
    response = client.get(url)
    assert response.status_code == 200
    return response


def test_second_reader_is_served_from_the_cache_without_queries(client):
    ArticleFactory(published=True, headline="Cached headline")
    assert get(client)["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as queries:
        response = get(client)
    assert response["X-Page-Cache"] == "hit"
    assert len(queries) == 0
    assert b"Cached headline" in response.content
    assert "public" in response["Cache-Control"]
    assert "max-age=10" in response["Cache-Control"]
    assert "stale-while-revalidate=30" in response["Cache-Control"]


def test_publishing_a_story_refreshes_cached_pages(client, django_capture_on_commit_callbacks):
    topic = TopicFactory(slug="defense")
    ArticleFactory(published=True, headline="Earlier story").topics.add(topic)
    get(client)
    get(client, "/topics/defense/")
    with django_capture_on_commit_callbacks(execute=True):
        story = ArticleFactory(headline="Breaking: new story", bylined=True)
        story.topics.add(topic)
        story.publish(by=None)
    # The first reader after the change renders afresh (the others may get the old copy
    # for a few seconds while it does).
    assert b"Breaking: new story" in get(client).content
    assert b"Breaking: new story" in get(client, "/topics/defense/").content


def test_others_get_the_previous_copy_while_one_reader_refreshes(
    client, django_capture_on_commit_callbacks
):
    ArticleFactory(published=True, headline="Old lead")
    get(client)
    with django_capture_on_commit_callbacks(execute=True):
        invalidate.story_changed(ArticleFactory(published=True, headline="New lead"))
    # Another request holds the refresh lock: this one is answered from the old copy.
    cache.add(f"{page_cache.cache_key(_request_for('/'))}:lock", 1, 10)
    response = get(client)
    assert response["X-Page-Cache"] == "stale"
    assert b"Old lead" in response.content


def test_killed_story_disappears_at_once_with_no_stale_copy(
    client, django_capture_on_commit_callbacks
):
    story = ArticleFactory(published=True, headline="Story to be killed")
    get(client)
    get(client, story.get_absolute_url())
    cache.add(f"{page_cache.cache_key(_request_for('/'))}:lock", 1, 10)
    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.get(pk=story.pk).kill(by=None, reason="Court order")
    assert b"Story to be killed" not in get(client).content
    assert client.get(story.get_absolute_url()).status_code == 404


def test_byline_change_on_a_published_story_refreshes_its_page(
    client, django_capture_on_commit_callbacks
):
    story = ArticleFactory(published=True)
    get(client, story.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        BylineFactory(article=story, contributor__name="Late Addition")
        invalidate.story_changed(story)  # as the desk does once the story's bylines are saved
    assert b"Late Addition" in get(client, story.get_absolute_url()).content


def test_draft_edits_do_not_touch_the_cache(django_capture_on_commit_callbacks):
    draft = ArticleFactory()
    before = page_cache.current_generation()
    sequence = cache.get(invalidate.SEQUENCE_KEY)
    with django_capture_on_commit_callbacks(execute=True):
        draft = Article.objects.get(pk=draft.pk)
        draft.headline = "Still a draft"
        draft.save()
        invalidate.story_changed(draft)
    assert page_cache.current_generation() == before
    assert cache.get(invalidate.SEQUENCE_KEY) == sequence  # no key moved either


def test_scheduled_story_appears_on_time_in_a_cached_listing(client):
    now = timezone.now()
    ArticleFactory(status="published", publish_at=now + timedelta(minutes=5), headline="At noon")
    with time_machine.travel(now, tick=False):
        assert b"At noon" not in get(client).content
        assert get(client)["X-Page-Cache"] == "hit"
    with time_machine.travel(now + timedelta(minutes=5), tick=False):
        assert b"At noon" in get(client).content


def test_logged_in_editor_neither_reads_nor_fills_the_public_cache(client, editor):
    ArticleFactory(published=True)
    client.force_login(editor)
    # What signing in through the form sets (tests/test_cache_abuse.py).
    client.cookies[staff_marker.COOKIE] = staff_marker.signed_value()
    response = get(client)
    assert "X-Page-Cache" not in response
    assert "private" in response["Cache-Control"]
    client.logout()
    assert get(client)["X-Page-Cache"] == "miss"


def test_unknown_query_parameters_share_one_cache_entry(client):
    ArticleFactory(published=True)
    get(client, "/?utm_source=a")
    assert get(client, "/?utm_source=b")["X-Page-Cache"] == "hit"
    assert get(client, "/topics/?x=1").status_code == 200


def test_not_found_pages_are_not_cached(client):
    assert client.get("/topics/nothing-here/").status_code == 404
    assert "X-Page-Cache" not in client.get("/topics/nothing-here/")


def test_conditional_get_answers_304(client):
    ArticleFactory(published=True)
    etag = get(client)["ETag"]
    assert client.get("/", headers={"if-none-match": etag}).status_code == 304


def test_pages_are_served_from_the_database_when_redis_is_down(client, settings, caplog):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens here
        },
    }
    ArticleFactory(published=True, headline="Still readable")
    response = client.get("/")
    assert response.status_code == 200
    assert b"Still readable" in response.content
    assert "Page cache unavailable" in caplog.text


def _request_for(path):
    from django.test import RequestFactory

    return RequestFactory().get(path)


def test_page_cache_works_on_redis(client, settings, django_capture_on_commit_callbacks):
    """The production backend: counters and locks behave as they do in local memory."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": "newsroom-tests",
        },
    }
    cache.clear()
    ArticleFactory(published=True, headline="First on Redis")
    assert get(client)["X-Page-Cache"] == "miss"
    assert get(client)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        invalidate.story_changed(ArticleFactory(published=True, headline="Second on Redis"))
    response = get(client)
    assert response["X-Page-Cache"] == "miss"
    assert b"Second on Redis" in response.content
    cache.clear()


def test_a_local_copy_is_dropped_when_another_server_records_a_take_down(client):
    story = ArticleFactory(published=True, headline="Soon taken down")
    get(client)
    assert get(client)["X-Page-Cache"] == "hit"
    # Another app server kills the story: its database write and counter bump are all this
    # process sees; no signal runs here.
    Article.objects.filter(pk=story.pk).update(status=Article.Status.KILLED)
    cache.incr(page_cache.HARD_KEY)
    response = get(client)
    assert response["X-Page-Cache"] == "miss"
    assert b"Soon taken down" not in response.content


def test_a_correction_appended_in_code_refreshes_the_story_and_corrections_pages(
    client, django_capture_on_commit_callbacks
):
    story = ArticleFactory(published=True)
    get(client, story.get_absolute_url())
    get(client, "/corrections/")
    with django_capture_on_commit_callbacks(execute=True):
        story.add_correction(kind="correction", text="The minister was in Busan, not Seoul.")
    assert b"in Busan, not Seoul" in get(client, story.get_absolute_url()).content
    assert b"in Busan, not Seoul" in get(client, "/corrections/").content


def test_a_story_taken_down_by_the_object_that_published_it_leaves_at_once(
    client, django_capture_on_commit_callbacks
):
    """A script publishing then unpublishing one in-memory story, as a take-down tool would."""
    with django_capture_on_commit_callbacks(execute=True):
        story = ArticleFactory(headline="Published then pulled", bylined=True)
        story.publish(by=None)
    assert b"Published then pulled" in get(client).content
    cache.add(f"{page_cache.cache_key(_request_for('/'))}:lock", 1, 10)  # others mid-refresh
    with django_capture_on_commit_callbacks(execute=True):
        story.unpublish(by=None)
    assert b"Published then pulled" not in get(client).content


def test_a_kill_from_a_copy_loaded_before_someone_published_leaves_at_once(
    client, django_capture_on_commit_callbacks
):
    story = ArticleFactory(headline="Killed from an old copy", bylined=True)
    old_copy = Article.objects.get(pk=story.pk)  # loaded while a draft
    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.get(pk=story.pk).publish(by=None)
    assert b"Killed from an old copy" in get(client).content
    cache.add(f"{page_cache.cache_key(_request_for('/'))}:lock", 1, 10)
    with django_capture_on_commit_callbacks(execute=True):
        old_copy.kill(by=None, reason="Court order")
    assert b"Killed from an old copy" not in get(client).content


def test_a_cached_page_carries_the_same_security_policy_as_a_fresh_one(client, settings):
    ArticleFactory(published=True)
    miss, hit = get(client), get(client)
    assert (miss["X-Page-Cache"], hit["X-Page-Cache"]) == ("miss", "hit")
    assert hit["Content-Security-Policy"] == miss["Content-Security-Policy"]
    assert hit["Reporting-Endpoints"] == miss["Reporting-Endpoints"]
    # A policy changed in settings reaches the cached pages (not a copy built before it).
    settings.CONTENT_SECURITY_POLICY = {
        **settings.CONTENT_SECURITY_POLICY,
        "DIRECTIVES": {**settings.CONTENT_SECURITY_POLICY["DIRECTIVES"], "img-src": ["'none'"]},
    }
    assert "img-src 'none'" in get(client)["Content-Security-Policy"]
