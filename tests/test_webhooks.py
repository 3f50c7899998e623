"""Webhooks: a loopback server receives a signed publish and a signed kill (kills first),
failures are retried with backoff for 24 hours, and no request goes to a private address."""

import hashlib
import hmac
import json
import threading
import time
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from articles.api import webhooks
from articles.models import Webhook, WebhookDelivery
from tests.support.api import assert_ninjs, make_key
from tests.support.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db


def verify(secret: str, headers, body: bytes, tolerance: int = 300) -> bool:
    """The check docs/api.md gives partners, word for word."""
    timestamp = headers["Newsroom-Timestamp"]
    if abs(time.time() - int(timestamp)) > tolerance:
        return False
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return hmac.compare_digest(f"sha256={expected.hexdigest()}", headers["Newsroom-Signature"])


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.received.append((dict(self.headers), body))
        self.send_response(self.server.answer)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver(settings):
    """A partner's server on loopback, allowed for this test only."""
    settings.NEWSROOM_WEBHOOKS = {**settings.NEWSROOM_WEBHOOKS, "ALLOWED_NETWORKS": ["127.0.0.0/8"]}
    server = HTTPServer(("127.0.0.1", 0), Receiver)
    server.received, server.answer = [], 200
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def subscribe(server, events=tuple(Webhook.Event.values), **key_fields):
    make_key(**key_fields)
    from articles.models import Partner

    return Webhook.objects.create(
        partner=Partner.objects.get(name="Partner"),
        url=f"http://127.0.0.1:{server.server_port}/hooks/newsroom",
        events=list(events),
    )


def deliver():
    call_command("deliver_webhooks", "--once", stdout=StringIO())


def test_a_partner_receives_a_signed_publish_then_a_signed_kill(
    receiver, django_capture_on_commit_callbacks
):
    hook = subscribe(receiver)
    story = ArticleFactory(bylined=True, headline="Signed and sent")
    with django_capture_on_commit_callbacks(execute=True):
        story.publish(by=None)
    assert not receiver.received  # queued, not sent from the editor's request
    deliver()
    with django_capture_on_commit_callbacks(execute=True):
        story.kill(by=None, reason="Legal")
    deliver()
    (published_headers, published), (killed_headers, killed) = receiver.received
    for headers, body in receiver.received:
        assert verify(hook.secret, headers, body)
        assert not verify("another secret", headers, body)
        assert_ninjs(json.loads(body)["story"])
    assert published_headers["Newsroom-Event"] == "published"
    assert json.loads(published)["story"]["headlines"][0]["value"] == "Signed and sent"
    kill = json.loads(killed)
    assert kill["event"] == "killed"
    assert kill["story"]["pubStatus"] == "canceled"
    assert "Signed and sent" not in killed.decode()
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"delivered"}


def test_a_kill_is_sent_before_anything_else_waiting(receiver):
    subscribe(receiver)
    first = ArticleFactory(published=True, bylined=True)
    second = ArticleFactory(published=True, bylined=True)
    webhooks.story_event(first, "updated")
    webhooks.story_event(second, "updated")
    second.status = "killed"
    second.save()
    webhooks.story_event(second, "killed")
    deliver()
    events = [headers["Newsroom-Event"] for headers, _ in receiver.received]
    assert events == ["killed", "updated", "updated"]


def test_only_subscribed_events_in_the_partners_scope_are_queued(receiver):
    politics, sports = SectionFactory(), SectionFactory()
    subscribe(receiver, events=["killed"], all_content=False, sections=[politics])
    in_scope = ArticleFactory(published=True, section=politics)
    elsewhere = ArticleFactory(published=True, section=sports)
    assert webhooks.story_event(in_scope, "published") == 0
    assert webhooks.story_event(elsewhere, "killed") == 0
    assert webhooks.story_event(in_scope, "killed") == 1


def test_a_scheduled_publish_tells_partners_nothing_yet(receiver):
    subscribe(receiver)
    story = ArticleFactory(status="published", publish_at=timezone.now() + timedelta(hours=2))
    assert webhooks.story_event(story, "published") == 0


def test_failures_are_retried_with_growing_waits_then_given_up_after_24_hours(receiver):
    receiver.answer = 500
    subscribe(receiver)
    webhooks.story_event(ArticleFactory(published=True), "updated")
    delivery = WebhookDelivery.objects.get()
    waits = []
    now = timezone.now()
    with time_machine.travel(now, tick=False) as clock:
        while delivery.status == WebhookDelivery.Status.PENDING:
            deliver()
            delivery.refresh_from_db()
            waits.append((delivery.next_attempt_at - timezone.now()).total_seconds())
            clock.move_to(delivery.next_attempt_at)
    assert waits[:4] == [30, 60, 120, 240]
    assert max(waits) <= 3600
    assert delivery.status == WebhookDelivery.Status.FAILED
    assert delivery.last_status_code == 500
    assert delivery.last_error == "The partner answered 500."
    assert delivery.attempts == len(receiver.received) > 10


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/hook",
        "http://localhost/hook",
        "http://10.1.2.3/hook",
        "http://192.168.0.10/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "ftp://example.org/hook",
        "http://user:pass@example.org/hook",
    ],
)
def test_private_loopback_and_link_local_addresses_are_refused(url):
    with pytest.raises(webhooks.RefusedAddress):
        webhooks.public_address(url)


def test_a_name_resolving_to_a_private_address_is_refused_at_send_time(monkeypatch, receiver):
    hook = subscribe(receiver)
    monkeypatch.setattr(
        webhooks.socket,
        "getaddrinfo",
        lambda *args, **kwargs: [(2, 1, 6, "", ("10.0.0.7", 80))],
    )
    Webhook.objects.filter(pk=hook.pk).update(url="http://partner.example/hook")
    webhooks.story_event(ArticleFactory(published=True), "updated")
    deliver()
    delivery = WebhookDelivery.objects.get()
    assert "10.0.0.7" in delivery.last_error
    assert delivery.status == WebhookDelivery.Status.PENDING
    assert not receiver.received


def test_a_replay_sends_the_same_body_again(receiver):
    subscribe(receiver)
    webhooks.story_event(ArticleFactory(published=True), "updated")
    deliver()
    webhooks.replay(WebhookDelivery.objects.get())
    deliver()
    (_, first), (_, again) = receiver.received
    assert first == again


# A story that becomes visible by itself: its scheduled time or its embargo passes.

NOON = timezone.make_aware(datetime(2026, 12, 1, 12, 0))


def check_due():
    return webhooks.announce_due()


def schedule(story, at, capture):
    with capture(execute=True):
        story.publish(by=None, at=at)


def test_a_scheduled_story_coming_due_is_delivered_once_and_signed(
    receiver, django_capture_on_commit_callbacks
):
    hook = subscribe(receiver)
    story = ArticleFactory(bylined=True, headline="Due at one")
    with time_machine.travel(NOON, tick=False) as clock:
        schedule(story, NOON + timedelta(hours=1), django_capture_on_commit_callbacks)
        assert check_due() == 0  # the first check only sets the mark
        clock.move_to(NOON + timedelta(minutes=59))
        assert check_due() == 0
        clock.move_to(NOON + timedelta(hours=1, seconds=10))
        assert check_due() == 1
        deliver()
        assert check_due() == 0  # the second check finds it announced
        deliver()  # the command's own check: nothing new either
    ((headers, body),) = receiver.received
    assert headers["Newsroom-Event"] == "published"
    assert verify(hook.secret, headers, body, tolerance=10**9)
    assert json.loads(body)["story"]["headlines"][0]["value"] == "Due at one"
    assert_ninjs(json.loads(body)["story"])


def test_a_check_cut_short_announces_nothing_twice_after_a_restart(receiver, monkeypatch):
    subscribe(receiver)
    with time_machine.travel(NOON, tick=False) as clock:
        check_due()
        ArticleFactory(status="published", publish_at=NOON + timedelta(minutes=1))
        clock.move_to(NOON + timedelta(minutes=2))
        with monkeypatch.context() as patched:

            def stopped(*args, **kwargs):
                raise OSError("worker stopped")

            patched.setattr(webhooks.WebhookWatermark, "save", stopped)
            with pytest.raises(OSError, match="worker stopped"):
                check_due()
        assert not WebhookDelivery.objects.exists()  # rolled back with the mark
        assert check_due() == 1
        assert check_due() == 0
    assert WebhookDelivery.objects.count() == 1


def test_a_story_an_editor_published_at_once_is_not_announced_again(
    receiver, django_capture_on_commit_callbacks
):
    subscribe(receiver)
    check_due()
    with django_capture_on_commit_callbacks(execute=True):
        ArticleFactory(bylined=True).publish(by=None)
    assert check_due() == 0
    assert WebhookDelivery.objects.filter(event="published").count() == 1


def test_a_story_still_under_embargo_is_not_announced_until_it_lifts(receiver):
    subscribe(receiver)
    with time_machine.travel(NOON, tick=False) as clock:
        check_due()
        ArticleFactory(
            status="published",
            publish_at=NOON + timedelta(minutes=5),
            embargo_until=NOON + timedelta(hours=2),
        )
        clock.move_to(NOON + timedelta(minutes=10))
        assert check_due() == 0
        clock.move_to(NOON + timedelta(hours=2, seconds=1))
        assert check_due() == 1
    assert WebhookDelivery.objects.get().event == "published"


def test_a_scheduled_story_killed_before_it_came_due_is_not_announced(
    receiver, django_capture_on_commit_callbacks
):
    subscribe(receiver)
    story = ArticleFactory(bylined=True)
    with time_machine.travel(NOON, tick=False) as clock:
        check_due()
        schedule(story, NOON + timedelta(hours=1), django_capture_on_commit_callbacks)
        with django_capture_on_commit_callbacks(execute=True):
            story.kill(by=None, reason="Legal")
        clock.move_to(NOON + timedelta(hours=2))
        assert check_due() == 0
    assert not WebhookDelivery.objects.filter(event="published").exists()


def test_the_worker_checks_for_stories_coming_due_on_a_schedule(receiver, settings):
    from articles import tasks

    subscribe(receiver)
    entry = settings.CELERY_BEAT_SCHEDULE["announce-due-stories"]
    assert entry["task"] == tasks.announce_due_stories.name
    with time_machine.travel(NOON, tick=False) as clock:
        tasks.announce_due_stories.apply()
        ArticleFactory(status="published", publish_at=NOON + timedelta(minutes=1))
        clock.move_to(NOON + timedelta(minutes=2))
        tasks.announce_due_stories.apply()
    assert WebhookDelivery.objects.get().event == "published"
