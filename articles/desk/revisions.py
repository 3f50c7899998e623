"""Revisions of stories, kept by django-reversion: history, field-level diffs and restoring.

Each revision holds the story with its bylines, photo placements and topic links (see the
`reversion.register` call on Article). Restoring puts back the content of a version and never
its state or publication times: a revision cannot republish a killed story or unpublish a live
one; only the transitions change state.
"""

import difflib
import html
import re
from dataclasses import dataclass

import reversion
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.html import format_html, format_html_join, strip_tags
from django.utils.safestring import SafeString
from reversion.models import Version

from articles.cache import invalidate
from articles.display import desk_datetime
from articles.models import (
    Article,
    ArticlePhoto,
    Byline,
    Contributor,
    Photo,
    Section,
    TaggedArticle,
    Topic,
    refresh_related,
)

# What a restore puts back. Status and publication times belong to the workflow.
CONTENT_FIELDS = [
    "kicker",
    "headline",
    "slug",
    "dek",
    "dateline",
    "body",
    "section",
    "source_agency",
    "source_reference",
]
# What a diff shows: the content, then the state it was saved in.
COMPARED_FIELDS = [*CONTENT_FIELDS, "status", "publish_at", "embargo_until"]
TEXT_FIELDS = {"kicker", "headline", "slug", "dek", "dateline", "body", "source_reference"}
RELATED_LABELS = {"bylines": "Bylines", "photos": "Photos", "topics": "Topics"}


class RestoreError(Exception):
    """A version that cannot be put back as it was (something it refers to is gone)."""


def versions_of(article: Article):
    """Saved versions of `article`, newest first, with who saved them."""
    return (
        Version.objects.get_for_object(article)
        .select_related("revision__user")
        .order_by("-revision__date_created", "-pk")
    )


@dataclass
class Snapshot:
    """A version's fields with its bylines, photos and topics, as ids in story order."""

    fields: dict
    bylines: list[tuple[int, str, int]]  # (contributor id, role, position)
    photos: list[tuple[int, int, str]]  # (photo id, position, caption override)
    topics: list[int]


def snapshot(version: Version) -> Snapshot:
    article_id = int(version.object_id)
    rows = {Byline: [], ArticlePhoto: [], TaggedArticle: []}
    content_types = ContentType.objects.get_for_models(*rows)
    for related in version.revision.version_set.filter(
        content_type__in=content_types.values(), db=version.db
    ):
        model = related._model
        obj = related._object_version.object
        if model is TaggedArticle and obj.content_object_id == article_id:
            rows[model].append(obj)
        elif model is not TaggedArticle and obj.article_id == article_id:
            rows[model].append(obj)
    by_position = lambda row: (row.position, row.pk)  # noqa: E731
    return Snapshot(
        fields=version.field_dict,
        bylines=[
            (b.contributor_id, b.role, b.position) for b in sorted(rows[Byline], key=by_position)
        ],
        photos=[
            (p.photo_id, p.position, p.caption_override)
            for p in sorted(rows[ArticlePhoto], key=by_position)
        ],
        topics=sorted(t.tag_id for t in rows[TaggedArticle]),
    )


@dataclass
class Change:
    label: str
    old: str
    new: str
    diff: SafeString | None = None


def html_to_text(value: str) -> str:
    """A story body as plain paragraphs, for reading a diff."""
    value = re.sub(r"(?i)</(p|h[1-6]|li|blockquote)>|<br\s*/?>", "\n", value or "")
    return html.unescape(strip_tags(value)).strip()


def word_diff(old: str, new: str) -> SafeString:
    """`old` to `new` word by word, removals in <del> and additions in <ins>."""
    # Words with their trailing space, so a diff reads "Budget <ins>finally </ins>passes".
    old_words, new_words = re.findall(r"\s+|\S+\s*", old), re.findall(r"\s+|\S+\s*", new)
    parts = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        removed, added = "".join(old_words[a1:a2]), "".join(new_words[b1:b2])
        if op == "equal":
            parts.append(format_html("{}", removed))
        if op in ("delete", "replace"):
            parts.append(format_html("<del>{}</del>", removed))
        if op in ("insert", "replace"):
            parts.append(format_html("<ins>{}</ins>", added))
    return format_html_join("", "{}", ((part,) for part in parts))


def to_the_second(value):
    """Times as the desk edits them: the form drops microseconds, which no editor set."""
    return value.replace(microsecond=0) if hasattr(value, "microsecond") else value


def compare(old: Version, new: Version) -> list[Change]:
    """What changed from version `old` to version `new`, field by field."""
    before, after = snapshot(old), snapshot(new)
    names = Names(before, after)
    changes = []
    for name in COMPARED_FIELDS:
        field = Article._meta.get_field(name)
        a, b = before.fields.get(field.attname), after.fields.get(field.attname)
        if a == b or to_the_second(a) == to_the_second(b):
            continue
        label = field.verbose_name.capitalize()
        if name in TEXT_FIELDS:
            a, b = (html_to_text(a), html_to_text(b)) if name == "body" else (a or "", b or "")
            changes.append(Change(label, a, b, word_diff(a, b)))
        else:
            changes.append(Change(label, names.field(field, a), names.field(field, b)))
    for key in ["bylines", "photos", "topics"]:
        a, b = getattr(before, key), getattr(after, key)
        if a != b:
            changes.append(
                Change(RELATED_LABELS[key], names.related(key, a), names.related(key, b))
            )
    return changes


class Names:
    """Readable names for the ids in two snapshots, fetched in one query per model."""

    def __init__(self, *snapshots: Snapshot):
        def ids(attr):
            return {
                row[0] if isinstance(row, tuple) else row
                for snap in snapshots
                for row in getattr(snap, attr)
            }

        fields = [snap.fields for snap in snapshots]
        self.contributors = Contributor.objects.in_bulk(
            ids("bylines") | {f.get("source_agency_id") for f in fields} - {None}
        )
        self.photos = Photo.objects.in_bulk(ids("photos"))
        self.topics = Topic.objects.in_bulk(ids("topics"))
        self.sections = Section.objects.in_bulk({f.get("section_id") for f in fields} - {None})

    def field(self, field, value) -> str:
        if value is None or value == "":
            return "(empty)"
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if field.name == "section":
            return str(self.sections.get(value, f"deleted section #{value}"))
        if field.name == "source_agency":
            return str(self.contributors.get(value, f"deleted contributor #{value}"))
        if hasattr(value, "tzinfo"):
            return desk_datetime(value)
        return str(value)

    def related(self, key, rows) -> str:
        if key == "bylines":
            roles = dict(Byline.Role.choices)
            lines = [
                f"{self.contributors.get(cid, f'deleted contributor #{cid}')} "
                f"({roles.get(role, role)})"
                for cid, role, _ in rows
            ]
        elif key == "photos":
            lines = [
                f"{self.photos.get(pid, f'deleted photo #{pid}')}"
                + (f" — caption here: {caption}" if caption else "")
                for pid, _, caption in rows
            ]
        else:
            lines = [str(self.topics.get(tid, f"deleted topic #{tid}")) for tid in rows]
        return "\n".join(lines) or "(none)"


def restore(article: Article, version: Version, *, by) -> Article:
    """Put back the content of `version`: text, filing, bylines, photos and topics.

    The story keeps its state and publication times. Runs in one transaction, as a new
    revision; raises RestoreError, writing nothing, if the version refers to something gone.
    """
    snap = snapshot(version)
    fields = snap.fields
    names = Names(snap)
    missing = [
        *(f"contributor #{cid}" for cid, _, _ in snap.bylines if cid not in names.contributors),
        *(f"photo #{pid}" for pid, _, _ in snap.photos if pid not in names.photos),
        *(f"topic #{tid}" for tid in snap.topics if tid not in names.topics),
    ]
    if fields.get("section_id") and fields["section_id"] not in names.sections:
        missing.append("its section")
    if fields.get("source_agency_id") and fields["source_agency_id"] not in names.contributors:
        missing.append("its source agency")
    if missing:
        raise RestoreError(
            "This version cannot be restored: it refers to "
            f"{', '.join(missing)}, which no longer exist."
        )
    if Article.objects.exclude(pk=article.pk).filter(slug=fields["slug"]).exists():
        raise RestoreError(
            f"This version cannot be restored: its address “{fields['slug']}” now belongs to "
            "another story."
        )
    saved_on = desk_datetime(version.revision.date_created)
    with transaction.atomic(), reversion.create_revision():
        current = Article.objects.select_for_update().get(pk=article.pk)
        for name in CONTENT_FIELDS:
            attname = Article._meta.get_field(name).attname
            setattr(current, attname, fields[attname])
        if by is not None:
            current.updated_by = by
        current.save()
        current.bylines.all().delete()
        Byline.objects.bulk_create(
            Byline(article=current, contributor_id=cid, role=role, position=position)
            for cid, role, position in snap.bylines
        )
        current.photo_placements.all().delete()
        ArticlePhoto.objects.bulk_create(
            ArticlePhoto(article=current, photo_id=pid, position=position, caption_override=c)
            for pid, position, c in snap.photos
        )
        TaggedArticle.objects.filter(content_object=current).delete()
        TaggedArticle.objects.bulk_create(
            TaggedArticle(content_object=current, tag_id=tid) for tid in snap.topics
        )
        # Bulk writes send no signals: add the story again so the revision holds its rows.
        reversion.add_to_revision(current)
        reversion.set_user(by)
        reversion.set_comment(f"Restored the version saved on {saved_on}.")
        refresh_related([current])
        invalidate.story_changed(current)
    return current
