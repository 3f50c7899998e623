"""Body blocks as readers see them, in a fixed number of queries however many a story holds.

Photos come through `Photo.objects.with_image()` (a photo still awaiting its file, or whose
rights have run out, is left out); related stories through `Article.objects.published()`.
A block whose photo or story readers may not see is simply not shown.
"""

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from articles.blocks.embeds import PROVIDERS
from articles.blocks.stored import _FIGURE, read_block


def _ids(blocks, kind, name) -> set[int]:
    return {
        int(pk)
        for block in blocks
        if block.get("block") == kind and block.get(name)
        for pk in block[name].split(",")
    }


def table_rows(text: str) -> list[list[str]]:
    rows = [
        [cell.strip() for cell in line.split("|")] for line in text.splitlines() if line.strip()
    ]
    width = max((len(row) for row in rows), default=0)
    return [row + [""] * (width - len(row)) for row in rows]


def render_body(body: str) -> SafeString:
    """`body` (stored, sanitized HTML) with each block rendered for readers."""
    from articles.models import Article, Photo

    matches = list(_FIGURE.finditer(body or ""))
    if not matches:
        return mark_safe(body or "")
    blocks = [read_block(match.group(0)) for match in matches]
    photo_ids = _ids(blocks, "photo", "photo") | _ids(blocks, "gallery", "photos")
    photos = Photo.objects.with_image().in_bulk(photo_ids) if photo_ids else {}
    story_ids = _ids(blocks, "related", "story")
    stories = (
        {a.pk: a for a in Article.objects.published().filter(pk__in=story_ids).for_listing()}
        if story_ids
        else {}
    )
    parts, end = [], 0
    for number, (match, block) in enumerate(zip(matches, blocks, strict=True), start=1):
        parts.append(body[end : match.start()])
        end = match.end()
        parts.append(render_block(block, number, photos, stories))
    parts.append(body[end:])
    return mark_safe("".join(parts))


def render_block(block: dict, number: int, photos: dict, stories: dict) -> str:
    kind = block["block"]
    context = {"block": block, "number": number}
    if kind == "photo":
        context["photo"] = photos.get(int(block["photo"]))
        if context["photo"] is None:
            return ""
    elif kind == "gallery":
        context["photos"] = [
            photos[int(pk)] for pk in block["photos"].split(",") if int(pk) in photos
        ]
        if not context["photos"]:
            return ""
    elif kind == "related":
        context["article"] = stories.get(int(block["story"]))
        if context["article"] is None:
            return ""
    elif kind == "embed":
        context["provider"] = PROVIDERS.get(block.get("provider"))
    elif kind == "table":
        rows = table_rows(block.get("rows", ""))
        context["header"], context["rows"] = (rows[0], rows[1:]) if rows else ([], [])
    elif kind == "factbox":
        context["facts"] = [line.strip() for line in block["text"].splitlines() if line.strip()]
    return render_to_string("includes/_block.html", context)
