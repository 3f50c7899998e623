"""A Redis that hangs rather than refusing: readers still get pages, staff can still sign in
(and are still throttled), and /healthz says what is wrong. The refused-connection case is
in tests/test_page_cache.py and tests/test_health.py; a storage failure in test_uploads.py."""

import signal
import socket

import pytest
from django.core.cache import cache
from redis.exceptions import TimeoutError as RedisTimeoutError

from newsroom.settings import redis_cache
from tests.support.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hung_redis(settings):
    """A Redis that accepts connections and never answers: overloaded, or cut off mid-route."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(128)  # the kernel completes connections; nobody ever reads or replies
    settings.CACHES = {"default": redis_cache(f"redis://127.0.0.1:{server.getsockname()[1]}/0")}
    yield
    server.close()


@pytest.fixture(autouse=True)
def _fail_instead_of_hanging():
    """Without the cache timeouts these tests would wait forever: fail them instead."""

    def hung(signum, frame):
        raise AssertionError("A request hung on the cache.")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def test_readers_get_pages_from_the_database_while_redis_hangs(
    client, settings, hung_redis, caplog
):
    with pytest.raises(RedisTimeoutError):  # the premise: the cache answers nothing
        cache.get("anything")
    # Given up on after CACHE_TIMEOUT_SECONDS, not redis-py's default of five seconds.
    pool = cache._cache.get_client().connection_pool
    assert pool.connection_kwargs["socket_timeout"] == settings.CACHE_TIMEOUT_SECONDS
    settings.PAGE_CACHE_ENABLED = True
    article = ArticleFactory(published=True, headline="Served while Redis hangs")
    for url in ["/", article.get_absolute_url()]:
        response = client.get(url)
        assert response.status_code == 200
        assert b"Served while Redis hangs" in response.content
    assert "Page cache unavailable" in caplog.text


def test_healthz_reports_a_hung_cache_and_keeps_200(client, hung_redis):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "unavailable"}


def test_sign_in_and_its_throttling_work_while_redis_hangs(client, hung_redis):
    UserFactory(username="desk", is_staff=True)
    credentials = {"username": "desk", "next": "/admin/"}
    for _ in range(5):
        client.post("/admin/login/", {**credentials, "password": "wrong"})
    locked = client.post("/admin/login/", {**credentials, "password": "x"})
    assert locked.status_code == 429
    other = client.post(
        "/admin/login/",
        {**credentials, "password": "correct horse battery staple"},
        REMOTE_ADDR="198.51.100.20",
    )
    assert other.status_code == 302
