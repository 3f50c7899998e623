from django.db import models
from django.db.models import Exists, OuterRef
from django.urls import reverse


class SectionQuerySet(models.QuerySet):
    def with_published_stories(self):
        """Sections with at least one story a reader can see: the only ones readers learn of."""
        from articles.models.article import Article

        return self.filter(Exists(Article.objects.published().filter(section=OuterRef("pk"))))


class Section(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order in the site navigation; lower comes first."
    )

    objects = SectionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:section", kwargs={"slug": self.slug})
