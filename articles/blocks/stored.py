"""The stored form of body blocks, and the rule for what a block may hold.

Each block is `<figure data-block="kind" data-...="...">` with no content: every value is
plain text, an id, or (for an embed) an allowlisted URL. `normalize()` runs after the HTML
sanitizer on every save and rebuilds each block from its checked values, dropping what does
not pass; `problems()` tells the desk what it refused, so an editor is never silently cut.
"""

import re
from html import escape
from html.parser import HTMLParser

from django.utils.html import strip_tags

from articles.blocks.embeds import provider_for

_FIGURE = re.compile(r"<figure\b[^>]*>.*?</figure>", re.S | re.I)
_STRAY_FIGURE = re.compile(r"</?figure\b[^>]*>", re.I)
_ID = re.compile(r"^\d{1,12}$")
_IDS = re.compile(r"^\d{1,12}(?:,\d{1,12}){0,29}$")
TEXT_LIMIT = 2000
TABLE_LIMIT = 10_000

# kind: {value: (required, check)}; checks are below.
TEXT, ID, IDS, URL = "text", "id", "ids", "url"
SPEC = {
    "photo": {"photo": (True, ID), "caption": (False, TEXT), "credit": (False, TEXT),
              "alt": (False, TEXT)},
    "gallery": {"photos": (True, IDS), "caption": (False, TEXT)},
    "embed": {"url": (True, URL), "provider": (False, TEXT), "caption": (False, TEXT)},
    "quote": {"text": (True, TEXT), "attribution": (False, TEXT)},
    "factbox": {"title": (True, TEXT), "text": (True, TEXT)},
    "table": {"rows": (True, TEXT), "caption": (False, TEXT)},
    "related": {"story": (True, ID)},
}  # fmt: skip
LABELS = {
    "photo": "Photo",
    "gallery": "Gallery",
    "embed": "Embed",
    "quote": "Pull quote",
    "factbox": "Fact box",
    "table": "Table",
    "related": "Related story",
}


class _StartTag(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.attrs: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        if tag == "figure" and not self.attrs:
            self.attrs = {name: value or "" for name, value in attrs}


def read_block(figure_html: str) -> dict[str, str]:
    """The data attributes of a stored block, without the `data-` prefix (values unescaped)."""
    parser = _StartTag()
    parser.feed(figure_html)
    return {k[5:]: v for k, v in parser.attrs.items() if k.startswith("data-")}


def check_block(values: dict[str, str]) -> tuple[dict[str, str] | None, list[str]]:
    """The block's clean values and what was wrong with it (a refused block: None)."""
    kind = values.get("block", "")
    spec = SPEC.get(kind)
    if spec is None:
        return None, [f"Unknown block “{kind[:40]}”."]
    label, clean, errors = LABELS[kind], {"block": kind}, []
    for name, (required, check) in spec.items():
        value = values.get(name, "").strip()
        if not value:
            if required:
                errors.append(f"{label}: {name} is missing.")
            continue
        if check == TEXT:
            limit = TABLE_LIMIT if name == "rows" else TEXT_LIMIT
            if strip_tags(value) != value or "<" in value:
                errors.append(f"{label}: the {name} is plain text; markup is not allowed.")
                value = strip_tags(value).replace("<", "")
            value = value[:limit]
        elif check == ID and not _ID.match(value):
            errors.append(f"{label}: “{value[:40]}” is not a number.")
            continue
        elif check == IDS and not _IDS.match(value):
            errors.append(f"{label}: photos are listed by number, separated by commas.")
            continue
        elif check == URL:
            provider = provider_for(value)
            if provider is None:
                errors.append(
                    f"{label}: {value[:80]} is not from an allowed provider (YouTube, Vimeo, "
                    "X, Instagram, Facebook, TikTok, Flourish, Datawrapper) over https."
                )
                return None, errors
            clean["provider"] = provider.name
        clean[name] = value
    if kind == "embed":
        clean["provider"] = provider_for(clean["url"]).name
    missing = [name for name, (required, _) in spec.items() if required and name not in clean]
    return (None if missing else clean), errors


def stored_html(values: dict[str, str]) -> str:
    attrs = "".join(f' data-{name}="{escape(value)}"' for name, value in values.items())
    return f"<figure{attrs}></figure>"


def normalize(html: str) -> str:
    """`html` (already sanitized) with every block rebuilt from its checked values.

    Blocks that fail their checks, and any other figure, are dropped.
    """
    kept: list[str] = []

    def keep(match):
        clean, _ = check_block(read_block(match.group(0)))
        if clean is None:
            return ""
        kept.append(stored_html(clean))
        return f"\x00{len(kept) - 1}\x00"

    html = _STRAY_FIGURE.sub("", _FIGURE.sub(keep, html))
    return re.sub("\x00(\\d+)\x00", lambda m: kept[int(m.group(1))], html)


def problems(html: str) -> list[str]:
    """What the desk refuses in a body's blocks, in words an editor can act on."""
    found = []
    for match in _FIGURE.finditer(html or ""):
        found += check_block(read_block(match.group(0)))[1]
    return found


def blocks_in(html: str) -> list[dict[str, str]]:
    """The stored blocks of a (normalized) body, in order."""
    return [read_block(match.group(0)) for match in _FIGURE.finditer(html or "")]
