"""Live coverage: a story marked live carries timestamped updates, newest first.

Editors post updates from the story's form or the desk's *Live updates* page; reporters post
them on that page too, where each waits as "submitted" until an editor approves it. Readers
see approved updates only: `LiveUpdate.objects.public()`, and `LiveUpdate.is_public()` for
one in hand, are that rule, used by the story page, the updates fragment, the story's feed
and its JSON-LD. One update may be pinned above the rest; ending the live file is setting
its end time.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
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
        return list(self.live_updates.public().select_related("contributor"))

    @property
    def is_live_file(self) -> bool:
        return self.live_started_at is not None

    @property
    def is_live_now(self) -> bool:
        return self.is_live_file and (
            self.live_ended_at is None or self.live_ended_at > timezone.now()
        )


class LiveUpdateQuerySet(models.QuerySet):
    def public(self):
        """Updates readers may see (of stories they may see): the approved ones."""
        return self.filter(status=LiveUpdate.Status.APPROVED)


class LiveUpdate(models.Model):
    """One update in a live file, with its own headline, text, byline and address (#update-<id>)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Submitted, waiting for an editor"
        APPROVED = "approved", "Approved, readers see it"

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
    # Submitted unless someone who may publish posts or approves it (the desk decides).
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = LiveUpdateQuerySet.as_manager()

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

    def is_public(self) -> bool:
        """`LiveUpdate.objects.public()` for one update in hand."""
        return self.status == self.Status.APPROVED

    @staticmethod
    def may_approve(user) -> bool:
        """Whether `user` may put updates in front of readers: those who may publish stories."""
        return user.is_active and user.has_perm("articles.publish_article")

    def approve(self, *, by) -> None:
        """Put a submitted update in front of readers; their pages of the story follow."""
        from articles.cache import invalidate

        if not self.may_approve(by):
            raise PermissionDenied("Only those who may publish stories approve live updates.")
        with transaction.atomic():
            self.status = self.Status.APPROVED
            self.approved_by = by
            self.save(update_fields=["status", "approved_by"])
            invalidate.story_pages_changed([self.article_id])
