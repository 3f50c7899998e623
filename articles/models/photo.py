import reversion
from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q

from articles.media.fields import UprightImageField
from articles.media.uploads import random_name

PHOTO_EXTENSIONS = ["jpg", "jpeg", "png", "webp"]


def photo_upload_to(instance, filename: str) -> str:
    """Random stored names: an uploaded file name never becomes a guessable URL."""
    return random_name("photos", filename)


class PhotoQuerySet(models.QuerySet):
    def with_image(self):
        """Photos whose picture has arrived; the only ones readers and partners are shown."""
        return self.exclude(image="")

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

    image = UprightImageField(
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
    usage_terms = models.TextField(blank=True, help_text="Copyright holder and terms of use.")
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

    def __str__(self):
        text = self.caption or self.alt_text or "Untitled photo"
        return text if len(text) <= 80 else f"{text[:79]}…"

    @property
    def awaiting_image(self) -> bool:
        return not self.image


class ArticlePhotoQuerySet(models.QuerySet):
    def visible(self):
        """Placements readers may see: those whose photo has its image."""
        return self.exclude(photo__image="")


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
