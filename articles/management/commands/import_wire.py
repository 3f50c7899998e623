from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from articles.wire.importer import ImportResult, Outcome, WireImporter
from articles.wire.sources import count, entries, wire_files


def summary(counts: Counter) -> str:
    return ", ".join(f"{outcome} {counts[outcome]}" for outcome in Outcome)


class Command(BaseCommand):
    help = (
        "Import wire stories (files, zips, or folders of .txt, .xml, .json and .zip files: "
        "plain text, NewsML-G2, NITF or ninjs) as draft articles. Importing a story "
        "again updates its draft if no editor has touched it, and otherwise leaves it alone."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="Wire files or folders.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Read every file and report what would happen; write nothing.",
        )
        parser.add_argument(
            "--progress-every",
            type=int,
            default=500,
            metavar="N",
            help="When output is not a terminal, print a progress line every N files.",
        )

    def handle(self, *args, paths, dry_run, progress_every, verbosity, **options):
        paths = wire_files(paths)
        # Read as the import reaches them: a zip of thousands is never all in memory.
        files, total = entries(paths), count(paths)
        importer = WireImporter(dry_run=dry_run)
        counts: Counter = Counter()
        interactive = self.stdout.isatty()
        for done, result in enumerate(importer.import_all(files), start=1):
            counts[result.outcome] += 1
            self.report(result, dry_run=dry_run, verbosity=verbosity, interactive=interactive)
            if verbosity and interactive:
                self.stdout.write(f"\r{done}/{total} files", ending="")
                self.stdout.flush()
            elif verbosity and progress_every > 0 and done % progress_every == 0:
                self.stdout.write(f"{done}/{total} files")
        if verbosity and interactive and total:
            self.stdout.write("")
        prefix = "Dry run (nothing written): " if dry_run else ""
        self.stdout.write(f"{prefix}{summary(counts)}")
        if counts[Outcome.FAILED]:
            raise CommandError(f"{counts[Outcome.FAILED]} of {total} files failed.")

    def report(self, result: ImportResult, *, dry_run, verbosity, interactive) -> None:
        """Failures always; each file's outcome in a dry run or with --verbosity 2."""
        failed = result.outcome == Outcome.FAILED
        outcome = f"would be {result.outcome}" if dry_run and not failed else result.outcome
        details = f"{result.message}: {result.headline}" if result.headline else result.message
        line = f"{outcome}: {result.name}: {details}"
        if not (failed or dry_run or verbosity >= 2):
            return
        if interactive:
            self.stdout.write("\r\033[K", ending="")  # clear the counter; it is redrawn after
        (self.stderr if failed else self.stdout).write(line)
