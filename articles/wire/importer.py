"""Turning parsed wire stories into draft articles, each file atomically.

A story is found again by its source reference (agency + date + headline), so importing a
file twice never makes a second article: an untouched draft is brought up to date, a draft
an editor has worked on is left alone. Untouched means the importer was the last to save
it: the importer saves with `updated_by` empty, and every save in the admin fills it in.

A file delivered again byte for byte is settled before it is read: its wire item keeps the
SHA-256 of the file the draft was made from, and one look-up per chunk finds them all.

Batches go a chunk of files at a time: stories never seen before are created together in
one transaction (a handful of statements for the whole chunk), and stories seen before are
sorted out from one look-up. Anything else (an update, a race with another import, a
database error) falls back to one transaction per file, where the database constraint on
the source reference has the last word.
"""

import enum
import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from itertools import islice
from pathlib import Path

from django.db import IntegrityError, transaction

from articles.models import (
    Article,
    ArticlePhoto,
    Byline,
    Contributor,
    Photo,
    TopicSuggestion,
    WireItem,
)
from articles.sanitize import paragraphs_to_html
from articles.wire import pictures, versions
from articles.wire.contributors import BatchMemory
from articles.wire.formats import AUTO, MAX_BYTES, detect, parse_file
from articles.wire.parser import WireError, WireStory

# Files created together in one transaction: large enough to make the per-statement cost
# vanish, small enough that a fallback to one file at a time stays cheap.
CHUNK_SIZE = 100
# Files up to this size wait, bytes in hand, for the one look-up of the chunk's digests
# (a story is a few kilobytes); a larger one is read into stories at once.
DIGESTED_BYTES = 256 * 1024
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


def about(article: Article, name: str, outcome: Outcome, message: str) -> ImportResult:
    return ImportResult(name, outcome, message, article.headline, article.pk)


def read_capped(file) -> bytes:
    """At most one byte past the size limit: enough for the parser to refuse a huge file."""
    return file.read(MAX_BYTES + 1)


def read_path(path: Path) -> bytes:
    with path.open("rb") as file:
        return read_capped(file)


PACKAGE = "a package listing: its stories arrive as their own items"


class WireImporter(BatchMemory):
    """Imports wire files for one batch, keeping agencies and the topic matcher at hand.

    Not shared between threads or requests: make one per batch.
    """

    def __init__(self, *, user=None, dry_run: bool = False, format: str = AUTO):
        super().__init__()
        self.user = user
        self.dry_run = dry_run
        # The format the files' source declares (`WireSource.Format`); others are refused.
        self.format = format

    # Entry points -------------------------------------------------------------------------

    def import_paths(self, paths: Iterable[Path]) -> Iterator[ImportResult]:
        """Import files from disk, yielding one result per file, in order."""
        return self.import_all((str(path), lambda path=path: read_path(path)) for path in paths)

    def import_all(
        self, files: Iterable[tuple[str, Callable[[], bytes]]]
    ) -> Iterator[ImportResult]:
        """Import (name, read) pairs, yielding one result per file, in order.

        `read` returns the file's bytes, or raises OSError for a file that cannot be read.
        """
        files = iter(files)
        while chunk := list(islice(files, CHUNK_SIZE)):
            yield from self._import_chunk(chunk)

    def import_story(self, story: WireStory, *, name: str, digest: str = "") -> ImportResult:
        """One story in its own transaction: create, update, or leave it, whatever came before.

        `digest` is the SHA-256 of the file when it held this story alone (see `_delivered`).
        """
        error = None
        for _ in range(ATTEMPTS):
            # Contributors met in this file, remembered for the batch only once they are saved.
            self._met = {}
            try:
                with transaction.atomic():
                    result = self._import(story, name, digest)
                    if self.dry_run:
                        transaction.set_rollback(True)
            except IntegrityError as raised:
                # Another import created this story (or took its slug) first, or a topic
                # went away mid-batch: look again, with the topics as they are now.
                error = raised
                self._matcher = None
                continue
            self._remember_met()
            return result
        return self._failed(name, f"could not be saved: {str(error).splitlines()[0]}")

    # A chunk of files ---------------------------------------------------------------------

    def _import_chunk(self, chunk: list[tuple[str, Callable[[], bytes]]]) -> list[ImportResult]:
        """One result per story (a file may hold several, or a package listing none)."""
        names: list[str] = []
        results: list[ImportResult | None] = []
        stories: dict[int, WireStory] = {}
        digests: dict[int, str] = {}
        siblings: dict[int, pictures.Sibling] = {}
        # Every file's bytes and digest first, so that one look-up settles the files
        # delivered before; a large file is read into stories at once rather than held.
        read_chunk = []
        for name, read, *sibling in chunk:
            data, digest = self._read(name, read)
            if isinstance(data, bytes) and not digest:
                data = self._parse(name, data)
            read_chunk.append((name, data, digest, sibling))
        delivered = self._delivered({digest for _, _, digest, _ in read_chunk if digest})
        for name, data, digest, sibling in read_chunk:
            if digest in delivered:
                data = replace(delivered[digest], name=name)
            elif isinstance(data, bytes):
                data = self._parse(name, data)
            found, failed = ([], data) if isinstance(data, ImportResult) else (data, None)
            if failed:
                names.append(name)
                results.append(failed)
            for story in found:
                if sibling and story.pictures:
                    siblings[len(names)] = sibling[0]
                if len(found) == 1:
                    digests[len(names)] = digest
                stories[len(names)] = story
                names.append(name if len(found) == 1 else f"{name} [{story.guid}]")
                results.append(None)
        chunk = [(name, None) for name in names]

        if stories:
            for index, result in self._import_together_or_nothing(chunk, stories, digests).items():
                results[index] = result

        for index, story in stories.items():
            if results[index] is None:
                results[index] = self.import_story(
                    story, name=chunk[index][0], digest=digests.get(index, "")
                )
        for index, sibling in siblings.items():
            results[index] = self._place_pictures(results[index], stories[index], sibling)
        return results

    def _import_together_or_nothing(self, chunk, stories, digests) -> dict[int, ImportResult]:
        try:
            with transaction.atomic():
                self._met = {}
                results = self._import_together(chunk, stories, digests)
                if self.dry_run:
                    transaction.set_rollback(True)
        except IntegrityError:
            # A race or a bad row: nothing of the chunk was kept; go file by file.
            return {}
        self._remember_met()
        return results

    def _read(self, name: str, read: Callable[[], bytes]) -> tuple[bytes | ImportResult, str]:
        """The file's bytes and their SHA-256 (or "" when it may not be settled by it), or
        the failure to read it."""
        try:
            data = read()
        except OSError as error:
            return self._failed(name, error.strerror or str(error)), ""
        if len(data) > DIGESTED_BYTES or self.format not in (AUTO, detect(data)):
            # Never settled from an earlier delivery: a file in the wrong format is refused
            # by the parser whatever came before.
            return data, ""
        return data, hashlib.sha256(data).hexdigest()

    def _parse(self, name: str, data: bytes) -> list[WireStory] | ImportResult:
        """The file's stories, or the result saying why there are none."""
        try:
            found = parse_file(data, self.format)
        except WireError as error:
            return self._failed(name, str(error))
        return found or ImportResult(name, Outcome.SKIPPED, PACKAGE)

    @staticmethod
    def _delivered(digests: set[str]) -> dict[str, ImportResult]:
        """Files delivered before, byte for byte, whose draft was made from them: unchanged.

        One look-up per chunk by the stored digest, so a re-delivered batch is settled
        without parsing a file. A digest shared by two items (never in practice) proves
        nothing and is left to the parser.
        """
        if not digests:
            return {}
        rows = WireItem.objects.filter(delivery_hash__in=digests, article__isnull=False)
        found: dict[str, ImportResult] = {}
        shared: set[str] = set()
        for digest, article_id, headline in rows.values_list(
            "delivery_hash", "article_id", "article__headline"
        ):
            if digest in found:
                shared.add(digest)
            message = "already imported; nothing changed"
            found[digest] = ImportResult("", Outcome.UNCHANGED, message, headline, article_id)
        return {digest: result for digest, result in found.items() if digest not in shared}

    def _place_pictures(self, result, story, sibling) -> ImportResult:
        """Pictures for a story just drafted or brought up to date; problems join its message."""
        if self.dry_run or result.outcome not in (Outcome.IMPORTED, Outcome.UPDATED):
            return result
        article = Article.objects.get(pk=result.article_id)
        problems = pictures.attach(article, story, sibling, self._credit(story.credit, None))
        if not problems:
            return result
        return replace(result, message="; ".join([result.message, *problems]))

    def _import_together(
        self, chunk, stories: dict[int, WireStory], digests: dict[int, str]
    ) -> dict[int, ImportResult]:
        """Create every story of the chunk not seen before; report those seen and settled.

        Stories that need an update, or that appear twice in the chunk, are left out for
        the one-file path.
        """
        agencies = {i: self._agency(s.agency) if s.agency else None for i, s in stories.items()}
        keys = {
            i: (getattr(agencies[i], "pk", None), s.source_reference) for i, s in stories.items()
        }
        known = self._known_articles(set(keys.values()))
        results, fresh, seen = {}, [], set()
        for index, story in stories.items():
            if keys[index] in seen:
                continue
            seen.add(keys[index])
            if (existing := known.get(keys[index])) is None:
                fresh.append((index, story, agencies[index]))
            elif settled := self._settled(existing, story, chunk[index][0]):
                results[index] = settled
        articles = self._create_all(
            [(story, agency) for _, story, agency in fresh],
            [digests.get(index, "") for index, _, _ in fresh],
        )
        for (index, story, _), article in zip(fresh, articles, strict=True):
            article_id = None if self.dry_run else article.pk
            results[index] = ImportResult(
                chunk[index][0], Outcome.IMPORTED, "new draft", story.headline, article_id
            )
        return results

    # One story ----------------------------------------------------------------------------

    def _import(self, story: WireStory, name: str, digest: str = "") -> ImportResult:
        agency = self._agency(story.agency) if story.agency else None
        existing = self._existing(story, agency)
        if existing is None:
            article = self._create_all([(story, agency)], [digest])[0]
            article_id = None if self.dry_run else article.pk
            return ImportResult(name, Outcome.IMPORTED, "new draft", story.headline, article_id)
        item = versions.item_for(existing, story, agency)
        if versions.is_older(item, story):
            message = f"version {story.version} arrived after version {item.version}; ignored"
            return about(existing, name, Outcome.SKIPPED, message)
        if story.withdrawn:
            if item.state == WireItem.State.WITHDRAWN and item.version >= story.version:
                message = "already withdrawn; nothing changed"
                return ImportResult(
                    name, Outcome.UNCHANGED, message, existing.headline, existing.pk
                )
            message = versions.withdraw(item, story, existing)
            return about(existing, name, Outcome.UPDATED, message)
        if existing.source_checksum == story.checksum and item.state != WireItem.State.WITHDRAWN:
            message = "already imported; nothing changed"
            return about(existing, name, Outcome.UNCHANGED, message)
        if existing.updated_by_id is not None or existing.status != Article.Status.DRAFT:
            versions.hold(item, story, existing)
            message = "edited by an editor; left as it is; the new version waits on the wire desk"
            return about(existing, name, Outcome.SKIPPED, message)
        self._update(existing, story, agency)
        versions.remember(item, story)
        item.story, item.state, item.alert = versions.to_json(story), WireItem.State.NEW, ""
        item.delivery_hash = digest
        item.save()
        message = "draft brought up to date"
        return ImportResult(name, Outcome.UPDATED, message, story.headline, existing.pk)

    @staticmethod
    def _settled(existing: Article, story: WireStory, name: str) -> ImportResult | None:
        """The result for a story seen before and unchanged; None when anything is to do.

        Versions, kills and held updates are decided one story at a time (`_import`).
        """
        if story.version or story.withdrawn:
            if existing.source_checksum == story.checksum and not story.withdrawn:
                message = "already imported; nothing changed"
                return ImportResult(
                    name, Outcome.UNCHANGED, message, existing.headline, existing.pk
                )
            return None
        if existing.source_checksum == story.checksum:
            message = "already imported; nothing changed"
            return about(existing, name, Outcome.UNCHANGED, message)
        return None

    # Articles already imported under (agency id, reference) keys, one look-up per chunk.
    _known_articles = staticmethod(versions.known_articles)

    @staticmethod
    def _existing(story, agency) -> Article | None:
        """The story's article, if imported before; locked until this file is done."""
        return (
            Article.objects.select_for_update()
            .exclude(source_reference="")  # lets SQLite use the partial index
            .filter(source_agency=agency, source_reference=story.source_reference)
            .first()
        )

    def _create_all(
        self, items: list[tuple[WireStory, Contributor | None]], digests: list[str]
    ) -> list[Article]:
        """Drafts for stories never seen before, in a fixed number of statements.

        `digests` holds, for each story, the SHA-256 of the file it came alone in (or "").
        """
        if not items:
            return []
        slugs = Article.objects.available_slugs([story.headline for story, _ in items])
        articles = Article.objects.bulk_create(
            Article(
                headline=story.headline,
                slug=slug,
                body=paragraphs_to_html(story.paragraphs),
                status=Article.Status.DRAFT,
                # Readers get the time an editor publishes it; the agency's time is kept.
                publish_at=None,
                source_published_at=story.published_at,
                dateline=story.dateline[:100],
                source_agency=agency,
                source_reference=story.source_reference,
                source_checksum=story.checksum,
                created_by=self.user,
            )
            for (story, agency), slug in zip(items, slugs, strict=True)
        )
        Byline.objects.bulk_create(
            byline
            for article, (story, agency) in zip(articles, items, strict=True)
            for byline in self._bylines(article, story, agency)
        )
        with_photo = [
            (article, story, agency)
            for article, (story, agency) in zip(articles, items, strict=True)
            if story.caption
        ]
        photos = Photo.objects.bulk_create(
            Photo(**self._photo_fields(story, agency)) for _, story, agency in with_photo
        )
        ArticlePhoto.objects.bulk_create(
            ArticlePhoto(article=article, photo=photo, position=0)
            for (article, _, _), photo in zip(with_photo, photos, strict=True)
        )
        TopicSuggestion.objects.bulk_create(
            suggestion
            for article, (story, _) in zip(articles, items, strict=True)
            for suggestion in self._suggestions(article, story)
        )
        # An item whose draft was deleted is drafted again from the desk; it exists already.
        WireItem.objects.bulk_create(
            [
                versions.new_item(story, agency, article, digest)
                for article, (story, agency), digest in zip(articles, items, digests, strict=True)
            ],
            ignore_conflicts=True,
        )
        self.codes.note([story for story, _ in items])
        return articles

    def _update(self, article, story, agency) -> None:
        article.headline = story.headline
        article.body = paragraphs_to_html(story.paragraphs)
        article.source_published_at = story.published_at
        article.dateline = story.dateline[:100]
        article.source_checksum = story.checksum
        article.save(
            update_fields=[
                "headline",
                "body",
                "dateline",
                "source_published_at",
                "source_checksum",
                "updated_at",
            ]
        )
        article.bylines.all().delete()
        Byline.objects.bulk_create(self._bylines(article, story, agency))
        self._update_photo(article, story, agency)
        suggestions = self._suggestions(article, story)
        # Decided suggestions stay decided; pending ones follow the latest text.
        article.topic_suggestions.pending().exclude(
            topic_id__in=[suggestion.topic_id for suggestion in suggestions]
        ).delete()
        TopicSuggestion.objects.bulk_create(suggestions, ignore_conflicts=True)

    def _suggestions(self, article, story) -> list[TopicSuggestion]:
        found = self.matcher.find(story.text)
        for code, label in story.subjects:
            if (topic_id := self.codes.topic_for(code)) is not None:
                found.setdefault(topic_id, f"IPTC {code} {label}".strip()[:200])
        # By id: a story names ten topics or so, and the relation's setter costs more than
        # the rest of the row.
        return [
            TopicSuggestion(article_id=article.pk, topic_id=topic_id, matched_text=words)
            for topic_id, words in found.items()
        ]

    @staticmethod
    def _failed(name: str, message: str) -> ImportResult:
        return ImportResult(name, Outcome.FAILED, message)
