"""Webhooks: partners are told when a story they may see is published, updated, corrected,
unpublished or killed.

`story_event(story, event)` is the one entry point, called after commit by the workflow's
transitions, `Article.add_correction()` and the desk's save of a published story. It writes
one `WebhookDelivery` per subscribed webhook, with the body fixed at that moment; it never
makes a request itself, so an editor's click never waits on a partner's server. The
`deliver_webhooks` command sends what is due, kills first: signed (HMAC-SHA256 over
"<timestamp>.<body>"), with short timeouts, retried with exponential backoff for 24 hours,
and only to addresses that resolve to public networks (no loopback, private or link-local
address, checked on every attempt and connected to by the address that was checked).

A story that becomes visible by itself (its scheduled time or its embargo passes) has no
click behind it: `announce_due()`, run every few seconds by the worker's beat and by the
`deliver_webhooks` loop, queues its "published" event once (see `WebhookWatermark`).
"""

import hashlib
import hmac
import http.client
import ipaddress
import json
import logging
import socket
import time
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from articles.api import ninjs
from articles.models import ApiKey, Article, Webhook, WebhookDelivery, WebhookWatermark

logger = logging.getLogger(__name__)

Event = Webhook.Event
WITHDRAWALS = {Event.KILLED: "canceled", Event.UNPUBLISHED: "withheld"}
# What each workflow transition tells partners (the others change nothing they can see).
TRANSITION_EVENTS = {
    "publish": Event.PUBLISHED,
    "unpublish": Event.UNPUBLISHED,
    "kill": Event.KILLED,
}
# A kill goes before everything waiting, and is retried sooner.
PRIORITY = {Event.KILLED: 0, Event.UNPUBLISHED: 0}
FIRST_RETRY_SECONDS = {Event.KILLED: 5, Event.UNPUBLISHED: 5}
DEFAULT_FIRST_RETRY_SECONDS = 30
MAX_RETRY_SECONDS = 3600
LEASE_SECONDS = 120
USER_AGENT = "Newsroom-Webhooks/1"


def story_event_on_commit(story, event: str) -> None:
    """Queue `event` for `story` once the current transaction commits (now, outside one)."""
    transaction.on_commit(lambda: story_event(story, event), robust=True)


def transition_done(story, transition_name: str) -> None:
    """The workflow's hook: a transition readers can notice becomes a webhook event."""
    event = TRANSITION_EVENTS.get(transition_name)
    if event is not None:
        story_event_on_commit(story, event)


def story_event(story, event: str, *, unless_queued_since=None) -> int:
    """Write the deliveries of `event` for `story`; return how many.

    With `unless_queued_since`, a webhook that already has this event for this story queued
    at or after that moment is left out (the editor's click announced it).
    """
    body = event_body(story, event)
    if body is None:
        return 0
    hooks = [
        hook
        for hook in Webhook.objects.filter(active=True).select_related("partner")
        if event in hook.events and partner_may_see(hook.partner_id, story)
    ]
    if unless_queued_since is not None:
        queued = set(
            WebhookDelivery.objects.filter(
                story_id=story.pk, event=event, created_at__gte=unless_queued_since
            ).values_list("webhook_id", flat=True)
        )
        hooks = [hook for hook in hooks if hook.pk not in queued]
    now = timezone.now()
    WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            webhook=hook,
            event=event,
            story_id=story.pk,
            body=body,
            priority=PRIORITY.get(event, 1),
            next_attempt_at=now,
            created_at=now,
        )
        for hook in hooks
    )
    return len(hooks)


def event_body(story, event: str) -> str | None:
    """The JSON partners receive: the story as ninjs, or for a withdrawal only its uri."""
    now = timezone.now()
    if event in WITHDRAWALS:
        item = ninjs.withdrawal(story.pk, story.version, now, WITHDRAWALS[event])
    else:
        published = Article.objects.published().for_detail().filter(pk=story.pk).first()
        if published is None:  # scheduled or embargoed: nothing partners may have yet
            return None
        item = ninjs.story(published)
    envelope = {"event": event, "occurred_at": ninjs.iso(now), "story": item}
    return json.dumps(envelope, ensure_ascii=False, separators=(",", ":"))


DUE_CHECK = "published-when-due"


def visible_since(story):
    """When `story` last became visible: its publish time, or its embargo's end if later."""
    return max(filter(None, [story.publish_at, story.embargo_until]))


def announce_due() -> int:
    """Queue "published" for the stories that became visible by themselves since the last
    check (a scheduled time or an embargo passing); return how many deliveries were written.

    The first check only sets the mark: stories that came due before it are not announced.
    A story the editor published straight away already has its delivery, queued after it
    became visible, and is skipped; one still embargoed, unpublished or killed is not in
    `published()`.
    """
    now = timezone.now()
    with transaction.atomic():
        mark, created = WebhookWatermark.objects.select_for_update().get_or_create(
            name=DUE_CHECK, defaults={"checked_until": now}
        )
        if created or mark.checked_until >= now:
            return 0
        since = mark.checked_until
        came_due = (
            Article.objects.published()
            .filter(Q(publish_at__gt=since) | Q(embargo_until__gt=since))
            .filter(publish_at__lte=now)
            .exclude(embargo_until__gt=now)
            .order_by("publish_at", "pk")
        )
        written = sum(
            story_event(story, Event.PUBLISHED, unless_queued_since=visible_since(story))
            for story in came_due
        )
        mark.checked_until = now
        mark.save(update_fields=["checked_until"])
    return written


def partner_may_see(partner_id: int, story) -> bool:
    """Whether any usable key of the partner covers the story (a kill: covered it)."""
    keys = ApiKey.objects.usable().filter(partner_id=partner_id)
    if keys.filter(all_content=True).exists():
        return True
    topic_ids = list(story.topics.values_list("pk", flat=True))
    return keys.filter(sections=story.section_id).exists() or (
        bool(topic_ids) and keys.filter(topics__in=topic_ids).exists()
    )


# Sending


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """`sha256=<hex>`: HMAC-SHA256 with the webhook's secret over "<timestamp>.<body>"."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


class RefusedAddress(Exception):
    """A webhook address we will not call (scheme, or where it resolves)."""


def allowed_networks(names=None):
    names = settings.NEWSROOM_WEBHOOKS["ALLOWED_NETWORKS"] if names is None else names
    return [ipaddress.ip_network(net) for net in names]


def public_address(url: str, allowed=None) -> tuple[str, str, int, str]:
    """(scheme, host, port, IP to connect to) for `url`, if every address it resolves to is
    public (or in the `allowed` networks, by default the webhooks' own); raises
    RefusedAddress otherwise. The wire's picture fetcher calls it too."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RefusedAddress("only http:// and https:// addresses are called")
    if parts.username or parts.password:
        raise RefusedAddress("addresses with credentials are not called")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise RefusedAddress(f"{parts.hostname} does not resolve") from exc
    addresses = {info[4][0] for info in infos}
    exceptions = allowed_networks(allowed)
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if ip.version == 6 and ip.ipv4_mapped:  # ::ffff:127.0.0.1 is loopback too
            ip = ip.ipv4_mapped
        if any(ip in net for net in exceptions):
            continue
        if not ip.is_global or ip.is_multicast:
            raise RefusedAddress(f"{parts.hostname} resolves to {ip}, not a public address")
    return parts.scheme, parts.hostname, port, sorted(addresses)[0]


class PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the address that was checked, whatever DNS says a moment later."""

    def __init__(self, host, ip, **kwargs):
        super().__init__(host, **kwargs)
        self.ip = ip

    def connect(self):
        self.sock = socket.create_connection((self.ip, self.port), self.timeout)


class PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, ip, **kwargs):
        super().__init__(host, **kwargs)
        self.ip = ip

    def connect(self):
        sock = socket.create_connection((self.ip, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(url: str, body: bytes, headers: dict) -> int:
    """POST `body` to `url`; the response status. Redirects are not followed."""
    scheme, host, port, ip = public_address(url)
    connection_class = PinnedHTTPSConnection if scheme == "https" else PinnedHTTPConnection
    timeout = settings.NEWSROOM_WEBHOOKS["TIMEOUT_SECONDS"]
    connection = connection_class(host, ip, port=port, timeout=timeout)
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(1024)
        return response.status
    finally:
        connection.close()


def attempt(delivery: WebhookDelivery) -> bool:
    """Send one delivery once and record how it went; whether it arrived."""
    body = delivery.body.encode()
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Newsroom-Event": delivery.event,
        "Newsroom-Delivery": str(delivery.pk),
        "Newsroom-Timestamp": str(timestamp),
        "Newsroom-Signature": sign(delivery.webhook.secret, timestamp, body),
    }
    now = timezone.now()
    delivery.attempts += 1
    try:
        status = post(delivery.webhook.url, body, headers)
    except RefusedAddress as exc:
        status, error = None, f"Refused: {exc}."
    except (OSError, http.client.HTTPException) as exc:
        status, error = None, f"{type(exc).__name__}: {exc}"[:500]
    else:
        error = "" if 200 <= status < 300 else f"The partner answered {status}."
    delivery.last_status_code = status
    delivery.last_error = error
    if not error:
        delivery.status = WebhookDelivery.Status.DELIVERED
        delivery.delivered_at = now
    else:
        retry = next_retry(delivery, now)
        if retry is None:
            delivery.status = WebhookDelivery.Status.FAILED
        else:
            delivery.next_attempt_at = retry
    delivery.save()
    return not error


def next_retry(delivery: WebhookDelivery, now):
    """Exponential backoff from a few seconds, capped at an hour, for RETRY_HOURS in all."""
    first = FIRST_RETRY_SECONDS.get(delivery.event, DEFAULT_FIRST_RETRY_SECONDS)
    wait = min(first * 2 ** (delivery.attempts - 1), MAX_RETRY_SECONDS)
    retry = now + timedelta(seconds=wait)
    give_up = delivery.created_at + timedelta(hours=settings.NEWSROOM_WEBHOOKS["RETRY_HOURS"])
    return retry if retry <= give_up else None


def claim_due(limit: int = 20) -> list[WebhookDelivery]:
    """Take up to `limit` due deliveries, kills first; other workers skip them for a while."""
    now = timezone.now()
    with transaction.atomic():
        due = list(
            WebhookDelivery.objects.due(now)
            .select_related("webhook")
            .select_for_update(skip_locked=True, of=("self",))[:limit]
        )
        WebhookDelivery.objects.filter(pk__in=[d.pk for d in due]).update(
            next_attempt_at=now + timedelta(seconds=LEASE_SECONDS)
        )
    return due


def deliver_due(limit: int = 20) -> int:
    """Send what is due now; how many were tried."""
    due = claim_due(limit)
    for delivery in due:
        if not delivery.webhook.active:
            delivery.status, delivery.last_error = WebhookDelivery.Status.FAILED, "Webhook off."
            delivery.save(update_fields=["status", "last_error"])
            continue
        attempt(delivery)
    return len(due)


def replay(delivery: WebhookDelivery) -> WebhookDelivery:
    """Queue the same body again as a new delivery, to be sent now."""
    now = timezone.now()
    return WebhookDelivery.objects.create(
        webhook=delivery.webhook,
        event=delivery.event,
        story_id=delivery.story_id,
        body=delivery.body,
        priority=delivery.priority,
        next_attempt_at=now,
        created_at=now,
    )
