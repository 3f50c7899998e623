"""Dependency keys: what a public page shows, so a change re-renders only the pages it touches.

A view names what its response depends on with `depends_on(...)` while it renders; the page
cache stores the keys with the page and sends them as the `xkey` header, which Varnish's xkey
module (and the CDN purges of `articles/cache/purge.py`) use as surrogate keys. A change
(`articles/cache/invalidate.py`) moves the version of each key it touches; a cached page
whose keys all kept their version is still right.

The vocabulary, one string per key:

- `story-<id>`: that story's content. Every page showing a story (its own page, a card in a
  listing, a related story, a search result, a correction) carries it.
- `topic-<id>`, `section-<id>`, `contributor-<id>`: which stories that listing holds, so a new
  story in a topic re-renders the topic's pages (the stories already shown carry their own).
- `front-home`: the home page's choice of stories.
- `banner`: the breaking-news banner (or its absence), on every page built on base.html.
- `feed`, `sitemap`: every feed, every sitemap (and robots.txt).
- `topics`: the topic index with its counts. `corrections`: the corrections page.
  `search`: search results pages.

Names of topics, sections and contributors shown on story pages are not keyed per page: a
rename is rare, and moves the site-wide soft generation instead (see `invalidate.py`).
"""

import hashlib
from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

FRONT_HOME = "front-home"
BANNER = "banner"
FEED = "feed"
SITEMAP = "sitemap"
TOPIC_INDEX = "topics"
CORRECTIONS = "corrections"
SEARCH = "search"
# The content API's responses (articles/api/responses.py): any story change may alter them.
API = "api"
# The partners' API keys (articles/api/responses.py trusts a verified key until it moves).
API_KEYS = "api-keys"
# Every story change touches these: they list stories without naming each one in their keys.
LISTS_OF_EVERY_STORY = (FRONT_HOME, FEED, SITEMAP, TOPIC_INDEX, CORRECTIONS, SEARCH, API)

HEADER = "xkey"


def story(pk: int) -> str:
    return f"story-{pk}"


def topic(pk: int) -> str:
    return f"topic-{pk}"


def section(pk: int) -> str:
    return f"section-{pk}"


def contributor(pk: int) -> str:
    return f"contributor-{pk}"


def stories(articles: Iterable) -> list[str]:
    """The keys of the stories shown, from objects or primary keys."""
    return [story(getattr(article, "pk", article)) for article in articles]


_collected: ContextVar[set[str] | None] = ContextVar("page_cache_keys", default=None)


def depends_on(*keys: str | Iterable[str]) -> None:
    """Record that the response being rendered shows what `keys` name (no-op outside one)."""
    collected = _collected.get()
    if collected is None:
        return
    for key in keys:
        if isinstance(key, str):
            collected.add(key)
        else:
            collected.update(key)


@contextmanager
def collecting():
    """Collect the keys declared while rendering one response; yields the set they go to."""
    collected: set[str] = set()
    token = _collected.set(collected)
    try:
        yield collected
    finally:
        _collected.reset(token)


@cache
def release() -> str:
    """A short fingerprint of the public templates and the story's columns, part of every
    cached page's and kept piece's name: a deploy that changes how a page looks (or what a
    kept row holds) starts from fresh copies instead of serving the old ones for a day."""
    from django.conf import settings

    from articles.models import Article

    digest = hashlib.sha256()
    for folder in settings.TEMPLATES[0]["DIRS"]:
        for path in sorted(Path(folder).rglob("*.html")):
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(path.read_bytes())
    digest.update(",".join(f.attname for f in Article._meta.concrete_fields).encode())
    return digest.hexdigest()[:12]
