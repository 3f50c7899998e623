"""Full-text search pieces shared by `ArticleQuerySet.search()` and the search page.

On PostgreSQL a story's headline, dek and body are weighted A, B and C in one `tsvector`;
the GIN index created by migration 0002 is built on exactly the expression `search_vector()`
returns, so the planner can use it. Change one and you must change the other.
"""

import html
import re

from django.contrib.postgres.search import SearchVector
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

# The text search configuration (stemming, stop words) of the stories' language.
SEARCH_CONFIG = "english"
# A reader's query longer than this is cut: no sensible search needs more, and it bounds the work.
MAX_QUERY_LENGTH = 200
# Private-use characters mark the matched words in a database snippet: they cannot occur in
# a story, so turning them into <mark> after escaping cannot be fooled by the text.
MARK_START = "\ue000"
MARK_STOP = "\ue001"

_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ue000\ue001]")


def clean_query(raw: str | None) -> str:
    """A reader's query as the search runs it: single-spaced, no control characters, bounded."""
    text = _CONTROL_CHARACTERS.sub(" ", raw or "")
    return " ".join(text.split())[:MAX_QUERY_LENGTH].strip()


def query_words(query: str) -> list[str]:
    """The words of `query` (any script), without quotes or search operators."""
    return re.findall(r"\w+", query)


def search_vector() -> SearchVector:
    """Headline over dek over body, in the expression the GIN index is built on."""
    return (
        SearchVector("headline", weight="A", config=SEARCH_CONFIG)
        + SearchVector("dek", weight="B", config=SEARCH_CONFIG)
        + SearchVector("body", weight="C", config=SEARCH_CONFIG)
    )


def highlighted(snippet: str | None) -> SafeString:
    """A database snippet of a story body as safe HTML: plain text with matches in <mark>."""
    if not snippet:
        return mark_safe("")
    text = html.unescape(strip_tags(snippet))
    text = " ".join(text.split())
    marked = escape(text).replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>")
    return mark_safe(marked)
