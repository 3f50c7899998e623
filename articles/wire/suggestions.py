"""Topic suggestions: which topics a story's text names, by topic name or alias.

All names and aliases become ONE compiled regular expression. A plain alternation of
thousands of names is tried name by name at every position of the text (about 70 ms a story
with 15,000 names), so the names are first folded into a trie: at each position the engine
follows only the branch of the next character (well under a millisecond a story). The
compiled matcher is kept between imports and rebuilt only when the names change.
"""

import hashlib
import re
import threading
from dataclasses import dataclass, field

from articles.models import Topic, TopicAlias
from articles.wire.parser import STRAIGHT_QUOTES

MATCHED_TEXT_MAX_LENGTH = 200  # TopicSuggestion.matched_text


def normalize(text: str) -> str:
    """Spacing and quote style never decide a match; the text keeps its length otherwise."""
    return " ".join(text.translate(STRAIGHT_QUOTES).split())


def trie_pattern(words) -> str:
    """A regex matching exactly `words`, longest first, factored by shared prefixes."""
    trie: dict = {}
    for word in words:
        node = trie
        for character in word:
            node = node.setdefault(character, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = [re.escape(char) + emit(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        # A word may end here, but a longer one is tried first: "defense industry" wins over
        # "defense", and backtracking still finds "defense" before "defenseless"'s boundary.
        return f"(?:{body})?" if "" in node else body

    return emit(trie)


@dataclass(frozen=True)
class TopicMatcher:
    pattern: re.Pattern | None
    topic_ids: dict[str, int] = field(default_factory=dict)  # lower-cased name -> topic id

    @classmethod
    def build(cls, names: list[tuple[int, str]]) -> "TopicMatcher":
        """A matcher for (topic id, name) pairs; a topic's own name wins over another's alias."""
        topic_ids = {}
        for topic_id, name in names:
            key = normalize(name).lower()
            if key:
                topic_ids.setdefault(key, topic_id)
        if not topic_ids:
            return cls(pattern=None)
        # Lookarounds, not \b: \w is Unicode-aware, so "한국" inside "한국어" is no match either.
        # The names are lower-cased and so is the text (`find`): a third faster than letting
        # the engine ignore case at every character.
        pattern = re.compile(rf"(?<!\w)(?:{trie_pattern(topic_ids)})(?!\w)")
        return cls(pattern=pattern, topic_ids=topic_ids)

    def find(self, text: str) -> dict[int, str]:
        """Topic ids named in `text`, each with the words that named it first."""
        found: dict[int, str] = {}
        if self.pattern is None:
            return found
        text = normalize(text)
        for match in self.pattern.finditer(lowered(text)):
            topic_id = self.topic_ids.get(match.group())
            if topic_id is not None:
                words = text[match.start() : match.end()]  # as the story writes them
                found.setdefault(topic_id, words[:MATCHED_TEXT_MAX_LENGTH])
        return found


def lowered(text: str) -> str:
    """`text` in lower case, one character for one, so a match's place is the same in both.

    The few characters whose lower case is longer ("İ") are left as they are.
    """
    lower = text.lower()
    if len(lower) == len(text):
        return lower
    return "".join(c if len(low := c.lower()) != 1 else low for c in text)


_cache: tuple[str, TopicMatcher] | None = None
_cache_lock = threading.Lock()


def topic_names() -> list[tuple[int, str]]:
    """(topic id, name) for every topic name and alias, topic names first."""
    return [
        *Topic.objects.order_by("pk").values_list("pk", "name"),
        *TopicAlias.objects.order_by("pk").values_list("topic_id", "name"),
    ]


def current_matcher() -> TopicMatcher:
    """The matcher for today's topics; rebuilt only when a name, alias or topic changed.

    The fingerprint is exact (every id and name), so a renamed topic is never matched under
    its old name; reading the names is two small queries, compiling them is the slow part.
    """
    global _cache
    names = topic_names()
    fingerprint = hashlib.sha256(repr(names).encode()).hexdigest()
    with _cache_lock:
        if _cache is None or _cache[0] != fingerprint:
            _cache = (fingerprint, TopicMatcher.build(names))
        return _cache[1]
