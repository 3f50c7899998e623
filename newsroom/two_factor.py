"""A desk page where staff set up their own authenticator app and get one-time backup codes.

Setting up: the page shows a QR code (and the key) for a new, unconfirmed TOTP device; the
first correct code confirms it, marks the session verified and shows ten backup codes,
once. With an authenticator already set up, the page needs a session verified by it, and
offers new backup codes (the old ones stop working). A lost phone without backup codes is
for an administrator: `manage.py add_authenticator <username> --replace`.
"""

from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.contrib import admin, messages
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

BACKUP_CODES = 10


def qr_svg(text: str) -> str:
    """An inline SVG QR code: no script, no request to anywhere."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    return image.to_string(encoding="unicode")


def new_backup_codes(user) -> list[str]:
    """Ten fresh one-time codes for `user`; any earlier ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Backup codes")
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def page(request, **context):
    return render(
        request,
        "admin/two_factor.html",
        {**admin.site.each_context(request), "title": "Two-factor sign-in", **context},
    )


def two_factor_view(request):
    user = request.user
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        if not user.is_verified():
            return page(request, needs_verified_session=True)
        if request.method == "POST" and "new_backup_codes" in request.POST:
            return page(request, enrolled=True, backup_codes=new_backup_codes(user))
        return page(request, enrolled=True)
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    error = None
    if request.method == "POST":
        token = request.POST.get("otp_token", "").strip()
        if token and device.verify_token(token):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, "Your authenticator is set up.")
            return page(request, enrolled=True, backup_codes=new_backup_codes(user))
        error = "That code is not right or has expired. Enter the current one."
    return page(
        request,
        qr_code=mark_safe(qr_svg(device.config_url)),  # generated here, holds no user text
        key=b32encode(device.bin_key).decode(),
        error=error,
    )
