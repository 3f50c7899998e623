"""The audit trail of every story's state changes: read-only, for whoever may view it.

Each reader of the trail sees the state changes of the stories they may read, and kill
reasons only if they may kill stories (`ArticleTransition.objects.readable_by()`).
"""

from django.contrib import admin

from articles.models import Alert, ArticleTransition, CspViolation
from articles.models.workflow import reads_kill_reasons


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record written by the system: shown, never added, changed or deleted from the desk."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ArticleTransition)
class ArticleTransitionAdmin(ReadOnlyAdmin):
    list_display = ["at", "article", "from_status", "to_status", "by", "reason", "address"]
    list_filter = ["to_status", "from_status", "at"]
    list_select_related = ["article", "by"]
    date_hierarchy = "at"

    def get_queryset(self, request):
        return super().get_queryset(request).readable_by(request.user)

    def get_search_fields(self, request):
        # Searching the notes would let anyone probe kill reasons word by word.
        fields = ["article__headline", "by__username"]
        return [*fields, "note"] if reads_kill_reasons(request.user) else fields

    @admin.display(description="Note")
    def reason(self, transition):
        return transition.shown_note


@admin.register(Alert)
class AlertAdmin(ReadOnlyAdmin):
    """Alerts on publishes that look like a stolen account at work: for administrators."""

    list_display = ["at", "kind", "user", "article", "address", "message"]
    list_filter = ["kind", "at"]
    list_select_related = ["user", "article"]
    search_fields = ["message", "user__username", "address"]
    date_hierarchy = "at"

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.has_perm("articles.view_alert")

    def has_module_permission(self, request):
        return self.has_view_permission(request)


@admin.register(CspViolation)
class CspViolationAdmin(AlertAdmin):
    """What browsers reported blocking (newsroom/csp_reports.py): for administrators."""

    list_display = ["last_seen", "directive", "blocked", "document", "count", "first_seen"]
    list_filter = ["directive"]
    list_select_related = []
    search_fields = ["blocked", "document"]
    date_hierarchy = "last_seen"

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.has_perm("articles.view_cspviolation")
