from django.db import models, transaction


class TopicSuggestionQuerySet(models.QuerySet):
    def pending(self):
        """Suggestions no editor has decided on yet."""
        return self.filter(status=TopicSuggestion.Status.PENDING)


class TopicSuggestion(models.Model):
    """A topic the wire importer found in a story's text, waiting for an editor's decision.

    One row per story and topic, whatever its status, so a dismissed suggestion stays
    dismissed when the story is imported again.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        DISMISSED = "dismissed", "Dismissed"

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="topic_suggestions"
    )
    topic = models.ForeignKey(
        "articles.Topic", on_delete=models.CASCADE, related_name="suggestions"
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.PENDING)
    matched_text = models.CharField(
        max_length=200, blank=True, help_text="The words in the story that matched the topic."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TopicSuggestionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "topic"], name="topic_suggestion_once"),
        ]

    def __str__(self):
        return f"{self.topic} for {self.article}"

    @transaction.atomic
    def accept(self):
        """File the story under the suggested topic."""
        self.article.topics.add(self.topic)
        self.status = self.Status.ACCEPTED
        self.save(update_fields=["status"])

    def dismiss(self):
        self.status = self.Status.DISMISSED
        self.save(update_fields=["status"])
