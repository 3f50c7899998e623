"""Staff accounts on the desk: Django's user admin, except that only a superuser can make one.

Administrators manage accounts (their group has the user permissions), but superuser status
bypasses every permission and the audit of roles; an administrator who could tick it for
themselves would be one click from everything.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

User = get_user_model()


class StaffUserAdmin(UserAdmin):
    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields.append("is_superuser")
        return fields


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, StaffUserAdmin)
