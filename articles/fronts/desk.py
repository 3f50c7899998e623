"""The desk's fronts: arrange the home and section pages, preview them, run the banner.

Arrangements and banners are kept by django-reversion (history, compare, undo through
"Recover" and "Revert") like stories; every save makes readers' copies of the front stale
once it commits (invalidate.py).
"""

from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import format_html
from reversion.admin import VersionAdmin

from articles.fronts import compose, invalidate
from articles.models import Arrangement, Banner, Front, Slot, TopicBox
from articles.models.front import ZONE_SIZES, Zone

REORDER_JS = "js/desk-reorder.js"


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

    def preview_view(self, request, pk):
        """The front as readers would see it with this arrangement, whether it is live or not.

        Never cached: `admin_view` marks every desk page so.
        """
        arrangement = get_object_or_404(Arrangement.objects.for_page(), pk=pk)
        if not self.has_view_permission(request, arrangement):
            raise PermissionDenied
        response = render(
            request,
            "articles/front_preview.html",
            {"front": compose.compose(arrangement=arrangement), "arrangement": arrangement},
        )
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
