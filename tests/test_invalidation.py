"""A change re-renders the cached pages that show it, and only those.

Pages are cached as readers meet them; changes go through the paths editors use (workflow
transitions, corrections, the desk's explicit calls), and each assertion reads the
`X-Page-Cache` header: "hit" (served as stored), "miss" (rendered afresh), "stale".
"""

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone

from articles.cache import invalidate, keys
from articles.cache import pages as page_cache
from articles.models import Article, refresh_related
from tests.support.factories import (
    ArticleFactory,
    BylineFactory,
    ContributorFactory,
    SectionFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=["local memory", "redis"])
def _page_cache_on(request, settings):
    """Each test on both backends: Redis is what production runs, with its own read path."""
    settings.PAGE_CACHE_ENABLED = True
    if request.param == "redis":
        settings.CACHES = {
            **settings.CACHES,
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": "redis://127.0.0.1:6379/12",
                "KEY_PREFIX": "newsroom-invalidation-tests",
            },
        }
    cache.clear()
    page_cache._local_pages.clear()
    yield
    cache.clear()


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def filed(headline, topic, section, contributor, **fields):
    story = ArticleFactory(headline=headline, section=section, **fields)
    story.topics.add(topic)
    BylineFactory(article=story, contributor=contributor)
    return story


@pytest.fixture
def two_desks():
    """Story A (defense, politics, Kim) and story B (trade, economy, Lee), nothing shared."""
    a = filed(
        "Story A headline",
        TopicFactory(slug="defense"),
        SectionFactory(slug="politics"),
        ContributorFactory(slug="kim"),
        published=True,
    )
    b = filed(
        "Story B headline",
        TopicFactory(slug="trade"),
        SectionFactory(slug="economy"),
        ContributorFactory(slug="lee"),
        published=True,
        publish_at=timezone.now() - timedelta(days=2),
    )
    return a, b


def cached(client, *urls):
    for url in urls:
        assert client.get(url).status_code == 200, url
        assert client.get(url)["X-Page-Cache"] == "hit", url


def state(client, url):
    return client.get(url)["X-Page-Cache"]


B_PAGES = ["/topics/trade/", "/sections/economy/", "/contributors/lee/"]


def test_a_correction_to_story_a_leaves_unrelated_cached_pages_hits(client, two_desks, on_commit):
    a, b = two_desks
    cached(client, a.get_absolute_url(), b.get_absolute_url(), *B_PAGES, "/topics/defense/")
    with on_commit():
        a.add_correction(kind="correction", text="The minister spoke on Tuesday.")
    assert state(client, a.get_absolute_url()) == "miss"
    assert state(client, "/topics/defense/") == "miss"  # shows story A
    assert state(client, b.get_absolute_url()) == "hit"
    for url in B_PAGES:
        assert state(client, url) == "hit", url


def test_publishing_a_story_re_renders_only_the_lists_it_joins(client, two_desks, on_commit):
    a, b = two_desks
    everything = ["/", a.get_absolute_url(), b.get_absolute_url(), *B_PAGES, "/topics/defense/"]
    cached(client, *everything, "/feed/", "/sitemap.xml", "/topics/")
    new = filed(
        "Story C headline", a.topics.get(), a.section, a.bylines.get().contributor, bylined=True
    )
    with on_commit():
        new.publish(by=None)
    for url in ["/", "/topics/defense/", "/feed/", "/sitemap.xml", "/topics/"]:
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss", url
        assert b"Story C headline" in response.content or url in ("/sitemap.xml", "/topics/")
    for url in [a.get_absolute_url(), b.get_absolute_url(), *B_PAGES]:
        assert state(client, url) == "hit", url


def test_a_take_down_clears_every_page_showing_the_story_with_no_stale_copy(
    client, two_desks, on_commit
):
    a, b = two_desks
    b.topics.add(a.topics.get())  # B now shows A among its related stories
    refresh_related([b])
    showing_a = [
        "/",
        a.get_absolute_url(),
        b.get_absolute_url(),
        "/topics/defense/",
        "/sections/politics/",
        "/contributors/kim/",
        "/search/?q=Story",
        "/feed/",
        "/topics/defense/feed/",
        "/sitemap-news.xml",
    ]
    for url in showing_a:
        assert b"Story A headline" in client.get(url).content, url
        # Other readers are mid-refresh everywhere: a soft change would hand out old copies.
        cache.add(f"{page_cache.cache_key(client.get(url).wsgi_request)}:lock", 1, 10)
    cached(client, "/topics/trade/")  # shows only B
    # Politics keeps a story after the kill, so the menu every page shows stays the same.
    filed(
        "Another politics story",
        TopicFactory(slug="elections"),
        a.section,
        ContributorFactory(slug="park"),
        published=True,
    )
    with on_commit():
        a.kill(by=None, reason="Court order")
    assert client.get(a.get_absolute_url()).status_code == 404
    # Kim was credited only on A: with it gone that byline page is no longer public.
    only_a = ["/contributors/kim/"]
    for url in only_a:
        assert client.get(url).status_code == 404, url
    for url in showing_a[1:]:
        if url == a.get_absolute_url() or url in only_a:
            continue
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss", url
        assert b"Story A headline" not in response.content, url
    assert state(client, "/topics/trade/") == "hit"


def test_no_page_is_re_rendered_on_a_timer(client, two_desks):
    a, _ = two_desks
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        cached(client, "/", a.get_absolute_url())
    with time_machine.travel(now + timedelta(hours=6), tick=False):
        assert state(client, "/") == "hit"
        assert state(client, a.get_absolute_url()) == "hit"


def test_a_story_coming_due_re_renders_only_its_pages(client, two_desks):
    a, b = two_desks
    now = timezone.now()
    due = filed(
        "Scheduled story",
        a.topics.get(),
        a.section,
        a.bylines.get().contributor,
        status="published",
        publish_at=now + timedelta(minutes=5),
    )
    with time_machine.travel(now, tick=False):
        cached(client, "/", "/topics/defense/", b.get_absolute_url(), *B_PAGES)
    with time_machine.travel(now + timedelta(minutes=5), tick=False):
        assert b"Scheduled story" in client.get("/").content
        assert b"Scheduled story" in client.get("/topics/defense/").content
        assert client.get(due.get_absolute_url()).status_code == 200
        for url in [b.get_absolute_url(), *B_PAGES]:
            assert state(client, url) == "hit", url


def test_every_public_response_names_what_it_shows_in_xkey(client, two_desks):
    a, b = two_desks
    topic, section = a.topics.get(), a.section
    contributor = a.bylines.get().contributor

    def xkey(url):
        return set(client.get(url)[keys.HEADER].split())

    assert {f"story-{a.pk}", f"story-{b.pk}", "front-home"} <= xkey("/")
    assert {f"story-{a.pk}"} <= xkey(a.get_absolute_url())
    assert {f"topic-{topic.pk}", f"story-{a.pk}"} <= xkey("/topics/defense/")
    assert f"story-{b.pk}" not in xkey("/topics/defense/")
    assert {f"section-{section.pk}", f"story-{a.pk}"} <= xkey("/sections/politics/")
    assert {f"contributor-{contributor.pk}"} <= xkey("/contributors/kim/")
    assert xkey("/feed/") == {"feed"}
    assert xkey("/sitemap.xml") == {"sitemap"}
    # Every page built on base.html shows the breaking-news banner, or its absence.
    assert xkey("/topics/") == {"topics", keys.BANNER}
    assert keys.BANNER in xkey(a.get_absolute_url())


def test_keys_for_a_story_name_its_page_and_every_list_it_is_in(two_desks):
    a, _ = two_desks
    contributor = a.bylines.get().contributor
    assert invalidate.keys_for(a) == {
        f"story-{a.pk}",
        f"topic-{a.topics.get().pk}",
        f"section-{a.section_id}",
        f"contributor-{contributor.pk}",
        "front-home",
        "feed",
        "sitemap",
        "topics",
        "corrections",
        "search",
        "api",
    }


def test_a_page_rendered_while_a_change_committed_is_not_stored(rf):
    """It may hold what the database had before the change, under the versions after it."""
    renders = []

    def view(request):
        keys.depends_on(keys.story(1))
        if not renders:
            invalidate.bump_keys([keys.story(2)])  # an editor's change commits meanwhile
        renders.append(request)
        return HttpResponse("A page")

    middleware = page_cache.PageCacheMiddleware(view)
    assert middleware(rf.get("/a-page/"))["X-Page-Cache"] == "miss"
    assert middleware(rf.get("/a-page/"))["X-Page-Cache"] == "miss"  # the first was not kept
    assert middleware(rf.get("/a-page/"))["X-Page-Cache"] == "hit"
    assert len(renders) == 2


def test_a_page_naming_no_keys_is_not_cached(rf):
    middleware = page_cache.PageCacheMiddleware(lambda request: HttpResponse("Keyless"))
    assert "X-Page-Cache" not in middleware(rf.get("/keyless/"))
    assert "X-Page-Cache" not in middleware(rf.get("/keyless/"))


def test_the_python_rule_agrees_with_published(two_desks):
    now = timezone.now()
    for status in Article.Status.values:
        for publish_in, embargo_in in [(-1, None), (1, None), (-2, 1), (-2, -1), (None, None)]:
            ArticleFactory(
                status=status if publish_in is not None else Article.Status.DRAFT,
                publish_at=None if publish_in is None else now + timedelta(hours=publish_in),
                embargo_until=None if embargo_in is None else now + timedelta(hours=embargo_in),
            )
    published = set(Article.objects.published().values_list("pk", flat=True))
    assert published == {a.pk for a in Article.objects.all() if a.is_visible()}
