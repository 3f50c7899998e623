"""What search engines and social sites read from a page: JSON-LD, canonical links, cards.

Builders return plain dicts; `templatetags/reader_tags.py` renders them through
`templates/includes/_article_meta.html` and `_page_meta.html`.
"""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.templatetags.static import static
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from articles.media import renditions
from articles.models import Byline

# Bylines that credit the writing; photo and editing credits are not the story's authors.
AUTHOR_ROLES = {Byline.Role.WRITTEN_BY, Byline.Role.REPORTING, Byline.Role.ADDITIONAL_REPORTING}
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


def story_authors(article) -> list:
    """The story's writers in byline order, each once (from the prefetched bylines)."""
    seen, authors = set(), []
    for byline in article.bylines.all():
        if byline.role in AUTHOR_ROLES and byline.contributor_id not in seen:
            seen.add(byline.contributor_id)
            authors.append(byline.contributor)
    return authors


def story_description(article) -> str:
    """The dek, or the opening words of the body when a story has none."""
    return article.dek or Truncator(" ".join(strip_tags(article.body).split())).words(
        DESCRIPTION_WORDS
    )


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
    }
    if images:
        data["image"] = [request.build_absolute_uri(image.url) for image in images]
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
    card_image = images[0] if images else None
    placement = article.lead_placement
    return {
        "title": article.headline,
        "description": story_description(article),
        "canonical": request.build_absolute_uri(article.get_absolute_url()),
        "image": request.build_absolute_uri(card_image.url) if card_image else "",
        "image_width": card_image.width if card_image else None,
        "image_height": card_image.height if card_image else None,
        "image_alt": placement.photo.alt_text if placement else "",
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
    return {
        "title": title,
        "description": description,
        "canonical": canonical,
        "og_type": og_type,
    }
