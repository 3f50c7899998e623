"""A cached API response is cheap: anonymous hits skip the stack and DRF, every request is
still counted against its rate, gzip is stored once, and no hit outlives a change."""

import gzip
import json

import pytest
from django.core.cache import cache
from redis.connection import Connection

from articles.api import responses, views
from tests.support.api import bearer, make_key
from tests.support.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["local memory", "redis"])
def anonymous_cache(request, settings):
    """Anonymous access on, the cache on; on both backends (Redis has its own one-trip path)."""
    settings.PAGE_CACHE_ENABLED = True
    settings.NEWSROOM_API = {**settings.NEWSROOM_API, "ANONYMOUS": True, "ANONYMOUS_RATE": "50/min"}
    if request.param == "redis":
        use_redis(settings)
    cache.clear()
    yield
    cache.clear()


def use_redis(settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/14",
            "KEY_PREFIX": "newsroom-api-tests",
        },
    }


@pytest.fixture
def no_view(monkeypatch):
    """From here on, a request that reaches an API view fails the test."""

    def reached(*args, **kwargs):
        raise AssertionError("the request went down to the view")

    def block():
        monkeypatch.setattr(views.ApiView, "get", reached)

    return block


def headlines(response) -> list[str]:
    return [item["headlines"][0]["value"] for item in json.loads(response.content)["items"]]


def test_an_anonymous_hit_skips_the_view_with_the_headers_the_stack_gave(
    client, anonymous_cache, no_view
):
    ArticleFactory(published=True, headline="Cached for readers")
    first = client.get("/api/v1/stories/")
    assert first["X-Api-Cache"] == "miss"
    no_view()
    again = client.get("/api/v1/stories/")
    assert again["X-Api-Cache"] == "hit"
    assert again.content == first.content
    for name in ("Content-Type", "Cache-Control", "Vary", "Content-Security-Policy", "ETag"):
        assert again[name] == first[name]
    assert again["X-Frame-Options"] == "DENY"
    assert again["Content-Length"] == str(len(again.content))


def test_a_hit_is_one_round_trip_to_redis(client, anonymous_cache, settings, monkeypatch):
    use_redis(settings)
    cache.clear()
    _, secret = make_key()
    ArticleFactory(published=True)
    sent = []
    original = Connection.send_packed_command
    monkeypatch.setattr(
        Connection,
        "send_packed_command",
        lambda self, command, *args, **kwargs: (
            sent.append(command),
            original(self, command, *args, **kwargs),
        )[1],
    )
    for headers in ({}, bearer(secret)):  # the middleware's hit; the partner's, through DRF
        client.get("/api/v1/stories/", **headers)
        sent.clear()
        assert client.get("/api/v1/stories/", **headers)["X-Api-Cache"] == "hit"
        assert len(sent) == 1
    cache.clear()


def test_an_anonymous_hit_answers_304_to_its_etag(client, anonymous_cache, no_view):
    ArticleFactory(published=True)
    etag = client.get("/api/v1/stories/")["ETag"]
    no_view()
    response = client.get("/api/v1/stories/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""


def test_hits_are_counted_against_the_rate_limit_once_each(client, anonymous_cache, settings):
    settings.NEWSROOM_API = {**settings.NEWSROOM_API, "ANONYMOUS_RATE": "3/min"}
    ArticleFactory(published=True)
    states = [client.get("/api/v1/stories/")["X-Api-Cache"] for _ in range(3)]
    assert states == ["miss", "hit", "hit"]
    refused = client.get("/api/v1/stories/")
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/problem+json"
    assert int(refused["Retry-After"]) > 0


def test_a_kill_retires_the_anonymous_hit_at_once(
    client, anonymous_cache, django_capture_on_commit_callbacks
):
    story = ArticleFactory(published=True, headline="Soon killed")
    ArticleFactory(published=True, headline="Stays")
    client.get("/api/v1/stories/")
    assert client.get("/api/v1/stories/")["X-Api-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        story.kill(by=None, reason="Legal")
    response = client.get("/api/v1/stories/")
    assert response["X-Api-Cache"] == "miss"
    assert headlines(response) == ["Stays"]
    assert client.get(f"/api/v1/stories/{story.pk}/").status_code == 404


def test_a_story_published_since_shows_in_the_next_answer(
    client, anonymous_cache, django_capture_on_commit_callbacks
):
    ArticleFactory(published=True, headline="Older")
    client.get("/api/v1/stories/")
    client.get("/api/v1/stories/")
    with django_capture_on_commit_callbacks(execute=True):
        ArticleFactory(bylined=True, headline="Just out").publish(by=None)
    assert headlines(client.get("/api/v1/stories/")) == ["Just out", "Older"]


def test_gzip_is_served_to_clients_that_accept_it_with_its_own_etag(client, anonymous_cache):
    ArticleFactory(published=True, headline="Compressed")
    plain = client.get("/api/v1/stories/")
    for _ in range(2):  # a miss down the stack, then the middleware's hit
        packed = client.get("/api/v1/stories/", HTTP_ACCEPT_ENCODING="gzip, deflate")
        assert packed["Content-Encoding"] == "gzip"
        assert gzip.decompress(packed.content) == plain.content
        assert packed["ETag"] != plain["ETag"]
        assert "Accept-Encoding" in packed["Vary"]
    assert "Content-Encoding" not in client.get("/api/v1/stories/")
    again = client.get(
        "/api/v1/stories/", HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=packed["ETag"]
    )
    assert again.status_code == 304


def test_a_partners_hit_is_private_and_compressed_too(client, settings):
    settings.PAGE_CACHE_ENABLED = True
    _, secret = make_key()
    ArticleFactory(published=True)
    client.get("/api/v1/stories/", **bearer(secret))
    response = client.get("/api/v1/stories/", HTTP_ACCEPT_ENCODING="gzip", **bearer(secret))
    assert response["X-Api-Cache"] == "hit"
    assert response["Content-Encoding"] == "gzip"
    assert "private" in response["Cache-Control"]


def test_a_page_holds_twenty_stories_unless_the_client_asks_for_up_to_a_hundred(client, settings):
    settings.NEWSROOM_API = {**settings.NEWSROOM_API, "PAGE_SIZE": 20}
    _, secret = make_key()
    ArticleFactory.create_batch(23, published=True)
    default = json.loads(client.get("/api/v1/stories/", **bearer(secret)).content)
    assert len(default["items"]) == 20
    small = json.loads(client.get("/api/v1/stories/?limit=5", **bearer(secret)).content)
    assert len(small["items"]) == 5
    assert "limit=5" in small["next"]
    large = json.loads(client.get("/api/v1/stories/?limit=100", **bearer(secret)).content)
    assert len(large["items"]) == 23
    for wrong in ("0", "101", "ten", "-1"):
        response = client.get(f"/api/v1/stories/?limit={wrong}", **bearer(secret))
        assert response.status_code == 400
        assert "limit" in json.loads(response.content)["errors"]


def test_the_local_copies_stay_bounded(client, anonymous_cache, settings, monkeypatch):
    monkeypatch.setattr(responses, "LOCAL_ENTRIES", 3)
    settings.NEWSROOM_API = {**settings.NEWSROOM_API, "ANONYMOUS_RATE": "1000/min"}
    ArticleFactory.create_batch(2, published=True)
    for limit in range(1, 8):
        client.get(f"/api/v1/stories/?limit={limit}")
        assert len(responses._local_entries) <= 3


def test_the_api_answers_from_the_database_while_redis_is_down(client, settings):
    settings.PAGE_CACHE_ENABLED = True
    settings.NEWSROOM_API = {**settings.NEWSROOM_API, "ANONYMOUS": True}
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens here
        },
    }
    ArticleFactory(published=True, headline="Still served")
    _, secret = make_key()
    for headers in ({}, bearer(secret)):
        response = client.get("/api/v1/stories/", **headers)
        assert response.status_code == 200
        assert response["X-Api-Cache"] == "off"
        assert headlines(response) == ["Still served"]


@pytest.fixture
def partner_cache(settings):
    settings.PAGE_CACHE_ENABLED = True
    cache.clear()


def test_a_partners_repeated_request_skips_the_view_with_its_private_headers(
    client, partner_cache, no_view
):
    _, secret = make_key()
    ArticleFactory(published=True, headline="For partners")
    first = client.get("/api/v1/stories/", **bearer(secret))
    client.get("/api/v1/stories/", **bearer(secret))  # the first with the key trusted
    no_view()
    again = client.get("/api/v1/stories/", **bearer(secret))
    assert again["X-Api-Cache"] == "hit"
    assert again.content == first.content
    assert "private" in again["Cache-Control"]
    assert "public" not in again["Cache-Control"]
    assert "Authorization" in again["Vary"]


def test_an_anonymous_copy_never_lends_its_public_headers_to_a_partner(client, settings):
    settings.PAGE_CACHE_ENABLED = True
    settings.NEWSROOM_API = {**settings.NEWSROOM_API, "ANONYMOUS": True}
    _, secret = make_key()
    ArticleFactory(published=True)
    for _ in range(2):
        assert "public" in client.get("/api/v1/stories/")["Cache-Control"]
    for _ in range(3):
        response = client.get("/api/v1/stories/", **bearer(secret))
        assert "private" in response["Cache-Control"]
    assert "public" in client.get("/api/v1/stories/")["Cache-Control"]


def test_a_revoked_key_stops_at_once_on_the_fast_path(
    client, partner_cache, admin_client, django_capture_on_commit_callbacks
):
    key, secret = make_key()
    ArticleFactory(published=True)
    for _ in range(3):
        assert client.get("/api/v1/stories/", **bearer(secret)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/articles/apikey/",
            {"action": "revoke", "_selected_action": [key.pk]},
        )
    assert response.status_code == 302
    assert client.get("/api/v1/stories/", **bearer(secret)).status_code == 401


def test_a_narrowed_scope_applies_at_once_on_the_fast_path(
    client, partner_cache, django_capture_on_commit_callbacks
):
    from articles.cache import invalidate
    from tests.support.factories import SectionFactory

    key, secret = make_key()
    ArticleFactory(published=True, headline="Everywhere")
    for _ in range(3):
        assert headlines(client.get("/api/v1/stories/", **bearer(secret))) == ["Everywhere"]
    with django_capture_on_commit_callbacks(execute=True):
        key.all_content = False
        key.save()
        key.sections.set([SectionFactory()])
        invalidate.api_keys_changed()  # as the desk does after saving the key
    assert headlines(client.get("/api/v1/stories/", **bearer(secret))) == []


def test_a_trusted_key_is_verified_again_after_a_minute(client, partner_cache, monkeypatch):
    import time

    key, secret = make_key()
    ArticleFactory(published=True)
    for _ in range(3):
        client.get("/api/v1/stories/", **bearer(secret))
    key.revoked_at = key.created_at  # revoked behind the desk's back: no version moved
    key.save()
    later = time.time() + responses.KEY_TRUST_SECONDS + 1
    monkeypatch.setattr(responses.time, "time", lambda: later)
    assert client.get("/api/v1/stories/", **bearer(secret)).status_code == 401


def test_partners_hits_count_against_their_rate(client, partner_cache):
    _, secret = make_key(rate_per_minute=3)
    ArticleFactory(published=True)
    statuses = [client.get("/api/v1/stories/", **bearer(secret)).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
