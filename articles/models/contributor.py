import reversion
from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef
from django.urls import reverse

from articles.media.fields import PictureField
from articles.media.uploads import random_name
from articles.models.slugs import available_slugs


def portrait_upload_to(instance, filename: str) -> str:
    """Random stored names, as for photos: "kim-passport-scan.jpg" never reaches a URL."""
    return random_name("contributors", filename)


class ContributorQuerySet(models.QuerySet):
    def available_slug(self, name: str) -> str:
        """A slug from `name` that no contributor has yet ("kim-min-ji", then "kim-min-ji-2")."""
        return available_slugs(self, [name], fallback="contributor", max_length=200)[0]

    def with_published_stories(self):
        """Contributors credited on at least one story a reader can see."""
        from articles.models.article import Article

        visible = Article.objects.published().filter(bylines__contributor=OuterRef("pk"))
        return self.filter(Exists(visible))


class Contributor(models.Model):
    """Someone credited on stories: a person or an agency. Not a login; may link to one."""

    class Kind(models.TextChoices):
        STAFF = "staff", "Staff"
        FREELANCE = "freelance", "Freelance"
        AGENCY = "agency", "News agency"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True, allow_unicode=True)
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.STAFF)
    job_title = models.CharField(max_length=200, blank=True)
    bio = models.TextField(blank=True, help_text="Two or three sentences, shown on their page.")
    portrait = PictureField(
        upload_to=portrait_upload_to,
        blank=True,
        help_text="JPEG, PNG or WebP. Shown as a small square on their page.",
    )
    email = models.EmailField(blank=True, help_text="Private: never shown to readers.")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributor",
        help_text="The login of this person, if they have one.",
    )

    objects = ContributorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["name"], name="contributor_name_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:contributor", kwargs={"slug": self.slug})

    @property
    def is_organization(self) -> bool:
        return self.kind == self.Kind.AGENCY


@reversion.register()
class Byline(models.Model):
    """One credit on one story, in the order editors set."""

    class Role(models.TextChoices):
        WRITTEN_BY = "written_by", "Written by"
        REPORTING = "reporting", "Reporting by"
        ADDITIONAL_REPORTING = "additional_reporting", "Additional reporting by"
        PHOTOS = "photos", "Photos by"
        EDITING = "editing", "Edited by"

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="bylines"
    )
    # PROTECT: a contributor credited on a story cannot vanish from the archive by accident.
    contributor = models.ForeignKey(Contributor, on_delete=models.PROTECT, related_name="bylines")
    role = models.CharField(max_length=30, choices=Role, default=Role.WRITTEN_BY)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "contributor", "role"], name="byline_unique_role_per_article"
            ),
        ]
        indexes = [models.Index(fields=["contributor", "article"], name="byline_contributor_idx")]

    def __str__(self):
        return f"{self.get_role_display()} {self.contributor}"


def credit_lines(bylines) -> list[tuple[str, list[Contributor]]]:
    """Group ordered bylines into reader-facing lines: ("By", [Kim, Lee]), ("Photos by", [Park]).

    Roles appear in the order of their first byline. A story written only by agencies reads
    "Yonhap", not "By Yonhap".
    """
    groups: dict[str, list[Contributor]] = {}
    for byline in bylines:
        groups.setdefault(byline.role, []).append(byline.contributor)
    lines = []
    for role, contributors in groups.items():
        if role == Byline.Role.WRITTEN_BY:
            label = "" if all(c.is_organization for c in contributors) else "By"
        else:
            label = Byline.Role(role).label
        lines.append((label, contributors))
    return lines
