from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class CorrectionQuerySet(models.QuerySet):
    def public(self):
        """Corrections readers may see: those on stories in `Article.objects.published()`."""
        from articles.models.article import Article

        return self.filter(article__in=Article.objects.published())

    def newest_first(self):
        """Latest correction first, with a stable tie-break."""
        return self.order_by("-created_at", "-pk")

    def for_listing(self):
        """What the corrections page shows: each correction with its story, in one query."""
        return self.select_related("article")


class Correction(models.Model):
    """A correction, clarification or update appended to a story; readers see every one."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        CLARIFICATION = "clarification", "Clarification"
        UPDATE = "update", "Update"

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="corrections"
    )
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.CORRECTION)
    text = models.TextField(help_text="What was wrong and what is right, as readers will read it.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="correction_text_not_empty"),
        ]
        indexes = [models.Index(fields=["-created_at"], name="correction_created_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} to “{self.article}”"
