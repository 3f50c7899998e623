"""A process's own copies of shared cache entries: least recently used dropped first,
bounded in bytes. Only copies: every user checks an entry against the shared versions (or
the change sequence) before serving it, so a copy never shows what the shared cache would
not."""

from collections import OrderedDict
from collections.abc import Callable


class LocalCopies:
    def __init__(self, max_bytes: int, size_of: Callable[[object], int]):
        self.max_bytes = max_bytes
        self.size_of = size_of
        self.size = 0
        self.entries: OrderedDict[str, object] = OrderedDict()

    def get(self, key: str):
        entry = self.entries.get(key)
        if entry is not None:
            self.entries.move_to_end(key)
        return entry

    def put(self, key: str, entry) -> None:
        old = self.entries.pop(key, None)
        if old is not None:
            self.size -= self.size_of(old)
        self.entries[key] = entry
        self.size += self.size_of(entry)
        while self.size > self.max_bytes and self.entries:
            _, dropped = self.entries.popitem(last=False)
            self.size -= self.size_of(dropped)

    def clear(self) -> None:
        self.entries.clear()
        self.size = 0
