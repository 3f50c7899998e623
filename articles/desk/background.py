"""Background work: what the task worker gave up on, with its error and a way to run it again."""

from django.contrib import admin, messages
from django.utils import timezone

from articles import tasks
from articles.models import BackgroundFailure
from newsroom.celery import app


@admin.register(BackgroundFailure)
class BackgroundFailureAdmin(admin.ModelAdmin):
    list_display = ["task_name", "failed_at", "error", "retried_at"]
    list_filter = [("retried_at", admin.EmptyFieldListFilter), "task_name"]
    search_fields = ["task_name", "error"]
    date_hierarchy = "failed_at"
    readonly_fields = ["task_name", "args", "kwargs", "error", "failed_at", "retried_at"]
    actions = ["retry"]

    def has_add_permission(self, request):
        return False  # failures are recorded by the worker, never typed in

    def has_change_permission(self, request, obj=None):
        return False

    def has_retry_permission(self, request):
        return request.user.has_perm("articles.retry_backgroundfailure")

    @admin.action(description="Run the selected work again", permissions=["retry"])
    def retry(self, request, queryset):
        count = 0
        for failure in queryset.filter(retried_at__isnull=True):
            task = app.tasks.get(failure.task_name)
            if task is None:
                self.message_user(
                    request, f"{failure.task_name} is no longer a task.", messages.ERROR
                )
                continue
            tasks.enqueue(task, *failure.args)
            failure.retried_at = timezone.now()
            failure.save(update_fields=["retried_at"])
            count += 1
        self.message_user(request, f"{count} queued again.", messages.SUCCESS)
