from functools import partial

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.widgets import AutocompleteSelectMultiple, RelatedFieldWidgetWrapper
from django.db.models import Prefetch
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from articles.admin_workflow import WorkflowAdminMixin
from articles.forms import ContributorForm, PhotoForm, TopicMergeForm
from articles.models import (
    Article,
    ArticlePhoto,
    Byline,
    Contributor,
    Photo,
    Section,
    Topic,
    TopicAlias,
)
from articles.wire.admin_views import import_wire
from articles.wire.inlines import TopicSuggestionInline, shows_topic_suggestions

THUMBNAIL_WIDTH = 80


def thumbnail(photo: Photo | None, width: int = THUMBNAIL_WIDTH):
    if photo is None:
        return "—"
    if not photo.image:
        return mark_safe('<span class="nr-awaiting">Awaiting image</span>')  # a constant
    height = round(width * photo.height / photo.width) if photo.width and photo.height else width
    return format_html(
        '<img src="{}" width="{}" height="{}" alt="{}" loading="lazy" class="nr-thumb">',
        photo.image.url,
        width,
        height,
        photo.alt_text,
    )


class BylineInline(admin.TabularInline):
    model = Byline
    autocomplete_fields = ["contributor"]
    fields = ["position", "contributor", "role"]
    extra = 0
    min_num = 0


class ArticlePhotoInline(admin.TabularInline):
    model = ArticlePhoto
    autocomplete_fields = ["photo"]
    fields = ["position", "preview", "photo", "caption_override"]
    readonly_fields = ["preview"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("photo")

    @admin.display(description="Preview")
    def preview(self, placement):
        return thumbnail(placement.photo) if placement.pk else "—"


class TopicFilter(admin.SimpleListFilter):
    """Featured topics as shortcuts; any topic works through ?topic=<slug>."""

    title = "topic"
    parameter_name = "topic"

    def lookups(self, request, model_admin):
        featured = Topic.objects.featured().values_list("slug", "name")
        chosen = self.value()
        extra = (
            [] if chosen is None else Topic.objects.filter(slug=chosen).values_list("slug", "name")
        )
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
class ArticleAdmin(WorkflowAdminMixin, admin.ModelAdmin):
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
    inlines = [BylineInline, ArticlePhotoInline]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["kicker", "headline", "slug", "dek", "dateline", "body"]}),
        ("Filing", {"fields": ["section", "topics"]}),
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
        return super().get_queryset(request).for_listing()

    def get_inlines(self, request, obj):
        inlines = super().get_inlines(request, obj)
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

    @admin.display(description="Bylines")
    def byline_names(self, article):
        return ", ".join(byline.contributor.name for byline in article.bylines.all()) or "—"

    @admin.display(description="Lead photo")
    def lead_photo(self, article):
        placement = article.lead_placement
        return thumbnail(placement.photo if placement else None, width=64)


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    form = PhotoForm
    list_display = ["preview", "caption_text", "credit", "alt_text", "uploaded_at", "uploaded_by"]
    list_display_links = ["preview", "caption_text"]
    list_select_related = ["uploaded_by"]
    list_filter = ["uploaded_at", "credit"]
    search_fields = ["caption", "credit", "alt_text"]
    date_hierarchy = "uploaded_at"
    readonly_fields = ["preview_large", "width", "height", "uploaded_by", "uploaded_at"]
    fields = [
        "image",
        "preview_large",
        ("width", "height"),
        "caption",
        "credit",
        "alt_text",
        "usage_terms",
        ("uploaded_by", "uploaded_at"),
    ]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description="Photo")
    def preview(self, photo):
        return thumbnail(photo)

    @admin.display(description="Preview")
    def preview_large(self, photo):
        return thumbnail(photo, width=480) if photo.pk else "—"

    @admin.display(description="Caption", ordering="caption")
    def caption_text(self, photo):
        return str(photo)


@admin.register(Contributor)
class ContributorAdmin(admin.ModelAdmin):
    form = ContributorForm
    list_display = ["name", "kind", "job_title", "user"]
    list_filter = ["kind"]
    list_select_related = ["user"]
    search_fields = ["name", "job_title"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class TopicAliasInline(admin.TabularInline):
    model = TopicAlias
    extra = 1


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "featured", "published_stories", "all_stories", "alias_names"]
    list_editable = ["featured"]
    list_filter = ["featured"]
    search_fields = ["name", "aliases__name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [TopicAliasInline]
    actions = ["merge_topics"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("aliases", queryset=TopicAlias.objects.order_by("name")))
        )

    def get_changelist_instance(self, request):
        # Count stories for the topics on screen only: two grouped queries, whatever the size
        # of the archive or the number of topics.
        changelist = super().get_changelist_instance(request)
        topic_ids = [topic.pk for topic in changelist.result_list]
        published = Article.objects.published().count_by_topic(topic_ids)
        every = Article.objects.count_by_topic(topic_ids)
        for topic in changelist.result_list:
            topic.story_count = published.get(topic.pk, 0)
            topic.all_story_count = every.get(topic.pk, 0)
        return changelist

    @admin.display(description="Published")
    def published_stories(self, topic):
        return topic.story_count

    @admin.display(description="All stories")
    def all_stories(self, topic):
        url = reverse("admin:articles_article_changelist") + f"?topic={topic.slug}"
        return format_html('<a href="{}">{}</a>', url, topic.all_story_count)

    @admin.display(description="Aliases")
    def alias_names(self, topic):
        return format_html_join(", ", "{}", ((alias.name,) for alias in topic.aliases.all()))

    @admin.action(description="Merge selected topics…", permissions=["change", "delete"])
    def merge_topics(self, request, queryset):
        if queryset.count() < 2:
            self.message_user(request, "Select at least two topics to merge.", messages.WARNING)
            return None
        form = TopicMergeForm(
            request.POST if "apply" in request.POST else None, topics=queryset.order_by("name")
        )
        if form.is_valid():
            kept = form.cleaned_data["kept"]
            merged = list(queryset.exclude(pk=kept.pk))
            moved = sum(topic.merge_into(kept) for topic in merged)
            self.message_user(
                request,
                f"Merged {', '.join(t.name for t in merged)} into {kept.name}; "
                f"{moved} stories moved.",
                messages.SUCCESS,
            )
            return None
        return render(
            request,
            "admin/articles/topic/merge.html",
            {
                **self.admin_site.each_context(request),
                "title": "Merge topics",
                "opts": self.model._meta,
                "form": form,
                "topics": queryset.order_by("name"),
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )
