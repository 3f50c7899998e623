from unittest import mock

import pytest
from django.db import OperationalError

from tests.support.factories import ArticleFactory

pytestmark = pytest.mark.django_db

DATABASE_DOWN = mock.patch(
    "django.db.backends.base.base.BaseDatabaseWrapper.ensure_connection",
    side_effect=OperationalError("connection refused"),
)


def test_healthz_reports_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_healthz_reports_a_database_outage_with_503(client):
    with DATABASE_DOWN:
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_healthz_keeps_200_when_only_the_cache_is_down(client, settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        },
    }
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["cache"] == "unavailable"


@pytest.mark.parametrize("url", ["/", "/topics/", "/topics/defense/"])
def test_readers_get_a_plain_503_when_the_database_is_down(client, url):
    article = ArticleFactory(published=True)
    client.raise_request_exception = False
    with DATABASE_DOWN:
        for path in (url, article.get_absolute_url()):
            response = client.get(path)
            assert response.status_code == 503
            assert response["Retry-After"] == "30"
            content = response.content.decode()
            assert "Back in a moment" in content
            assert "Traceback" not in content
            assert "connection refused" not in content


def test_other_errors_stay_500_without_details(client):
    client.raise_request_exception = False
    with mock.patch("articles.public.views.render", side_effect=ValueError("secret detail")):
        response = client.get("/")
    assert response.status_code == 500
    assert "secret detail" not in response.content.decode()
