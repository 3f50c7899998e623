"""Rendered pieces of public pages, kept per story: its page body, its card in a listing.

A story's card is the same on its topic pages, its section, its contributors' pages and as a
related story; its page body is the same whoever asks. Rendering them is most of a public
page's cost (bylines, `<picture>` blocks, dates, links), so each is rendered once and kept,
checked on every use against the story's dependency key (`story-<id>`, articles/cache/keys.py)
and the site-wide generations in the same round trip that fetches it: a change that moves the
story's key (an edit, a correction, a new photo caption, a take-down) or the site (a rename)
makes the next page render it again.

A piece is stored only if nothing changed anywhere since the request began (the page cache's
change sequence, read before the view ran its first query): otherwise a piece rendered from a
row read before an edit could be stored under the version that edit moved to.

Only readers' requests that the page cache handles use pieces (`reading()` is entered by the
page cache middleware). Previews, the desk and anything outside a request render everything,
so an unpublished version of a story can never be stored as the one readers see.
"""

import logging
import pickle
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe

from articles.cache import invalidate
from articles.cache import keys as page_keys
from articles.cache.invalidate import CACHE_ERRORS, SEQUENCE_KEY
from articles.cache.local import LocalCopies

logger = logging.getLogger(__name__)

ENTRY_SECONDS = 24 * 3600
PREFIX = "fragment:"

# The change sequence read when the current reader's request began; None outside one.
_sequence: ContextVar[int | None] = ContextVar("fragments_sequence", default=None)


def current_sequence() -> int | None:
    """The change sequence read when the reader's request being served began, if any."""
    return _sequence.get()


# name -> (change sequence, value) this process read while that sequence was current.
_process_copies: dict[str, tuple[int, Any]] = {}


def kept_in_process(name: str, read: Callable[[], Any]) -> Any:
    """`read()`, reused by this process until the site's change sequence moves.

    For what every page shows and only a change moves (the section menu, the banners): each
    change that alters them moves the sequence, so the copy needs no round trip to check.
    Outside a reader's request it is read every time.
    """
    sequence = _sequence.get()
    kept = _process_copies.get(name)
    if sequence is not None and kept is not None and kept[0] == sequence:
        return kept[1]
    value = read()
    if sequence is not None:
        _process_copies[name] = (sequence, value)
    return value


@contextmanager
def reading(sequence: int | None):
    """Let the request being served use and store pieces, `sequence` read before its view ran."""
    token = _sequence.set(sequence)
    try:
        yield
    finally:
        _sequence.reset(token)


@dataclass(frozen=True)
class Piece:
    """One rendered piece: what it is (`kind`, `variant`) of which story."""

    kind: str
    story: object
    # What else the HTML depends on, e.g. the host in a canonical link or a card's layout.
    variant: str = ""

    @property
    def name(self) -> str:
        return f"{PREFIX}{page_keys.release()}:{self.kind}:{self.variant}:{self.story.pk}"

    @property
    def version_name(self) -> str:
        return invalidate.version_key(page_keys.story(self.story.pk))


# About the story pages and cards of a few thousand stories a process serves most.
# Each: (stamp, html or pickled rows, the change sequence at which it was last known right).
# While the sequence has not moved since, it needs no round trip; once it has, it is checked
# against its versions again.
_local = LocalCopies(32 * 1024 * 1024, size_of=lambda entry: len(entry[1]))


def render_pieces(
    pieces: Sequence[Piece], render: Callable[[list[Piece]], Iterable[str]]
) -> list[SafeString]:
    """The HTML of each piece, in order; `render(missing)` renders those not kept, in order.

    Pieces this process checked since the last change anywhere cost nothing; the others are
    checked (and fetched, if this process has no copy) in one round trip; a second, only if
    some were rendered, stores them.
    """
    sequence = _sequence.get()
    if sequence is None or not pieces:
        return [mark_safe(html) for html in render(list(pieces))]  # rendered templates
    found: dict[Piece, str] = {}
    for piece in pieces:
        local = _local.get(piece.name)
        if local is not None and local[2] == sequence:
            found[piece] = local[1]
    unsure = [piece for piece in pieces if piece not in found]
    values: dict = {}
    if unsure:
        try:
            values = fetch(unsure)
        except CACHE_ERRORS:
            logger.exception("Fragment cache unavailable; rendering the pieces.")
            rendered = render(unsure)
            found.update(zip(unsure, rendered, strict=True))
            return [mark_safe(found[piece]) for piece in pieces]
        for piece in unsure:
            local = _local.get(piece.name)
            kept = values.get(piece.name) or ((*local[0], local[1]) if local else None)
            if kept is not None and kept[:3] == stamp(values, piece):
                found[piece] = kept[3]
                _local.put(piece.name, (kept[:3], kept[3], sequence))
    missing = [piece for piece in pieces if piece not in found]
    if missing:
        rendered = dict(zip(missing, render(missing), strict=True))
        found.update(rendered)
        store(rendered, values, sequence)
    return [mark_safe(found[piece]) for piece in pieces]


def fetch(pieces: list[Piece]) -> dict:
    """The generations, the pieces' versions and the pieces this process holds no copy of."""
    from articles.cache.pages import HARD_KEY, SOFT_KEY, read_many

    versions = {piece.version_name for piece in pieces}
    absent = [piece.name for piece in pieces if _local.get(piece.name) is None]
    return read_many([HARD_KEY, SOFT_KEY, *versions, *absent])


def stamp(values: dict, piece: Piece) -> tuple:
    from articles.cache.pages import HARD_KEY, SOFT_KEY

    return (values.get(HARD_KEY), values.get(SOFT_KEY), values.get(piece.version_name))


def store(rendered: dict[Piece, str], values: dict, sequence: int) -> None:
    """Keep what was rendered, if nothing changed since the request began."""
    from articles.cache.pages import HARD_KEY, SOFT_KEY, generation_from

    try:
        # A story never changed since the cache started has no version yet: give it one.
        unversioned = {p.story.pk for p in rendered if values.get(p.version_name) is None}
        if unversioned:
            values = {**values, **invalidate.versions(page_keys.stories(unversioned))}
        generation = generation_from(values)
        values = {**values, HARD_KEY: generation.hard, SOFT_KEY: generation.soft}
        # Checked after the versions are read: a change that set one first also moved this.
        if cache.get(SEQUENCE_KEY) != sequence:
            return
        entries = {piece.name: (*stamp(values, piece), html) for piece, html in rendered.items()}
        cache.set_many(entries, ENTRY_SECONDS)
        for name, entry in entries.items():
            _local.put(name, (entry[:3], entry[3], sequence))
    except CACHE_ERRORS:
        logger.exception("Fragment cache unavailable; pieces not kept.")


def kept_rows(name: str, read: Callable[[], Any], keys_of: Callable[[Any], Iterable[str]]):
    """What `read()` returns from the database, kept like a piece: stamped with the versions
    of the dependency keys it shows (`keys_of(value)`, e.g. its stories' keys and the
    listing's own) and the site's generations.

    For pages whose queries cost more than their rendering: the story page's rows, a
    listing's page of stories. The caller still applies the reader's rule to stories it gets
    back (`Article.is_visible`). Nothing found is not kept. A fresh copy on every call.
    """
    sequence = _sequence.get()
    if sequence is None:
        return read()
    name = f"{PREFIX}{page_keys.release()}:rows:{name}"
    local = _local.get(name)
    if local is not None and local[2] == sequence:
        return pickle.loads(local[1])
    try:
        entry = local or _from_shared(name)
        if entry is not None and _still_right(entry[0]):
            _local.put(name, (entry[0], entry[1], sequence))
            return pickle.loads(entry[1])
    except CACHE_ERRORS:
        logger.exception("Fragment cache unavailable; reading from the database.")
        return read()
    value = read()
    dependencies = sorted(set(keys_of(value)))
    # Nothing found is not kept: a story published at that address must show at once.
    if dependencies:
        _keep_rows(name, value, dependencies, sequence)
    return value


def _from_shared(name: str) -> tuple[tuple, bytes, int] | None:
    from articles.cache.pages import read_many

    entry = read_many([name]).get(name)
    return None if entry is None else (entry[0], entry[1], None)


def _still_right(rows_stamp: tuple) -> bool:
    """Whether the generations and every story version a kept value was stamped with hold."""
    from articles.cache.pages import HARD_KEY, SOFT_KEY, read_many

    generations, versions = rows_stamp
    values = read_many([HARD_KEY, SOFT_KEY, *versions])
    current = (values.get(HARD_KEY), values.get(SOFT_KEY))
    return current == generations and all(values.get(k) == v for k, v in versions.items())


def _keep_rows(name: str, value, dependencies: list[str], sequence: int) -> None:
    from articles.cache.pages import HARD_KEY, SOFT_KEY, generation_from, read_many

    try:
        names = [invalidate.version_key(key) for key in dependencies]
        values = read_many([HARD_KEY, SOFT_KEY, *names])
        if any(values.get(n) is None for n in names):
            values = {**values, **invalidate.versions(dependencies)}
        generation = generation_from(values)
        rows_stamp = ((generation.hard, generation.soft), {n: values[n] for n in names})
        # As for pieces: rows read before a change must not be stamped with its versions.
        if cache.get(SEQUENCE_KEY) != sequence:
            return
        data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        cache.set(name, (rows_stamp, data), ENTRY_SECONDS)
        _local.put(name, (rows_stamp, data, sequence))
    except CACHE_ERRORS:
        logger.exception("Fragment cache unavailable; rows not kept.")
