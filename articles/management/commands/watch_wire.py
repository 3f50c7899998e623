import time

from django.core.management.base import BaseCommand

from articles.wire.watch import due_sources, run_source


class Command(BaseCommand):
    help = (
        "Watch the agencies' drop folders and poll their feeds (the wire sources set up in "
        "the desk), importing what arrives. Runs until stopped; --once for a single round."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="One round, then stop.")
        parser.add_argument(
            "--tick", type=float, default=5.0, help="Seconds between rounds (default 5)."
        )

    def handle(self, *args, once, tick, verbosity, **options):
        while True:
            for source in due_sources():
                for result in run_source(source):
                    if verbosity:
                        self.stdout.write(
                            f"{source}: {result.outcome}: {result.name}: {result.message}"
                        )
                if source.failures and verbosity:
                    self.stderr.write(f"{source}: {source.health}")
            if once:
                return
            time.sleep(tick)
