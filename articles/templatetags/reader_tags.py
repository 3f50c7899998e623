from django import template

from articles.blocks.render import render_body
from articles.media import renditions
from articles.public import pieces, seo
from articles.public.feeds import xml_text
from articles.search import highlighted

register = template.Library()


@register.filter
def highlight(snippet):
    """A search snippet as safe HTML with the matched words in <mark>."""
    return highlighted(snippet)


@register.inclusion_tag("includes/_picture.html")
def picture(
    photo, sizes: str, alt: str = "", lazy: bool = False, thumbnail: bool = False, priority=False
):
    """A `<picture>` of renditions: WebP first, JPEG for the rest, sized for the layout slot.

    `priority`: the page's largest picture above the fold, fetched before the others.
    """
    widths = renditions.THUMBNAIL_WIDTHS if thumbnail else renditions.WIDTHS
    picture = renditions.picture(photo, widths)
    return {"picture": picture, "sizes": sizes, "alt": alt, "lazy": lazy, "priority": priority}


@register.simple_tag
def story_list(stories, show_section=False, heading="h3", empty_message="No stories yet."):
    """A listing's story cards with their photos, each kept rendered between pages."""
    cards = pieces.story_cards(stories, show_section=show_section, heading=heading)
    return pieces.story_list_html(cards, empty_message)


@register.simple_tag(takes_context=True)
def kept_part(context, template_name, **options):
    """The site's header or footer, rendered once per process while nothing changes."""
    shown = {"site_name": context.get("site_name"), "nav_sections": context.get("nav_sections")}
    return pieces.kept_part(template_name, shown, **options)


@register.simple_tag
def story_body(body: str):
    """A story body with its blocks rendered for readers (articles/blocks/render.py)."""
    return render_body(body)


@register.filter(name="xml_text")
def xml_text_filter(text):
    """Text without the control characters XML 1.0 forbids (for sitemaps)."""
    return xml_text(text)


@register.filter
def portrait_url(image_file):
    """A contributor portrait as a small square rendition (never the uploaded original)."""
    return renditions.portrait(image_file) or ""


@register.inclusion_tag("includes/_article_meta.html", takes_context=True)
def article_meta(context, article):
    """Meta description, canonical link, OpenGraph, Twitter card and NewsArticle JSON-LD."""
    meta = seo.article_meta(article, context["request"])
    return {"meta": meta, "site_name": context["site_name"]}


@register.inclusion_tag("includes/_page_meta.html", takes_context=True)
def page_meta(context, title, description, og_type="website"):
    """Meta description, canonical link and social cards for a listing page."""
    meta = seo.page_meta(context["request"], title, description, og_type)
    return {"meta": meta, "site_name": context["site_name"]}
