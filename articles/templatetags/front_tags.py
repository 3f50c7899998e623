from django import template

from articles.fronts.banner import showing_banner

register = template.Library()


@register.inclusion_tag("includes/_banner.html")
def breaking_news():
    """The breaking-news banner showing now, or nothing (the page depends on it either way)."""
    return {"banner": showing_banner()}
