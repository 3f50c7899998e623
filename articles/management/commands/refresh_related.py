import time
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from articles.cache import invalidate
from articles.models import Article, refresh_related


class Command(BaseCommand):
    help = (
        "Choose related stories again for published stories (the newest first), so stories "
        "published since enter older stories' lists. Run it hourly for --days 7, or with "
        "--all after an import."
    )

    def add_arguments(self, parser):
        scope = parser.add_mutually_exclusive_group(required=True)
        scope.add_argument("--days", type=int, help="Stories published in the last N days.")
        scope.add_argument("--all", action="store_true", help="Every published story.")
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, days, batch_size, **options):
        if days is not None and days < 1:
            raise CommandError("--days must be at least 1.")
        stories = Article.objects.filter(status=Article.Status.PUBLISHED)
        if not options["all"]:
            stories = stories.filter(publish_at__gte=timezone.now() - timedelta(days=days))
        ids = list(stories.order_by("-publish_at", "-pk").values_list("pk", flat=True))
        started, rows = time.monotonic(), 0
        for start in range(0, len(ids), batch_size):
            batch = ids[start : start + batch_size]
            with transaction.atomic():
                rows += refresh_related(batch)
                # Only these stories' own pages show their related stories.
                invalidate.story_pages_changed(batch)
            self.stdout.write(f"{start + len(batch):>9,} / {len(ids):,} stories")
        self.stdout.write(
            self.style.SUCCESS(
                f"Related stories chosen for {len(ids):,} stories ({rows:,} links) "
                f"in {time.monotonic() - started:.1f} s."
            )
        )
