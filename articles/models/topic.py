import threading

import reversion
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import DEFAULT_DB_ALIAS, models, transaction
from django.db.models import Exists, F, Func, OuterRef, Q, Subquery
from django.db.models.functions import Lower
from django.db.models.signals import post_delete
from django.urls import reverse
from django.utils.text import slugify
from taggit.models import TagBase, TaggedItemBase

from articles.cache import invalidate


class TopicQuerySet(models.QuerySet):
    def featured(self):
        """Topics editors chose to promote on the home page."""
        return self.filter(featured=True)

    def with_published_stories(self):
        """Topics with at least one story a reader can see, asked of the archive now.

        For one topic in hand (its page, its feed); a list of topics reads the stored count
        instead (`on_index()`).
        """
        from articles.models.article import Article

        return self.filter(Exists(Article.objects.published().filter(topics=OuterRef("pk"))))

    def on_index(self):
        """Topics readers can find stories in, by their stored count (`recount()`)."""
        return self.filter(published_count__gt=0)

    def recount(self) -> None:
        """Store how many stories readers can see in each of these topics, from `published()`.

        A recount rather than +1/-1: it costs a few index lookups per topic and is right
        whatever happened before, so a missed or repeated call cannot leave a count adrift.
        """
        from articles.models.article import Article

        stories = (
            Article.objects.published()
            .filter(topics=OuterRef("pk"))
            .order_by()
            # COUNT as a plain function: one row per topic, without a GROUP BY.
            .annotate(n=Func(F("pk"), function="COUNT"))
            .values("n")
        )
        locked = self.order_by("pk").select_for_update()
        with transaction.atomic(using=locked.db):  # the primary database, not a replica
            # Two recounts of a topic at once: the later one waits for the earlier one's
            # lock, then counts from a fresh snapshot, so the last count written is never
            # older than a change that asked for it.
            list(locked.values_list("pk"))
            self.using(locked.db).order_by().update(published_count=Subquery(stories))

    def readable_by(self, user):
        """Topics the desk shows `user`: unused ones, and those of a story they may read.

        A topic only hidden stories use ("…-obituary") says too much to reporters.
        """
        from articles.models.article import Article
        from articles.models.workflow import reads_every_story

        if reads_every_story(user):
            return self
        used = TaggedArticle.objects.filter(tag=OuterRef("pk"))
        readable = Article.objects.readable_by(user).filter(topics=OuterRef("pk"))
        return self.filter(~Exists(used) | Exists(readable))


class Topic(TagBase):
    """A topic readers can follow, such as `defense`, `CEPA` or `online scams`.

    Names are unique regardless of case, so "CEPA" and "Cepa" never split an archive.
    """

    description = models.TextField(blank=True)
    featured = models.BooleanField(default=False, help_text="Promote on the home page.")
    # Agency copy tagged with this IPTC Media Topic is suggested for this topic.
    iptc_code = models.CharField(
        "IPTC Media Topic",
        max_length=40,
        blank=True,
        help_text="An IPTC Media Topic code, such as medtop:20000051.",
        validators=[RegexValidator(r"^medtop:\d{8}$", "Write the code as medtop: and 8 digits.")],
    )

    # Stories readers can see in this topic, kept by `TopicQuerySet.recount()` after each
    # change (articles/cache/invalidate.py), so the topic index never reads the archive.
    published_count = models.PositiveIntegerField(default=0, editable=False)

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [
            # The topic index: topics with a story readers can see, A to Z, from a name on.
            models.Index(
                fields=["name"], condition=Q(published_count__gt=0), name="topic_on_index_by_name"
            ),
        ]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="topic_name_case_insensitive_unique"),
            models.UniqueConstraint(
                fields=["iptc_code"], condition=~Q(iptc_code=""), name="topic_iptc_code_once"
            ),
        ]

    def get_absolute_url(self):
        return reverse("articles:topic", kwargs={"slug": self.slug})

    def clean(self):
        alias = TopicAlias.objects.filter(name__iexact=self.name).exclude(topic_id=self.pk)
        if canonical := alias.select_related("topic").first():
            raise ValidationError(
                {
                    "name": f"“{self.name}” is another name for the topic “{canonical.topic.name}”:"
                    " use that topic, or remove the alias first."
                }
            )

    @transaction.atomic
    def merge_into(self, kept: "Topic") -> int:
        """Move this topic's stories and aliases to `kept`, keep this name as an alias, delete it.

        Returns how many stories moved.
        """
        if kept.pk == self.pk:
            raise ValueError("A topic cannot be merged into itself.")
        already_tagged = TaggedArticle.objects.filter(tag=kept).values("content_object_id")
        moved = (
            TaggedArticle.objects.filter(tag=self)
            .exclude(content_object_id__in=already_tagged)
            .update(tag=kept)
        )
        self.aliases.update(topic=kept)
        # Suggestions follow too, unless the kept topic was already suggested for that story.
        self.suggestions.exclude(article__in=kept.suggestions.values("article")).update(topic=kept)
        name, slug = self.name, self.slug
        invalidate.library_changed(self, removed=True)
        invalidate.library_changed(kept)
        self.delete()
        # The old name finds the kept topic, and the old address leads to it.
        TopicAlias.objects.update_or_create(
            name__iexact=name, defaults={"topic": kept, "name": name, "slug": slug}
        )
        return moved


class TopicAliasQuerySet(models.QuerySet):
    def at(self, slug: str):
        """Aliases whose address is `slug`: `/topics/defence/` for the alias "defence"."""
        return self.filter(slug=slug)


class TopicAlias(models.Model):
    """Another name for a topic ("Comprehensive Economic Partnership Agreement" for CEPA).

    Its slug is an old or other address of the topic: it redirects to the topic's page.
    """

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200,
        blank=True,
        allow_unicode=True,
        help_text="Its address, which leads to the topic. Empty: made from the name.",
    )

    objects = TopicAliasQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "topic aliases"
        constraints = [
            models.UniqueConstraint(Lower("name"), name="topic_alias_case_insensitive_unique"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.slug = self.slug or slugify(self.name, allow_unicode=True)[:200]
        super().save(*args, **kwargs)


@reversion.register()
class TaggedArticle(TaggedItemBase):
    """The article-topic link, a real foreign key both ways (no generic relation)."""

    content_object = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="tagged_topics"
    )
    tag = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="tagged_articles")

    class Meta:
        verbose_name = "article topic"
        constraints = [
            # Topic first: a topic page reads "stories of topic X", straight off this index.
            models.UniqueConstraint(fields=["tag", "content_object"], name="article_topic_once"),
        ]


# Topics waiting for a recount, per thread and database: a transaction that removes thousands
# of links (a topic deleted) recounts each topic once, not once per link (the first callback
# to run takes them all; the others find nothing left).
_waiting = threading.local()


def recount_after_commit(topic_ids, using: str | None = None) -> None:
    """Recount these topics once the current transaction commits (at once outside one)."""
    topic_ids = set(topic_ids)
    if not topic_ids:
        return
    using = using or DEFAULT_DB_ALIAS
    if not hasattr(_waiting, "ids"):
        _waiting.ids = {}
    waiting = _waiting.ids.setdefault(using, set())
    waiting.update(topic_ids)

    def recount():
        # Every id asked for so far, including any left by a rolled-back transaction (a
        # recount more is harmless).
        ids = set(waiting)
        waiting.clear()
        if ids:
            Topic.objects.using(using).filter(pk__in=ids).recount()

    transaction.on_commit(recount, using=using)


def _topic_link_removed(sender, instance, using, **kwargs) -> None:
    # A story leaves a topic through taggit's manager (the story form's topics), a restore
    # rewriting the story's links, or a cascade (story or topic deleted). The invalidation
    # call that follows reads the story's topics as they are now and no longer sees the one
    # it left, so the removal itself asks for that topic's recount.
    recount_after_commit([instance.tag_id], using=using)


post_delete.connect(
    _topic_link_removed, sender=TaggedArticle, dispatch_uid="topic_link_removed_recount"
)
