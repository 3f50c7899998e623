"""The wire desk: what the agencies sent, newest first, and what the desk does about it.

One page in the desk (`WireItemAdmin`): filter by agency, urgency, topic and state, search
headlines; flash and bulletin items (urgency 1-2) stand out; alerts (corrections and kills
for stories already used) come first. Each row has one button: make the draft, or open the
one already made. An item's page shows a pending update as a field diff, with Apply, and a
kill for a published story with a one-click Unpublish. Every button is a POST that checks
the editor's permission on the story itself.
"""

from functools import partial
from urllib.parse import urlencode

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html

from articles.desk.pages import desk_page
from articles.desk.revisions import html_to_text, word_diff
from articles.models import (
    Article,
    MediaTopicCode,
    Topic,
    TransitionError,
    WireItem,
    WireSource,
)
from articles.sanitize import paragraphs_to_html
from articles.wire import versions
from articles.wire.importer import WireImporter


def agency_time(agency_name: str, when) -> str:
    """ "Yonhap, Nov. 26, 19:12 KST": the source's own time, in the newsroom's zone."""
    local = timezone.localtime(when)
    return f"{agency_name}, {formats.date_format(local, 'N j, H:i')} {local.tzname()}"


class TopicFilter(admin.SimpleListFilter):
    title = "topic"
    parameter_name = "topic"

    def lookups(self, request, model_admin):
        used = Topic.objects.filter(tagged_articles__content_object__wire_items__isnull=False)
        return used.distinct().values_list("pk", "name")[:200]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(article__tagged_topics__tag_id=self.value())
        return queryset


# An item counts as used once an editor has touched its draft or moved it on from draft.
TOUCHED = Q(article__updated_by__isnull=False) | ~Q(article__status=Article.Status.DRAFT)


class StateFilter(admin.SimpleListFilter):
    """New, used, updated (an agency update waiting), withdrawn (killed or withheld)."""

    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return WireItem.State.choices

    def queryset(self, request, queryset):
        value = self.value()
        if value in (WireItem.State.UPDATED, WireItem.State.WITHDRAWN):
            return queryset.filter(state=value)
        fresh = queryset.filter(state__in=[WireItem.State.NEW, WireItem.State.USED])
        if value == WireItem.State.NEW:
            return fresh.filter(state=WireItem.State.NEW, article__isnull=False).exclude(TOUCHED)
        if value == WireItem.State.USED:
            return fresh.filter(Q(state=WireItem.State.USED) | TOUCHED)
        return queryset


class UrgencyFilter(admin.SimpleListFilter):
    title = "urgency"
    parameter_name = "urgency"

    def lookups(self, request, model_admin):
        return [("flash", "Flash and bulletin (1-2)"), ("normal", "Others")]

    def queryset(self, request, queryset):
        if self.value() == "flash":
            return queryset.filter(urgency__lte=2)
        if self.value() == "normal":
            return queryset.exclude(urgency__lte=2)
        return queryset


@admin.register(WireItem)
class WireItemAdmin(admin.ModelAdmin):
    list_display = ["headline_cell", "agency", "filed", "received_at", "desk_state", "draft_button"]
    list_filter = [
        ("agency", admin.RelatedOnlyFieldListFilter),
        UrgencyFilter,
        StateFilter,
        TopicFilter,
    ]
    list_display_links = None  # the headline cell links to the item itself
    search_fields = ["headline", "reference"]
    list_select_related = ["agency", "article"]
    list_per_page = 50
    change_list_template = "admin/articles/wireitem/change_list.html"

    def get_queryset(self, request):
        # Alerts first (kills before corrections), then newest first.
        return (
            super()
            .get_queryset(request)
            .annotate(
                alert_rank=Case(
                    When(urgent=True, then=Value(0)),
                    When(alert="", then=Value(2)),
                    default=Value(1),
                    output_field=IntegerField(),
                )
            )
            .order_by("alert_rank", "-received_at", "-pk")
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="Headline", ordering="headline")
    def headline_cell(self, item):
        flash = item.urgency is not None and item.urgency <= 2
        return format_html(
            '{}<a href="{}">{}</a>{}',
            format_html('<strong class="wire-flash">Urgent {} </strong>', item.urgency)
            if flash
            else "",
            reverse("admin:articles_wireitem_change", args=[item.pk]),
            item.headline,
            format_html('<br><strong class="wire-alert">{}</strong>', item.alert)
            if item.alert
            else "",
        )

    @admin.display(description="State", ordering="state")
    def desk_state(self, item):
        article = item.article
        touched = article is not None and (
            article.updated_by_id is not None or article.status != Article.Status.DRAFT
        )
        if item.state == WireItem.State.NEW and touched:
            return WireItem.State.USED.label
        return item.get_state_display()

    @admin.display(description="Filed", ordering="agency_time")
    def filed(self, item):
        return agency_time(item.agency.name if item.agency else "Staff", item.agency_time)

    @admin.display(description="Story")
    def draft_button(self, item):
        if item.article_id:
            return format_html(
                '<a class="button" href="{}">Open draft</a>',
                reverse("admin:articles_article_change", args=[item.article_id]),
            )
        if item.state == WireItem.State.WITHDRAWN:
            return "Withdrawn"
        # Posts the one form the page holds (with its CSRF token) to this item's address.
        return format_html(
            '<button type="submit" class="button" form="wire-post" formaction="{}">'
            "Make draft</button>",
            reverse("admin:articles_wireitem_draft", args=[item.pk]),
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/draft/", view(partial(make_draft, model_admin=self)),
                 name="articles_wireitem_draft"),
            path("<int:pk>/apply/", view(partial(apply_update, model_admin=self)),
                 name="articles_wireitem_apply"),
            path("<int:pk>/unpublish/", view(partial(unpublish, model_admin=self)),
                 name="articles_wireitem_unpublish"),
            path("<int:pk>/dismiss/", view(partial(dismiss, model_admin=self)),
                 name="articles_wireitem_dismiss"),
            *super().get_urls(),
        ]  # fmt: skip

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        item = get_object_or_404(WireItem.objects.for_desk(), pk=object_id)
        return desk_page(
            self,
            request,
            "admin/articles/wireitem/item.html",
            item.headline,
            item=item,
            filed=self.filed(item),
            changes=pending_changes(item),
            may_unpublish=bool(
                item.article
                and item.article.status == Article.Status.PUBLISHED
                and item.article.may("unpublish", request.user)
            ),
        )


@admin.register(MediaTopicCode)
class MediaTopicCodeAdmin(admin.ModelAdmin):
    """IPTC codes the wire used that no topic carries: suggestions, never topics by themselves."""

    list_display = ["code", "label", "seen", "last_seen", "give_a_topic"]
    search_fields = ["code", "label"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="")
    def give_a_topic(self, code):
        query = urlencode({"iptc_code": code.code, "name": code.label})
        return format_html(
            '<a href="{}?{}">Make a topic with this code</a>',
            reverse("admin:articles_topic_add"),
            query,
        )


@admin.register(WireSource)
class WireSourceAdmin(admin.ModelAdmin):
    """Each agency's drop folder or feed, and how its last poll went."""

    list_display = [
        "name",
        "kind",
        "format",
        "place",
        "interval",
        "active",
        "health",
        "last_polled_at",
    ]
    list_filter = ["kind", "format", "active"]
    readonly_fields = ["health", "last_polled_at", "next_poll_at", "etag", "last_modified"]

    @admin.display(description="Folder or URL")
    def place(self, source):
        return source.folder or source.url


def pending_changes(item: WireItem) -> list[tuple[str, object]]:
    """Headline, dateline and text: the story as it is against the agency's pending version."""
    if not item.pending or not item.article:
        return []
    story, article = versions.from_json(item.pending), item.article
    pairs = [
        ("Headline", article.headline, story.headline),
        ("Dateline", article.dateline, story.dateline),
        ("Text", html_to_text(article.body), html_to_text(paragraphs_to_html(story.paragraphs))),
    ]
    return [(label, word_diff(old, new)) for label, old, new in pairs if old != new]


def post_only(view):
    def wrapped(request, pk, model_admin):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not model_admin.has_view_permission(request):
            raise PermissionDenied
        item = get_object_or_404(WireItem.objects.for_desk(), pk=pk)
        return view(request, item, model_admin)

    return wrapped


@post_only
def make_draft(request, item, model_admin):
    """Turn the item into a draft, or open the draft already made."""
    if item.article_id is None:
        if not request.user.has_perm("articles.add_article"):
            raise PermissionDenied
        with transaction.atomic():
            result = WireImporter(user=request.user).import_story(
                versions.from_json(item.story), name=item.headline
            )
            WireItem.objects.filter(pk=item.pk).update(article_id=result.article_id)
        if result.article_id is None:
            messages.error(request, f"“{item.headline}” could not be drafted: {result.message}")
            return redirect("admin:articles_wireitem_changelist")
        item.article_id = result.article_id
    return redirect("admin:articles_article_change", item.article_id)


@post_only
def apply_update(request, item, model_admin):
    if not (item.pending and item.article and item.article.editable_by(request.user)):
        raise PermissionDenied
    versions.apply_pending(item, by=request.user)
    messages.success(request, f"“{item.article.headline}”: the agency's update is applied.")
    return redirect("admin:articles_article_change", item.article_id)


@post_only
def unpublish(request, item, model_admin):
    article = item.article
    if article is None or not article.may("unpublish", request.user):
        raise PermissionDenied
    try:
        article.unpublish(by=request.user, note=item.alert or "withdrawn by the agency")
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        WireItem.objects.filter(pk=item.pk).update(alert="", urgent=False)
        messages.success(request, f"“{article.headline}” is unpublished.")
    return redirect("admin:articles_wireitem_changelist")


@post_only
def dismiss(request, item, model_admin):
    if not request.user.has_perm("articles.change_article"):
        raise PermissionDenied
    WireItem.objects.filter(pk=item.pk).update(alert="", urgent=False)
    messages.info(request, f"Alert for “{item.headline}” dismissed.")
    return redirect("admin:articles_wireitem_changelist")
