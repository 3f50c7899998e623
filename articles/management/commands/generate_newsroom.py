import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

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
        invalidate.everything_changed()  # written in bulk, without the desk's explicit calls
        self.stdout.write(
            self.style.SUCCESS(f"Generated {made:,} stories in {time.monotonic() - started:.1f} s.")
        )
