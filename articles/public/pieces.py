"""Story pages and story cards put together from kept pieces (articles/cache/fragments.py).

A page asks for all the pieces it shows at once; those not kept are rendered after reading
only their stories' bylines, photos, topics and corrections (a card that is kept needs none
of them), so a story page whose pieces are kept is one query and one cache round trip.
"""

from django.conf import settings
from django.db.models import prefetch_related_objects
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles.cache import fragments
from articles.cache.fragments import Piece, render_pieces
from articles.models.article import card_prefetches, story_prefetches
from articles.public import seo

STORY = "story"
STORY_META = "story-meta"
CARD = "card"


def story_page(request, article, related) -> dict:
    """The template context for a story page: its meta tags, its body, its related cards."""
    # The meta tags name the site's address (canonical link, images): one copy per host.
    origin = request.build_absolute_uri("/")
    pieces = [
        Piece(STORY_META, article, origin),
        Piece(STORY, article),
        *(Piece(CARD, story, card_variant()) for story in related),
    ]
    meta, body, *cards = render_pieces(pieces, lambda missing: render_missing(request, missing))
    return {
        "article": article,
        "related": related,
        "story_meta": meta,
        "story_html": body,
        "related_html": story_list_html(cards),
    }


def story_cards(stories, *, show_section: bool = False, heading: str = "h3") -> list[str]:
    """Each story's card as listings show it (with its photo), in order."""
    variant = card_variant(show_section=show_section, heading=heading)
    pieces = [Piece(CARD, story, variant) for story in stories]
    return render_pieces(pieces, lambda missing: render_missing(None, missing))


def story_list_html(cards: list[str], empty_message: str = "No stories yet.") -> str:
    """`includes/_story_list.html` from cards already rendered."""
    if not cards:
        return format_html('<p class="empty">{}</p>', empty_message)
    items = "".join(f"<li>{card}</li>" for card in cards)
    return mark_safe(f'<ol class="story-list">{items}</ol>')  # cards are rendered templates


def card_variant(*, show_section: bool = False, heading: str = "h3") -> str:
    return f"{heading}:{int(bool(show_section))}"


def render_missing(request, missing: list[Piece]) -> list[str]:
    """Render pieces no cache held, reading what they show in one query per relation."""
    stories = list({piece.story.pk: piece.story for piece in missing}.values())
    whole = list({piece.story.pk: piece.story for piece in missing if piece.kind != CARD}.values())
    prefetch_related_objects(stories, *card_prefetches())
    prefetch_related_objects(whole, *story_prefetches())
    return [render_piece(request, piece) for piece in missing]


def render_piece(request, piece: Piece) -> str:
    article = piece.story
    if piece.kind == STORY:
        return render_to_string("includes/_story.html", {"article": article})
    if piece.kind == STORY_META:
        return render_to_string(
            "includes/_article_meta.html",
            {
                "meta": seo.article_meta(article, request),
                "site_name": settings.NEWSROOM["SITE_NAME"],
            },
        )
    heading, show_section = piece.variant.split(":")
    return render_to_string(
        "includes/_story_card.html",
        {
            "article": article,
            "show_photo": True,
            "show_section": show_section == "1",
            "heading": heading,
        },
    )


def kept_part(template_name: str, context: dict, **options) -> str:
    """A part every page shows alike (header, footer), rendered once per process and reused
    until anything on the site changes (the change sequence moves) or the year does."""
    year = timezone.localdate().year
    name = f"part:{template_name}:{sorted(options.items())}:{year}"
    return fragments.kept_in_process(
        name, lambda: render_to_string(template_name, {**context, **options})
    )
