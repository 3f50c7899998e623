"""A realistic archive at any size, for benchmarks and for trying the site at newsroom scale.

Topics follow a skewed (Zipf-like) popularity, so a few hold tens of thousands of stories and
most hold a handful; stories carry 1-3 bylines, 2-6 topics and shared library photos, and are
spread over years of publication times. Everything is written with `bulk_create` in batches.
"""

import io
import itertools
import random
import secrets
from collections.abc import Callable
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from PIL import Image

from articles.models import (
    Article,
    ArticlePhoto,
    Byline,
    Contributor,
    Photo,
    Section,
    TaggedArticle,
    Topic,
)

WORDS = (
    "minister officials agreement talks border trade exports policy market security defense "
    "cooperation investment court police budget election assembly regional coastal economy "
    "inflation housing climate energy semiconductor startup shipping port research hospital "
    "schools workers union farmers prices rates bank currency summit delegation treaty embassy "
    "province capital river bridge railway airport industry factory network data platform "
    "program survey report analysts residents volunteers festival museum tourism scholars"
).split()
GENERATED_PHOTO_SIZE = (640, 427)
SECTION_NAMES = ["Politics", "Diplomacy", "Economy", "Defense", "Society", "Technology", "Culture"]
FAMILY_NAMES = ["Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim", "Han"]
GIVEN_NAMES = ["Min-ji", "Ji-ho", "Seo-yeon", "Jun-ho", "Ha-eun", "Do-yun", "Su-bin", "Ye-jin"]


def sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(10, 22))
    return " ".join(words).capitalize() + "."


def small_jpeg(rng: random.Random) -> bytes:
    colour = tuple(rng.randrange(256) for _ in range(3))
    buffer = io.BytesIO()
    Image.new("RGB", GENERATED_PHOTO_SIZE, colour).save(buffer, format="JPEG", quality=70)
    return buffer.getvalue()


class ArchiveGenerator:
    def __init__(
        self,
        *,
        stories: int,
        topics: int = 3000,
        contributors: int = 300,
        photos: int = 200,
        batch_size: int = 2000,
        seed: int = 2026,
        progress: Callable[[int, int], None] = lambda done, total: None,
    ):
        self.stories = stories
        self.topic_count = topics
        self.contributor_count = contributors
        self.photo_count = photos
        self.batch_size = batch_size
        self.rng = random.Random(seed)
        self.progress = progress
        # A run tag keeps slugs unique when the generator runs again on the same database.
        self.run = f"{seed}-{secrets.token_hex(3)}"

    def run_all(self) -> int:
        sections = self.ensure_sections()
        contributors = self.make_contributors()
        topics = self.make_topics()
        photos = self.make_photos()
        sentences = [sentence(self.rng) for _ in range(3000)]
        weights = [1 / (rank**1.1) for rank in range(1, len(topics) + 1)]
        cumulative = list(itertools.accumulate(weights))
        now = timezone.now()
        made = 0
        while made < self.stories:
            size = min(self.batch_size, self.stories - made)
            self.make_batch(
                made, size, now, sections, contributors, topics, cumulative, photos, sentences
            )
            made += size
            self.progress(made, self.stories)
        return made

    def ensure_sections(self) -> list[Section]:
        for position, name in enumerate(SECTION_NAMES):
            Section.objects.get_or_create(
                slug=name.lower(), defaults={"name": name, "position": position}
            )
        return list(Section.objects.all())

    def make_contributors(self) -> list[Contributor]:
        people = [
            Contributor(
                name=f"{self.rng.choice(FAMILY_NAMES)} {self.rng.choice(GIVEN_NAMES)}",
                slug=f"reporter-{self.run}-{n}",
                kind=Contributor.Kind.AGENCY if n % 50 == 0 else Contributor.Kind.STAFF,
                job_title="Reporter",
            )
            for n in range(self.contributor_count)
        ]
        return Contributor.objects.bulk_create(people)

    def make_topics(self) -> list[Topic]:
        topics = [
            Topic(name=f"{self.rng.choice(WORDS)} {n} {self.run}", slug=f"t-{self.run}-{n}")
            for n in range(self.topic_count)
        ]
        return Topic.objects.bulk_create(topics)

    def make_photos(self) -> list[Photo]:
        photos = []
        for n in range(self.photo_count):
            photo = Photo(
                caption=sentence(self.rng),
                credit="Newsroom",
                alt_text=f"Generated photo {n}",
                width=GENERATED_PHOTO_SIZE[0],
                height=GENERATED_PHOTO_SIZE[1],
            )
            # A named file: an unnamed one would set the width and height above back to None.
            name = f"generated-{n}.jpg"
            photo.image.save(name, ContentFile(small_jpeg(self.rng), name=name), save=False)
            photos.append(photo)
        return Photo.objects.bulk_create(photos)

    @transaction.atomic
    def make_batch(
        self, start, size, now, sections, contributors, topics, cumulative, photos, sentences
    ):
        rng = self.rng
        articles = []
        for n in range(start, start + size):
            published = rng.random() > 0.03
            when = now - timedelta(minutes=rng.randrange(60 * 24 * 365 * 5))
            headline = " ".join(rng.choices(WORDS, k=rng.randint(6, 11))).capitalize()
            paragraphs = rng.choices(sentences, k=rng.randint(6, 12) * 3)
            body = "".join(
                f"<p>{escape(' '.join(paragraphs[i : i + 3]))}</p>"
                for i in range(0, len(paragraphs), 3)
            )
            articles.append(
                Article(
                    headline=headline,
                    slug=f"story-{self.run}-{n}",
                    dek=sentences[n % len(sentences)],
                    dateline="SEOUL",
                    body=body,
                    section=rng.choice(sections),
                    status=Article.Status.PUBLISHED if published else Article.Status.DRAFT,
                    publish_at=when,
                    first_published_at=when if published else None,
                )
            )
        articles = Article.objects.bulk_create(articles)
        Article.objects.filter(pk__in=[a.pk for a in articles]).update(updated_at=timezone.now())
        bylines, tags, placements = [], [], []
        for article in articles:
            for position, contributor in enumerate(
                rng.sample(contributors, min(len(contributors), rng.randint(1, 3)))
            ):
                bylines.append(Byline(article=article, contributor=contributor, position=position))
            chosen = {
                topics[i].pk
                for i in rng.choices(
                    range(len(topics)), cum_weights=cumulative, k=rng.randint(2, 6)
                )
            }
            tags.extend(TaggedArticle(content_object=article, tag_id=pk) for pk in chosen)
            if rng.random() < 0.7:
                placements.append(ArticlePhoto(article=article, photo=rng.choice(photos)))
        Byline.objects.bulk_create(bylines)
        TaggedArticle.objects.bulk_create(tags)
        ArticlePhoto.objects.bulk_create(placements)
