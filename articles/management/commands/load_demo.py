import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from articles.cache import invalidate
from articles.demo.newsroom import ensure_demo_users, load_demo


class Command(BaseCommand):
    help = "Load the demo newsroom (idempotent) and print logins for the demo editor and reporter."

    def handle(self, *args, **options):
        if settings.IS_PRODUCTION:
            raise CommandError("The demo newsroom is for development; refusing in production.")
        created = load_demo()
        call_command("refresh_topic_counts", stdout=self.stdout)  # the topic index's counts
        invalidate.everything_changed()  # written in bulk, without the desk's explicit calls
        summary = ", ".join(f"{count} {name}" for name, count in created.items())
        self.stdout.write(f"Demo newsroom ready (created: {summary}).")
        # `make run PORT=...` passes the port it serves on, so the printed address works.
        port = os.environ.get("NEWSROOM_PORT", "8000")
        self.stdout.write(self.style.SUCCESS(f"\n  Admin:    http://127.0.0.1:{port}/admin/"))
        for role, username, password in ensure_demo_users():
            self.stdout.write(
                self.style.SUCCESS(f"\n  {role}\n  Username: {username}\n  Password: {password}")
            )
        self.stdout.write("")
