"""The library: photos, contributors, sections and topics, shared by every story."""

from django.contrib import admin, messages
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from articles import tasks
from articles.cache import invalidate
from articles.desk import rights
from articles.desk.forms import ContributorForm, PhotoForm, TopicMergeForm
from articles.desk.pages import desk_page
from articles.media import renditions
from articles.models import Article, Contributor, Photo, Section, Topic, TopicAlias
from articles.wire import mediatopics

THUMBNAIL_WIDTH = 80


def remove_files_on_commit(photo: Photo) -> None:
    """A picture that left the library takes its file and renditions out of storage."""
    if photo.image:
        names = renditions.stored_names(photo)
        tasks.enqueue_on_commit(tasks.delete_media, photo.image.name, names)


def thumbnail(photo: Photo | None, width: int = THUMBNAIL_WIDTH):
    if photo is None:
        return "—"
    if not photo.image:
        return mark_safe('<span class="nr-awaiting">Awaiting image</span>')  # a constant
    if photo.rights_have_expired:
        return mark_safe('<span class="nr-awaiting">Rights expired: hidden from readers</span>')
    height = round(width * photo.height / photo.width) if photo.width and photo.height else width
    return format_html(
        '<img src="{}" width="{}" height="{}" alt="{}" loading="lazy" class="nr-thumb">',
        photo.image.url,
        width,
        height,
        photo.alt_text,
    )


class LibraryAdmin(admin.ModelAdmin):
    """Readers' pages follow every change saved or deleted here (after commit)."""

    def changed(self, obj, *, removed: bool = False) -> None:
        invalidate.library_changed(obj, removed=removed)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Applied after commit, so inline rows saved after this (aliases) are included.
        self.changed(obj)

    def delete_model(self, request, obj):
        self.changed(obj, removed=True)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.changed(obj, removed=True)
        super().delete_queryset(request, queryset)


@admin.register(Photo)
class PhotoAdmin(LibraryAdmin):
    form = PhotoForm
    list_display = [
        "preview",
        "caption_text",
        "credit",
        "alt_text",
        "rights",
        "uploaded_at",
        "uploaded_by",
    ]
    list_display_links = ["preview", "caption_text"]
    list_select_related = ["uploaded_by"]
    list_filter = ["uploaded_at", "credit", rights.RightsFilter]
    search_fields = ["caption", "credit", "alt_text"]
    date_hierarchy = "uploaded_at"
    readonly_fields = ["preview_large", "width", "height", "uploaded_by", "uploaded_at"]
    fields = [
        "image",
        "preview_large",
        ("focal_x", "focal_y"),
        ("width", "height"),
        "caption",
        "credit",
        "alt_text",
        "usage_terms",
        ("copyright_holder", "licence_url"),
        "rights_expire_at",
        ("uploaded_by", "uploaded_at"),
    ]

    class Media:
        # Sets the focal point from a click on the preview; the two number fields are the
        # keyboard's (and a browser without scripts') way to set it.
        js = ["js/desk-focal-point.js"]
        css = {"all": ["css/desk.css"]}

    def get_queryset(self, request):
        # Also what the story form's photo autocomplete offers.
        return super().get_queryset(request).readable_by(request.user)

    def changed(self, obj, *, removed: bool = False) -> None:
        invalidate.photo_changed(obj, removed=removed)

    def changelist_view(self, request, extra_context=None):
        if request.method == "GET":
            rights.warn_of_expiring_rights(request)
        return super().changelist_view(request, extra_context)

    @admin.display(description="Rights", ordering="rights_expire_at")
    def rights(self, photo):
        return rights.rights_state(photo)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        new_picture = "image" in form.changed_data and obj.image
        replaced = Photo.objects.filter(pk=obj.pk).first() if change and new_picture else None
        # A moved focal point names new crops (renditions.CropSpec): the worker makes them.
        before = (form.initial.get("focal_x"), form.initial.get("focal_y"))
        refocused = bool(change and obj.image) and before != (obj.focal_x, obj.focal_y)
        if new_picture or refocused:
            # Readers see the sizes the worker has made so far; none is made on their request.
            obj.renditions_ready = False
        super().save_model(request, obj, form, change)
        # A new picture has its renditions queued as it is stored (fields.LibraryImageField).
        if refocused and not new_picture:
            renditions.make_ahead(obj)
        if replaced is not None and replaced.image:
            remove_files_on_commit(replaced)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        remove_files_on_commit(obj)

    def delete_queryset(self, request, queryset):
        photos = list(queryset)
        super().delete_queryset(request, queryset)
        for photo in photos:
            remove_files_on_commit(photo)

    @admin.display(description="Photo")
    def preview(self, photo):
        return thumbnail(photo)

    @admin.display(description="Preview")
    def preview_large(self, photo):
        if not photo.pk:
            return "—"
        preview = thumbnail(photo, width=480)
        if not photo.image or not photo.width or photo.rights_have_expired:
            return preview
        # desk-focal-point.js turns a click on the picture into the two fields' fractions and
        # shows the marker; without it the fields alone set the point.
        return format_html(
            '<div class="nr-focal" data-focal-picker>{}'
            '<span class="nr-focal__marker" aria-hidden="true" hidden></span></div>'
            '<div class="help">{}</div>',
            preview,
            "Click on the picture's subject, or fill in the two fields below, to set the focal "
            "point: every crop of this photo keeps it in frame (0.5 and 0.5 is the centre).",
        )

    @admin.display(description="Caption", ordering="caption")
    def caption_text(self, photo):
        return str(photo)


@admin.register(Contributor)
class ContributorAdmin(LibraryAdmin):
    form = ContributorForm
    list_display = ["name", "kind", "job_title", "user"]
    list_filter = ["kind"]
    list_select_related = ["user"]
    search_fields = ["name", "job_title"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]


@admin.register(Section)
class SectionAdmin(LibraryAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class TopicAliasInline(admin.TabularInline):
    model = TopicAlias
    extra = 1


@admin.register(Topic)
class TopicAdmin(LibraryAdmin):
    list_display = ["name", "slug", "featured", "published_stories", "all_stories", "alias_names"]
    list_editable = ["featured"]
    list_filter = ["featured"]
    search_fields = ["name", "aliases__name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [TopicAliasInline]
    actions = ["merge_topics"]
    readonly_fields = ["iptc_label"]

    @admin.display(description="IPTC label")
    def iptc_label(self, topic):
        return mediatopics.label(topic.iptc_code) or "—" if topic.iptc_code else "—"

    def get_queryset(self, request):
        # Also what the story form's topic autocomplete offers.
        return (
            super()
            .get_queryset(request)
            .readable_by(request.user)
            .prefetch_related(Prefetch("aliases", queryset=TopicAlias.objects.order_by("name")))
        )

    def get_changelist_instance(self, request):
        # Count stories for the topics on screen only: two grouped queries, whatever the size
        # of the archive or the number of topics.
        changelist = super().get_changelist_instance(request)
        topic_ids = [topic.pk for topic in changelist.result_list]
        published = Article.objects.published().count_by_topic(topic_ids)
        every = Article.objects.readable_by(request.user).count_by_topic(topic_ids)
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
        return desk_page(
            self,
            request,
            "admin/articles/topic/merge.html",
            "Merge topics",
            form=form,
            topics=queryset.order_by("name"),
        )
