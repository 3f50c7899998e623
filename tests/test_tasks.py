"""The task worker's work: eager in most tests, one test with a real worker process."""

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import timedelta

import pytest
import redis
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles import tasks
from articles.cache import invalidate
from articles.cache import pages as page_cache
from articles.models import Article, BackgroundFailure, Photo
from newsroom.celery import app as celery_app
from tests.support.factories import ArticleFactory, ArticlePhotoFactory, jpeg_bytes
from tests.support.services import ROOT, free_port

pytestmark = pytest.mark.django_db

# The Redis databases these tests may use as a broker (nobody else's).
WORKER_BROKER = "redis://127.0.0.1:6379/9"
IDLE_BROKER = "redis://127.0.0.1:6379/10"


@contextmanager
def broker(url: str):
    """Queue tasks on a real broker instead of running them in the request."""
    conf = celery_app.conf
    saved = conf.task_always_eager, conf.broker_url
    ours = url in (WORKER_BROKER, IDLE_BROKER)
    if ours:
        redis.Redis.from_url(url).flushdb()
    conf.task_always_eager, conf.broker_url = False, url
    celery_app._after_fork()  # forget connections to the previous broker
    try:
        yield
    finally:
        conf.task_always_eager, conf.broker_url = saved
        celery_app._after_fork()
        if ours:
            redis.Redis.from_url(url).flushdb()


def upload(editor_client, **fields):
    picture = SimpleUploadedFile("p.jpg", jpeg_bytes((900, 600)), content_type="image/jpeg")
    data = {"image": picture, "caption": "", "credit": "", "alt_text": "A market", **fields}
    return editor_client.post("/admin/articles/photo/add/", data)


def publish(editor_client, story):
    from tests.support.admin_forms import form_values

    url = f"/admin/articles/article/{story.pk}/change/"
    data = form_values(editor_client.get(url))
    return editor_client.post(url, {**data, "_transition": "publish"})


def test_an_upload_has_its_renditions_made_by_the_worker_before_pages_use_them(
    editor_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert upload(editor_client).status_code == 302
    photo = Photo.objects.get()
    assert not photo.renditions_ready
    story = ArticleFactory(published=True)
    ArticlePhotoFactory(article=story, photo=photo)
    assertNotContains(editor_client.get(story.get_absolute_url()), "<picture")

    for callback in queued:
        callback()  # the worker's turn (eager here)
    photo.refresh_from_db()
    assert photo.renditions_ready
    assertContains(editor_client.get(story.get_absolute_url()), "<picture")


def test_making_renditions_twice_or_for_a_replaced_picture_is_harmless(editor_client):
    upload(editor_client)
    photo = Photo.objects.get()
    tasks.make_renditions.delay(photo.pk, photo.image.name)
    tasks.make_renditions.delay(photo.pk, photo.image.name)
    tasks.make_renditions.delay(photo.pk, "photos/an-older-picture.jpg")
    tasks.make_renditions.delay(photo.pk + 1, "photos/deleted.jpg")
    photo.refresh_from_db()
    assert photo.renditions_ready
    assert not BackgroundFailure.objects.exists()


def test_with_the_worker_down_stories_publish_and_photos_upload(
    editor_client, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_ENABLED = True
    story = ArticleFactory(bylined=True, headline="Budget passes")
    assertNotContains(editor_client.get("/"), "Budget passes")
    with broker(IDLE_BROKER):
        with django_capture_on_commit_callbacks(execute=True):
            assert publish(editor_client, story).status_code == 302
            assert upload(editor_client).status_code == 302
        # The renditions wait in the queue for the worker.
        assert redis.Redis.from_url(IDLE_BROKER).llen("celery") == 1
    story.refresh_from_db()
    assert story.status == Article.Status.PUBLISHED
    client = editor_client.__class__()
    assertContains(client.get("/"), "Budget passes")
    assert client.get(story.get_absolute_url()).status_code == 200
    assert not Photo.objects.get().renditions_ready
    assert not BackgroundFailure.objects.exists()


def test_a_broker_that_is_down_costs_an_upload_nothing_and_lists_the_work(
    editor_client, django_capture_on_commit_callbacks
):
    with (
        broker(f"redis://127.0.0.1:{free_port()}/0"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert upload(editor_client).status_code == 302
    photo = Photo.objects.get()
    (failure,) = BackgroundFailure.objects.all()
    assert failure.task_name == "articles.tasks.make_renditions"
    assert failure.args == [photo.pk, photo.image.name]
    assert "Could not be queued" in failure.error


def test_the_background_work_page_lists_failures_and_runs_them_again(
    editor_client, settings, recorder
):
    settings.NEWSROOM_PURGE = {"BACKEND": "varnish", "VARNISH_URLS": [recorder.url]}
    failure = BackgroundFailure.objects.create(
        task_name="articles.tasks.purge_keys_task",
        args=[["story-4"]],
        error="PurgeError: http://varnish answered 503 to a purge",
    )
    page = editor_client.get("/admin/articles/backgroundfailure/")
    assertContains(page, "answered 503 to a purge")
    assertContains(page, "Run the selected work again")
    response = editor_client.post(
        "/admin/articles/backgroundfailure/",
        {"action": "retry", "_selected_action": [failure.pk]},
        follow=True,
    )
    assertContains(response, "1 queued again.")
    assert recorder.requests[0]["headers"]["xkey-purge"] == "story-4"
    failure.refresh_from_db()
    assert failure.retried_at is not None


def test_a_scheduled_story_coming_due_refreshes_pages_before_any_reader_asks(settings, recorder):
    settings.PAGE_CACHE_ENABLED = True
    settings.NEWSROOM_PURGE = {"BACKEND": "varnish", "VARNISH_URLS": [recorder.url]}
    story = ArticleFactory(
        published=True, bylined=True, publish_at=timezone.now() + timedelta(minutes=5)
    )
    page_cache.record_next_due()  # as the publish that scheduled it does
    story_key = invalidate.version_key(f"story-{story.pk}")
    before = invalidate.versions([f"story-{story.pk}"])[story_key]
    tasks.refresh_due_pages.delay()
    assert invalidate.versions([f"story-{story.pk}"])[story_key] == before  # not due yet
    assert recorder.requests == []
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        tasks.refresh_due_pages.delay()
        assert invalidate.versions([f"story-{story.pk}"])[story_key] > before
    (purged,) = recorder.requests
    keys = purged["headers"]["xkey-purge"].split()
    assert {f"story-{story.pk}", "front-home", "feed", f"section-{story.section_id}"} <= set(keys)


def test_a_real_worker_process_runs_queued_work(settings, recorder, tmp_path):
    settings.NEWSROOM_PURGE = {"BACKEND": "varnish", "VARNISH_URLS": [recorder.url]}
    env = {
        **os.environ,
        "CELERY_BROKER_URL": WORKER_BROKER,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'worker.sqlite3'}",
        "NEWSROOM_PURGE_BACKEND": "varnish",
        "NEWSROOM_VARNISH_URLS": recorder.url,
    }
    command = [sys.executable, "-m", "celery", "-A", "newsroom", "worker", "--pool", "solo"]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "info"]
    with broker(WORKER_BROKER):
        tasks.enqueue(tasks.purge_keys_task, ["story-9", "front-home"])
        log = (tmp_path / "worker.log").open("wb")
        worker = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
        try:
            deadline = time.monotonic() + 90
            while not recorder.requests and time.monotonic() < deadline:
                assert worker.poll() is None, (tmp_path / "worker.log").read_text()
                time.sleep(0.2)
        finally:
            worker.terminate()
            worker.wait(timeout=30)
            log.close()
    assert recorder.requests, (tmp_path / "worker.log").read_text()[-3000:]
    assert recorder.requests[0]["method"] == "PURGE"
    assert recorder.requests[0]["headers"]["xkey-purge"] == "front-home story-9"


def test_editors_see_background_work_and_reporters_do_not(client, desk_editor, reporter):
    BackgroundFailure.objects.create(task_name="articles.tasks.purge_keys_task", error="Timeout")
    client.force_login(desk_editor)
    assertContains(client.get("/admin/articles/backgroundfailure/"), "Run the selected work again")
    client.force_login(reporter)
    assert client.get("/admin/articles/backgroundfailure/").status_code == 403
