"""The audit trail of every story's state changes: read-only, for whoever may view it."""

from django.contrib import admin

from articles.models import ArticleTransition


@admin.register(ArticleTransition)
class ArticleTransitionAdmin(admin.ModelAdmin):
    list_display = ["at", "article", "from_status", "to_status", "by", "note"]
    list_filter = ["to_status", "from_status", "at"]
    list_select_related = ["article", "by"]
    search_fields = ["article__headline", "note", "by__username"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
