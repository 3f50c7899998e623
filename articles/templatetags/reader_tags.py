from django import template

from articles import renditions
from articles.search import highlighted

register = template.Library()


@register.filter
def highlight(snippet):
    """A search snippet as safe HTML with the matched words in <mark>."""
    return highlighted(snippet)


@register.inclusion_tag("includes/_picture.html")
def picture(photo, sizes: str, alt: str = "", lazy: bool = False, thumbnail: bool = False):
    """A `<picture>` of renditions: WebP first, JPEG for the rest, sized for the layout slot."""
    widths = renditions.THUMBNAIL_WIDTHS if thumbnail else renditions.WIDTHS
    return {"picture": renditions.picture(photo, widths), "sizes": sizes, "alt": alt, "lazy": lazy}
