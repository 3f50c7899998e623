"""The page cache cannot be bypassed with a made-up session cookie, nor filled for a day by
one client: only a signed-in editor's browser skips it, and the pages a client can vary
without end (older-stories cursors, searches) live minutes, not a day."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from articles.cache import pages as page_cache
from newsroom import staff_marker
from tests.support.factories import PASSWORD, ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True


def test_a_made_up_session_cookie_gets_the_cached_page(client):
    ArticleFactory(published=True)
    client.get("/")
    client.cookies["sessionid"] = "junk-that-no-session-has"
    response = client.get("/")
    assert response["X-Page-Cache"] == "hit"


def test_a_forged_staff_marker_gets_the_cached_page(client):
    client.get("/")
    client.cookies["sessionid"] = "junk"
    client.cookies[staff_marker.COOKIE] = "1"
    assert client.get("/")["X-Page-Cache"] == "hit"


def test_a_signed_in_editor_skips_the_cache_and_is_never_stored(client):
    UserFactory(username="desk", is_staff=True)
    client.get("/")
    response = client.post("/admin/login/", {"username": "desk", "password": PASSWORD})
    assert response.status_code == 302
    assert staff_marker.COOKIE in response.cookies
    page = client.get("/")
    assert "X-Page-Cache" not in page
    assert "private" in page["Cache-Control"]
    client.post("/admin/logout/")
    assert client.cookies[staff_marker.COOKIE].value == ""
    assert client.get("/")["X-Page-Cache"] == "hit"


@pytest.mark.parametrize(
    ("url", "short"),
    [
        ("/", False),
        ("/topics/", False),
        ("/topics/?after=defense", True),
        ("/search/?q=budget", True),
        ("/corrections/?page=2", True),
        ("/?before=2026-01-01T00:00:00%2B00:00", True),
    ],
)
def test_pages_a_client_can_vary_without_end_are_kept_minutes_not_a_day(url, short):
    request = RequestFactory().get(url)
    seconds = page_cache.entry_seconds(request)
    if short:
        assert seconds <= 600
    else:
        assert seconds == page_cache.ENTRY_SECONDS


def test_a_search_is_stored_with_the_short_lifetime(client, monkeypatch):
    stored = {}
    real_set = cache.set

    def spy(key, value, timeout=None, **kwargs):
        if key.startswith("pagecache:page:"):
            stored[key] = timeout
        return real_set(key, value, timeout, **kwargs)

    monkeypatch.setattr(cache, "set", spy)
    client.get("/search/", {"q": "budget"})
    assert list(stored.values()) == [page_cache.SHORT_ENTRY_SECONDS]
