from django.conf import settings
from django.db import models
from django.utils import timezone


class Alert(models.Model):
    """Something an account did that a compromised account would do: for administrators to
    look at (articles/alerts.py decides when)."""

    class Kind(models.TextChoices):
        OTHERS_BYLINE = "others_byline", "Published own copy under someone else's byline"
        OFF_HOURS = "off_hours", "Published outside the usual hours"
        BURST = "burst", "Many publishes in a short time"

    at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=30, choices=Kind)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    article = models.ForeignKey(
        "articles.Article", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    address = models.GenericIPAddressField(null=True, blank=True)
    message = models.TextField()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["-at"], name="alert_at_idx")]

    def __str__(self):
        return self.message


class CspViolation(models.Model):
    """One distinct Content-Security-Policy violation browsers reported, with how often.

    At most NEWSROOM_CSP_REPORTS_KEPT rows: a flood of made-up reports fills the table once,
    then only counts (newsroom/csp_reports.py).
    """

    directive = models.CharField(max_length=100)
    blocked = models.CharField(max_length=500)
    document = models.CharField(max_length=500)
    count = models.PositiveIntegerField(default=1)
    first_seen = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-last_seen"]
        verbose_name = "CSP violation"
        constraints = [
            models.UniqueConstraint(
                fields=["directive", "blocked", "document"], name="csp_violation_once"
            )
        ]

    def __str__(self):
        return f"{self.directive}: {self.blocked}"
