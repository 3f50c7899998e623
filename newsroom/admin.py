from django.contrib import admin
from django.utils.decorators import method_decorator

from newsroom.ratelimit import rate_limited
from newsroom.signin import StaffSignInForm, two_factor_required, two_factor_required_for


class NewsroomAdminSite(admin.AdminSite):
    """The desk. Staff sign in with a password, plus an authenticator code where required.

    With NEWSROOM["REQUIRE_TWO_FACTOR"] on, a session that was not verified by an
    authenticator code (one signed in before the setting was turned on, say) is sent back
    to the sign-in page rather than let in.
    """

    site_header = "Newsroom"
    site_title = "Newsroom"
    index_title = "Desk"
    login_form = StaffSignInForm

    @method_decorator(rate_limited("login", methods=("POST",)))
    def login(self, request, extra_context=None):
        context = {"two_factor_required": two_factor_required(), **(extra_context or {})}
        return super().login(request, context)

    def has_permission(self, request):
        if not super().has_permission(request):
            return False
        return not two_factor_required_for(request.user) or request.user.is_verified()

    def get_urls(self):
        from django.urls import path

        from newsroom.two_factor import two_factor_view

        return [
            path("two-factor/", self.admin_view(two_factor_view), name="two_factor"),
            *super().get_urls(),
        ]
