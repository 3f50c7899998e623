"""The desk's fronts: arrange the home and section pages, preview them, run the banner.

Arrangements and banners are kept by django-reversion (history, compare, undo through
"Recover" and "Revert") like stories; every save makes readers' copies of the front stale
once it commits (invalidate.py).

An arrangement is previewed as saved (its "Preview" link) or as the editor's form holds it
before saving (the form's "Preview unsaved changes" button): the form's data is validated
like a save and composed by the same rules readers get, and nothing is written.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.forms.formsets import all_valid
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import format_html
from reversion.admin import VersionAdmin

from articles.desk.pages import desk_page
from articles.display import desk_datetime
from articles.fronts import compose, invalidate
from articles.models import Arrangement, Banner, Front, Slot, TopicBox
from articles.models.front import ZONE_SIZES, Zone

REORDER_JS = "js/desk-reorder.js"


class _Rows(list):
    """Rows in hand, read with `.all()` as `compose()` reads a prefetched relation."""

    def all(self):
        return self


@dataclass
class UnsavedArrangement:
    """An arrangement as the editor's form holds it, shaped as `compose()` reads one.

    Only in memory: its slots and topic boxes are the form rows' unsaved instances, in the
    order the saved ones would come in (position, then the form's order).
    """

    front: Front
    name: str
    starts_at: datetime | None
    slots: _Rows
    topic_boxes: _Rows
    pk: int | None = None

    def __str__(self):
        return f"{self.front}: {self.name}"


def form_rows(formset) -> list:
    """The instances a valid inline formset would save: not the deleted rows, nor empty ones."""
    deleted = formset.deleted_forms
    rows = [
        form.instance
        for form in formset.forms
        if (form.has_changed() or form.instance.pk is not None) and form not in deleted
    ]
    return sorted(rows, key=lambda row: row.position)


def errors_of(form, where: str = "") -> list[str]:
    """A form's errors as lines an editor can act on: where, which field, what is wrong."""
    lines = []
    for name, messages_ in form.errors.items():
        field = form.fields.get(name)
        label = f"{field.label}: " if field is not None and field.label else ""
        lines.extend(f"{where}{label}{message}" for message in messages_)
    return lines


def form_problems(form, formsets, inlines) -> list[str]:
    """Every error of an admin form and its inlines, each saying where it is."""
    problems = errors_of(form)
    for formset, inline in zip(formsets, inlines, strict=True):
        name = str(inline.verbose_name).capitalize()
        problems += formset.non_form_errors()  # e.g. "Lead holds 1 story; 2 are placed there."
        for number, row in enumerate(formset.forms, start=1):
            problems += errors_of(row, f"{name} {number}, ")
    return problems


def preview_warnings(arrangement: UnsavedArrangement, now) -> list[str]:
    """Why a story the editor placed is not where they put it (the newest one stands in)."""
    warnings = []
    for slot in arrangement.slots:
        story, zone = slot.article, Zone(slot.zone).label
        if slot.is_expired(now):
            warnings.append(
                f"“{story}” ({zone}) was pinned until {desk_datetime(slot.pinned_until)}: "
                "a newer story has taken its place."
            )
        elif not story.is_visible(now):
            warnings.append(
                f"“{story}” ({zone}) is not published ({story.get_status_display().lower()}"
                f"{', embargoed' if story.embargo_until and story.embargo_until > now else ''}): "
                "readers may not see it, so the newest story stands in its place."
            )
    return warnings


class SlotFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        counts = dict.fromkeys(Zone, 0)
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            if zone := form.cleaned_data.get("zone"):
                counts[zone] += 1
        too_full = [
            f"{Zone(zone).label} holds {ZONE_SIZES[zone]} "
            f"{'story' if ZONE_SIZES[zone] == 1 else 'stories'}; {count} are placed there."
            for zone, count in counts.items()
            if count > ZONE_SIZES[zone]
        ]
        if too_full:
            raise ValidationError(too_full)


class SlotInline(admin.TabularInline):
    model = Slot
    formset = SlotFormSet
    fields = ["position", "zone", "article", "pinned_until"]
    autocomplete_fields = ["article"]
    extra = 0
    classes = ["reorderable"]
    verbose_name = "story on the front"
    verbose_name_plural = (
        "Stories: lead (1), top stories (4), secondary (6). Drag rows or use the arrows to "
        "reorder; empty or expired places show the newest stories."
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article")


class TopicBoxInline(admin.TabularInline):
    model = TopicBox
    fields = ["position", "topic", "size"]
    autocomplete_fields = ["topic"]
    extra = 0
    classes = ["reorderable"]


@admin.register(Front)
class FrontAdmin(admin.ModelAdmin):
    list_display = ["name", "section", "arrangements_link"]
    list_select_related = ["section"]
    search_fields = ["name", "section__name"]
    autocomplete_fields = ["section"]
    prepopulated_fields = {"slug": ["name"]}

    @admin.display(description="Arrangements")
    def arrangements_link(self, front):
        url = reverse("admin:articles_arrangement_changelist")
        return format_html('<a href="{}?front__id__exact={}">Arrange</a>', url, front.pk)


@admin.register(Arrangement)
class ArrangementAdmin(VersionAdmin):
    list_display = ["name", "front", "starts_at", "state", "preview_link", "updated_by"]
    list_filter = ["front"]
    list_select_related = ["front", "updated_by"]
    search_fields = ["name"]
    autocomplete_fields = ["front"]
    readonly_fields = ["updated_at", "updated_by"]
    fields = ["front", "name", "starts_at", "updated_at", "updated_by"]
    inlines = [SlotInline, TopicBoxInline]
    actions = ["copy_as_draft"]
    save_on_top = True

    class Media:
        js = [REORDER_JS]
        css = {"all": ["css/desk.css"]}

    def get_urls(self):
        preview = self.admin_site.admin_view(self.preview_view)
        return [
            path("<int:pk>/preview/", preview, name="articles_arrangement_preview"),
            # Before the default URLs, whose "<object_id>/" would otherwise catch "preview/".
            path("preview/", preview, name="articles_arrangement_preview_new"),
            *super().get_urls(),
        ]

    def get_queryset(self, request):
        current = Arrangement.objects.live().filter(front=OuterRef("front")).values("pk")[:1]
        return super().get_queryset(request).annotate(current_pk=Subquery(current))

    @admin.display(description="State")
    def state(self, arrangement):
        if arrangement.starts_at is None:
            return "Draft"
        if arrangement.starts_at > timezone.now():
            return f"Scheduled for {localize(timezone.localtime(arrangement.starts_at))}"
        return "Live now" if arrangement.pk == arrangement.current_pk else "Replaced"

    @admin.display(description="Preview")
    def preview_link(self, arrangement):
        url = reverse("admin:articles_arrangement_preview", args=[arrangement.pk])
        return format_html('<a href="{}">Preview</a>', url)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["preview_url"] = reverse("admin:articles_arrangement_preview", args=[obj.pk])
        # The form's own data, posted to the preview by the "Preview unsaved changes" button.
        editable = self.has_change_permission(request, obj) if obj else add
        if editable:
            context["form_preview_url"] = context.get("preview_url") or reverse(
                "admin:articles_arrangement_preview_new"
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        invalidate.front_changed(form.instance.front)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        invalidate.front_changed(obj.front)

    def delete_queryset(self, request, queryset):
        fronts = {arrangement.front for arrangement in queryset.select_related("front")}
        super().delete_queryset(request, queryset)
        for front in fronts:
            invalidate.front_changed(front)

    @admin.action(description="Copy as a new draft", permissions=["add"])
    def copy_as_draft(self, request, queryset):
        with transaction.atomic():
            for original in queryset.prefetch_related("slots", "topic_boxes"):
                copy = Arrangement.objects.create(
                    front_id=original.front_id,
                    name=f"Copy of {original.name}"[:100],
                    updated_by=request.user,
                )
                Slot.objects.bulk_create(
                    Slot(arrangement=copy, zone=slot.zone, position=slot.position,
                         article_id=slot.article_id, pinned_until=slot.pinned_until)
                    for slot in original.slots.all()
                )  # fmt: skip
                TopicBox.objects.bulk_create(
                    TopicBox(arrangement=copy, topic_id=box.topic_id, position=box.position,
                             size=box.size)
                    for box in original.topic_boxes.all()
                )  # fmt: skip
        messages.success(request, "Copied as drafts: give a copy a start time to schedule it.")

    def preview_view(self, request, pk=None):
        """The front as readers would see it with this arrangement, whether it is live or not.

        GET: the arrangement as saved. POST: as the editor's form holds it, unsaved. Never
        cached: `admin_view` marks every desk page so.
        """
        arrangement = None
        if pk is not None:
            arrangement = get_object_or_404(Arrangement.objects.for_page(), pk=pk)
        if request.method == "POST":
            return self.form_preview(request, arrangement)
        if arrangement is None:
            return redirect("admin:articles_arrangement_add")
        if not self.has_view_permission(request, arrangement):
            raise PermissionDenied
        response = render(
            request,
            "articles/front_preview.html",
            {"front": compose.compose(arrangement=arrangement), "arrangement": arrangement},
        )
        return private_preview(response)

    def form_preview(self, request, arrangement: Arrangement | None):
        """The front with the form's unsaved data; nothing is saved and no cache key moves.

        The form and its inlines are built and validated as a save would build them; invalid
        data shows the errors instead, as the form would.
        """
        add = arrangement is None
        allowed = (
            self.has_add_permission(request)
            if add
            else self.has_change_permission(request, arrangement)
        )
        if not allowed:
            raise PermissionDenied
        fields = flatten_fieldsets(self.get_fieldsets(request, arrangement))
        form_class = self.get_form(request, arrangement, change=not add, fields=fields)
        form = form_class(request.POST, request.FILES, instance=arrangement)
        form_valid = form.is_valid()  # fills form.instance, in memory only
        formsets, inlines = self._create_formsets(request, form.instance, change=not add)
        if not (all_valid(formsets) and form_valid):
            response = desk_page(
                self,
                request,
                "admin/articles/arrangement/preview_errors.html",
                "The preview needs a few changes to the form",
                problems=form_problems(form, formsets, inlines),
                original=arrangement,
            )
            return private_preview(response)
        rows = {formset.model: form_rows(formset) for formset in formsets}
        unsaved = UnsavedArrangement(
            front=form.instance.front,
            name=form.instance.name,
            starts_at=form.instance.starts_at,
            slots=_Rows(rows.get(Slot, [])),
            topic_boxes=_Rows(rows.get(TopicBox, [])),
            pk=getattr(arrangement, "pk", None),
        )
        now = timezone.now()
        response = render(
            request,
            "admin/articles/arrangement/preview.html",
            {
                "front": compose.compose(arrangement=unsaved, at=now),
                "arrangement": unsaved,
                "warnings": preview_warnings(unsaved, now),
            },
        )
        return private_preview(response)


def private_preview(response):
    """For the editor's eyes only: kept by no cache, indexed by no search engine."""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


class BannerForm(forms.ModelForm):
    class Meta:
        model = Banner
        fields = ["text", "link", "starts_at", "ends_at"]


@admin.register(Banner)
class BannerAdmin(VersionAdmin):
    form = BannerForm
    list_display = ["text", "starts_at", "ends_at", "showing_now"]
    search_fields = ["text"]
    actions = ["end_now"]

    @admin.display(description="Showing", boolean=True)
    def showing_now(self, banner):
        now = timezone.now()
        return banner.starts_at <= now < banner.ends_at

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
        invalidate.banner_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        invalidate.banner_changed()

    @admin.action(description="End now", permissions=["change"])
    def end_now(self, request, queryset):
        now = timezone.now()
        # Only banners still to end; one that has not started yet simply never shows.
        ended = 0
        for banner in queryset.filter(ends_at__gt=now):
            banner.ends_at = max(now, banner.starts_at + timedelta(seconds=1))
            banner.save(update_fields=["ends_at"])
            ended += 1
        invalidate.banner_changed()
        messages.success(request, f"Ended {ended} banner{'s' if ended != 1 else ''}.")
