"""The story list and form: filing, bylines, photos and topics, with the desk's mixins."""

from functools import partial

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelectMultiple, RelatedFieldWidgetWrapper
from django.urls import path

from articles.api import webhooks
from articles.cache import invalidate
from articles.desk.calendar import CalendarAdminMixin
from articles.desk.history import HistoryAdminMixin
from articles.desk.library import thumbnail
from articles.desk.live import LiveUpdateInline
from articles.desk.placements import PlacementsAdminMixin, move_link
from articles.desk.workflow import WorkflowAdminMixin
from articles.models import (
    Article,
    ArticlePhoto,
    Byline,
    Contributor,
    Topic,
    refresh_related,
)
from articles.wire.admin_views import import_wire
from articles.wire.inlines import TopicSuggestionInline, shows_topic_suggestions


class BylineInline(admin.TabularInline):
    model = Byline
    autocomplete_fields = ["contributor"]
    fields = ["position", "contributor", "role"]
    extra = 0
    min_num = 0


class ArticlePhotoInline(admin.TabularInline):
    model = ArticlePhoto
    autocomplete_fields = ["photo"]
    fields = ["position", "preview", "photo", "caption_override", "move_into_text"]
    readonly_fields = ["preview", "move_into_text"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("photo")

    @admin.display(description="Preview")
    def preview(self, placement):
        return thumbnail(placement.photo) if placement.pk else "—"

    @admin.display(description="In the text")
    def move_into_text(self, placement):
        return move_link(placement)


class TopicFilter(admin.SimpleListFilter):
    """Featured topics as shortcuts; any topic works through ?topic=<slug>."""

    title = "topic"
    parameter_name = "topic"

    def lookups(self, request, model_admin):
        topics = Topic.objects.readable_by(request.user)
        featured = topics.featured().values_list("slug", "name")
        chosen = self.value()
        extra = [] if chosen is None else topics.filter(slug=chosen).values_list("slug", "name")
        return sorted(set(featured) | set(extra), key=lambda item: item[1].lower())

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(topics__slug=self.value())
        return queryset


class ContributorFilter(admin.SimpleListFilter):
    title = "contributor"
    parameter_name = "contributor"

    def lookups(self, request, model_admin):
        return Contributor.objects.values_list("slug", "name")

    def queryset(self, request, queryset):
        if self.value():
            contributor = Contributor.objects.filter(slug=self.value()).first()
            return queryset.by_contributor(contributor) if contributor else queryset.none()
        return queryset


@admin.register(Article)
class ArticleAdmin(
    PlacementsAdminMixin,
    HistoryAdminMixin,
    CalendarAdminMixin,
    WorkflowAdminMixin,
    admin.ModelAdmin,
):
    list_display = [
        "headline",
        "state_column",
        "section",
        "byline_names",
        "lead_photo",
        "publish_at",
    ]
    list_display_links = ["headline"]
    list_filter = ["status", "section", TopicFilter, ContributorFilter, "publish_at"]
    list_select_related = ["section"]
    list_per_page = 50
    search_fields = ["headline", "dek", "body", "bylines__contributor__name"]
    date_hierarchy = "publish_at"
    ordering = ["-updated_at"]
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["section", "source_agency"]
    readonly_fields = ["first_published_at", "created_at", "created_by", "updated_at", "updated_by"]
    inlines = [BylineInline, ArticlePhotoInline, LiveUpdateInline]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["kicker", "headline", "slug", "dek", "dateline", "body"]}),
        ("Filing", {"fields": ["section", "topics"]}),
        (
            "Live coverage",
            {"fields": ["live_started_at", "live_ended_at"], "classes": ["collapse"]},
        ),
        (
            "Search and social",
            {
                "fields": ["seo_headline", "social_headline", "social_description"],
                "classes": ["collapse"],
            },
        ),
        ("Publication", {"fields": ["state", "publish_at", "embargo_until"]}),
        (
            "Wire source",
            {"fields": ["source_agency", "source_reference"], "classes": ["collapse"]},
        ),
        (
            "Record",
            {
                "fields": [
                    ("created_at", "created_by"),
                    ("updated_at", "updated_by"),
                    "first_published_at",
                ],
                "classes": ["collapse"],
            },
        ),
    ]

    def get_queryset(self, request):
        # Every list, form, action, history and kill page of the desk starts here.
        return super().get_queryset(request).readable_by(request.user).for_listing()

    def get_inlines(self, request, obj):
        inlines = super().get_inlines(request, obj)
        if not (obj and obj.is_live_file):
            inlines = [inline for inline in inlines if inline is not LiveUpdateInline]
        if shows_topic_suggestions(request, obj):
            inlines = [*inlines, TopicSuggestionInline]
        return inlines

    def get_urls(self):
        # Before the default URLs, whose "<object_id>/" would otherwise catch "import-wire/".
        wire = self.admin_site.admin_view(partial(import_wire, model_admin=self))
        return [
            path("import-wire/", wire, name="articles_article_import_wire"),
            *super().get_urls(),
        ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "topics":
            return self.topics_formfield(db_field)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def topics_formfield(self, db_field):
        """Topics are picked from existing ones by autocomplete, not typed.

        Picking keeps "CEPA", "Cepa" and "cepa " from becoming three topics; a new topic
        is one click away through the "+" beside the field.
        """
        field = forms.ModelMultipleChoiceField(
            queryset=Topic.objects.all(),
            required=False,
            widget=AutocompleteSelectMultiple(db_field, self.admin_site),
            help_text="Type to find a topic, or an alias such as “Comprehensive Economic "
            "Partnership Agreement” for CEPA.",
        )
        field.widget = RelatedFieldWidgetWrapper(
            field.widget, db_field.remote_field, self.admin_site, can_add_related=True
        )
        return field

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
        if change and obj.status == obj.Status.PUBLISHED:
            webhooks.story_event_on_commit(obj, "updated")

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # After the bylines, photos, topics and corrections: readers' pages follow on commit.
        if form.instance.status == Article.Status.PUBLISHED:
            refresh_related([form.instance])  # its topics may have changed
        invalidate.story_changed(form.instance)

    def delete_model(self, request, obj):
        invalidate.story_deleted(obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for article in queryset:
            invalidate.story_deleted(article)
        super().delete_queryset(request, queryset)

    @admin.display(description="Bylines")
    def byline_names(self, article):
        return ", ".join(byline.contributor.name for byline in article.bylines.all()) or "—"

    @admin.display(description="Lead photo")
    def lead_photo(self, article):
        placement = article.lead_placement
        return thumbnail(placement.photo if placement else None, width=64)
