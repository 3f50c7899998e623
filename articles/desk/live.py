"""Live updates on the desk: posted from the story's form or from the *Live updates* page.

Whoever may publish stories (editors) posts updates readers see at once. Anyone else allowed
to post them (reporters, who cannot edit a published story) uses the *Live updates* page: their
update is "submitted" and waits there until an editor approves it, by the list's action or
the status on the form. Readers' pages of the story refresh once an update is approved or a
public one changes (`LiveUpdate.approve`, `invalidate.story_pages_changed`).
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied

from articles.cache import invalidate
from articles.models import Article, LiveUpdate


def live_update_form(user, base=forms.ModelForm):
    """A form for `user` that sets who posted an update and, if they may, approves it."""
    approver = LiveUpdate.may_approve(user)

    class LiveUpdateForm(base):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            status = self.fields.get("status")
            if approver:
                # An editor's new update goes to readers unless they hold it back.
                if status is not None and self.instance.pk is None:
                    status.initial = LiveUpdate.Status.APPROVED
                return
            # Approving and pinning are the editors' (pinning places an update above theirs).
            if status is not None:
                status.disabled = True
                status.help_text = "An editor approves it before readers see it."
            if "pinned" in self.fields:
                self.fields["pinned"].disabled = True

        def save(self, commit=True):
            update = self.instance
            if update.pk is None:
                update.created_by = user
            if not approver:
                # Checked here as well as on the fields: a crafted POST cannot approve or pin.
                update.status = LiveUpdate.Status.SUBMITTED
                update.pinned = False
            elif update.is_public() and update.approved_by_id is None:
                update.approved_by = user
            return super().save(commit)

    return LiveUpdateForm


class LiveUpdateInline(admin.StackedInline):
    """A live file's updates on its story form, newest first; shown once the story is live."""

    model = LiveUpdate
    autocomplete_fields = ["contributor"]
    fields = [("headline", "pinned"), "body", ("contributor", "posted_at"), "status"]
    extra = 0
    verbose_name = "live update"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("contributor")

    def get_formset(self, request, obj=None, **kwargs):
        kwargs["form"] = live_update_form(request.user, base=self.form)
        return super().get_formset(request, obj, **kwargs)


class StatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return LiveUpdate.Status.choices

    def queryset(self, request, queryset):
        return queryset.filter(status=self.value()) if self.value() else queryset


@admin.register(LiveUpdate)
class LiveUpdateAdmin(admin.ModelAdmin):
    list_display = ["headline", "article", "status", "posted_at", "created_by"]
    list_filter = [StatusFilter]
    list_select_related = ["article", "created_by"]
    search_fields = ["headline", "article__headline"]
    autocomplete_fields = ["contributor"]
    fields = ["article", ("headline", "pinned"), "body", ("contributor", "posted_at"), "status"]
    date_hierarchy = "posted_at"
    actions = ["approve"]

    def get_queryset(self, request):
        updates = super().get_queryset(request)
        if LiveUpdate.may_approve(request.user):
            return updates
        # Reporters see (and edit, while submitted) the updates they posted.
        return updates.filter(created_by=request.user)

    def get_form(self, request, obj=None, **kwargs):
        kwargs["form"] = live_update_form(request.user, base=self.form)
        return super().get_form(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "article":
            # Only running live files the poster may open on the desk.
            kwargs["queryset"] = (
                Article.objects.readable_by(request.user)
                .filter(live_started_at__isnull=False, live_ended_at__isnull=True)
                .order_by("-live_started_at")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is None or not allowed or LiveUpdate.may_approve(request.user):
            return allowed
        return obj.created_by_id == request.user.pk and not obj.is_public()

    def has_approve_permission(self, request):
        return LiveUpdate.may_approve(request.user)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if obj.is_public() or "status" in form.changed_data:
            invalidate.story_pages_changed([obj.article_id])

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        invalidate.story_pages_changed([obj.article_id])

    def delete_queryset(self, request, queryset):
        stories = set(queryset.values_list("article_id", flat=True))
        super().delete_queryset(request, queryset)
        invalidate.story_pages_changed(stories)

    @admin.action(description="Approve: readers see them", permissions=["approve"])
    def approve(self, request, queryset):
        if not LiveUpdate.may_approve(request.user):
            raise PermissionDenied
        waiting = list(queryset.filter(status=LiveUpdate.Status.SUBMITTED))
        for update in waiting:
            update.approve(by=request.user)
        count = len(waiting)
        messages.success(request, f"Approved {count} update{'s' if count != 1 else ''}.")
