"""The one allowlist for stored rich text.

The editor and the sanitizer agree on what a story body may hold: paragraphs, sub-headings,
lists, quotes, emphasis and links. Anything else (scripts, styles, event handlers, images
pasted from elsewhere, `javascript:` links) is removed before it reaches the database.
"""

import nh3
from django.utils.html import escape
from django_prose_editor.fields import ProseEditorField

from articles.blocks.stored import SPEC
from articles.blocks.stored import normalize as normalize_blocks

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "em", "s", "sub", "sup",
    "ul", "ol", "li", "blockquote", "hr", "a",
}  # fmt: skip
# Body blocks (articles/blocks/): an empty <figure> whose data attributes are checked again,
# value by value, by `blocks.stored.normalize()` after this allowlist.
BLOCK_ATTRIBUTES = {f"data-{name}" for spec in SPEC.values() for name in spec} | {"data-block"}
ALLOWED_TAGS |= {"figure"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "figure": BLOCK_ATTRIBUTES}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}

# What the rich-text editor offers; it must never offer more than ALLOWED_TAGS keeps.
EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": sorted(ALLOWED_URL_SCHEMES)},
    "History": True,
    # Body blocks, inserted from the editor's "Block" menu (static/js/news-blocks.js).
    "NewsBlock": True,
}

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=ALLOWED_URL_SCHEMES,
    link_rel="noopener noreferrer",
    strip_comments=True,
)


def clean_html(html: str) -> str:
    """Return `html` reduced to the allowlist; an editor's empty paragraph becomes ''."""
    cleaned = normalize_blocks(_cleaner.clean(html or "")).strip()
    return "" if cleaned in {"<p></p>", "<p><br></p>"} else cleaned


def paragraphs_to_html(paragraphs) -> str:
    """Plain-text paragraphs as story HTML: every character shown as written, never markup."""
    return "".join(f"<p>{escape(text)}</p>" for text in paragraphs)


class SanitizedHTMLField(ProseEditorField):
    """Rich text edited with the prose editor and sanitized on every save, whatever the path.

    Forms, the wire importer, the demo loader and a shell session all write through
    `pre_save`, so no stored body ever skips the allowlist.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("extensions", EDITOR_EXTENSIONS)
        kwargs.setdefault("sanitize", clean_html)
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance, add):
        value = clean_html(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value
