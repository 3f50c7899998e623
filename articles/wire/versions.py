"""Versions, corrections and kills: what a re-delivered agency story does to its draft.

- An older version than the one already received is ignored and reported.
- A newer version of an untouched draft updates it (the importer does that).
- A newer version of a draft an editor has changed waits on its wire item as a pending
  update, to compare and apply; of a published story, it raises an alert with the diff.
  Readers never see a change the agency made until an editor applies it.
- A kill or withhold (`canceled`/`withheld`) withdraws a draft, which then cannot be
  published; for a published story it raises an urgent alert with a one-click unpublish.
  Only an agency listed in NEWSROOM["WIRE_AUTO_UNPUBLISH"] takes a story down by itself.
"""

import logging
from datetime import date, datetime

import reversion
from django.conf import settings
from django.db import transaction
from django.db.models import Q

from articles.models import Article, WireItem
from articles.sanitize import paragraphs_to_html
from articles.wire.parser import Author, WirePicture, WireStory

logger = logging.getLogger("articles.wire")

# What decides between skipping, reporting unchanged and updating a story seen before.
SETTLING_FIELDS = [
    "headline",
    "status",
    "updated_by",
    "source_agency",
    "source_reference",
    "source_checksum",
]


def to_json(story: WireStory) -> dict:
    values = dict(story.values)
    values["date"] = story.date.isoformat()
    values["published_at"] = story.published_at.isoformat()
    return values


def from_json(values: dict) -> WireStory:
    values = dict(values)
    values["date"] = date.fromisoformat(values["date"])
    values["published_at"] = datetime.fromisoformat(values["published_at"])
    values["paragraphs"] = tuple(values["paragraphs"])
    values["authors"] = tuple(Author(**a) for a in values.get("authors", ()))
    values["subjects"] = tuple(tuple(s) for s in values.get("subjects", ()))
    values["pictures"] = tuple(WirePicture(**p) for p in values.get("pictures", ()))
    return WireStory(**values)


def new_item(story: WireStory, agency, article, digest: str = "") -> WireItem:
    return WireItem(
        delivery_hash=digest,
        agency=agency,
        reference=story.source_reference,
        version=story.version,
        format=story.format,
        headline=story.headline,
        urgency=story.urgency,
        agency_time=story.published_at,
        article=article,
        story=to_json(story),
        state=WireItem.State.WITHDRAWN if story.withdrawn else WireItem.State.NEW,
    )


def item_for(article: Article, story: WireStory, agency) -> WireItem:
    """The article's wire item, locked; made now for stories imported before items existed."""
    item = (
        WireItem.objects.select_for_update()
        .filter(agency=agency, reference=story.source_reference)
        .first()
    )
    if item is None:
        item = new_item(story, agency, article)
        item.version = 0
        item.save()
    return item


def is_older(item: WireItem, story: WireStory) -> bool:
    return bool(story.version and item.version and story.version < item.version)


def agency_name(item: WireItem) -> str:
    return item.agency.name if item.agency_id else "The agency"


def hold(item: WireItem, story: WireStory, article: Article) -> str:
    """Keep a newer version for an editor; returns what the desk is told."""
    published = article.status == Article.Status.PUBLISHED
    item.pending = to_json(story)
    item.pending_version = story.version
    item.state = WireItem.State.UPDATED
    item.alert = (
        f"{agency_name(item)} sent a correction to a story you published"
        if published
        else f"{agency_name(item)} sent an update to a draft an editor has changed"
    )
    item.urgent = False
    remember(item, story)
    item.save()
    if published:
        logger.warning("%s: %s (article %s)", item.alert, story.headline, article.pk)
    return item.alert


def withdraw(item: WireItem, story: WireStory, article: Article | None) -> str:
    """The agency killed or withheld the story; returns what the desk is told."""
    item.state = WireItem.State.WITHDRAWN
    remember(item, story)
    word = "killed" if story.pub_status == "canceled" else "withheld"
    message = f"withdrawn by the agency ({word}); the draft cannot be published"
    if article is not None and article.status == Article.Status.PUBLISHED:
        name = agency_name(item)
        if name.casefold() in {
            n.casefold() for n in settings.NEWSROOM.get("WIRE_AUTO_UNPUBLISH", [])
        }:
            article.unpublish(by=None, note=f"{name} {word} the story")
            item.alert = f"{name} {word} a story you published; it was unpublished"
            message = "killed by the agency; unpublished (automatic for this agency)"
        else:
            item.alert = f"{name} {word} a story you published"
            message = "killed by the agency; the desk is alerted"
        item.urgent = True
        logger.error("%s: %s (article %s)", item.alert, story.headline, article.pk)
    item.save()
    return message


def remember(item: WireItem, story: WireStory) -> None:
    item.version = max(item.version, story.version)
    item.headline = story.headline
    item.urgency = story.urgency
    item.agency_time = story.published_at


def apply_pending(item: WireItem, *, by) -> Article:
    """Bring the draft (or story) to the agency's pending version, as an editor's save."""
    story = from_json(item.pending)
    article = item.article
    with transaction.atomic(), reversion.create_revision():
        reversion.set_user(by)
        reversion.set_comment(f"Agency update applied (version {item.pending_version})")
        article.headline = story.headline
        article.body = paragraphs_to_html(story.paragraphs)
        article.dateline = story.dateline or article.dateline
        article.source_published_at = story.published_at
        article.source_checksum = story.checksum
        article.updated_by = by
        article.save()
        item.story, item.pending, item.pending_version = item.pending, None, None
        item.alert, item.urgent, item.state = "", False, WireItem.State.USED
        # The draft no longer matches the file it was made from.
        item.delivery_hash = ""
        item.save()
    return article


def known_articles(keys: set[tuple[int | None, str]]) -> dict[tuple[int | None, str], Article]:
    """Articles already imported under any of `keys` (agency id, reference), by key."""
    by_agency = {agency_id for agency_id, _ in keys if agency_id is not None}
    by_agency_refs = {reference for agency_id, reference in keys if agency_id is not None}
    staff_refs = {reference for agency_id, reference in keys if agency_id is None}
    # Shaped after the two partial unique indexes, so each arm is an index look-up.
    articles = (
        Article.objects.exclude(source_reference="")
        .filter(
            Q(source_agency__in=by_agency, source_reference__in=by_agency_refs)
            | Q(source_agency__isnull=True, source_reference__in=staff_refs)
        )
        .only(*SETTLING_FIELDS)
    )
    found = {(a.source_agency_id, a.source_reference): a for a in articles}
    return {key: article for key, article in found.items() if key in keys}
