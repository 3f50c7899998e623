from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.wire.importer import ImportResult, Outcome, WireImporter


def wire_files(paths: list[str]) -> list[Path]:
    """The files to import: each file named, and every *.txt under each folder named."""
    files = []
    for given in map(Path, paths):
        if given.is_dir():
            files.extend(
                sorted(
                    path
                    for path in given.rglob("*")
                    # Dot files are editor and OS leftovers (._story.txt from macOS), not copy.
                    if path.suffix.lower() == ".txt"
                    and path.is_file()
                    and not path.name.startswith(".")
                )
            )
        else:
            files.append(given)  # a missing file is reported as failed, with the others
    return files


def summary(counts: Counter) -> str:
    return ", ".join(f"{outcome} {counts[outcome]}" for outcome in Outcome)


class Command(BaseCommand):
    help = (
        "Import wire stories (files, or folders of *.txt) as draft articles. Importing a story "
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
        files = wire_files(paths)
        importer = WireImporter(dry_run=dry_run)
        counts: Counter = Counter()
        interactive = self.stdout.isatty()
        for done, result in enumerate(importer.import_paths(files), start=1):
            counts[result.outcome] += 1
            self.report(result, dry_run=dry_run, verbosity=verbosity, interactive=interactive)
            if verbosity and interactive:
                self.stdout.write(f"\r{done}/{len(files)} files", ending="")
                self.stdout.flush()
            elif verbosity and progress_every > 0 and done % progress_every == 0:
                self.stdout.write(f"{done}/{len(files)} files")
        if verbosity and interactive and files:
            self.stdout.write("")
        prefix = "Dry run (nothing written): " if dry_run else ""
        self.stdout.write(f"{prefix}{summary(counts)}")
        if counts[Outcome.FAILED]:
            raise CommandError(f"{counts[Outcome.FAILED]} of {len(files)} files failed.")

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
