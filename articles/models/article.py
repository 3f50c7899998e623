import reversion
from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import connections, models, transaction
from django.db.models import Count, Min, OuterRef, Prefetch, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from taggit.managers import TaggableManager

from articles import search as text_search
from articles.cache import invalidate
from articles.models.contributor import Byline, Contributor, credit_lines
from articles.models.live import LiveCoverage
from articles.models.photo import ArticlePhoto
from articles.models.redirect import FormerSlug
from articles.models.related import RelatedStory
from articles.models.slugs import available_slugs
from articles.models.social import SearchAndSocial
from articles.models.topic import TaggedArticle
from articles.models.workflow import PERMISSIONS, ArticleStatus, ArticleWorkflow, WorkflowQuerySet
from articles.sanitize import SanitizedHTMLField


def card_prefetches() -> list:
    """What a story card reads beyond its row: bylines with contributors, visible photos."""
    return [
        Prefetch("bylines", queryset=Byline.objects.select_related("contributor")),
        Prefetch(
            "photo_placements",
            queryset=ArticlePhoto.objects.visible().select_related("photo"),
            to_attr="visible_placements",
        ),
    ]


def story_prefetches() -> list:
    """What a story page reads beyond its row and its card's (`card_prefetches`)."""
    return ["topics", "corrections"]


class ArticleQuerySet(WorkflowQuerySet):
    def published(self):
        """The one rule for what a reader may see: published, due, and out of any embargo."""
        now = timezone.now()
        return self.filter(
            Q(embargo_until__isnull=True) | Q(embargo_until__lte=now),
            status=Article.Status.PUBLISHED,
            publish_at__lte=now,
        )

    def next_visibility_change(self):
        """The next moment `published()` will change by itself: a schedule or embargo coming due."""
        now = timezone.now()
        candidates = self.filter(status=Article.Status.PUBLISHED).aggregate(
            publish=Min("publish_at", filter=Q(publish_at__gt=now)),
            embargo=Min("embargo_until", filter=Q(embargo_until__gt=now)),
        )
        return min((when for when in candidates.values() if when), default=None)

    def count_by_topic(self, topic_ids) -> dict[int, int]:
        """How many of these stories each topic in `topic_ids` holds (absent: none)."""
        rows = (
            self.filter(topics__in=topic_ids)
            .order_by()
            .values_list("topics")
            .annotate(n=Count("pk"))
        )
        return dict(rows)

    def newest_first(self):
        """Most recently published first, with a stable tie-break."""
        return self.order_by("-publish_at", "-pk")

    def in_topic(self, topic):
        """Stories tagged with `topic`."""
        return self.filter(topics=topic)

    def in_section(self, section):
        """Stories filed in `section`."""
        return self.filter(section=section)

    def by_contributor(self, contributor):
        """Stories crediting `contributor` in any role, each once."""
        return self.filter(pk__in=Byline.objects.filter(contributor=contributor).values("article"))

    def related_to(self, article, candidates: int = 100):
        """Stories sharing topics with `article`: most topics in common first, then newest.

        Only the newest `candidates` stories sharing any topic are ranked, so a story in a
        topic of 50,000 costs what one in a topic of 50 does.
        """
        topic_ids = [topic.pk for topic in article.topics.all()]
        recent = (
            self.filter(topics__in=topic_ids)
            .exclude(pk=article.pk)
            .order_by("-publish_at")
            .values("pk")[:candidates]
        )
        shared = (
            TaggedArticle.objects.filter(content_object=OuterRef("pk"), tag__in=topic_ids)
            .order_by()
            .values("content_object")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return (
            self.filter(pk__in=recent)
            .annotate(shared_topics=Subquery(shared))
            .order_by("-shared_topics", "-publish_at", "-pk")
        )

    def search(self, query: str):
        """Stories matching `query`, best match first, each with a `snippet` where the database can.

        PostgreSQL: weighted full-text search (websearch syntax: quotes, `or`, `-word`), ranked,
        with highlighted snippets. Other databases: every word must appear somewhere, newest first.
        """
        query = text_search.clean_query(query)
        if connections[self.db].vendor == "postgresql":
            return text_search.full_text_search(self, query)
        words = text_search.query_words(query)
        if not words:
            return self.none()
        matches = Q()
        for word in words:
            in_any_field = Q(headline__icontains=word) | Q(dek__icontains=word)
            matches &= in_any_field | Q(body__icontains=word)
        return self.filter(matches).newest_first()

    def for_cards(self):
        """A story card's own row: the listing data without the related rows.

        Listings whose cards are usually kept rendered (articles/public/pieces.py) read
        bylines and photos only for the cards they render, with `CARD_PREFETCHES`.
        """
        # A card shows neither the body nor the search document: leave them in the database.
        return self.defer("body", "search_document").select_related("section")

    def for_listing(self):
        """What a story card shows: section, bylines and lead photo, in fixed queries."""
        return self.for_cards().prefetch_related(*card_prefetches())

    def for_feed(self):
        """What a feed entry shows: the listing data plus the body and topics."""
        return self.for_listing().defer(None).defer("search_document").prefetch_related("topics")

    def for_detail(self):
        """A whole story page: the feed data plus its corrections and wire source."""
        return self.for_feed().select_related("source_agency").prefetch_related("corrections")

    def story_page(self, slug: str, related: int):
        """The story at `slug` first, then up to `related` of its stored related stories.

        One query for all of them, whatever the size of the topics they share; their
        bylines, photos and topics are read by the page only for what it has to render
        (`STORY_PREFETCHES`). Not the story if it is not in `self`.
        """
        links = RelatedStory.objects.filter(article__slug=slug).order_by()
        position = links.filter(related=OuterRef("pk")).values("position")[:1]
        # A union, not `slug OR pk IN (...)`: each side is an index look-up.
        wanted = Article.objects.filter(slug=slug).values("pk")
        return (
            self.filter(pk__in=wanted.union(links.values("related"), all=True))
            .annotate(related_position=Subquery(position))
            .order_by(models.F("related_position").asc(nulls_first=True))
            .defer("search_document")
            .select_related("section", "source_agency")[: related + 1]
        )

    def previewable(self):
        """Stories a signed preview link may show: any not killed, published or not."""
        return self.exclude(status=Article.Status.KILLED)

    def formerly_at(self, slug: str):
        """Stories that were published under `slug` before it changed."""
        return self.filter(former_slugs__slug=slug)

    def on_calendar(self, start, end):
        """Stories with a publication time in [start, end), in time order, for the calendar."""
        return self.filter(publish_at__gte=start, publish_at__lt=end).order_by("publish_at", "pk")

    def available_slug(self, text: str, max_length: int = 200) -> str:
        """A slug from `text` that no story has yet ("fire-in-busan", then "fire-in-busan-2")."""
        return self.available_slugs([text], max_length)[0]

    def available_slugs(self, texts: list[str], max_length: int = 200) -> list[str]:
        """A free slug for each of `texts`, in one query, distinct from each other too."""
        return available_slugs(self, texts, fallback="story", max_length=max_length)


# Each revision holds the story with its bylines, photo placements and topic links.
@reversion.register(follow=["bylines", "photo_placements", "tagged_topics"])
class Article(ArticleWorkflow, SearchAndSocial, LiveCoverage, models.Model):
    # Defined beside the transitions that move a story between them (workflow.py).
    Status = ArticleStatus

    kicker = models.CharField(
        max_length=80, blank=True, help_text="Short label above the headline."
    )
    headline = models.CharField(max_length=255)
    slug = models.SlugField(
        max_length=255,
        unique=True,
        allow_unicode=True,
        help_text="The last part of the story's address.",
    )
    dek = models.TextField(blank=True, help_text="One or two sentences under the headline.")
    dateline = models.CharField(max_length=100, blank=True, help_text="Place, e.g. SEOUL")
    body = SanitizedHTMLField(blank=True)
    section = models.ForeignKey(
        "articles.Section",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
    )
    topics = TaggableManager(
        through=TaggedArticle, blank=True, related_name="articles", help_text=""
    )

    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)
    publish_at = models.DateTimeField(
        null=True, blank=True, help_text="When readers may see it; a future time schedules it."
    )
    embargo_until = models.DateTimeField(
        null=True, blank=True, help_text="Hidden everywhere until this time, whatever its status."
    )
    first_published_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Wire copy: the agency and its own reference make a story importable only once.
    source_agency = models.ForeignKey(
        Contributor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sourced_articles",
        limit_choices_to={"kind": Contributor.Kind.AGENCY},
    )
    source_reference = models.CharField(max_length=255, blank=True)
    # The agency's own time, shown as "Yonhap, Nov. 26, 19:12 KST"; readers get publish_at.
    source_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    # A fingerprint of the wire text last imported: re-importing the same text changes nothing.
    source_checksum = models.CharField(max_length=64, blank=True, editable=False)

    # Headline, dek and body weighted A, B, C for full-text search. PostgreSQL fills it by
    # trigger on every write (migration 0006); other databases leave it empty.
    search_document = SearchVectorField(null=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Moves on with every save, so a form opened before someone else's save is refused rather
    # than silently overwriting it (see ArticleForm).
    version = models.PositiveIntegerField(default=0, editable=False)
    # Signed into every preview link; moving it on ends every link issued before (previews.py).
    preview_generation = models.PositiveIntegerField(default=0, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        permissions = PERMISSIONS
        constraints = [
            models.CheckConstraint(condition=~Q(headline=""), name="article_headline_not_empty"),
            models.CheckConstraint(condition=~Q(slug=""), name="article_slug_not_empty"),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(publish_at__isnull=False),
                name="article_published_has_publish_at",
                violation_error_message="A published story needs a publish time.",
            ),
            models.UniqueConstraint(
                fields=["source_agency", "source_reference"],
                condition=~Q(source_reference=""),
                name="article_wire_source_once",
            ),
            # Staff copy from the wire has no agency; NULLs never collide in the constraint above.
            models.UniqueConstraint(
                fields=["source_reference"],
                condition=Q(source_agency__isnull=True) & ~Q(source_reference=""),
                name="article_wire_source_once_without_agency",
            ),
        ]
        indexes = [
            # Shaped like the reader listings: published stories, newest first.
            models.Index(
                fields=["-publish_at"],
                condition=Q(status="published"),
                name="article_published_idx",
            ),
            models.Index(
                fields=["section", "-publish_at"],
                condition=Q(status="published"),
                name="article_section_published_idx",
            ),
            models.Index(fields=["status", "-updated_at"], name="article_status_updated_idx"),
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        self.version += 1
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "version"}
        # The old address of a story readers have seen keeps working, whichever path renamed
        # it (the desk, a restored revision, a script), so it is written with the rename.
        stored_slug = getattr(self, "_stored_slug", None)
        renamed = (
            stored_slug
            and stored_slug != self.slug
            and (self.first_published_at is not None or self.status == self.Status.PUBLISHED)
            and (update_fields is None or "slug" in update_fields)
        )
        if renamed:
            with transaction.atomic():
                super().save(*args, **kwargs)
                FormerSlug.objects.update_or_create(slug=stored_slug, defaults={"article": self})
        else:
            super().save(*args, **kwargs)
        self._stored_slug = self.slug

    def get_absolute_url(self):
        when = timezone.localtime(self.publish_at or self.created_at or timezone.now())
        return reverse(
            "articles:detail",
            kwargs={"year": when.year, "month": when.month, "day": when.day, "slug": self.slug},
        )

    def is_visible(self, now=None) -> bool:
        """The Python twin of `published()`, for one story in hand (a test proves they agree)."""
        now = now or timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.publish_at is not None
            and self.publish_at <= now
            and (self.embargo_until is None or self.embargo_until <= now)
        )

    @classmethod
    def from_db(cls, db, field_names, values):
        # Remember the stored slug: a save can then tell whether it changed (former addresses).
        article = super().from_db(db, field_names, values)
        article._stored_slug = article.__dict__.get("slug")
        return article

    def clean(self):
        # A published story whose publish time is cleared on the desk counts as published now.
        if self.status == self.Status.PUBLISHED and self.publish_at is None:
            self.publish_at = timezone.now()

    def add_correction(self, *, kind, text: str, by=None):
        """Append a correction, clarification or update; the story counts as updated now."""
        with transaction.atomic():
            correction = self.corrections.create(kind=kind, text=text, created_by=by)
            self.updated_at = correction.created_at
            type(self).objects.filter(pk=self.pk).update(updated_at=self.updated_at)
            from articles.api import webhooks

            webhooks.story_event_on_commit(self, "corrected")
            invalidate.story_changed(self)
        return correction

    @property
    def placements(self) -> list[ArticlePhoto]:
        """Placed photos readers may see, in order (prefetched by `for_listing()`)."""
        if not hasattr(self, "visible_placements"):
            self.visible_placements = list(self.photo_placements.visible().select_related("photo"))
        return self.visible_placements

    @property
    def lead_placement(self) -> ArticlePhoto | None:
        return self.placements[0] if self.placements else None

    @property
    def credit_lines(self):
        return credit_lines(self.bylines.all())

    @property
    def was_updated(self) -> bool:
        """Whether readers should see an "Updated" time: edited well after publication."""
        if self.publish_at is None:
            return False
        return (self.updated_at - self.publish_at).total_seconds() > 600
