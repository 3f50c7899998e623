"""What search engines and social sites read from a page: JSON-LD, canonical links, cards.

Builders return plain dicts; `templatetags/reader_tags.py` renders them through
`templates/includes/_article_meta.html` and `_page_meta.html`.
"""

import json
import re

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.templatetags.static import static
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from articles.media import renditions
from articles.models import Byline

# What each byline role is in schema.org: writers are the authors, "additional reporting"
# contributors, editors editors; photographers are the creators of the story's pictures.
AUTHOR_ROLES = {Byline.Role.WRITTEN_BY, Byline.Role.REPORTING}
CONTRIBUTOR_ROLES = {Byline.Role.ADDITIONAL_REPORTING}
EDITOR_ROLES = {Byline.Role.EDITING}
PHOTOGRAPHER_ROLES = {Byline.Role.PHOTOS}
# Corrections and clarifications are schema.org corrections; an update adds news, it does not.
CORRECTION_KINDS = {"correction", "clarification"}
# Where block-level elements end, text runs on: "…end.</p><p>Next…" must keep a space.
_BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|blockquote|figcaption|td|th|div)>|<br\s*/?>", re.I)
LOGO_SIZE = (600, 60)
DESCRIPTION_WORDS = 40

# Inside <script>, "</script>" or "<!--" in a headline would end or confuse the element:
# JSON lets every <, > and & be written as a \u escape, which no HTML parser reads as markup.
_SCRIPT_ESCAPES = {
    ord("<"): "\\u003C",
    ord(">"): "\\u003E",
    ord("&"): "\\u0026",
    ord("\u2028"): "\\u2028",
    ord("\u2029"): "\\u2029",
}


def credited(article, roles) -> list:
    """Contributors credited in one of `roles`, in byline order, each once (prefetched)."""
    seen, people = set(), []
    for byline in article.bylines.all():
        if byline.role in roles and byline.contributor_id not in seen:
            seen.add(byline.contributor_id)
            people.append(byline.contributor)
    return people


def story_authors(article) -> list:
    """The story's writers in byline order, each once (from the prefetched bylines)."""
    return credited(article, AUTHOR_ROLES)


def plain_text(html: str) -> str:
    """Text of a body, one space between paragraphs and words."""
    return " ".join(strip_tags(_BLOCK_END.sub(" ", html)).split())


def story_description(article) -> str:
    """The dek, or the opening words of the body when a story has none."""
    return article.dek or Truncator(plain_text(article.body)).words(DESCRIPTION_WORDS)


def default_image(request) -> dict:
    """The site-wide picture for a story without a photo, as an ImageObject."""
    path, width, height = settings.NEWSROOM["DEFAULT_IMAGE"]
    url = request.build_absolute_uri(static(path))
    return {"@type": "ImageObject", "url": url, "width": width, "height": height}


def image_objects(article, images, request) -> list[dict]:
    """The lead photo's crops as ImageObjects with credit, copyright, licence and creators."""
    photo = article.lead_placement.photo if images else None
    creators = [_author(c, request) for c in credited(article, PHOTOGRAPHER_ROLES)]
    objects = []
    for image in images:
        item = {
            "@type": "ImageObject",
            "url": request.build_absolute_uri(image.url),
            "width": image.width,
            "height": image.height,
        }
        if photo.credit:
            item["creditText"] = photo.credit
        if photo.copyright_holder:
            item["copyrightNotice"] = f"© {photo.copyright_holder}"
            item["copyrightHolder"] = {"@type": "Organization", "name": photo.copyright_holder}
        if photo.licence_url:
            item["license"] = photo.licence_url
        if creators:
            item["creator"] = creators
        objects.append(item)
    return objects


def live_blog(article, url: str, request) -> dict:
    """A live file's LiveBlogPosting fields: its coverage times and updates."""
    data = {
        "@type": "LiveBlogPosting",
        "coverageStartTime": _iso(article.live_started_at),
        "liveBlogUpdate": [
            {
                "@type": "BlogPosting",
                "headline": update.headline,
                "url": f"{url}#{update.anchor}",
                "datePublished": _iso(update.posted_at),
                "articleBody": plain_text(update.body),
                **(
                    {"author": [_author(update.contributor, request)]} if update.contributor else {}
                ),
            }
            for update in article.updates
        ],
    }
    if article.live_ended_at:
        data["coverageEndTime"] = _iso(article.live_ended_at)
    return data


def corrections(article) -> list[dict]:
    """The story's corrections and clarifications as schema.org CorrectionComments."""
    return [
        {
            "@type": "CorrectionComment",
            "text": correction.text,
            "datePublished": _iso(correction.created_at),
        }
        for correction in article.corrections.all()
        if correction.kind in CORRECTION_KINDS
    ]


def json_ld_script(data: dict) -> SafeString:
    """A <script type="application/ld+json"> that no value inside `data` can break out of."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


def _iso(moment) -> str:
    return timezone.localtime(moment).isoformat()


def publisher(request) -> dict:
    return {
        "@type": "NewsMediaOrganization",
        "name": settings.NEWSROOM["SITE_NAME"],
        "url": request.build_absolute_uri("/"),
        "logo": {
            "@type": "ImageObject",
            "url": request.build_absolute_uri(static(settings.NEWSROOM["LOGO"])),
            "width": LOGO_SIZE[0],
            "height": LOGO_SIZE[1],
        },
    }


def _author(contributor, request) -> dict:
    author = {
        "@type": "Organization" if contributor.is_organization else "Person",
        "name": contributor.name,
        "url": request.build_absolute_uri(contributor.get_absolute_url()),
    }
    if contributor.job_title and not contributor.is_organization:
        author["jobTitle"] = contributor.job_title
    return author


def lead_images(article) -> list[renditions.Rendition]:
    """The lead photo cropped 16:9, 4:3 and 1:1, as Google asks; empty without a readable one."""
    placement = article.lead_placement
    if placement is None or not placement.photo.width:
        return []
    try:
        return [renditions.crop(placement.photo, ratio) for ratio in renditions.CROPS]
    except OSError:
        return []


def news_article(article, request, images=None) -> dict:
    """schema.org NewsArticle for one story."""
    url = request.build_absolute_uri(article.get_absolute_url())
    images = lead_images(article) if images is None else images
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": article.headline,
        "description": story_description(article),
        "datePublished": _iso(article.publish_at),
        "dateModified": _iso(max(article.updated_at, article.publish_at)),
        "author": [_author(contributor, request) for contributor in story_authors(article)]
        or [{"@type": "Organization", "name": settings.NEWSROOM["SITE_NAME"]}],
        "publisher": publisher(request),
        "inLanguage": settings.NEWSROOM["LANGUAGE"],
        "isAccessibleForFree": True,
        "image": image_objects(article, images, request) or [default_image(request)],
    }
    for key, roles in (("contributor", CONTRIBUTOR_ROLES), ("editor", EDITOR_ROLES)):
        if people := credited(article, roles):
            data[key] = [_author(contributor, request) for contributor in people]
    if fixes := corrections(article):
        data["correction"] = fixes
    if article.is_live_file:
        data.update(live_blog(article, url, request))
    if article.section:
        data["articleSection"] = article.section.name
    if topics := [topic.name for topic in article.topics.all()]:
        data["keywords"] = topics
    if article.source_agency_id and article.source_published_at:
        # Agency copy: the agency's own story and time, beside the newsroom's publication.
        data["isBasedOn"] = {
            "@type": "NewsArticle",
            "publisher": {"@type": "Organization", "name": article.source_agency.name},
            "datePublished": _iso(article.source_published_at),
        }
    if article.dateline:
        data["dateline"] = article.dateline
        data["locationCreated"] = {"@type": "Place", "name": article.dateline}
    return data


def article_meta(article, request) -> dict:
    """Everything `_article_meta.html` prints for a story page."""
    images = lead_images(article)
    card = image_objects(article, images[:1], request)
    card = card[0] if card else default_image(request)
    placement = article.lead_placement
    description = story_description(article)
    return {
        "title": article.headline,
        "share_title": article.share_headline,
        "description": description,
        "share_description": article.social_description or description,
        "canonical": request.build_absolute_uri(article.get_absolute_url()),
        "image": card["url"],
        "image_width": card["width"],
        "image_height": card["height"],
        "image_alt": placement.photo.alt_text if placement and images else "",
        "published": _iso(article.publish_at),
        "modified": _iso(max(article.updated_at, article.publish_at)),
        "section": article.section.name if article.section else "",
        "tags": [topic.name for topic in article.topics.all()],
        "json_ld": json_ld_script(news_article(article, request, images)),
    }


def page_meta(request, title: str, description: str, og_type: str = "website") -> dict:
    """What `_page_meta.html` prints for a listing page (topic, section, contributor)."""
    canonical = request.build_absolute_uri(request.path)
    page = request.GET.get("page", "")
    if page.isdigit() and int(page) > 1:
        canonical = f"{canonical}?page={int(page)}"
    image = default_image(request)
    return {
        "title": title,
        "description": description,
        "canonical": canonical,
        "og_type": og_type,
        "image": image["url"],
        "image_width": image["width"],
        "image_height": image["height"],
    }
