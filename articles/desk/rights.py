"""Photo rights on the desk: what has run out, what runs out within the week.

A photo whose rights have expired is no longer shown to readers (`Photo.rights_expire_at`,
enforced by `ArticlePhoto.objects.visible()`); the desk marks it wherever it appears.
"""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.html import format_html
from django.utils.timesince import timeuntil

from articles.models import Photo
from articles.models.photo import rights_expired

WARNING_DAYS = 7


class RightsFilter(admin.SimpleListFilter):
    title = "rights"
    parameter_name = "rights"

    def lookups(self, request, model_admin):
        return [("expiring", f"Expiring within {WARNING_DAYS} days"), ("expired", "Expired")]

    def queryset(self, request, queryset):
        if self.value() == "expiring":
            return queryset.rights_expiring(WARNING_DAYS)
        if self.value() == "expired":
            return queryset.filter(rights_expired())
        return queryset


def rights_state(photo: Photo):
    """ "Expired", "Expires in 3 days" or "—", as the desk shows it beside a photo."""
    if photo.rights_expire_at is None:
        return "—"
    if photo.rights_have_expired:
        return format_html(
            '<strong class="nr-rights nr-rights--expired">{}</strong>',
            "Rights expired: hidden from readers",
        )
    left = photo.rights_expire_at - timezone.now()
    if left.days < WARNING_DAYS:
        return format_html(
            '<strong class="nr-rights">Rights expire in {}</strong>',
            timeuntil(photo.rights_expire_at),
        )
    return f"Until {timezone.localtime(photo.rights_expire_at):%Y-%m-%d}"


def warn_of_expiring_rights(request) -> None:
    """A note at the top of the photo library while any photo's rights run out this week."""
    count = Photo.objects.rights_expiring(WARNING_DAYS).count()
    if count:
        messages.warning(
            request,
            f"The rights of {count} photo{'s' if count != 1 else ''} run out within "
            f"{WARNING_DAYS} days: filter by rights to see which.",
        )
