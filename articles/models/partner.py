"""Partners who take our copy: their API keys and the webhooks we call when a story changes.

Keys are stored as a SHA-256 hash of the whole key (they are 190 random bits: a slow
password hash buys nothing) with a short public prefix to find the row; the key itself is
shown once, when it is made. Webhook secrets are kept as they are: signing needs them.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

KEY_PREFIX = "nr"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_webhook_secret() -> str:
    return secrets.token_hex(32)


class Partner(models.Model):
    """An organisation that republishes our stories or builds on them."""

    name = models.CharField(max_length=200, unique=True)
    contact_email = models.EmailField(blank=True, help_text="Who to tell about changes.")
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ApiKeyQuerySet(models.QuerySet):
    def usable(self):
        """Keys that open the API now: not revoked, not expired."""
        now = timezone.now()
        return self.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now), revoked_at=None)


class ApiKey(models.Model):
    """One key of a partner: what it may read, how often, and until when."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=100, help_text="What the key is for, e.g. “mobile app”.")
    prefix = models.CharField(max_length=16, unique=True, editable=False)
    hashed_key = models.CharField(max_length=64, editable=False)
    all_content = models.BooleanField(
        default=True,
        help_text="Every published story; untick to limit it to the sections and topics below.",
    )
    sections = models.ManyToManyField("articles.Section", blank=True, related_name="+")
    topics = models.ManyToManyField("articles.Topic", blank=True, related_name="+")
    rate_per_minute = models.PositiveIntegerField(
        default=600, help_text="Requests a minute before the API answers 429."
    )
    expires_at = models.DateTimeField(null=True, blank=True, help_text="Empty: never.")
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        ordering = ["partner__name", "name"]
        verbose_name = "API key"
        constraints = [
            models.CheckConstraint(condition=Q(rate_per_minute__gt=0), name="apikey_rate_positive"),
        ]

    def __str__(self):
        return f"{self.partner}: {self.name} ({self.prefix}…)"

    def new_secret(self) -> str:
        """Give the key a fresh secret and return it: the only time anyone sees it."""
        self.prefix = secrets.token_hex(4)
        key = f"{KEY_PREFIX}_{self.prefix}_{secrets.token_urlsafe(24)}"
        self.hashed_key = hash_key(key)
        return key

    @classmethod
    def create_for(cls, partner: Partner, **fields) -> tuple["ApiKey", str]:
        key = cls(partner=partner, **fields)
        secret = key.new_secret()
        key.save()
        return key, secret

    def touch(self, now=None) -> None:
        """Record a use, at most once a minute: a busy key must not write on every request."""
        now = now or timezone.now()
        if self.last_used_at is None or now - self.last_used_at > timedelta(minutes=1):
            type(self).objects.filter(pk=self.pk).update(last_used_at=now)
            self.last_used_at = now


class Webhook(models.Model):
    """An address of a partner's that we call when a story it may see changes."""

    class Event(models.TextChoices):
        PUBLISHED = "published", "Story published"
        UPDATED = "updated", "Story updated"
        CORRECTED = "corrected", "Correction added"
        UNPUBLISHED = "unpublished", "Story unpublished"
        KILLED = "killed", "Story killed"

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(max_length=500, help_text="https:// address that receives a POST.")
    events = models.JSONField(default=list, help_text="Which events to send.")
    secret = models.CharField(max_length=64, default=new_webhook_secret, editable=False)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["partner__name", "url"]

    def __str__(self):
        return f"{self.partner} → {self.url}"

    def clean(self):
        unknown = set(self.events or []) - set(self.Event.values)
        if unknown:
            raise ValidationError({"events": f"Unknown events: {', '.join(sorted(unknown))}."})


class DeliveryQuerySet(models.QuerySet):
    def due(self, now=None):
        """Deliveries to try now: pending and due, kills first, then oldest first."""
        return self.filter(
            status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now or timezone.now()
        ).order_by("priority", "next_attempt_at", "pk")


class WebhookDelivery(models.Model):
    """One event for one webhook: its body as sent, and how sending it went."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Gave up"

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=20, choices=Webhook.Event)
    story_id = models.PositiveBigIntegerField()
    body = models.TextField(help_text="The JSON sent, byte for byte.")
    # Kills go out before anything else waiting.
    priority = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=20, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "webhook deliveries"
        indexes = [
            models.Index(
                fields=["priority", "next_attempt_at"],
                condition=Q(status="pending"),
                name="delivery_due_idx",
            ),
        ]

    def __str__(self):
        return f"{self.get_event_display()} #{self.story_id} → {self.webhook.url}"


class WebhookWatermark(models.Model):
    """How far a periodic check for webhook events has looked (articles/api/webhooks.py).

    Stories that become visible by themselves (a scheduled time or an embargo passing) have no
    editor's click to announce them; the check looks at the stretch of time since the last one.
    Its row is locked while it runs and moved in the same transaction as the deliveries it
    writes, so two workers, or one restarted halfway, never announce a story twice.
    """

    name = models.CharField(max_length=40, primary_key=True)
    checked_until = models.DateTimeField()

    def __str__(self):
        return f"{self.name}: {self.checked_until:%Y-%m-%d %H:%M:%S}"
