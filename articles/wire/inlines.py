from django.contrib import admin

from articles.models import TopicSuggestion
from articles.wire.forms import TopicSuggestionForm


class TopicSuggestionInline(admin.TabularInline):
    """Pending topic suggestions on the article form, each to accept or dismiss.

    Rows are only ever made by the importer, so editors can decide but not add or delete.
    Editors without the change permission on suggestions see them read-only, and Django
    ignores anything they post for them.
    """

    model = TopicSuggestion
    form = TopicSuggestionForm
    fields = ["topic", "matched_text", "status"]
    readonly_fields = ["topic", "matched_text"]
    extra = 0
    max_num = 0
    can_delete = False
    verbose_name = "suggested topic"
    verbose_name_plural = "suggested topics"

    def get_queryset(self, request):
        return (
            super().get_queryset(request).pending().select_related("topic").order_by("topic__name")
        )

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def shows_topic_suggestions(request, article) -> bool:
    """Whether the article form carries the suggestions: only while some are pending.

    Stories without suggestions (most of them) keep the form they always had. On a save,
    what counts is whether the form the editor saw had them, so a suggestion arriving
    meanwhile never breaks the save.
    """
    if article is None:
        return False
    if request.method == "POST":
        return "topic_suggestions-TOTAL_FORMS" in request.POST
    return article.topic_suggestions.pending().exists()
