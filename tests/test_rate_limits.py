"""Expensive public work is rate-limited per client address: search, previews and sign-in
answer 429 with Retry-After past their limit. Cached pages never count, and when the cache
(Redis) is down the limits let requests through rather than turn readers away."""

import pytest
from django.core.cache import caches

from articles.previews import preview_url
from tests.support.factories import ArticleFactory

pytestmark = pytest.mark.django_db

BROKEN_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens here
    }
}


@pytest.fixture
def limits(settings):
    settings.NEWSROOM_RATE_LIMITS = {
        **settings.NEWSROOM_RATE_LIMITS,
        "search": (5, 60),
        "preview": (3, 60),
        "login": (4, 60),
    }
    return settings


def search(client, n, address="203.0.113.9"):
    return client.get("/search/", {"q": f"word{n}"}, REMOTE_ADDR=address)


def test_a_search_flood_from_one_address_gets_429_with_retry_after(client, limits):
    assert [search(client, n).status_code for n in range(5)] == [200] * 5
    response = search(client, 5)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    # Another reader is not affected.
    assert search(client, 6, address="198.51.100.1").status_code == 200


def test_the_limit_follows_the_address_the_trusted_proxy_saw(client, limits):
    limits.NEWSROOM_TRUSTED_PROXIES = 1
    for n in range(5):
        client.get("/search/", {"q": f"w{n}"}, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 192.0.2.1")
    forged = client.get("/search/", {"q": "w9"}, HTTP_X_FORWARDED_FOR="10.9.9.9, 192.0.2.1")
    assert forged.status_code == 429


def test_cached_pages_are_never_limited(client, limits):
    limits.PAGE_CACHE_ENABLED = True
    statuses = [search(client, "same").status_code for _ in range(20)]
    assert statuses == [200] * 20


def test_the_limits_let_readers_through_when_redis_is_down(client, limits):
    limits.CACHES = BROKEN_REDIS
    caches.close_all()
    assert [search(client, n).status_code for n in range(8)] == [200] * 8


def test_previews_are_limited(client, limits):
    url = preview_url(ArticleFactory(headline="Draft"))
    assert [client.get(url).status_code for _ in range(3)] == [200] * 3
    assert client.get(url).status_code == 429


def test_sign_in_attempts_are_limited_per_address(client, limits):
    data = {"username": "nobody", "password": "x", "next": "/admin/"}
    statuses = [
        client.post("/admin/login/", {**data, "username": f"u{n}"}).status_code for n in range(5)
    ]
    assert statuses == [200] * 4 + [429]
    assert client.get("/admin/login/").status_code == 200, "the form itself still shows"
