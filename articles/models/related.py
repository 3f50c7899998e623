"""Related stories, chosen when a story is published or re-filed, not on every page view.

Ranking the stories that share a topic costs what the topic's size makes it cost (a topic
of 36,000 stories takes tens of milliseconds at worst); a story page only reads the few ids
stored here, so its cost is the same whatever the archive holds. A story published later
enters older stories' lists when they are refreshed in bulk (`manage.py refresh_related`).
"""

from django.db import models, transaction

# Kept per story: more than a page shows, as some may have been taken down since.
RELATED_KEPT = 8


class RelatedStory(models.Model):
    """One of a story's related stories, in the order readers see them."""

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="related_links"
    )
    related = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["article", "position"]
        verbose_name_plural = "related stories"
        constraints = [
            models.UniqueConstraint(fields=["article", "related"], name="related_story_once"),
            models.CheckConstraint(
                condition=~models.Q(article=models.F("related")), name="related_story_not_itself"
            ),
        ]

    def __str__(self):
        return f"{self.related_id} after story {self.article_id} (#{self.position + 1})"


def refresh_related(articles) -> int:
    """Store the related stories of each of `articles` (objects or ids); returns rows written.

    Candidates are published stories, scheduled ones included: pages filter them through
    `published()` when they read them, so a story appears there the moment it comes due.
    """
    from articles.models.article import Article

    ids = [getattr(article, "pk", article) for article in articles]
    rows = []
    for article in Article.objects.filter(pk__in=ids).only("pk").prefetch_related("topics"):
        if not article.topics.all():
            continue
        candidates = Article.objects.filter(status=Article.Status.PUBLISHED)
        ranked = candidates.related_to(article).values_list("pk", flat=True)[:RELATED_KEPT]
        rows += [
            RelatedStory(article=article, related_id=pk, position=position)
            for position, pk in enumerate(ranked)
        ]
    with transaction.atomic():
        RelatedStory.objects.filter(article_id__in=ids).delete()
        RelatedStory.objects.bulk_create(rows)
    return len(rows)
