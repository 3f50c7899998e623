"""The desk's side of the editorial workflow, mixed into ArticleAdmin.

State is never a form field: it changes only through the transition methods on Article, from
the change form's buttons, the list's actions and the kill page. Each of those paths checks
the permission on the server (the model method checks it again). History, diff, restore and
the calendar are admin views with the same permissions as editing or viewing stories.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import slugify

from articles.desk.forms import ArticleForm, CorrectionForm, KillForm
from articles.desk.pages import desk_page
from articles.desk.urls import admin_url
from articles.display import desk_datetime
from articles.models import Article, ArticleTransition, Correction, TransitionError
from articles.models.workflow import TRANSITIONS
from articles.previews import preview_url


class CorrectionInline(admin.StackedInline):
    """Corrections are appended; once saved, only those allowed to amend them can (admins)."""

    model = Correction
    form = CorrectionForm
    fields = ["kind", "text", "created_at", "created_by"]
    readonly_fields = ["created_at", "created_by"]
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("created_by")


class TransitionInline(admin.TabularInline):
    """The story's audit trail, read-only, newest first."""

    model = ArticleTransition
    fields = ["at", "from_status", "to_status", "by", "reason", "address"]
    readonly_fields = fields
    ordering = ["-at", "-pk"]
    extra = 0
    can_delete = False
    verbose_name_plural = "state changes (audit trail)"

    def get_queryset(self, request):
        return super().get_queryset(request).readable_by(request.user).select_related("by")

    @admin.display(description="Note")
    def reason(self, transition):
        return transition.shown_note

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class WorkflowAdminMixin:
    form = ArticleForm
    actions = [
        "submit_selected",
        "mark_selected_ready",
        "publish_selected",
        "unpublish_selected",
        "return_selected_to_draft",
        "kill_selected",
        "restore_selected",
    ]

    # Permissions: the model decides what a user may do with one story.

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.editable_by(request.user))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        if obj is not None and obj.readers_may_have_seen:
            return False  # nothing readers have seen is hard-deleted: kill it instead
        return allowed and (obj is None or obj.editable_by(request.user))

    def get_deleted_objects(self, objs, request):
        # The list action "Delete selected" asks no per-story permission: stories readers
        # may have seen are listed as protected, which refuses the whole deletion.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        seen = [
            f"“{story}”: readers have seen it; kill it instead"
            for story in objs
            if story.readers_may_have_seen
        ]
        return deleted, counts, perms_needed, [*protected, *seen]

    def has_submit_permission(self, request):
        return request.user.has_perm(TRANSITIONS["submit"].permission)

    def has_review_permission(self, request):
        return request.user.has_perm(TRANSITIONS["mark_ready"].permission)

    def has_publish_permission(self, request):
        return request.user.has_perm(TRANSITIONS["publish"].permission)

    def has_kill_permission(self, request):
        return request.user.has_perm(TRANSITIONS["kill"].permission)

    def has_restore_permission(self, request):
        return request.user.has_perm(TRANSITIONS["restore"].permission)

    def get_readonly_fields(self, request, obj=None):
        fields = [*super().get_readonly_fields(request, obj), "state"]
        # Moving a live story's time or embargo is publishing or unpublishing it.
        if (
            obj
            and obj.status == Article.Status.PUBLISHED
            and not self.has_publish_permission(request)
        ):
            fields += ["publish_at", "embargo_until"]
        return fields

    def get_inlines(self, request, obj):
        inlines = [*super().get_inlines(request, obj), CorrectionInline]
        return [*inlines, TransitionInline] if obj else inlines

    @admin.display(description="State")
    def state(self, article):
        if article.pk is None:
            return "Draft (not saved yet)"
        text = article.desk_state
        if article.publish_at and article.status != Article.Status.KILLED:
            when = desk_datetime(article.publish_at)
            text = f"{text} · publish time {when}"
        if article.embargo_until and article.embargo_until > timezone.now():
            until = desk_datetime(article.embargo_until)
            text = f"{text} · embargoed until {until}"
        return format_html(
            '<span class="nr-state nr-state--{}">{}</span>', slugify(article.desk_state), text
        )

    @admin.display(description="State", ordering="status")
    def state_column(self, article):
        return format_html(
            '<span class="nr-state nr-state--{}">{}</span>',
            slugify(article.desk_state),
            article.desk_state,
        )

    def save_formset(self, request, form, formset, change):
        if formset.model is Correction:
            for correction in formset.save(commit=False):
                if correction.pk is None:
                    correction.created_by = request.user
                correction.save()
            return
        super().save_formset(request, form, formset, change)

    # The change form: state read-only, a button for each transition the user may make.

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        article = obj or Article(created_by=request.user)
        editable = obj is None or self.has_change_permission(request, obj)
        transitions = article.transitions_for(request.user) if editable else []
        context.update(
            workflow_transitions=[t for t in transitions if t.name != "kill"],
            kill_url=admin_url("kill", obj.pk)
            if obj and article.may("kill", request.user) and obj.status != Article.Status.KILLED
            else None,
            preview_link=request.build_absolute_uri(preview_url(obj))
            if obj and editable and obj.status != Article.Status.KILLED
            else None,
            revoke_previews_url=admin_url("revoke_previews", obj.pk) if obj else None,
            preview_hours=round(settings.NEWSROOM["PREVIEW_MAX_AGE"] / timedelta(hours=1)),
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def response_add(self, request, obj, post_url_continue=None):
        if "_transition" in request.POST:
            return self.transition_response(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if "_transition" in request.POST:
            return self.transition_response(request, obj)
        return super().response_change(request, obj)

    def transition_response(self, request, article):
        """Apply the pressed transition after the form was saved, and come back to the story.

        A refused transition (a missing byline, an embargo) keeps the saved edits and says why;
        a missing permission is a 403 and the whole request, edits included, is rolled back.
        """
        name = request.POST["_transition"]
        if name not in TRANSITIONS or name == "kill":
            raise PermissionDenied("Unknown action.")
        try:
            getattr(article, name)(by=request.user)
        except TransitionError as refused:
            self.message_user(request, f"Your changes were saved, but: {refused}", messages.ERROR)
        else:
            self.message_user(request, self.done_message(article, name), messages.SUCCESS)
        return HttpResponseRedirect(admin_url("change", article.pk))

    @staticmethod
    def done_message(article, name: str) -> str:
        if name == "publish" and article.publish_at > timezone.now():
            when = desk_datetime(article.publish_at)
            return f"“{article}” is scheduled: readers see it from {when}."
        return f"“{article}”: {TRANSITIONS[name].done}."

    # List actions: each story is checked and moved on its own; refusals are listed.

    def bulk_transition(self, request, queryset, name, **kwargs):
        done, refused = 0, []
        for article in queryset:
            try:
                getattr(article, name)(by=request.user, **kwargs)
            except (TransitionError, PermissionDenied) as problem:
                refused.append(f"“{article}”: {problem}")
            else:
                done += 1
        label = TRANSITIONS[name].done
        if done:
            self.message_user(request, f"{done} {'story' if done == 1 else 'stories'} {label}.")
        for line in refused:
            self.message_user(request, f"Not changed: {line}", messages.ERROR)

    @admin.action(description="Submit selected stories for review", permissions=["submit"])
    def submit_selected(self, request, queryset):
        self.bulk_transition(request, queryset, "submit")

    @admin.action(description="Mark selected stories ready", permissions=["review"])
    def mark_selected_ready(self, request, queryset):
        self.bulk_transition(request, queryset, "mark_ready")

    @admin.action(description="Publish selected stories", permissions=["publish"])
    def publish_selected(self, request, queryset):
        self.bulk_transition(request, queryset, "publish")

    @admin.action(description="Unpublish selected stories", permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        self.bulk_transition(request, queryset, "unpublish")

    @admin.action(description="Return selected stories to draft", permissions=["review"])
    def return_selected_to_draft(self, request, queryset):
        self.bulk_transition(request, queryset, "return_to_draft")

    @admin.action(description="Restore selected killed stories", permissions=["restore"])
    def restore_selected(self, request, queryset):
        self.bulk_transition(request, queryset, "restore")

    @admin.action(description="Kill selected stories…", permissions=["kill"])
    def kill_selected(self, request, queryset):
        form = KillForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            self.bulk_transition(request, queryset, "kill", reason=form.cleaned_data["kill_reason"])
            return None
        return self.render_kill_page(request, form, list(queryset), bulk=True)

    def kill_view(self, request, object_id):
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("No such story.")
        if not article.may("kill", request.user):
            raise PermissionDenied
        form = KillForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            try:
                article.kill(by=request.user, reason=form.cleaned_data["kill_reason"])
            except TransitionError as refused:
                self.message_user(request, str(refused), messages.ERROR)
            else:
                self.message_user(request, self.done_message(article, "kill"), messages.SUCCESS)
            return redirect(admin_url("change", article.pk))
        return self.render_kill_page(request, form, [article], bulk=False)

    def revoke_previews_view(self, request, object_id):
        """End every preview link of a story (a link sent to the wrong person, say)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("No such story.")
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        article.revoke_previews()
        self.message_user(
            request,
            f"“{article}”: every preview link sent so far has stopped working. "
            "The link above is a new one.",
            messages.SUCCESS,
        )
        return redirect(admin_url("change", article.pk))

    def render_kill_page(self, request, form, articles, *, bulk):
        return desk_page(
            self,
            request,
            "admin/articles/article/kill.html",
            "Kill stories" if bulk else f"Kill “{articles[0]}”",
            form=form,
            articles=articles,
            bulk=bulk,
        )

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<path:object_id>/kill/", wrap(self.kill_view), name="articles_article_kill"),
            path(
                "<path:object_id>/revoke-previews/",
                wrap(self.revoke_previews_view),
                name="articles_article_revoke_previews",
            ),
            *super().get_urls(),
        ]
