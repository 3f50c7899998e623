from django.db import models


class BackgroundFailure(models.Model):
    """A task the worker gave up on after its retries, shown on the desk with a retry button."""

    task_name = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    kwargs = models.JSONField(default=dict)
    error = models.TextField()
    failed_at = models.DateTimeField(auto_now_add=True)
    retried_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-failed_at", "-pk"]
        verbose_name = "background work failure"
        verbose_name_plural = "background work"
        indexes = [models.Index(fields=["retried_at", "-failed_at"], name="background_open")]
        permissions = [("retry_backgroundfailure", "Can run failed background work again")]

    def __str__(self):
        return f"{self.task_name} failed at {self.failed_at:%Y-%m-%d %H:%M}"
