"""RSS 2.0 and Atom feeds of the latest stories, of each topic, section and contributor, and of
each live file's updates.

Each story carries its headline, link, summary, authors, topics, publication and update times
and, as Media RSS elements, its lead photo and the photos placed in its text (renditions, never
the originals). Every feed is one `published()` chain with the listing prefetches, plus one
query for the photos placed in the text when there are any, so it costs the same queries for
any size.

Photos go out as `<media:content>` with their type, width and height rather than as RSS
`<enclosure>`: an enclosure must give the file's byte length (which would mean making and
measuring every rendition while the feed renders) and readers take only one per item, where a
story may place several photos.

A live file has a feed of its own (`LiveUpdatesAtom`, linked from its page): each approved
update is an entry with its own id and link (the update's anchor). That is what feed readers
act on: they show a new entry, but rarely show again an entry whose content changed, so
updates folded into the story's entry in the site's feeds would go unseen (and would push every
other story down the site's feeds on each update).
"""

import re
from html import unescape
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, rfc3339_date
from django.utils.html import escape, strip_tags
from django.utils.text import Truncator

from articles.blocks.stored import blocks_in
from articles.cache import keys
from articles.cache.keys import depends_on
from articles.media import renditions
from articles.models import Article, Contributor, Photo, Section, Topic
from articles.public.live import live_story_or_404
from articles.public.seo import plain_text, story_authors

FEED_SIZE = 30
# XML 1.0 cannot carry these; one pasted from wire copy must not take a feed down.
_XML_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str | None) -> str:
    """`text` without the control characters XML 1.0 forbids."""
    return _XML_CONTROL_CHARACTERS.sub("", text or "")


MEDIA_NS = "http://search.yahoo.com/mrss/"
DC_NS = "http://purl.org/dc/elements/1.1/"


def body_photos(body: str) -> dict[int, dict[str, str]]:
    """The photos placed in a text (photo and gallery blocks), in order, once each, by id, with
    the caption and credit a photo block gives them for this story (empty: the library's)."""
    placed: dict[int, dict[str, str]] = {}
    for block in blocks_in(body):
        if block.get("block") == "photo" and block.get("photo"):
            override = {"caption": block.get("caption", ""), "credit": block.get("credit", "")}
            placed.setdefault(int(block["photo"]), override)
        elif block.get("block") == "gallery" and block.get("photos"):
            for pk in block["photos"].split(","):
                placed.setdefault(int(pk), {})
    return placed


def attach_body_photos(items) -> None:
    """Give each item (a story or a live update) `feed_photos`: the photos placed in its text
    that readers may see, as (photo, caption, credit), in one query for all of them."""
    wanted = {item.pk: body_photos(item.body) for item in items}
    every_id = {pk for placed in wanted.values() for pk in placed}
    photos = Photo.objects.with_image().in_bulk(every_id) if every_id else {}
    for item in items:
        item.feed_photos = [
            (
                photos[pk],
                override.get("caption") or photos[pk].caption,
                override.get("credit") or photos[pk].credit,
            )
            for pk, override in wanted[item.pk].items()
            if pk in photos
        ]


def photo_media(photo, caption: str = "", credit: str = "") -> dict | None:
    """A photo as a feed's media: its widest rendition, with caption and credit."""
    # A photo whose size was never stored cannot be given renditions (as on the pages).
    if not photo.width or not photo.height:
        return None
    try:
        image = renditions.largest(photo)
    except OSError:
        return None
    return {
        "url": image.url,
        "type": image.mime_type,
        "width": image.width,
        "height": image.height,
        "description": xml_text(caption),
        "credit": xml_text(credit),
    }


def media_of(lead=None, placed=()) -> list[dict]:
    """The media of an entry: the lead photo (a placement), then the photos in the text."""
    found = []
    if lead is not None:
        found.append((lead.photo, lead.caption, lead.photo.credit))
    seen = {lead.photo.pk} if lead is not None else set()
    found += [item for item in placed if item[0].pk not in seen]
    return [
        media for photo, caption, credit in found if (media := photo_media(photo, caption, credit))
    ]


def _add_media(handler, feed, item):
    """Each photo as <media:content>: no byte length needed, unlike an RSS enclosure."""
    for media in item.get("media") or []:
        _add_one_medium(handler, feed, media)


def _add_one_medium(handler, feed, media):
    handler.startElement(
        "media:content",
        {
            "url": urljoin(feed["link"], media["url"]),
            "type": media["type"],
            "medium": "image",
            "width": str(media["width"]),
            "height": str(media["height"]),
        },
    )
    if media["description"]:
        # Typed HTML and escaped: feed readers (feedparser among them) take it for HTML anyway.
        handler.addQuickElement("media:description", escape(media["description"]), {"type": "html"})
    if media["credit"]:
        handler.addQuickElement("media:credit", media["credit"])
    handler.endElement("media:content")


class StoriesRssFeed(Rss201rev2Feed):
    """RSS 2.0 with one <dc:creator> per author, the update time and the lead photo."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:media": MEDIA_NS, "xmlns:dc": DC_NS}

    def add_item_elements(self, handler, item):
        # An RSS <title> has no type, and feed readers take one that looks like HTML for
        # HTML: the headline is text, so it goes in escaped (Atom's title is typed text).
        super().add_item_elements(handler, {**item, "title": escape(item["title"])})
        # RSS 2.0 has no update time of its own; the Atom element is the common extension.
        if item["updateddate"]:
            handler.addQuickElement("atom:updated", rfc3339_date(item["updateddate"]))
        for author in item.get("authors", []):
            handler.addQuickElement("dc:creator", author["name"])
        _add_media(handler, self.feed, item)


class StoriesAtomFeed(Atom1Feed):
    """Atom with one <author> per byline and the lead photo as Media RSS."""

    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": MEDIA_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for author in item.get("authors", []):
            handler.startElement("author", {})
            handler.addQuickElement("name", author["name"])
            handler.addQuickElement("uri", urljoin(self.feed["link"], author["url"]))
            handler.endElement("author")
        _add_media(handler, self.feed, item)


class StoriesFeed(Feed):
    """The latest published stories; subclasses narrow them to one topic, section or byline."""

    feed_type = StoriesRssFeed
    language = settings.NEWSROOM["LANGUAGE"]

    def title(self, obj=None):
        return settings.NEWSROOM["SITE_NAME"]

    def link(self, obj=None):
        return reverse("articles:home")

    def description(self, obj=None):
        return f"The latest stories from {settings.NEWSROOM['SITE_NAME']}."

    subtitle = description

    def author_name(self, obj=None):
        # Atom needs an author for entries without a byline; the newsroom stands behind them.
        return settings.NEWSROOM["SITE_NAME"]

    def stories(self, obj):
        return Article.objects.published()

    def items(self, obj=None):
        # Every feed re-renders with any story change: a handful of URLs, read by machines.
        depends_on(keys.FEED)
        stories = list(self.stories(obj).newest_first().for_feed()[:FEED_SIZE])
        attach_body_photos(stories)
        return stories

    def item_title(self, article):
        return xml_text(article.headline)

    def item_description(self, article):
        # RSS <description> and Atom <summary type="html"> are HTML to every feed reader:
        # the dek is plain text, so it goes in escaped, as does the text of the body.
        text = article.dek or Truncator(unescape(strip_tags(article.body))).words(60)
        return xml_text(escape(text))

    def item_pubdate(self, article):
        return article.publish_at

    def item_updateddate(self, article):
        return max(article.updated_at, article.publish_at)

    def item_categories(self, article):
        return [xml_text(topic.name) for topic in article.topics.all()]

    def item_extra_kwargs(self, article):
        authors = [
            {"name": xml_text(contributor.name), "url": contributor.get_absolute_url()}
            for contributor in story_authors(article)
        ]
        return {
            "authors": authors,
            "media": media_of(article.lead_placement, getattr(article, "feed_photos", ())),
        }


class StoriesAtom(StoriesFeed):
    feed_type = StoriesAtomFeed


class TopicFeed(StoriesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Topic.objects.with_published_stories(), slug=slug)

    def title(self, topic):
        return f"{topic.name} | {settings.NEWSROOM['SITE_NAME']}"

    def link(self, topic):
        return topic.get_absolute_url()

    def description(self, topic):
        return topic.description or f"The latest stories about {topic.name}."

    subtitle = description

    def stories(self, topic):
        return Article.objects.published().in_topic(topic)


class TopicAtom(TopicFeed):
    feed_type = StoriesAtomFeed


class SectionFeed(StoriesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Section.objects.with_published_stories(), slug=slug)

    def title(self, section):
        return f"{section.name} | {settings.NEWSROOM['SITE_NAME']}"

    def link(self, section):
        return section.get_absolute_url()

    def description(self, section):
        return section.description or f"The latest stories in {section.name}."

    subtitle = description

    def stories(self, section):
        return Article.objects.published().in_section(section)


class SectionAtom(SectionFeed):
    feed_type = StoriesAtomFeed


class ContributorFeed(StoriesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Contributor.objects.with_published_stories(), slug=slug)

    def title(self, contributor):
        return f"{contributor.name} | {settings.NEWSROOM['SITE_NAME']}"

    def link(self, contributor):
        return contributor.get_absolute_url()

    def description(self, contributor):
        return f"The latest stories by {contributor.name}."

    subtitle = description

    def stories(self, contributor):
        return Article.objects.published().by_contributor(contributor)


class ContributorAtom(ContributorFeed):
    feed_type = StoriesAtomFeed


class LiveUpdatesAtom(Feed):
    """A live file's approved updates, newest first, one entry each (see the module's note)."""

    feed_type = StoriesAtomFeed
    language = settings.NEWSROOM["LANGUAGE"]

    def get_object(self, request, year, month, day, slug):
        return live_story_or_404(year, month, day, slug)

    def title(self, article):
        return xml_text(f"{article.headline} | {settings.NEWSROOM['SITE_NAME']}")

    def link(self, article):
        return article.get_absolute_url()

    def subtitle(self, article):
        return xml_text(article.dek) or f"Updates as they are posted on {article.headline}"

    def author_name(self, article=None):
        return settings.NEWSROOM["SITE_NAME"]

    def items(self, article):
        # Re-rendered when the story changes or an update is approved (its key moves).
        depends_on(keys.story(article.pk))
        updates = sorted(article.updates, key=lambda u: (u.posted_at, u.pk), reverse=True)
        updates = updates[:FEED_SIZE]
        for update in updates:
            update.article = article  # the story in hand, not one query per entry
        attach_body_photos(updates)
        return updates

    def item_title(self, update):
        return xml_text(update.headline)

    def item_link(self, update):
        return f"{update.article.get_absolute_url()}#{update.anchor}"

    def item_description(self, update):
        return xml_text(escape(plain_text(update.body)))

    def item_pubdate(self, update):
        return update.posted_at

    def item_updateddate(self, update):
        return update.posted_at

    def item_extra_kwargs(self, update):
        authors = []
        if update.contributor:
            contributor = update.contributor
            authors = [{"name": xml_text(contributor.name), "url": contributor.get_absolute_url()}]
        return {"authors": authors, "media": media_of(placed=update.feed_photos)}
