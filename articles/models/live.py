"""Live coverage: a story marked live carries timestamped updates, newest first.

Editors (and reporters, as the story's own permissions allow) post updates from the story's
form; one may be pinned above the rest; ending the live file is setting its end time.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property

from articles.sanitize import SanitizedHTMLField


class LiveCoverage(models.Model):
    """The live file's start and end on a story (an abstract part of Article)."""

    live_started_at = models.DateTimeField(
        "live since",
        null=True,
        blank=True,
        help_text="Set to run this story as a live file with updates; empty: an ordinary story.",
    )
    live_ended_at = models.DateTimeField(
        "live file ended",
        null=True,
        blank=True,
        help_text="When coverage ended; empty while it runs.",
    )

    class Meta:
        abstract = True

    @cached_property
    def updates(self) -> list["LiveUpdate"]:
        """The live file's updates as readers see them, bylines included: one query, and
        none at all for an ordinary story (so `for_detail()` does not prefetch them)."""
        if not self.is_live_file:
            return []
        return list(self.live_updates.select_related("contributor"))

    @property
    def is_live_file(self) -> bool:
        return self.live_started_at is not None

    @property
    def is_live_now(self) -> bool:
        return self.is_live_file and (
            self.live_ended_at is None or self.live_ended_at > timezone.now()
        )


class LiveUpdate(models.Model):
    """One update in a live file, with its own headline, text, byline and address (#update-<id>)."""

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="live_updates"
    )
    headline = models.CharField(max_length=255)
    body = SanitizedHTMLField(
        blank=True, help_text="Text, and any photo or embed, inserted as blocks."
    )
    contributor = models.ForeignKey(
        "articles.Contributor",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="live_updates",
        help_text="Whose update it is.",
    )
    posted_at = models.DateTimeField(default=timezone.now, db_index=True)
    pinned = models.BooleanField(default=False, help_text="Keep it above the newer updates.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-pinned", "-posted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["article"], condition=models.Q(pinned=True), name="live_one_pinned_update"
            ),
        ]

    def __str__(self):
        return self.headline

    @property
    def anchor(self) -> str:
        return f"update-{self.pk}"
