from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from articles.models import Article, ArticlePhoto, Byline, Contributor, Photo, Section, Topic
from tests.support.pictures import jpeg_bytes

# Every user the factory makes can log in with this (the browser journeys type it).
PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password(PASSWORD)


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    name = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.Sequence(lambda n: f"section-{n}")


class ContributorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contributor

    name = factory.Sequence(lambda n: f"Reporter {n}")
    slug = factory.Sequence(lambda n: f"reporter-{n}")
    kind = Contributor.Kind.STAFF


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class PhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Photo

    image = factory.LazyFunction(lambda: ContentFile(jpeg_bytes(), name="photo.jpg"))
    caption = factory.Sequence(lambda n: f"Caption {n}")
    credit = "Yonhap"
    alt_text = factory.Sequence(lambda n: f"A scene number {n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    """A draft by default; `ArticleFactory(published=True)` makes one readers can see."""

    class Meta:
        model = Article
        skip_postgeneration_save = True

    class Params:
        published = factory.Trait(
            status=Article.Status.PUBLISHED,
            publish_at=factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1)),
        )

        # Ready for `publish()`: one byline.
        bylined = factory.Trait(
            byline=factory.RelatedFactory(
                "tests.support.factories.BylineFactory", factory_related_name="article"
            )
        )

    headline = factory.Sequence(lambda n: f"Headline number {n}")
    slug = factory.Sequence(lambda n: f"headline-number-{n}")
    dek = "A one-line summary."
    dateline = "SEOUL"
    body = "<p>First paragraph.</p><p>Second paragraph.</p>"
    section = factory.SubFactory(SectionFactory)
    status = Article.Status.DRAFT


class BylineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Byline

    article = factory.SubFactory(ArticleFactory)
    contributor = factory.SubFactory(ContributorFactory)
    role = Byline.Role.WRITTEN_BY
    position = factory.Sequence(lambda n: n)


class ArticlePhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ArticlePhoto

    article = factory.SubFactory(ArticleFactory)
    photo = factory.SubFactory(PhotoFactory)
    position = factory.Sequence(lambda n: n)
