"""Full-text search pieces shared by `ArticleQuerySet.search()` and the search page.

On PostgreSQL each story's headline, dek and body are kept, weighted A, B and C, in its
`search_document` column by a trigger (migration 0006_add_search_document), with a GIN index on it.
"""

import html
import re

from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

# The text search configuration (stemming, stop words) of the stories' language; the
# trigger of migration 0006_add_search_document builds the documents with the same one.
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


def highlighted(snippet: str | None) -> SafeString:
    """A database snippet of a story body as safe HTML: plain text with matches in <mark>."""
    if not snippet:
        return mark_safe("")
    text = html.unescape(strip_tags(snippet))
    text = " ".join(text.split())
    # Everything from the story is escaped first; the only tags are the <mark>s added after.
    marked = escape(text).replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>")
    return mark_safe(marked)


# Only this many of the newest matching stories are ranked: a word found in a third of the
# archive would otherwise rank hundreds of thousands of documents per query. The results page
# says so when a query reaches it.
RANKED_MATCHES = 2000


def full_text_search(stories, query: str):
    """PostgreSQL full-text search over `stories`: the newest `RANKED_MATCHES` matches, ranked.

    Each story's weighted `search_document` is matched (websearch syntax: quotes, `or`,
    `-word`); the newest matches are picked through the publication-time index, then ranked,
    with highlighted snippets computed only for the stories a page shows.
    """
    from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
    from django.db.models import F

    if not query:
        return stories.none()
    search_query = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
    matches = stories.filter(search_document=search_query)
    newest = matches.order_by("-publish_at", "-pk").values("pk")[:RANKED_MATCHES]
    return (
        stories.filter(pk__in=newest)
        .annotate(
            rank=SearchRank(F("search_document"), search_query),
            snippet=SearchHeadline(
                "body",
                search_query,
                config=SEARCH_CONFIG,
                start_sel=MARK_START,
                stop_sel=MARK_STOP,
                max_words=30,
                min_words=12,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        )
        .order_by("-rank", "-publish_at", "-pk")
    )
