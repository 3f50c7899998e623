from django.db import models
from django.utils import timezone


class FormerSlug(models.Model):
    """An address a story was published under before its slug changed; it redirects (301)."""

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="former_slugs"
    )
    # Unique: an old address leads to one story, the last one that was published under it.
    slug = models.SlugField(max_length=255, unique=True, allow_unicode=True)
    retired_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-retired_at", "-pk"]

    def __str__(self):
        return self.slug
