"""Revisions of a story: one per desk save, with history, compare and restore.

Every save through the change form is one revision holding the story with its bylines, photos
and topics; history, compare and restore have the same permission as editing the story.
"""

import reversion
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path

from articles.desk.pages import desk_page
from articles.desk.revisions import RestoreError, compare, restore, versions_of
from articles.desk.urls import admin_url


class HistoryAdminMixin:
    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/history/compare/",
                wrap(self.compare_view),
                name="articles_article_compare",
            ),
            path(
                "<path:object_id>/history/<int:version_id>/restore/",
                wrap(self.restore_view),
                name="articles_article_restore",
            ),
            *super().get_urls(),
        ]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with reversion.create_revision():
            reversion.set_user(request.user)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Inline rows saved after the story: add it again so the revision holds their final state.
        if reversion.is_active():
            reversion.add_to_revision(form.instance)

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        if reversion.is_active():
            reversion.set_comment(entry.get_change_message() or "Created.")
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        if reversion.is_active():
            reversion.set_comment(entry.get_change_message() or "Saved without changes.")
        return entry

    def editable_article(self, request, object_id):
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("No such story.")
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        return article

    def history_view(self, request, object_id, extra_context=None):
        article = self.editable_article(request, object_id)
        versions = list(versions_of(article))
        return desk_page(
            self,
            request,
            "admin/articles/article/history.html",
            f"History of “{article}”",
            original=article,
            versions=versions,
        )

    def compare_view(self, request, object_id):
        article = self.editable_article(request, object_id)
        versions = versions_of(article)
        try:
            old = versions.get(pk=int(request.GET.get("old", "")))
            new = versions.get(pk=int(request.GET.get("new", "")))
        except (ValueError, versions.model.DoesNotExist):
            self.message_user(
                request, "Choose two versions of this story to compare.", messages.ERROR
            )
            return redirect(admin_url("history", article.pk))
        if old.revision.date_created > new.revision.date_created:
            old, new = new, old
        return desk_page(
            self,
            request,
            "admin/articles/article/compare.html",
            f"Changes to “{article}”",
            original=article,
            old=old,
            new=new,
            changes=compare(old, new),
        )

    def restore_view(self, request, object_id, version_id):
        article = self.editable_article(request, object_id)
        version = get_object_or_404(versions_of(article), pk=version_id)
        if request.method != "POST":
            return redirect(admin_url("history", article.pk))
        try:
            restore(article, version, by=request.user)
        except RestoreError as problem:
            self.message_user(request, str(problem), messages.ERROR)
            return redirect(admin_url("history", article.pk))
        self.message_user(
            request,
            "The story’s text, filing, bylines, photos and topics are back as in that version; "
            "its state and publication time did not change.",
            messages.SUCCESS,
        )
        return redirect(admin_url("change", article.pk))
