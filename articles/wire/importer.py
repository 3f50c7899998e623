"""Turning parsed wire stories into draft articles, one file at a time, each atomically.

A story is found again by its source reference (agency + date + headline), so importing a
file twice never makes a second article: an untouched draft is brought up to date, a draft
an editor has worked on is left alone. Untouched means the importer was the last to save
it: the importer saves with `updated_by` empty, and every save in the admin fills it in.
"""

import enum
from dataclasses import dataclass
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from articles.models import Article, ArticlePhoto, Byline, Contributor, Photo, TopicSuggestion
from articles.sanitize import paragraphs_to_html
from articles.wire.parser import MAX_FILE_BYTES, WireError, WireStory, parse_wire
from articles.wire.suggestions import TopicMatcher, current_matcher

# A race with another import of the same story ends in one IntegrityError, after which the
# story is found; more attempts than this means something else is wrong.
ATTEMPTS = 3


class Outcome(enum.StrEnum):
    IMPORTED = "imported"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"
    FAILED = "failed"


@dataclass(frozen=True)
class ImportResult:
    name: str
    outcome: Outcome
    message: str = ""
    headline: str = ""
    article_id: int | None = None


def read_capped(file) -> bytes:
    """At most one byte past the size limit: enough for the parser to refuse a huge file."""
    return file.read(MAX_FILE_BYTES + 1)


class WireImporter:
    """Imports wire files for one batch, keeping agencies and the topic matcher at hand.

    Not shared between threads or requests: make one per batch.
    """

    def __init__(self, *, user=None, dry_run: bool = False):
        self.user = user
        self.dry_run = dry_run
        self._contributors: dict[str, Contributor] | None = None
        self._matcher: TopicMatcher | None = None
        self._met: dict[str, Contributor] = {}

    # Entry points -------------------------------------------------------------------------

    def import_path(self, path: Path, *, name: str | None = None) -> ImportResult:
        name = name or str(path)
        try:
            with path.open("rb") as file:
                data = read_capped(file)
        except OSError as error:
            return self._failed(name, error.strerror or str(error))
        return self.import_bytes(data, name=name)

    def import_bytes(self, data: bytes, *, name: str) -> ImportResult:
        try:
            story = parse_wire(data)
        except WireError as error:
            return self._failed(name, str(error))
        return self.import_story(story, name=name)

    def import_story(self, story: WireStory, *, name: str) -> ImportResult:
        error = None
        for _ in range(ATTEMPTS):
            # Contributors met in this file, remembered for the batch only once they are saved.
            self._met = {}
            try:
                with transaction.atomic():
                    result = self._import(story, name)
                    if self.dry_run:
                        transaction.set_rollback(True)
            except IntegrityError as raised:
                # Another import created this story (or took its slug) first, or a topic
                # went away mid-batch: look again, with the topics as they are now.
                error = raised
                self._matcher = None
                continue
            if not self.dry_run:
                self.contributors.update(self._met)
            return result
        return self._failed(name, f"could not be saved: {str(error).splitlines()[0]}")

    # One story ----------------------------------------------------------------------------

    def _import(self, story: WireStory, name: str) -> ImportResult:
        agency = self._agency(story.agency) if story.agency else None
        existing = self._existing(story, agency)
        if existing is None:
            article = self._create(story, agency)
            article_id = None if self.dry_run else article.pk
            return ImportResult(name, Outcome.IMPORTED, "new draft", story.headline, article_id)
        if existing.updated_by_id is not None or existing.status != Article.Status.DRAFT:
            message = "edited by an editor; left as it is"
            return ImportResult(name, Outcome.SKIPPED, message, existing.headline, existing.pk)
        if existing.source_checksum == story.checksum:
            message = "already imported; nothing changed"
            return ImportResult(name, Outcome.UNCHANGED, message, existing.headline, existing.pk)
        self._update(existing, story, agency)
        message = "draft brought up to date"
        return ImportResult(name, Outcome.UPDATED, message, story.headline, existing.pk)

    @staticmethod
    def _existing(story, agency) -> Article | None:
        """The story's article, if imported before; locked until this file is done."""
        return (
            Article.objects.select_for_update()
            .filter(source_agency=agency, source_reference=story.source_reference)
            .first()
        )

    def _create(self, story, agency) -> Article:
        article = Article.objects.create(
            headline=story.headline,
            slug=Article.objects.available_slug(story.headline),
            body=paragraphs_to_html(story.paragraphs),
            status=Article.Status.DRAFT,
            publish_at=story.published_at,
            source_agency=agency,
            source_reference=story.source_reference,
            source_checksum=story.checksum,
            created_by=self.user,
        )
        self._add_bylines(article, story, agency)
        if story.caption:
            photo = Photo.objects.create(**self._photo_fields(story, agency))
            ArticlePhoto.objects.create(article=article, photo=photo, position=0)
        self._suggest_topics(article, story)
        return article

    def _update(self, article, story, agency) -> None:
        article.headline = story.headline
        article.body = paragraphs_to_html(story.paragraphs)
        article.publish_at = story.published_at
        article.source_checksum = story.checksum
        article.save(
            update_fields=["headline", "body", "publish_at", "source_checksum", "updated_at"]
        )
        article.bylines.all().delete()
        self._add_bylines(article, story, agency)
        self._update_photo(article, story, agency)
        self._suggest_topics(article, story, update=True)

    def _add_bylines(self, article, story, agency) -> None:
        contributors = (
            [agency]
            if agency
            else [self._staff(author.name, author.email) for author in story.authors]
        )
        Byline.objects.bulk_create(
            Byline(article=article, contributor=contributor, position=position)
            for position, contributor in enumerate(dict.fromkeys(contributors))
        )

    def _photo_fields(self, story, agency) -> dict:
        return {"caption": story.caption, "credit": self._credit(story.credit, agency)}

    def _update_photo(self, article, story, agency) -> None:
        """Keep the wire photo in step: the photo desk's picture, if attached, stays."""
        placement = article.photo_placements.select_related("photo").first()
        if story.caption and placement:
            photo = placement.photo
            for field, value in self._photo_fields(story, agency).items():
                setattr(photo, field, value)
            photo.save(update_fields=["caption", "credit", "updated_at"])
        elif story.caption:
            photo = Photo.objects.create(**self._photo_fields(story, agency))
            ArticlePhoto.objects.create(article=article, photo=photo, position=0)
        elif placement and placement.photo.awaiting_image:
            placement.delete()
            if not placement.photo.placements.exists():
                placement.photo.delete()

    def _suggest_topics(self, article, story, *, update=False) -> None:
        found = self.matcher.find(story.text)
        if update:
            # Decided suggestions stay decided; pending ones follow the latest text.
            article.topic_suggestions.pending().exclude(topic_id__in=found).delete()
        TopicSuggestion.objects.bulk_create(
            [
                TopicSuggestion(article=article, topic_id=topic_id, matched_text=words)
                for topic_id, words in found.items()
            ],
            ignore_conflicts=True,
        )

    # Contributors -------------------------------------------------------------------------

    @property
    def matcher(self) -> TopicMatcher:
        if self._matcher is None:
            self._matcher = current_matcher()
        return self._matcher

    @property
    def contributors(self) -> dict[str, Contributor]:
        """Contributors met so far, by "agency:<name>" or "email:<address>".

        Every agency is loaded once per batch, in one query; staff join as the batch meets them.
        """
        if self._contributors is None:
            self._contributors = {}
            for agency in Contributor.objects.filter(kind=Contributor.Kind.AGENCY).order_by("pk"):
                self._contributors.setdefault(f"agency:{agency.name.casefold()}", agency)
        return self._contributors

    def _known(self, key: str) -> Contributor | None:
        return self._met.get(key) or self.contributors.get(key)

    def _agency(self, name: str) -> Contributor:
        """The agency called `name` (any case), created on first sight."""
        key = f"agency:{name.casefold()}"
        if agency := self._known(key):
            return agency
        # The slug is the agency's identity under a race: two imports meeting a new agency
        # at once both land on the same row.
        agency, _ = Contributor.objects.get_or_create(
            slug=slugify(name, allow_unicode=True) or "agency",
            defaults={"name": name, "kind": Contributor.Kind.AGENCY},
        )
        if agency.kind != Contributor.Kind.AGENCY:  # that slug belongs to a person
            agency = Contributor.objects.create(
                name=name, kind=Contributor.Kind.AGENCY, slug=self._free_slug(name)
            )
        self._met[key] = agency
        return agency

    def _staff(self, name: str, email: str) -> Contributor:
        """The person who signed the story: by address, then by name; created if new."""
        key = f"email:{email.casefold()}" if email else f"name:{name.casefold()}"
        if person := self._known(key):
            return person
        people = Contributor.objects.exclude(kind=Contributor.Kind.AGENCY).order_by("pk")
        person = (email and people.filter(email__iexact=email).first()) or people.filter(
            name__iexact=name
        ).first()
        if person is None:
            person = Contributor.objects.create(
                name=name, email=email, kind=Contributor.Kind.STAFF, slug=self._free_slug(name)
            )
        self._met[key] = person
        return person

    @staticmethod
    def _free_slug(name: str) -> str:
        base = slugify(name, allow_unicode=True)[:190] or "contributor"
        taken = set(
            Contributor.objects.filter(slug__startswith=base).values_list("slug", flat=True)
        )
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        return slug

    def _credit(self, credit: str, agency: Contributor | None) -> str:
        """A credit naming a known agency is written as the newsroom writes it: YONHAP -> Yonhap."""
        if agency is not None and agency.name.casefold() == credit.casefold():
            return agency.name
        known = self._known(f"agency:{credit.casefold()}")
        return known.name if known else credit

    @staticmethod
    def _failed(name: str, message: str) -> ImportResult:
        return ImportResult(name, Outcome.FAILED, message)
