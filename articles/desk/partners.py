"""Partners of the content API: their keys, their webhooks and the webhooks' delivery log.

Administrators only (the permissions are the Administrator group's, see migration 0014).
A key's secret is shown once, on the page that follows its creation, and never stored.
"""

from django import forms
from django.contrib import admin, messages
from django.utils import timezone

from articles.api import webhooks
from articles.cache import invalidate
from articles.desk.pages import desk_page
from articles.models import ApiKey, Partner, Webhook, WebhookDelivery


class WebhookForm(forms.ModelForm):
    url = forms.URLField(max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(
        choices=Webhook.Event.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Webhook
        fields = ["url", "events", "active"]

    def clean_url(self):
        url = self.cleaned_data["url"]
        try:
            webhooks.public_address(url)
        except webhooks.RefusedAddress as exc:
            raise forms.ValidationError(f"This address cannot be used: {exc}.") from exc
        return url


class WebhookInline(admin.StackedInline):
    model = Webhook
    form = WebhookForm
    extra = 0
    fields = ["url", "events", "active", "secret"]
    readonly_fields = ["secret"]


class ApiKeyInline(admin.TabularInline):
    model = ApiKey
    extra = 0
    fields = ["name", "prefix", "all_content", "rate_per_minute", "expires_at", "last_used_at"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False  # a key is made on its own page, where its secret is shown once


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "contact_email", "created_at"]
    search_fields = ["name"]
    inlines = [ApiKeyInline, WebhookInline]

    # A partner's keys go with it: the API's fast path must stop trusting them at once.
    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        invalidate.api_keys_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        invalidate.api_keys_changed()


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = [
        "partner", "name", "prefix", "scope", "rate_per_minute", "expires_at", "last_used_at",
        "revoked_at",
    ]  # fmt: skip
    list_select_related = ["partner"]
    list_filter = ["partner", "all_content", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix", "partner__name"]
    autocomplete_fields = ["partner", "topics"]
    filter_horizontal = ["sections"]
    readonly_fields = ["prefix", "last_used_at", "revoked_at", "created_at", "created_by"]
    fields = [
        "partner", "name", "all_content", "sections", "topics", "rate_per_minute", "expires_at",
        "prefix", "last_used_at", "revoked_at", "created_at", "created_by",
    ]  # fmt: skip
    actions = ["revoke"]

    @admin.display(description="Reads")
    def scope(self, key):
        return "Everything published" if key.all_content else "Chosen sections and topics"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
            request.new_api_key = obj.new_secret()  # this request only: shown, never stored
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        invalidate.api_keys_changed()  # scope, rate or expiry may have changed

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        invalidate.api_keys_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        invalidate.api_keys_changed()

    def response_add(self, request, obj, post_url_continue=None):
        return desk_page(
            self,
            request,
            "admin/articles/apikey/created.html",
            "New API key",
            key=obj,
            secret=request.new_api_key,
        )

    @admin.action(description="Revoke the selected keys", permissions=["change"])
    def revoke(self, request, queryset):
        count = queryset.filter(revoked_at=None).update(revoked_at=timezone.now())
        invalidate.api_keys_changed()
        self.message_user(request, f"{count} key(s) revoked.", messages.SUCCESS)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "created_at", "event", "story_id", "webhook", "status", "attempts", "last_status_code",
        "last_error", "delivered_at",
    ]  # fmt: skip
    list_select_related = ["webhook__partner"]
    list_filter = ["status", "event", "webhook__partner"]
    search_fields = ["=story_id", "webhook__url"]
    date_hierarchy = "created_at"
    actions = ["send_again"]
    readonly_fields = [field.name for field in WebhookDelivery._meta.fields]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Send the selected deliveries again", permissions=["change"])
    def send_again(self, request, queryset):
        for delivery in queryset.select_related("webhook"):
            webhooks.replay(delivery)
        self.message_user(
            request, f"{queryset.count()} delivery(ies) queued again.", messages.SUCCESS
        )
