"""Send partners' webhook deliveries as they fall due, kills first, until stopped.

Installs without a task worker run this alone: it also does the worker's periodic check for
stories that came due by themselves (`webhooks.announce_due()`), every --check seconds.
Running it beside the worker's beat is safe: the check announces each story once.
"""

import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from articles.api import webhooks


class Command(BaseCommand):
    help = "Deliver queued webhooks continuously (or once, with --once)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Send what is due, then stop.")
        parser.add_argument("--idle", type=float, default=1.0, help="Seconds to wait when idle.")
        parser.add_argument(
            "--check",
            type=float,
            default=15.0,
            help="Seconds between checks for scheduled stories and embargoes coming due.",
        )

    def handle(self, *args, once, idle, check, **options):
        self.running = True
        if not once:
            signal.signal(signal.SIGTERM, self.stop)
            signal.signal(signal.SIGINT, self.stop)
        checked_at = None
        while self.running:
            if not once:  # a worker running for days: drop connections past their age
                close_old_connections()
            if checked_at is None or time.monotonic() - checked_at >= check:
                webhooks.announce_due()
                checked_at = time.monotonic()
            sent = webhooks.deliver_due()
            if sent:
                self.stdout.write(f"Tried {sent} deliveries.")
            elif once:  # everything due has been tried (failures wait for their retry)
                break
            else:
                time.sleep(idle)

    def stop(self, *args):
        self.running = False
