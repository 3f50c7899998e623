"""Fronts: the home page and section pages as editors arrange them.

A front has arrangements; the one readers see is the latest whose start time has passed, so
editors schedule the morning front by giving it a start time, and keep a draft (no start
time) to preview. An arrangement places stories in slots of fixed zones (lead, top stories,
secondary) and names the topics boxed below them. What readers get is composed in
articles/fronts/compose.py: only `published()` stories, holes filled with the newest ones.
"""

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Min, Q
from django.utils import timezone


class FrontQuerySet(models.QuerySet):
    def home(self):
        """The home page's front."""
        return self.filter(slug=Front.HOME)


class Front(models.Model):
    """A page editors arrange: the home page (slug "home") or one section's page."""

    HOME = "home"

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    section = models.OneToOneField(
        "articles.Section",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="front",
        help_text="Empty for the home page.",
    )

    objects = FrontQuerySet.as_manager()

    class Meta:
        ordering = ["section__position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(slug="home", section__isnull=True) | Q(section__isnull=False),
                name="front_home_or_section",
                violation_error_message="A front is the home page or belongs to a section.",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def cache_tag(self) -> str:
        """The page-cache tag of the page this front is shown on."""
        return "front-home" if self.section_id is None else f"front-section-{self.section_id}"


class ArrangementQuerySet(models.QuerySet):
    def live(self, at=None):
        """Arrangements readers may be shown at `at` (now), the current one first."""
        return self.filter(starts_at__lte=at or timezone.now()).order_by("-starts_at", "-pk")

    def current_for(self, *, section=None):
        """The arrangement readers see now on the home page, or on `section`'s page."""
        front = Q(front__section=section) if section else Q(front__slug=Front.HOME)
        return self.live().filter(front).for_page()

    def for_page(self):
        """An arrangement with its slots and topic boxes, in fixed queries."""
        return self.select_related("front").prefetch_related(
            "slots", models.Prefetch("topic_boxes", TopicBox.objects.select_related("topic"))
        )


@reversion.register(follow=["slots", "topic_boxes"])
class Arrangement(models.Model):
    """One layout of a front, live from its start time until a later one starts."""

    front = models.ForeignKey(Front, on_delete=models.CASCADE, related_name="arrangements")
    name = models.CharField(max_length=100, help_text="For the desk, e.g. “Morning front”.")
    starts_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Readers see it from this time until a later arrangement starts. "
        "Leave empty to keep a draft you can preview.",
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ArrangementQuerySet.as_manager()

    class Meta:
        ordering = ["front", "-starts_at", "-pk"]
        indexes = [models.Index(fields=["front", "-starts_at"], name="arrangement_live_idx")]

    def __str__(self):
        return f"{self.front}: {self.name}"


class Zone(models.TextChoices):
    """The zones of a front, top to bottom, with how many stories each shows."""

    LEAD = "lead", "Lead"
    TOP = "top", "Top stories"
    SECONDARY = "secondary", "Secondary"


ZONE_SIZES = {Zone.LEAD: 1, Zone.TOP: 4, Zone.SECONDARY: 6}
# The newest stories not shown higher up, under the topic boxes.
LATEST_SIZE = 8


@reversion.register()
class Slot(models.Model):
    """A story an editor placed in a zone; it gives way to the newest story when it expires."""

    Zone = Zone

    arrangement = models.ForeignKey(Arrangement, on_delete=models.CASCADE, related_name="slots")
    zone = models.CharField(max_length=20, choices=Zone, default=Zone.TOP)
    position = models.PositiveSmallIntegerField(default=0)
    # CASCADE: a deleted story simply leaves the front; its slot is filled by the newest one.
    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="front_slots"
    )
    pinned_until = models.DateTimeField(
        null=True,
        blank=True,
        help_text="After this time the newest story takes the slot. Empty: until changed.",
    )

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["arrangement", "article"], name="slot_story_once_per_arrangement"
            ),
        ]

    def __str__(self):
        return f"{self.get_zone_display()} {self.position}"

    def is_expired(self, at=None) -> bool:
        return self.pinned_until is not None and self.pinned_until <= (at or timezone.now())


@reversion.register()
class TopicBox(models.Model):
    """A topic's newest stories, boxed under the editors' zones ("Defense", "CEPA")."""

    arrangement = models.ForeignKey(
        Arrangement, on_delete=models.CASCADE, related_name="topic_boxes"
    )
    position = models.PositiveSmallIntegerField(default=0)
    topic = models.ForeignKey("articles.Topic", on_delete=models.CASCADE, related_name="+")
    size = models.PositiveSmallIntegerField(
        default=4, validators=[MinValueValidator(1), MaxValueValidator(8)]
    )

    class Meta:
        ordering = ["position", "pk"]
        verbose_name_plural = "topic boxes"
        constraints = [
            models.UniqueConstraint(
                fields=["arrangement", "topic"], name="topic_box_once_per_arrangement"
            ),
            models.CheckConstraint(
                condition=Q(size__gte=1, size__lte=8), name="topic_box_size_1_to_8"
            ),
        ]

    def __str__(self):
        return str(self.topic)


def validate_link(value: str) -> None:
    """A banner links to a page of this site ("/...") or to an http(s) address."""
    # "//host/..." would leave the site while looking like a path.
    if value.startswith("//") or not value.startswith(("https://", "http://", "/")):
        raise ValidationError("Use an address starting with https:// or a path starting with /.")


class BannerQuerySet(models.QuerySet):
    def showing(self, at=None):
        """Banners readers see at `at` (now), newest first."""
        at = at or timezone.now()
        return self.filter(starts_at__lte=at, ends_at__gt=at).order_by("-starts_at", "-pk")

    def not_ended(self, at=None):
        """Banners showing at `at` (now) or still to come, newest first: the few worth caching."""
        return self.filter(ends_at__gt=at or timezone.now()).order_by("-starts_at", "-pk")


@reversion.register()
class Banner(models.Model):
    """Breaking news: one line and a link above the front, until its end time."""

    text = models.CharField(max_length=200, help_text="One line, e.g. “Earthquake hits Pohang”.")
    link = models.CharField(
        max_length=500,
        blank=True,
        validators=[validate_link],
        help_text="Where the line leads: a story's address (/articles/…) or https://…",
    )
    starts_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField(help_text="Readers stop seeing it at this time.")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = BannerQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="banner_ends_after_it_starts",
                violation_error_message="The banner must end after it starts.",
            ),
        ]

    def __str__(self):
        return self.text

    def is_showing(self, at=None) -> bool:
        """`Banner.objects.showing(at)` for one banner in hand."""
        at = at or timezone.now()
        return self.starts_at <= at < self.ends_at


def next_front_change(now=None):
    """The next moment a front changes by itself: an arrangement, pin or banner coming due."""
    now = now or timezone.now()
    times = [
        Arrangement.objects.filter(starts_at__gt=now).aggregate(t=Min("starts_at"))["t"],
        Slot.objects.filter(pinned_until__gt=now).aggregate(t=Min("pinned_until"))["t"],
        Banner.objects.filter(starts_at__gt=now).aggregate(t=Min("starts_at"))["t"],
        Banner.objects.filter(ends_at__gt=now).aggregate(t=Min("ends_at"))["t"],
    ]
    return min((when for when in times if when), default=None)


def changed_between(start, end) -> bool:
    """Whether an arrangement, pin or banner came due in (start, end]: fronts differ since."""
    window = {"gt": start, "lte": end}

    def within(field):
        return {f"{field}__{op}": when for op, when in window.items()}

    return (
        Arrangement.objects.filter(**within("starts_at")).exists()
        or Slot.objects.filter(**within("pinned_until")).exists()
        or Banner.objects.filter(Q(**within("starts_at")) | Q(**within("ends_at"))).exists()
    )
