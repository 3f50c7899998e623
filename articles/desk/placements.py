"""Moving a photo placed on a story into its text, as a photo block where the editor chooses.

A placement row on the story form links to a page listing the places in the body (the top,
after each paragraph, heading, list or block; the end by default). Moving writes, in one
transaction on the locked story: the photo block (its caption as the story gave it, its credit
and alt text) at that place, and the placement gone. It is one revision in the story's history,
and readers' pages of the story are refreshed once it commits, like any save of the form.
A page opened before someone else saved the story moves nothing: the places it listed may
have changed.
"""

import re
from dataclasses import dataclass
from html.parser import HTMLParser

import reversion
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import Truncator

from articles.api import webhooks
from articles.blocks.stored import LABELS, check_block, stored_html
from articles.cache import invalidate
from articles.desk.library import thumbnail
from articles.desk.pages import desk_page
from articles.desk.urls import admin_url
from articles.models import Article, ArticlePhoto

# Elements with no end tag: one of these at the top of the body ends where its tag does.
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
# Inside a paragraph or list, these part words as a space would ("line<br>next", "<li>a<li>b").
SPACING = {"br", "li", "p", "h2", "h3", "h4"}
LABEL_WORDS = 12


class MoveError(Exception):
    """A move that would not do what the editor asked; nothing was written."""


@dataclass
class Part:
    """A top-level element of a story body: where it ends, and how an editor recognises it."""

    end: int
    label: str


class _TopLevel(HTMLParser):
    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.html = html
        self.line_starts = [0, *(match.end() for match in re.finditer("\n", html))]
        self.depth = 0
        self.tag = ""
        self.text: list[str] = []
        self.block: dict[str, str] = {}
        self.parts: list[Part] = []

    def at(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        if self.depth == 0:
            self.tag, self.text = tag, []
            self.block = {k[5:]: v or "" for k, v in attrs if k.startswith("data-")}
        elif tag in SPACING:
            self.text.append(" ")
        if tag in VOID:
            if self.depth == 0:
                self.part_ends(self.at() + len(self.get_starttag_text()))
            return
        self.depth += 1

    def handle_startendtag(self, tag, attrs):
        if self.depth == 0:
            self.tag, self.text, self.block = tag, [], {}
            self.part_ends(self.at() + len(self.get_starttag_text()))

    def handle_endtag(self, tag):
        if tag in VOID or self.depth == 0:
            return
        self.depth -= 1
        if self.depth == 0:
            self.part_ends(self.html.index(">", self.at()) + 1)

    def handle_data(self, data):
        if self.depth:
            self.text.append(data)

    def part_ends(self, end: int) -> None:
        self.parts.append(Part(end=end, label=self.label()))

    def label(self) -> str:
        if self.tag == "figure":
            return f"the {LABELS.get(self.block.get('block'), 'block').lower()} block"
        if self.tag == "hr":
            return "the dividing line"
        text = " ".join("".join(self.text).split())
        return f"“{Truncator(text).words(LABEL_WORDS)}”" if text else f"an empty {self.tag}"


def top_level(body: str) -> list[Part]:
    """The top-level elements of a stored (sanitized) body, in order."""
    parser = _TopLevel(body or "")
    parser.feed(body or "")
    parser.close()
    return parser.parts


def places(body: str) -> list[tuple[int, str]]:
    """Where a block can go in `body`: (how many top-level elements come before it, label)."""
    parts = top_level(body)
    if not parts:
        return [(0, "In the text, which is empty so far")]
    choices = [(0, f"At the top, before {parts[0].label}")]
    choices += [(n, f"After {part.label}") for n, part in enumerate(parts[:-1], start=1)]
    return [*choices, (len(parts), f"At the end, after {parts[-1].label}")]


def photo_block(placement: ArticlePhoto) -> str:
    """The stored photo block for a placement: its caption here, the photo's credit and alt."""
    photo = placement.photo
    values = {
        "block": "photo",
        "photo": str(photo.pk),
        "caption": placement.caption,
        "credit": photo.credit,
        "alt": photo.alt_text,
    }
    clean, _ = check_block(values)  # a caption with markup keeps its text, as on any save
    return stored_html(clean)


def move_into_text(article: Article, placement_id: int, *, after: int, version: int, by):
    """Move a placed photo into `article`'s body after `after` top-level elements (0: first).

    One transaction on the locked story, recorded as a revision; raises MoveError, writing
    nothing, if the story was saved since `version` or the photo is no longer placed on it.
    """
    with transaction.atomic(), reversion.create_revision():
        story = Article.objects.select_for_update().get(pk=article.pk)
        if story.version != version:
            raise MoveError(
                "The story was saved after you opened this page; nothing was moved. "
                "Choose the place again in the text as it is now."
            )
        placement = (
            ArticlePhoto.objects.filter(article=story, pk=placement_id)
            .select_related("photo")
            .first()
        )
        if placement is None:
            raise MoveError("That photo is no longer placed on the story; nothing was moved.")
        parts = top_level(story.body)
        if not 0 <= after <= len(parts):
            raise MoveError("Choose a place in the text as it is now; nothing was moved.")
        cut = parts[after - 1].end if after else 0
        story.body = story.body[:cut] + photo_block(placement) + story.body[cut:]
        story.updated_by = by
        # The placement goes first, so the revision saved with the story no longer holds it.
        placement.delete()
        story.save()
        reversion.set_user(by)
        reversion.set_comment(f"Moved the photo “{placement.photo}” into the text.")
        if story.status == Article.Status.PUBLISHED:
            webhooks.story_event_on_commit(story, "updated")
        invalidate.story_changed(story)
    return story


class MoveIntoTextForm(forms.Form):
    after = forms.TypedChoiceField(
        label="Put the photo", coerce=int, widget=forms.RadioSelect, choices=[]
    )
    # The story's version when the page was opened: its list of places was made from it.
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, body: str, version: int, **kwargs):
        super().__init__(*args, **kwargs)
        choices = places(body)
        self.fields["after"].choices = choices
        self.fields["after"].initial = choices[-1][0]
        self.fields["version"].initial = version


def move_link(placement: ArticlePhoto) -> str:
    """The placement row's link to the move page (a row not saved yet has none)."""
    if placement.pk is None:
        return "—"
    url = reverse("admin:articles_article_move_photo", args=[placement.article_id, placement.pk])
    return format_html(
        '<a href="{}" title="Changes to the story not saved yet are not carried over">'
        "Move into the text…</a>",
        url,
    )


class PlacementsAdminMixin:
    """The story admin's page for moving a placed photo into the text."""

    def get_urls(self):
        return [
            path(
                "<path:object_id>/photos/<int:placement_id>/move/",
                self.admin_site.admin_view(self.move_photo_view),
                name="articles_article_move_photo",
            ),
            *super().get_urls(),
        ]

    def move_photo_view(self, request, object_id, placement_id):
        article = self.editable_article(request, object_id)  # 404 or 403 as for history
        if not request.user.has_perm("articles.delete_articlephoto"):
            raise PermissionDenied
        placement = article.photo_placements.select_related("photo").filter(pk=placement_id).first()
        if placement is None:
            self.message_user(
                request, "That photo is no longer placed on the story.", messages.WARNING
            )
            return redirect(admin_url("change", article.pk))
        data = request.POST if request.method == "POST" else None
        form = MoveIntoTextForm(data, body=article.body, version=article.version)
        if form.is_valid():
            try:
                move_into_text(
                    article,
                    placement.pk,
                    after=form.cleaned_data["after"],
                    version=form.cleaned_data["version"],
                    by=request.user,
                )
            except MoveError as refused:
                self.message_user(request, str(refused), messages.ERROR)
                return redirect(request.path)
            self.log_change(request, article, f"Moved the photo “{placement.photo}” into the text.")
            self.message_user(
                request,
                f"The photo “{placement.photo}” is now in the text, with its caption, credit "
                "and alt text; it is no longer among the story’s placed photos.",
                messages.SUCCESS,
            )
            return redirect(admin_url("change", article.pk))
        lead = article.photo_placements.order_by("position", "pk").first()
        return desk_page(
            self,
            request,
            "admin/articles/article/move_photo.html",
            f"Move a photo into the text of “{article}”",
            original=article,
            placement=placement,
            picture=thumbnail(placement.photo, width=320),
            is_lead=lead is not None and lead.pk == placement.pk,
            form=form,
        )
