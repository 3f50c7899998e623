"""Webhooks: a loopback server receives a signed publish and a signed kill (kills first),
failures are retried with backoff for 24 hours, and no request goes to a private address."""

import hashlib
import hmac
import json
import threading
import time
from datetime import timedelta
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
