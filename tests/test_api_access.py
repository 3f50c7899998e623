"""Who may read the API: keys, scopes, anonymous access, rate limits, problem details;
and how its responses are cached: ETag, Last-Modified, 304, invalidated with the pages."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone
from openapi_spec_validator import validate

from articles.cache import invalidate
from articles.models import ApiKey
from articles.models.partner import hash_key
from tests.support.api import bearer, make_key
from tests.support.factories import ArticleFactory, SectionFactory, TopicFactory

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    "/api/v1/stories/",
    "/api/v1/topics/",
    "/api/v1/sections/",
    "/api/v1/contributors/",
    "/api/v1/photos/",
    "/api/v1/corrections/",
]


def problem(response, status):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/problem+json"
    body = json.loads(response.content)
    assert body["status"] == status
    assert body["title"]
    assert body["detail"]
    return body


@pytest.mark.parametrize("url", ENDPOINTS)
def test_without_a_key_every_endpoint_is_a_401_problem(client, url):
    response = client.get(url)
    problem(response, 401)
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


@pytest.mark.parametrize(
    "header",
    ["Bearer nr_nothing_here", "Bearer", "Basic dXNlcjpwYXNz", "Bearer not-a-key-at-all"],
)
def test_a_wrong_key_is_a_401_problem_even_with_anonymous_access(client, settings, header):
    settings.NEWSROOM_API = {**settings.NEWSROOM_API, "ANONYMOUS": True}
    problem(client.get("/api/v1/stories/", HTTP_AUTHORIZATION=header), 401)


def test_expired_and_revoked_keys_are_refused(client):
    _, expired = make_key(expires_at=timezone.now() - timedelta(minutes=1))
    revoked_key, revoked = make_key(name="old")
    ApiKey.objects.filter(pk=revoked_key.pk).update(revoked_at=timezone.now())
    problem(client.get("/api/v1/stories/", **bearer(expired)), 401)
    problem(client.get("/api/v1/stories/", **bearer(revoked)), 401)


def test_a_key_is_stored_hashed_and_its_use_recorded(client):
    key, secret = make_key()
    assert secret not in {key.hashed_key, key.prefix}
    assert key.hashed_key == hash_key(secret)
    assert client.get("/api/v1/stories/", **bearer(secret)).status_code == 200
    key.refresh_from_db()
    assert key.last_used_at is not None


def test_anonymous_access_when_switched_on_is_public_and_cacheable(client, settings):
    settings.NEWSROOM_API = {**settings.NEWSROOM_API, "ANONYMOUS": True}
    ArticleFactory(published=True)
    response = client.get("/api/v1/stories/")
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    assert "max-age=10" in response["Cache-Control"]


def test_a_keys_responses_are_private_to_shared_caches(client):
    _, secret = make_key()
    response = client.get("/api/v1/stories/", **bearer(secret))
    assert "private" in response["Cache-Control"]
    assert "Authorization" in response["Vary"]


def test_a_key_limited_to_a_section_or_topic_reads_only_those(client):
    politics, sports = SectionFactory(slug="politics"), SectionFactory(slug="sports")
    defense = TopicFactory(slug="defense")
    in_section = ArticleFactory(published=True, section=politics)
    in_topic = ArticleFactory(published=True, section=sports)
    in_topic.topics.add(defense)
    elsewhere = ArticleFactory(published=True, section=sports)
    _, secret = make_key(all_content=False, sections=[politics], topics=[defense])
    items = json.loads(client.get("/api/v1/stories/", **bearer(secret)).content)["items"]
    assert {int(i["uri"].rsplit("/", 2)[-2]) for i in items} == {in_section.pk, in_topic.pk}
    assert client.get(f"/api/v1/stories/{elsewhere.pk}/", **bearer(secret)).status_code == 404
    problem(client.get("/api/v1/stories/?section=sports", **bearer(secret)), 403)
    assert client.get("/api/v1/stories/?topic=defense", **bearer(secret)).status_code == 200
    sections = json.loads(client.get("/api/v1/sections/", **bearer(secret)).content)["items"]
    assert [s["slug"] for s in sections] == ["politics"]


def test_a_key_over_its_rate_gets_a_429_problem_with_retry_after(client):
    _, secret = make_key(rate_per_minute=2)
    _, other = make_key(name="other", rate_per_minute=2)
    for _ in range(2):
        assert client.get("/api/v1/sections/", **bearer(secret)).status_code == 200
    response = client.get("/api/v1/sections/", **bearer(secret))
    body = problem(response, 429)
    assert int(response["Retry-After"]) > 0
    assert body["retry_after"] > 0
    assert client.get("/api/v1/sections/", **bearer(other)).status_code == 200


def test_anonymous_readers_have_their_own_lower_rate(client, settings):
    settings.NEWSROOM_API = {**settings.NEWSROOM_API, "ANONYMOUS": True, "ANONYMOUS_RATE": "1/min"}
    _, secret = make_key()
    assert client.get("/api/v1/sections/").status_code == 200
    problem(client.get("/api/v1/sections/"), 429)
    assert client.get("/api/v1/sections/", **bearer(secret)).status_code == 200


def test_etag_and_last_modified_answer_304(client):
    _, secret = make_key()
    ArticleFactory(published=True)
    first = client.get("/api/v1/stories/", **bearer(secret))
    assert first["ETag"]
    assert first["Last-Modified"]
    again = client.get("/api/v1/stories/", HTTP_IF_NONE_MATCH=first["ETag"], **bearer(secret))
    assert again.status_code == 304
    assert again.content == b""


def test_cached_responses_are_invalidated_with_the_pages(
    client, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_ENABLED = True
    cache.clear()
    _, secret = make_key()
    story = ArticleFactory(published=True, headline="Before")
    assert client.get("/api/v1/stories/", **bearer(secret))["X-Api-Cache"] == "miss"
    assert client.get("/api/v1/stories/", **bearer(secret))["X-Api-Cache"] == "hit"
    story.headline = "After"
    with django_capture_on_commit_callbacks(execute=True):
        story.save()
        invalidate.story_changed(story)  # as the desk's save does
    response = client.get("/api/v1/stories/", **bearer(secret))
    assert response["X-Api-Cache"] == "miss"
    assert b"After" in response.content
    with django_capture_on_commit_callbacks(execute=True):
        story.kill(by=None, reason="Legal")
    assert json.loads(client.get("/api/v1/stories/", **bearer(secret)).content)["items"] == []


def test_scopes_do_not_share_cached_responses(client, settings):
    settings.PAGE_CACHE_ENABLED = True
    cache.clear()
    politics, sports = SectionFactory(), SectionFactory()
    ArticleFactory(published=True, section=sports, headline="Sports story")
    _, everything = make_key()
    _, limited = make_key(name="limited", all_content=False, sections=[politics])
    assert b"Sports story" in client.get("/api/v1/stories/", **bearer(everything)).content
    assert b"Sports story" not in client.get("/api/v1/stories/", **bearer(limited)).content


def test_create_api_key_prints_a_working_key_once(client):
    SectionFactory(slug="politics")
    out, err = StringIO(), StringIO()
    call_command(
        "create_api_key",
        "Daily Partner",
        "--section",
        "politics",
        "--rate",
        "30",
        stdout=out,
        stderr=err,
    )
    secret = out.getvalue().strip()
    key = ApiKey.objects.get(partner__name="Daily Partner")
    assert not key.all_content
    assert key.rate_per_minute == 30
    assert list(key.sections.values_list("slug", flat=True)) == ["politics"]
    assert secret not in err.getvalue()
    assert secret not in str(key.__dict__)
    assert client.get("/api/v1/stories/", **bearer(secret)).status_code == 200


def test_create_api_key_refuses_an_unknown_section():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="nowhere"):
        call_command("create_api_key", "Partner", "--section", "nowhere", stdout=StringIO())
    assert not ApiKey.objects.exists()


def test_the_openapi_schema_is_valid_openapi_3_1(client):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"] == "3.1.0"
    validate(schema)
    assert set(schema["paths"]) >= {"/api/v1/stories/", "/api/v1/stories/{id}/", "/api/v1/photos/"}
    assert schema["components"]["securitySchemes"]["partnerKey"]["scheme"] == "bearer"
    story_list = schema["paths"]["/api/v1/stories/"]["get"]
    assert {p["name"] for p in story_list["parameters"]} >= {
        "topic", "section", "contributor", "updated_since", "published_after", "published_before",
    }  # fmt: skip


def test_the_docs_page_loads_swagger_ui_from_static_files_under_the_nonce_policy(client):
    from django.contrib.staticfiles import finders

    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    nonce = policy.split("'nonce-", 1)[1].split("'", 1)[0]
    html = response.content.decode()
    scripts = html.count("<script ")
    assert scripts == 2
    assert html.count(f'nonce="{nonce}"') == scripts
    assert "<style" not in html
    assert "http" not in html.split("<body>", 1)[1].split("</main>")[0]
    for path in [
        "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js",
        "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css",
        "js/api-docs.js",
    ]:
        assert f"/static/{path}" in html
        assert finders.find(path)
