"""RSS 2.0 and Atom feeds of the latest stories, and of each topic, section and contributor.

Each story carries its headline, link, summary, authors, topics, publication and update times
and, as a Media RSS element, its lead photo (a rendition, never the original). Every feed is
one `published()` chain with the listing prefetches, so it costs the same queries for any size.
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

from articles.cache import keys
from articles.cache.keys import depends_on
from articles.media import renditions
from articles.models import Article, Contributor, Section, Topic
from articles.public.seo import story_authors

FEED_SIZE = 30
# XML 1.0 cannot carry these; one pasted from wire copy must not take a feed down.
_XML_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str | None) -> str:
    """`text` without the control characters XML 1.0 forbids."""
    return _XML_CONTROL_CHARACTERS.sub("", text or "")


MEDIA_NS = "http://search.yahoo.com/mrss/"
DC_NS = "http://purl.org/dc/elements/1.1/"


def _add_media(handler, feed, item):
    """The lead photo as <media:content>: no byte length needed, unlike an RSS enclosure."""
    media = item.get("media")
    if not media:
        return
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
        return self.stories(obj).newest_first().for_feed()[:FEED_SIZE]

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
        return {"authors": authors, "media": self._lead_photo(article)}

    def _lead_photo(self, article):
        placement = article.lead_placement
        # A photo whose size was never stored cannot be given renditions (as on the pages).
        if placement is None or not placement.photo.width or not placement.photo.height:
            return None
        try:
            image = renditions.largest(placement.photo)
        except OSError:
            return None
        return {
            "url": image.url,
            "type": image.mime_type,
            "width": image.width,
            "height": image.height,
            "description": xml_text(placement.caption),
            "credit": xml_text(placement.photo.credit),
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
