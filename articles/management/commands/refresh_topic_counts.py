import time
from contextlib import contextmanager

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from articles.cache import invalidate
from articles.cache import keys as page_keys
from articles.models import Topic


class Command(BaseCommand):
    help = (
        "Count again the stories readers can see in every topic (the counts the topic index "
        "shows). The desk keeps them as editors work; run this after writing stories in bulk "
        "(an import, a script), or to check them: it reports how many were wrong."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, batch_size, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        started = time.monotonic()
        progress = self.stdout.write if options["verbosity"] > 1 else None
        fixed = refresh_all(batch_size, progress=progress)
        if fixed:
            # The index is cached by its own key (articles/cache/keys.py).
            invalidate.pages_changed([page_keys.TOPIC_INDEX])
        self.stdout.write(
            self.style.SUCCESS(
                f"Topic counts refreshed in {time.monotonic() - started:.1f} s ({fixed:,} changed)."
            )
        )


def refresh_all(batch_size: int = 500, progress=None) -> int:
    """Recount every topic, `batch_size` at a time (one short transaction each, so the
    desk is never held up); returns how many counts changed."""
    ids = list(Topic.objects.order_by("pk").values_list("pk", flat=True))
    fixed = 0
    with no_statement_timeout():
        for start in range(0, len(ids), batch_size):
            batch = Topic.objects.filter(pk__in=ids[start : start + batch_size])
            before = dict(batch.values_list("pk", "published_count"))
            batch.recount()
            after = dict(batch.values_list("pk", "published_count"))
            fixed += sum(1 for pk, count in after.items() if before.get(pk) != count)
            if progress:
                progress(f"{min(start + batch_size, len(ids)):>7,} / {len(ids):,} topics")
    return fixed


@contextmanager
def no_statement_timeout():
    """Lift the site's statement timeout (docs/security.md) while the counts are refreshed.

    Topics are far from equal (at 100,000 stories the largest holds 48,000, most a few
    dozen), so a batch holding the largest runs for seconds on a busy machine; a refresh cut
    off half-way, or a migration failing after its new column, helps nobody.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        (before,) = cursor.fetchone()
        cursor.execute("SET statement_timeout = 0")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('statement_timeout', %s, false)", [before])
