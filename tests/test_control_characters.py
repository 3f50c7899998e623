"""NUL and other control characters in any address or query parameter, public or desk, get
a 400 or 404, never a 500 (PostgreSQL refuses NUL in text, so a query with one raises).

Every public URL pattern is tried with each hostile value in each path part and in each
query parameter the site reads; so are the desk's filters and autocompletes.
"""

import pytest
from django.urls import get_resolver
from django.utils.http import urlencode

from tests.support.factories import ArticleFactory, TopicFactory

pytestmark = pytest.mark.django_db

HOSTILE = ["\x00", "a\x00b", "\x01", "\x1b[31m", "\x7f", "\x0b\x0c", "%00"]
PARAMETERS = ["q", "after", "before", "page", "topic", "contributor", "term", "status__exact"]


def public_patterns() -> list[str]:
    """Each public URL pattern with `{}` where a path part goes."""
    import re

    patterns = []
    (public,) = [p for p in get_resolver().url_patterns if getattr(p, "app_name", "") == "articles"]
    for pattern in public.url_patterns:
        route = str(pattern.pattern)
        patterns.append(re.sub(r"<[^>]+>", "{}", route))
    return patterns


def hostile_paths():
    for route in public_patterns():
        for value in HOSTILE:
            parts = route.count("{}")
            yield "/" + route.format(*([value] * parts)) if parts else "/" + route


@pytest.fixture
def site():
    ArticleFactory(published=True).topics.add(TopicFactory(slug="defense"))


def test_hostile_path_parts_are_never_a_server_error(client, site):
    for path in set(hostile_paths()):
        response = client.get(path)
        assert response.status_code in (200, 301, 400, 404), (path, response.status_code)


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_query_parameters_on_public_pages_are_never_a_server_error(client, site, value):
    for route in ["", "topics/", "topics/defense/", "search/", "corrections/", "feed/"]:
        for name in PARAMETERS:
            url = f"/{route}?{urlencode({name: value})}"
            response = client.get(url)
            assert response.status_code in (200, 400, 404), (url, response.status_code)


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_desk_filters_and_autocompletes_are_never_a_server_error(
    editor_client, site, value
):
    urls = [
        "/admin/articles/article/?" + urlencode({"topic": value}),
        "/admin/articles/article/?" + urlencode({"contributor": value}),
        "/admin/articles/article/?" + urlencode({"q": value}),
        "/admin/articles/article/calendar/?" + urlencode({"date": value}),
        "/admin/articles/topic/?" + urlencode({"q": value}),
        "/admin/autocomplete/?"
        + urlencode(
            {
                "app_label": "articles",
                "model_name": "article",
                "field_name": "topics",
                "term": value,
            }
        ),
        f"/admin/articles/article/{value}/change/",
    ]
    for url in urls:
        response = editor_client.get(url)
        assert response.status_code in (200, 302, 400, 404), (url, response.status_code)
