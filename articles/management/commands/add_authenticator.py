import io
from base64 import b32encode

import qrcode
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = (
        "Set up an authenticator app (TOTP) for a staff member and print the code to scan. "
        "How the first administrator gets one when NEWSROOM_REQUIRE_2FA is on; after that, "
        "administrators can also add them on the desk (Otp_Totp > TOTP devices)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="Authenticator app", help="e.g. 'Kim's phone'")
        parser.add_argument(
            "--replace", action="store_true", help="remove the user's other authenticators"
        )

    def handle(self, *args, username, name, replace, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user called {username!r}.")
        existing = TOTPDevice.objects.filter(user=user)
        if existing.exists() and not replace:
            raise CommandError(
                f"{username} already has an authenticator; use --replace for a new phone."
            )
        existing.delete()
        device = TOTPDevice.objects.create(user=user, name=name, confirmed=True)
        code = qrcode.QRCode(border=1)
        code.add_data(device.config_url)
        picture = io.StringIO()
        code.print_ascii(out=picture, invert=True)
        self.stdout.write(picture.getvalue())
        self.stdout.write(f"Or type this key into the app: {b32encode(device.bin_key).decode()}")
        self.stdout.write(self.style.SUCCESS(f"Authenticator set up for {username}."))
