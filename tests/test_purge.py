"""Purging the cache in front by surrogate key: Varnish, Fastly or Cloudflare, one interface."""

import json

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from articles import tasks
from articles.cache import pages, purge
from articles.models import BackgroundFailure


@pytest.fixture
def purge_settings(settings, recorder):
    def configure(backend, **options):
        settings.NEWSROOM_PURGE = {
            "BACKEND": backend,
            "VARNISH_URLS": [],
            "API_URL": recorder.url,
            "API_TOKEN": "secret-token",
            "FASTLY_SERVICE_ID": "svc123",
            "CLOUDFLARE_ZONE_ID": "zone456",
            **options,
        }

    return configure


def test_varnish_gets_a_purge_request_with_the_keys_on_every_server(purge_settings, recorder):
    purge_settings("varnish", VARNISH_URLS=[recorder.url, recorder.url + "/"])
    purge.purge_keys(["story-12", "front-home", "story-12"])
    assert len(recorder.requests) == 2
    for request in recorder.requests:
        assert (request["method"], request["path"]) == ("PURGE", "/")
        assert request["headers"]["xkey-purge"] == "front-home story-12"


def test_fastly_gets_its_surrogate_key_purge_call(purge_settings, recorder):
    purge_settings("fastly")
    purge.purge_keys(["story-12", "topic-3"])
    (request,) = recorder.requests
    assert (request["method"], request["path"]) == ("POST", "/service/svc123/purge")
    assert request["headers"]["fastly-key"] == "secret-token"
    assert json.loads(request["body"]) == {"surrogate_keys": ["story-12", "topic-3"]}


def test_cloudflare_gets_purge_by_tag_calls_of_at_most_thirty_tags(purge_settings, recorder):
    purge_settings("cloudflare")
    keys = [f"story-{number}" for number in range(45)]
    purge.purge_keys(keys)
    assert [request["path"] for request in recorder.requests] == ["/zones/zone456/purge_cache"] * 2
    assert recorder.requests[0]["headers"]["authorization"] == "Bearer secret-token"
    sent = [tag for request in recorder.requests for tag in json.loads(request["body"])["tags"]]
    assert sorted(sent) == sorted(keys)
    assert len(json.loads(recorder.requests[0]["body"])["tags"]) == 30


@pytest.mark.parametrize(
    ("backend", "path", "body"),
    [
        ("fastly", "/service/svc123/purge_all", b""),
        ("cloudflare", "/zones/zone456/purge_cache", b'{"purge_everything": true}'),
    ],
)
def test_everything_is_one_purge_all_call_on_a_cdn(purge_settings, recorder, backend, path, body):
    purge_settings(backend)
    purge.purge_keys(["story-12", purge.EVERYTHING, "topic-3"])
    (request,) = recorder.requests
    assert (request["method"], request["path"], request["body"]) == ("POST", path, body)
    assert "secret-token" in request["headers"].get("fastly-key", "") + request["headers"].get(
        "authorization", ""
    )


def test_everything_is_one_key_for_varnish_which_tags_every_page_with_it(purge_settings, recorder):
    purge_settings("varnish", VARNISH_URLS=[recorder.url])
    purge.purge_keys(["story-12", purge.EVERYTHING])
    (request,) = recorder.requests
    assert request["headers"]["xkey-purge"] == purge.EVERYTHING


@pytest.mark.django_db
@pytest.mark.parametrize(("hard", "queued"), [(True, False), (False, True)])
def test_a_site_wide_change_purges_everything_hard_in_the_request_soft_by_the_worker(
    purge_settings, recorder, django_capture_on_commit_callbacks, monkeypatch, hard, queued
):
    purge_settings("cloudflare")
    sent = []
    monkeypatch.setattr(tasks, "enqueue", lambda task, *args: sent.append((task, args)))
    with django_capture_on_commit_callbacks(execute=True):
        pages.bump(hard=hard)
        assert recorder.requests == [], "nothing leaves before the change is committed"
    if queued:
        assert sent == [(tasks.purge_keys_task, ([purge.EVERYTHING],))]
        assert recorder.requests == []
    else:
        assert sent == []
        assert json.loads(recorder.requests[0]["body"]) == {"purge_everything": True}


def test_no_backend_means_nothing_is_sent(purge_settings, recorder):
    purge_settings("")
    purge.purge_keys(["story-1"])
    assert recorder.requests == []


def test_a_refused_purge_raises_so_the_task_can_retry(purge_settings, recorder):
    purge_settings("fastly")
    recorder.status = 503
    with pytest.raises(purge.PurgeError, match="503"):
        purge.purge_keys(["story-1"])


@pytest.mark.django_db
def test_a_purge_that_keeps_failing_is_retried_then_listed_on_the_desk(
    purge_settings, recorder, monkeypatch
):
    purge_settings("varnish", VARNISH_URLS=[recorder.url])
    recorder.status = 500
    tasks.purge_keys_task.delay(["story-7"])
    # Every attempt reached the cache (the first and each retry), then the failure was kept.
    assert len(recorder.requests) == tasks.NewsroomTask.max_retries + 1
    (failure,) = BackgroundFailure.objects.all()
    assert failure.task_name == "articles.tasks.purge_keys_task"
    assert failure.args == [["story-7"]]
    assert "answered 500" in failure.error


@pytest.mark.parametrize(
    ("backend", "header", "value"),
    [
        ("fastly", "Surrogate-Key", "story-1 topic-2"),
        ("cloudflare", "Cache-Tag", "story-1,topic-2"),
    ],
)
def test_the_cdn_header_repeats_the_xkey_keys(purge_settings, backend, header, value):
    purge_settings(backend)
    response = HttpResponse()
    response["xkey"] = "story-1 topic-2"
    middleware = purge.SurrogateKeyHeaderMiddleware(lambda request: response)
    assert middleware(RequestFactory().get("/"))[header] == value


def test_varnish_needs_no_extra_header(purge_settings):
    purge_settings("varnish")
    response = HttpResponse()
    response["xkey"] = "story-1"
    middleware = purge.SurrogateKeyHeaderMiddleware(lambda request: response)
    result = middleware(RequestFactory().get("/"))
    assert "Surrogate-Key" not in result
    assert "Cache-Tag" not in result


@pytest.mark.django_db
def test_a_kill_purges_in_the_request_and_queues_only_when_that_fails(purge_settings, recorder):
    purge_settings("varnish", VARNISH_URLS=[recorder.url])
    tasks.purge_at_once(["story-3"])
    assert len(recorder.requests) == 1
    recorder.status = 503
    tasks.purge_at_once(["story-3"])  # the queued task (eager here) retries, then gives up
    assert len(recorder.requests) == 2 + 1 + tasks.NewsroomTask.max_retries
    assert BackgroundFailure.objects.get().args == [["story-3"]]
