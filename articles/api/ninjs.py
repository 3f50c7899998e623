"""Stories and photos as IPTC ninjs 3.0 (https://iptc.org/standards/ninjs/).

ninjs 3.0 has no place of its own for a byline's role, a section or a correction, and
allows no extra properties, so they go where the standard's generic arrays put them:
bylines in `people` (staff) and `organisations` (agencies) with the role as `rel`, the
section as a subject with `rel: "section"`, corrections as `descriptions` whose role is
the correction's kind. tests/test_api.py validates every object against the official schema.
"""

import html
import re

from django.conf import settings
from django.urls import reverse
from django.utils.html import strip_tags

from articles.media import renditions
from articles.models.contributor import credit_lines

STANDARD = {
    "name": "ninjs",
    "version": "3.0",
    "schema": "http://www.iptc.org/std/ninjs/ninjs-schema_3.0.json#",
}
MEDIA_TOPIC_URI = "http://cv.iptc.org/newscodes/mediatopic/{}"
BLOCK_END = re.compile(r"</(p|h[2-4]|li|blockquote)>|<br\s*/?>|<hr\s*/?>", re.IGNORECASE)
SPACES = re.compile(r"[ \t]+")
BLANK_LINES = re.compile(r"\n\s*\n+")


def site_url(path: str) -> str:
    """An absolute address on the public site (media and API addresses included)."""
    if path.startswith(("http://", "https://")):
        return path
    return settings.NEWSROOM["SITE_URL"].rstrip("/") + path


def iso(moment) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def story_uri(pk: int) -> str:
    return site_url(reverse("api:story-detail", args=[pk]))


def photo_uri(pk: int) -> str:
    return site_url(reverse("api:photo-detail", args=[pk]))


def plain_text(body_html: str) -> str:
    """The body as plain text: paragraphs kept apart by a blank line."""
    text = html.unescape(strip_tags(BLOCK_END.sub("\n\n", body_html)))
    text = SPACES.sub(" ", text)
    return BLANK_LINES.sub("\n\n", text).strip()


def by_line(bylines) -> str:
    """ "By Kim Min-ji, Yonhap; Photos by Park": what a reader sees under the headline."""
    parts = []
    for label, contributors in credit_lines(bylines):
        names = ", ".join(contributor.name for contributor in contributors)
        parts.append(f"{label} {names}".strip())
    return "; ".join(parts)


def credits(bylines) -> dict:
    people, organisations = [], []
    for byline in bylines:
        contributor = byline.contributor
        entry = {
            "name": contributor.name,
            "rel": byline.role,
            "literal": contributor.slug,
            "uri": site_url(contributor.get_absolute_url()),
        }
        (organisations if contributor.is_organization else people).append(entry)
    found = {}
    if people:
        found["people"] = people
    if organisations:
        found["organisations"] = organisations
    return found


def subjects(article) -> list[dict]:
    found = []
    for topic in article.topics.all():
        subject = {"name": topic.name, "rel": "about", "literal": topic.slug}
        if topic.iptc_code:
            # Stored as the qcode agencies send (medtop:20000051); partners get its URI.
            subject["uri"] = MEDIA_TOPIC_URI.format(topic.iptc_code.removeprefix("medtop:"))
            subject["creator"] = "editor"
        found.append(subject)
    if article.section is not None:
        found.append(
            {"name": article.section.name, "rel": "section", "literal": article.section.slug}
        )
    return found


def picture_renditions(photo) -> list[dict]:
    """Rendition URLs of a photo, never the uploaded original; [] if the file is unreadable."""
    if not photo.image or not photo.width or not photo.height:
        return []
    try:
        items = renditions.renditions(photo, image_format="jpeg")
    except OSError:
        return []
    return [
        {
            "name": f"w{item.width}",
            "href": site_url(item.url),
            "contentType": item.mime_type,
            "width": item.width,
            "height": item.height,
        }
        for item in items
    ]


def picture(photo, caption: str | None = None) -> dict:
    """A library photo as a ninjs picture: caption, alt text, credit, terms and renditions."""
    item = {"uri": photo_uri(photo.pk), "type": "picture", "representationType": "full"}
    descriptions = []
    if caption or photo.caption:
        descriptions.append(
            {"role": "caption", "contentType": "text/plain", "value": caption or photo.caption}
        )
    if photo.alt_text:
        descriptions.append({"role": "alt", "contentType": "text/plain", "value": photo.alt_text})
    if descriptions:
        item["descriptions"] = descriptions
    if photo.credit:
        item["by"] = photo.credit
        item["copyrightHolder"] = photo.credit
    if photo.usage_terms:
        item["usageTerms"] = photo.usage_terms
    item["versionCreated"] = iso(photo.updated_at)
    item["renditions"] = picture_renditions(photo)
    return item


def story(article) -> dict:
    """A published story as ninjs, from `Article.objects.published().for_detail()`."""
    headlines = [{"role": "main", "contentType": "text/plain", "value": article.headline}]
    if article.kicker:
        headlines.append({"role": "kicker", "contentType": "text/plain", "value": article.kicker})
    text = plain_text(article.body)
    item = {
        "uri": story_uri(article.pk),
        "standard": STANDARD,
        "type": "text",
        "representationType": "full",
        "version": str(article.version),
        "firstCreated": iso(article.first_published_at or article.publish_at),
        "versionCreated": iso(max(article.updated_at, article.publish_at)),
        "pubStatus": "usable",
        "language": settings.NEWSROOM["LANGUAGE"],
        "copyrightHolder": settings.NEWSROOM["SITE_NAME"],
        "slugline": article.slug,
        "headlines": headlines,
        "bodies": [
            {
                "role": "main",
                "contentType": "text/html",
                "value": article.body,
                "charCount": len(text),
                "wordCount": len(text.split()),
            },
            {"role": "main", "contentType": "text/plain", "value": text},
        ],
        "altIds": [{"role": "url", "value": site_url(article.get_absolute_url())}],
    }
    descriptions = []
    if article.dek:
        descriptions.append({"role": "summary", "contentType": "text/plain", "value": article.dek})
    for correction in article.corrections.all():
        descriptions.append(
            {
                "role": correction.kind,
                "contentType": "text/plain",
                "value": f"{iso(correction.created_at)} {correction.text}",
            }
        )
    if descriptions:
        item["descriptions"] = descriptions
    bylines = list(article.bylines.all())
    if bylines:
        item["by"] = by_line(bylines)
        item.update(credits(bylines))
    if article.dateline:
        item["located"] = article.dateline
    found = subjects(article)
    if found:
        item["subjects"] = found
    associations = []
    for position, placement in enumerate(article.placements):
        association = picture(placement.photo, placement.caption)
        association["name"] = "lead" if position == 0 else f"photo-{position}"
        association["rel"] = "illustration"
        associations.append(association)
    if associations:
        item["associations"] = associations
    return item


def withdrawal(pk: int, version: int, when, status: str) -> dict:
    """What a partner is told when a story goes: no content, only that it must come down.

    `canceled` for a kill (remove it everywhere), `withheld` for an unpublished story.
    """
    return {
        "uri": story_uri(pk),
        "standard": STANDARD,
        "type": "text",
        "representationType": "partial",
        "version": str(version),
        "versionCreated": iso(when),
        "pubStatus": status,
    }
