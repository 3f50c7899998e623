"""A signed cookie that tells the page cache "a signed-in editor's browser", cheaply.

A session cookie alone proves nothing: anyone can send `sessionid=junk`, and if that were
enough to skip the page cache, a flood of such requests would render every page from the
database. Checking the session itself would cost a session-store lookup on every cached
hit. So signing in sets this marker, signed with the site's secret key and valid as long as
a staff session (NEWSROOM["STAFF_SESSION_SECONDS"]); signing out removes it. Only a request
with a session cookie *and* a valid marker skips the cache (`articles.cache.pages.has_session`).

The marker says nothing about who is signed in and grants nothing: the desk checks the
session as ever. A forged or expired marker only means the cached page is served.
"""

from django.conf import settings
from django.core import signing

COOKIE = "newsroom_staff"
SALT = "newsroom.staff-marker"


def is_marked(request) -> bool:
    """Whether the request carries a valid, unexpired staff marker."""
    value = request.get_signed_cookie(
        COOKIE,
        default=None,
        salt=SALT,
        max_age=settings.NEWSROOM["STAFF_SESSION_SECONDS"],
    )
    return value is not None


def signed_value() -> str:
    """The marker's value, as `request.get_signed_cookie()` reads it back."""
    return signing.get_cookie_signer(salt=COOKIE + SALT).sign("1")


def mark_signed_in(sender, request, user, **kwargs):
    if request is not None and user.is_staff:
        request._staff_marker = "set"


def mark_signed_out(sender, request, user=None, **kwargs):
    if request is not None:
        request._staff_marker = "delete"


class StaffMarkerMiddleware:
    """Sets the marker on the response to a staff sign-in, and removes it on sign-out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        action = getattr(request, "_staff_marker", None)
        if action == "set":
            response.set_cookie(
                COOKIE,
                signed_value(),
                max_age=settings.NEWSROOM["STAFF_SESSION_SECONDS"],
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        elif action == "delete" or (action is None and self._orphaned(request)):
            response.delete_cookie(COOKIE, samesite="Lax")
        return response

    @staticmethod
    def _orphaned(request) -> bool:
        # A marker without a session cookie (the session ended): no longer any use.
        return COOKIE in request.COOKIES and settings.SESSION_COOKIE_NAME not in request.COOKIES


def connect_signals():
    from django.contrib.auth.signals import user_logged_in, user_logged_out

    user_logged_in.connect(mark_signed_in, dispatch_uid="staff-marker-in")
    user_logged_out.connect(mark_signed_out, dispatch_uid="staff-marker-out")
