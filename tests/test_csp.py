"""The Content-Security-Policy header on readers' pages and on the desk."""

import re

import pytest
from django.core.cache import cache

from tests.support.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return dict(
        (part.strip().split(" ", 1) + [""])[:2] for part in header.split(";") if part.strip()
    )


def test_readers_pages_get_the_strict_policy_without_a_nonce(client):
    article = ArticleFactory(published=True)
    for url in ["/", article.get_absolute_url(), "/topics/", "/search/?q=x", "/nothing-here/"]:
        directives = policy(client.get(url))
        assert directives["default-src"] == "'self'"
        assert directives["script-src"] == "'self'", url
        assert directives["style-src"] == "'self'"
        assert directives["img-src"] == "'self' data:"
        assert directives["object-src"] == "'none'"
        assert directives["base-uri"] == "'self'"
        assert directives["frame-ancestors"] == "'none'"
        assert directives["form-action"] == "'self'"
        assert "style-src-elem" not in directives


def test_pages_from_the_page_cache_carry_the_policy_too(client, settings):
    settings.PAGE_CACHE_ENABLED = True
    cache.clear()
    ArticleFactory(published=True)
    client.get("/")
    response = client.get("/")
    assert response["X-Page-Cache"] == "hit"
    assert policy(response)["script-src"] == "'self'"
    assert "nonce" not in response.content.decode()


def test_story_structured_data_needs_no_nonce(client):
    article = ArticleFactory(published=True)
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<script type="application/ld+json">' in html
    # No script readers' browsers would run: only data blocks.
    assert re.findall(r"<script(?![^>]*application/ld\+json)", html) == []


def test_desk_story_form_gives_the_editor_import_map_this_requests_nonce(editor_client):
    article = ArticleFactory()
    url = f"/admin/articles/article/{article.pk}/change/"
    nonces = []
    for _ in range(2):
        response = editor_client.get(url)
        directives = policy(response)
        (nonce,) = re.findall(r"'nonce-([^']+)'", directives["script-src"])
        html = response.content.decode()
        assert f'<script type="importmap" nonce="{nonce}">' in html
        assert directives["style-src-elem"] == "'self' 'unsafe-inline'"
        assert directives["style-src"] == "'self'"
        nonces.append(nonce)
    assert nonces[0] != nonces[1]
