"""Staff sign-in: authenticator codes, the address throttling counts, and session length.

Django checks the password, django-axes counts failures (settings.AXES_*) and django-otp
checks codes from an authenticator app. A second factor is optional unless
NEWSROOM["REQUIRE_TWO_FACTOR"] is on: whoever has set up an authenticator is always asked
for its code; with the setting on, every staff member is, and one without an authenticator
cannot sign in until an administrator sets one up (`manage.py add_authenticator`).
"""

import logging

from axes.models import AccessAttempt
from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import timezone
from django_otp import devices_for_user
from django_otp.forms import OTPAuthenticationFormMixin
from django_otp.plugins.otp_static.models import StaticDevice

logger = logging.getLogger(__name__)


def two_factor_required() -> bool:
    """Whether every staff member needs an authenticator code."""
    return settings.NEWSROOM["REQUIRE_TWO_FACTOR"]


def two_factor_required_for(user) -> bool:
    """Whether `user` needs an authenticator code: everyone with REQUIRE_TWO_FACTOR, else
    superusers and members of NEWSROOM["TWO_FACTOR_ROLES"] (Editors and Administrators in
    production)."""
    if two_factor_required():
        return True
    roles = settings.NEWSROOM["TWO_FACTOR_ROLES"]
    if not roles or not user.is_authenticated:
        return False
    return user.is_superuser or user.groups.filter(name__in=roles).exists()


def client_ip(request) -> str | None:
    """The address a sign-in came from, as the site's own trusted proxies report it.

    Behind N proxies (NEWSROOM_TRUSTED_PROXIES), each appends the address it was reached
    from to X-Forwarded-For, so the Nth entry from the right is the one a client cannot
    forge; entries further left are whatever the client sent.
    """
    proxies = settings.NEWSROOM_TRUSTED_PROXIES
    if proxies:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [address.strip() for address in forwarded.split(",") if address.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR")


def username_locked(username: str | None) -> bool:
    """Whether `username` had NEWSROOM_LOGIN_USERNAME_FAILURE_LIMIT failed sign-ins within the
    cool-off, from any number of addresses (django-axes counts each address on its own)."""
    if not username:
        return False
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    failures = AccessAttempt.objects.filter(username=username, attempt_time__gte=since).aggregate(
        total=Sum("failures_since_start")
    )["total"]
    return (failures or 0) >= settings.NEWSROOM_USERNAME_FAILURE_LIMIT


def log_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    """django-axes locked a username out from one address."""
    logger.warning("Sign-in locked: username %r from %s.", username, ip_address)


def device_for_code(devices, code: str):
    """The device a typed code is for: digits are an app's, anything else a backup code."""
    backup = [d for d in devices if isinstance(d, StaticDevice)]
    apps = [d for d in devices if not isinstance(d, StaticDevice)]
    candidates = apps if code.strip().isdigit() or not backup else backup
    return candidates[0] if len(candidates) == 1 else None


class StaffSignInForm(OTPAuthenticationFormMixin, AdminAuthenticationForm):
    """The desk's sign-in form: username, password and, where needed, an authenticator code."""

    otp_device = forms.CharField(required=False, widget=forms.Select, label="Authenticator")
    otp_token = forms.CharField(
        required=False,
        label="Authenticator code",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "aria-describedby": "otp-token-help",
            }
        ),
    )
    # Named by django-otp's form mixin; authenticator apps never need a challenge.
    otp_challenge = forms.CharField(required=False)

    otp_error_messages = {
        **OTPAuthenticationFormMixin.otp_error_messages,
        "token_required": "Enter the six-digit code your authenticator app shows.",
        "invalid_token": "That code is not right or has expired. Enter the current one.",
        "device_required": "Choose the authenticator you are using.",
    }
    no_device_message = (
        "Staff sign-in needs an authenticator app, and this account has none yet. Ask an "
        "administrator to set one up."
    )

    locked_message = (
        "There were too many failed attempts to sign in as this user. Sign in with your "
        "authenticator code, try again later, or ask an administrator to unlock the account."
    )

    def clean(self):
        username = self.cleaned_data.get("username")
        if username_locked(username):
            return self.clean_while_locked(username)
        return self.clean_credentials()

    def clean_credentials(self):
        """The password, then the authenticator code where the account has or needs one."""
        cleaned_data = super().clean()
        user = self.get_user()
        devices = list(devices_for_user(user)) if user else []
        if not devices:
            if user and two_factor_required_for(user):
                raise ValidationError(self.no_device_message, code="no_device")
            return cleaned_data
        if not cleaned_data.get("otp_device"):
            # Nothing to choose: the code says which it is (six digits from the app, or a
            # backup code), so the form does not ask.
            device = device_for_code(devices, cleaned_data.get("otp_token") or "")
            if device is not None:
                cleaned_data["otp_device"] = device.persistent_id
        self.clean_otp(user)
        return cleaned_data

    def clean_while_locked(self, username: str):
        """While a username is locked, only its password *and* a current authenticator code
        get in: guessing passwords cannot supply the code.

        Every other attempt gets one answer, the same page whatever the account: whether it
        exists, has an authenticator, or the password was right. Otherwise a guesser would
        learn from a locked account's answers which accounts have a second factor (and,
        from a password error against one, which passwords are wrong).
        """
        try:
            cleaned_data = self.clean_credentials()
        except ValidationError:
            cleaned_data = None
        user = self.get_user()
        if cleaned_data is not None and getattr(user, "otp_device", None) is not None:
            return cleaned_data
        logger.warning(
            "Sign-in refused: username %r is locked after failures from many addresses "
            "(last from %s).",
            username,
            client_ip(self.request) if self.request else "?",
        )
        # django-otp fills in the account's devices and keeps the typed password once the
        # password was right: neither may show on the locked page.
        self.user_cache = None
        self.fields["otp_device"].widget.choices = []
        self.fields["password"].widget.render_value = False
        raise ValidationError(self.locked_message, code="username_locked")


def limit_staff_session(sender, request, user, **kwargs):
    """Staff sessions end after NEWSROOM["STAFF_SESSION_SECONDS"], not Django's two weeks.

    A desk login left open on a shared or stolen laptop is the easiest way into the CMS.
    """
    if user.is_staff and request is not None and hasattr(request, "session"):
        request.session.set_expiry(settings.NEWSROOM["STAFF_SESSION_SECONDS"])


def connect_signals():
    from axes.signals import user_locked_out
    from django.contrib.auth.signals import user_logged_in

    user_logged_in.connect(limit_staff_session, dispatch_uid="signin-staff-session")
    user_locked_out.connect(log_lockout, dispatch_uid="signin-log-lockout")
