import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from articles.cache import invalidate
from articles.demo.archive import ArchiveGenerator


class Command(BaseCommand):
    help = "Generate a realistic archive of N stories (for benchmarks and scale checks)."

    def add_arguments(self, parser):
        parser.add_argument("--stories", type=int, required=True)
        parser.add_argument("--topics", type=int, default=3000)
        parser.add_argument("--contributors", type=int, default=300)
        parser.add_argument("--photos", type=int, default=200)
        parser.add_argument("--batch-size", type=int, default=2000)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, stories, topics, contributors, photos, batch_size, seed, **options):
        if settings.IS_PRODUCTION:
            raise CommandError("Generated archives are for benchmarks; refusing in production.")
        if min(stories, topics, contributors, photos, batch_size) < 1:
            raise CommandError("Every count must be at least 1.")
        if connection.vendor == "postgresql":
            # The site's statement timeout guards readers' requests; a batch of thousands of
            # stories on a busy machine can outlast it, and a half-generated archive helps nobody.
            with connection.cursor() as cursor:
                cursor.execute("SET statement_timeout = 0")
        started = time.monotonic()
        interactive = sys.stdout.isatty()

        def progress(done, total):
            rate = done / max(time.monotonic() - started, 1e-6)
            line = f"{done:>9,} / {total:,} stories  ({rate:,.0f}/s)"
            if interactive:
                self.stdout.write(f"\r{line}", ending="")
            else:
                self.stdout.write(line)

        made = ArchiveGenerator(
            stories=stories,
            topics=topics,
            contributors=contributors,
            photos=photos,
            batch_size=batch_size,
            seed=seed,
            progress=progress,
        ).run_all()
        if interactive:
            self.stdout.write("")
        if connection.vendor == "postgresql":
            # Fresh statistics, or the planner guesses a few rows where there are thousands
            # and walks a whole topic instead of the newest-stories index.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        call_command("refresh_topic_counts", stdout=self.stdout)  # the topic index's counts
        invalidate.everything_changed()  # written in bulk, without the desk's explicit calls
        self.stdout.write(
            self.style.SUCCESS(f"Generated {made:,} stories in {time.monotonic() - started:.1f} s.")
        )
