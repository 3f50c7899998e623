from datetime import timedelta

import reversion
from django.conf import settings
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, Min, OuterRef, Q
from django.utils import timezone

from articles.media.fields import LibraryImageField
from articles.media.uploads import random_name

PHOTO_EXTENSIONS = ["jpg", "jpeg", "png", "webp"]


def photo_upload_to(instance, filename: str) -> str:
    """Random stored names: an uploaded file name never becomes a guessable URL."""
    return random_name("photos", filename)


def rights_expired(prefix: str = "") -> Q:
    """Photos (through `prefix`, e.g. "photo__") whose rights have run out."""
    return Q(**{f"{prefix}rights_expire_at__lte": timezone.now()})


class PhotoQuerySet(models.QuerySet):
    def with_image(self):
        """Photos whose picture has arrived and whose rights still run: the ones readers see."""
        return self.exclude(image="").exclude(rights_expired())

    def rights_expiring(self, days: int = 7):
        """Photos whose rights run out within `days` (the photo desk's warning list)."""
        now = timezone.now()
        return self.filter(rights_expire_at__gt=now, rights_expire_at__lte=now + timedelta(days))

    def next_rights_expiry(self):
        """When the next photo's rights run out (readers' pages change then)."""
        upcoming = self.filter(rights_expire_at__gt=timezone.now())
        return upcoming.aggregate(t=Min("rights_expire_at"))["t"]

    def readable_by(self, user):
        """Photos the desk shows `user`: library stock, their own uploads, and the photos of
        stories they may read. A caption placed only on hidden stories says too much."""
        from articles.models.article import Article
        from articles.models.workflow import reads_every_story

        if reads_every_story(user):
            return self
        placed = ArticlePhoto.objects.filter(photo=OuterRef("pk"))
        readable = placed.filter(article__in=Article.objects.readable_by(user).values("pk"))
        return self.filter(~Exists(placed) | Q(uploaded_by=user) | Exists(readable))


class Photo(models.Model):
    """A picture in the photo library, reusable across stories."""

    image = LibraryImageField(
        upload_to=photo_upload_to,
        width_field="width",
        height_field="height",
        blank=True,
        validators=[FileExtensionValidator(PHOTO_EXTENSIONS)],
        help_text="JPEG, PNG or WebP. Left empty while the photo desk waits for the file.",
    )
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    caption = models.TextField(blank=True)
    credit = models.CharField(max_length=200, blank=True, help_text="For example: Yonhap")
    alt_text = models.CharField(
        max_length=300,
        blank=True,
        help_text="What the picture shows, for readers who cannot see it.",
    )
    usage_terms = models.TextField(blank=True, help_text="Terms of use agreed for this picture.")
    copyright_holder = models.CharField(
        max_length=200, blank=True, help_text="Who owns the rights, e.g. Yonhap News Agency."
    )
    licence_url = models.URLField(
        "licence",
        blank=True,
        help_text="Address of the licence, e.g. https://creativecommons.org/licenses/by/4.0/",
    )
    rights_expire_at = models.DateTimeField(
        "rights expire",
        null=True,
        blank=True,
        help_text="From this time readers no longer see the picture. Empty: no end.",
    )
    # Where the picture's subject is, as fractions of its upright width and height from the
    # top left: every crop (articles/media/renditions.py) keeps this point in its frame.
    focal_x = models.FloatField(
        "focal point, across",
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="0 is the left edge, 1 the right edge. Click on the preview to set it.",
    )
    focal_y = models.FloatField(
        "focal point, down",
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="0 is the top edge, 1 the bottom edge.",
    )
    # False from an upload until the worker has made every rendition (articles/tasks.py);
    # meanwhile pages show the sizes that exist and never make one on a reader's request.
    renditions_ready = models.BooleanField(default=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PhotoQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(**{f"{axis}__gte": 0, f"{axis}__lte": 1}),
                name=f"photo_{axis}_inside",
                violation_error_message="The focal point must lie inside the picture (0 to 1).",
            )
            for axis in ("focal_x", "focal_y")
        ]

    def __str__(self):
        text = self.caption or self.alt_text or "Untitled photo"
        return text if len(text) <= 80 else f"{text[:79]}…"

    @property
    def awaiting_image(self) -> bool:
        return not self.image

    @property
    def rights_have_expired(self) -> bool:
        return self.rights_expire_at is not None and self.rights_expire_at <= timezone.now()


class ArticlePhotoQuerySet(models.QuerySet):
    def visible(self):
        """Placements readers may see: the photo has its image and its rights still run."""
        return self.exclude(photo__image="").exclude(rights_expired("photo__"))


@reversion.register()
class ArticlePhoto(models.Model):
    """A photo placed in a story; the lowest position is the lead."""

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="photo_placements"
    )
    # PROTECT: deleting a library photo must not silently strip it from published stories.
    photo = models.ForeignKey(Photo, on_delete=models.PROTECT, related_name="placements")
    position = models.PositiveSmallIntegerField(default=0)
    caption_override = models.TextField(
        blank=True, help_text="Caption for this story only; leave empty to use the library caption."
    )

    objects = ArticlePhotoQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "photo in story"
        verbose_name_plural = "photos in story"
        constraints = [
            models.UniqueConstraint(fields=["article", "photo"], name="article_photo_once"),
        ]

    def __str__(self):
        return str(self.photo)

    @property
    def caption(self) -> str:
        return self.caption_override or self.photo.caption
