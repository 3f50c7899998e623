from django.conf import settings
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.db import connections, models
from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from taggit.managers import TaggableManager

from articles import search as text_search
from articles.fields import SanitizedHTMLField
from articles.models.contributor import Byline, Contributor, credit_lines
from articles.models.photo import ArticlePhoto
from articles.models.topic import TaggedArticle


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """The one rule for what a reader may see: published, due, and out of any embargo."""
        now = timezone.now()
        return self.filter(
            Q(embargo_until__isnull=True) | Q(embargo_until__lte=now),
            status=Article.Status.PUBLISHED,
            publish_at__lte=now,
        )

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

    def related_to(self, article):
        """Other stories sharing topics with `article`, most topics in common first."""
        topic_ids = [topic.pk for topic in article.topics.all()]
        return (
            self.filter(topics__in=topic_ids)
            .exclude(pk=article.pk)
            .annotate(shared_topics=Count("pk"))
            .order_by("-shared_topics", "-publish_at", "-pk")
        )

    def search(self, query: str):
        """Stories matching `query`, best match first, each with a `snippet` where the database can.

        PostgreSQL: weighted full-text search (websearch syntax: quotes, `or`, `-word`), ranked,
        with highlighted snippets. Other databases: every word must appear somewhere, newest first.
        """
        query = text_search.clean_query(query)
        if connections[self.db].vendor == "postgresql":
            return self._full_text_search(query)
        words = text_search.query_words(query)
        if not words:
            return self.none()
        matches = Q()
        for word in words:
            in_any_field = Q(headline__icontains=word) | Q(dek__icontains=word)
            matches &= in_any_field | Q(body__icontains=word)
        return self.filter(matches).newest_first()

    def _full_text_search(self, query: str):
        if not query:
            return self.none()
        search_query = SearchQuery(query, search_type="websearch", config=text_search.SEARCH_CONFIG)
        return (
            self.filter(search_document=search_query)
            .annotate(
                rank=SearchRank(models.F("search_document"), search_query),
                snippet=SearchHeadline(
                    "body",
                    search_query,
                    config=text_search.SEARCH_CONFIG,
                    start_sel=text_search.MARK_START,
                    stop_sel=text_search.MARK_STOP,
                    max_words=30,
                    min_words=12,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                ),
            )
            .order_by("-rank", "-publish_at", "-pk")
        )

    def for_listing(self):
        """What a story card shows: section, bylines and lead photo, in fixed queries."""
        # The search document is a few kilobytes a story that no page displays.
        return (
            self.defer("search_document")
            .select_related("section")
            .prefetch_related(
                Prefetch("bylines", queryset=Byline.objects.select_related("contributor")),
                Prefetch(
                    "photo_placements",
                    queryset=ArticlePhoto.objects.visible().select_related("photo"),
                    to_attr="visible_placements",
                ),
            )
        )

    def for_detail(self):
        """A whole story page: the listing data plus topics."""
        return self.for_listing().prefetch_related("topics")

    def available_slug(self, text: str, max_length: int = 200) -> str:
        """A slug from `text` that no story has yet ("fire-in-busan", then "fire-in-busan-2")."""
        base = slugify(text, allow_unicode=True)[:max_length].strip("-") or "story"
        taken = set(self.filter(slug__startswith=base).values_list("slug", flat=True).iterator())
        slug, n = base, 2
        while slug in taken:
            suffix = f"-{n}"
            slug = f"{base[: max_length - len(suffix)]}{suffix}"
            n += 1
        return slug


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        READY = "ready", "Ready"
        PUBLISHED = "published", "Published"
        UNPUBLISHED = "unpublished", "Unpublished"
        KILLED = "killed", "Killed"

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

    # Headline, dek and body weighted A, B, C for full-text search. PostgreSQL fills it by
    # trigger on every write (migration 0002); other databases leave it empty.
    search_document = SearchVectorField(null=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
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

    def get_absolute_url(self):
        when = timezone.localtime(self.publish_at or self.created_at or timezone.now())
        return reverse(
            "articles:detail",
            kwargs={"year": when.year, "month": when.month, "day": when.day, "slug": self.slug},
        )

    def clean(self):
        # Choosing "Published" with no time means "now", which is what an editor expects.
        if self.status == self.Status.PUBLISHED and self.publish_at is None:
            self.publish_at = timezone.now()

    def publish(self, *, by=None, at=None):
        """Make the story public at `at` (default: its publish time, or now)."""
        self.status = self.Status.PUBLISHED
        self.publish_at = at or self.publish_at or timezone.now()
        if self.first_published_at is None:
            self.first_published_at = self.publish_at
        if by is not None:
            self.updated_by = by
        self.save()

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
