from django import template

from articles.search import highlighted

register = template.Library()


@register.filter
def highlight(snippet):
    """A search snippet as safe HTML with the matched words in <mark>."""
    return highlighted(snippet)
