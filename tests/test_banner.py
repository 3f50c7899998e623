"""The breaking-news banner: on every public page, read from the cache, and never left behind
in a cached page once it is switched off or its end time passes."""

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles.cache import pages as page_cache
from articles.models import Banner
from tests.support.factories import (
    ArticleFactory,
    BylineFactory,
    ContributorFactory,
    SectionFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

LINE = "Earthquake hits Pohang"


@pytest.fixture
def story():
    article = ArticleFactory(
        published=True,
        headline="Quake shakes the coast",
        section=SectionFactory(slug="national"),
    )
    article.topics.add(TopicFactory(slug="quake"))
    BylineFactory(article=article, contributor=ContributorFactory(slug="kim"))
    return article


@pytest.fixture
def page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True
    cache.clear()
    page_cache._local_pages.clear()


def public_pages(story):
    return [
        "/",
        story.get_absolute_url(),
        "/sections/national/",
        "/topics/quake/",
        "/topics/",
        "/contributors/kim/",
        "/corrections/",
        "/search/?q=quake",
    ]


def switch_on(desk, *, hours=2):
    now = timezone.localtime()
    ends = now + timedelta(hours=hours)
    response = desk.post(
        "/admin/articles/banner/add/",
        {
            "text": LINE,
            "link": "/topics/quake/",
            "starts_at_0": now.strftime("%Y-%m-%d"),
            "starts_at_1": (now - timedelta(minutes=1)).strftime("%H:%M:%S"),
            "ends_at_0": ends.strftime("%Y-%m-%d"),
            "ends_at_1": ends.strftime("%H:%M:%S"),
        },
    )
    assert response.status_code == 302
    return Banner.objects.get()


@pytest.fixture
def desk(desk_editor):
    client = Client()
    client.force_login(desk_editor)
    return client


def test_the_banner_shows_on_every_public_page(client, story):
    Banner.objects.create(text=LINE, link="/topics/quake/", ends_at=timezone.now() + timedelta(1))
    for url in public_pages(story):
        response = client.get(url)
        assertContains(response, f'<a href="/topics/quake/">{LINE}</a>', msg_prefix=url)
        # Once, above the page's own content, as a top-level landmark.
        assert response.content.decode().count('aria-label="Breaking news"') == 1, url


def test_no_banner_no_markup(client, story):
    for url in public_pages(story):
        assertNotContains(client.get(url), 'aria-label="Breaking news"')


def test_switching_the_banner_on_and_off_refreshes_every_cached_page(
    client, desk, story, page_cache_on, django_capture_on_commit_callbacks
):
    urls = public_pages(story)
    for url in urls:
        assert client.get(url)["X-Page-Cache"] == "miss", url
        assert client.get(url)["X-Page-Cache"] == "hit", url
    with django_capture_on_commit_callbacks(execute=True):
        banner = switch_on(desk)
    for url in urls:
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss", url
        assertContains(response, LINE, msg_prefix=url)
        assert "banner" in response["xkey"].split(), url
    with django_capture_on_commit_callbacks(execute=True):
        desk.post("/admin/articles/banner/", {"action": "end_now", "_selected_action": [banner.pk]})
    for url in urls:
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss", url
        assertNotContains(response, LINE, msg_prefix=url)


def test_a_cached_page_loses_the_banner_when_its_end_time_passes(
    client, desk, story, page_cache_on, django_capture_on_commit_callbacks
):
    url = story.get_absolute_url()
    client.get(url)  # the page cache now knows of nothing coming due
    with django_capture_on_commit_callbacks(execute=True):
        banner = switch_on(desk)  # ...until the desk tells it of this end time
    assertContains(client.get(url), LINE)
    assert client.get(url)["X-Page-Cache"] == "hit"
    with time_machine.travel(banner.ends_at + timedelta(seconds=1)):
        response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assertNotContains(response, LINE)


def test_pages_read_the_banner_from_the_cache_not_the_database(client, story):
    Banner.objects.create(text=LINE, ends_at=timezone.now() + timedelta(hours=1))
    client.get(story.get_absolute_url())  # the first page reads it, for every page after
    for url in public_pages(story):
        with CaptureQueriesContext(connection) as queries:
            assertContains(client.get(url), LINE)
        assert not [q for q in queries if "articles_banner" in q["sql"]], url


def test_a_banner_still_to_come_shows_when_its_time_comes(client, story):
    starts = timezone.now() + timedelta(hours=1)
    Banner.objects.create(text=LINE, starts_at=starts, ends_at=starts + timedelta(hours=1))
    url = story.get_absolute_url()
    assertNotContains(client.get(url), LINE)
    with time_machine.travel(starts + timedelta(seconds=1)):
        assertContains(client.get(url), LINE)


def test_which_banner_shows_is_one_rule_and_its_twin_agrees():
    now = timezone.now()
    banner = Banner.objects.create(
        text=LINE, starts_at=now + timedelta(hours=1), ends_at=now + timedelta(hours=2)
    )
    for at in [now, banner.starts_at, now + timedelta(minutes=90), banner.ends_at]:
        assert Banner.objects.showing(at).filter(pk=banner.pk).exists() == banner.is_showing(at)
    assert banner.is_showing(banner.starts_at)
    assert not banner.is_showing(banner.ends_at)
