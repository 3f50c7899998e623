"""Copy media from a local folder into the bucket, for a site moving to object storage.

Originals go to the private store, renditions (under IMAGEKIT_CACHEFILE_DIR) to the public
one, each under the name the database already holds, so no row changes. Resumable: a file
already in the bucket with the same size is skipped, so an interrupted run is simply run again.
"""

from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, storages
from django.core.management.base import BaseCommand, CommandError

from articles.media.uploads import STORAGE_ERRORS


class Command(BaseCommand):
    help = "Copy local media into the S3 bucket (resumable; --dry-run lists what would be copied)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--source", default=str(settings.MEDIA_ROOT), help="The local media folder."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be copied; copy nothing."
        )

    def handle(self, *args, source, dry_run, **options):
        if isinstance(storages["default"], FileSystemStorage):
            raise CommandError("Media are stored locally: set AWS_STORAGE_BUCKET_NAME first.")
        root = Path(source)
        if not root.is_dir():
            raise CommandError(f"{root} is not a folder.")
        files = sorted(path for path in root.rglob("*") if path.is_file())
        total = len(files)
        counts = {"copied": 0, "skipped": 0, "failed": 0}
        renditions_prefix = f"{settings.IMAGEKIT_CACHEFILE_DIR}/"
        for number, path in enumerate(files, 1):
            name = path.relative_to(root).as_posix()
            alias = "renditions" if name.startswith(renditions_prefix) else "default"
            outcome = self.copy(storages[alias], path, name, dry_run)
            counts[outcome] += 1
            if options["verbosity"] > 1 or outcome == "failed" or number % 100 == 0:
                self.stdout.write(f"[{number}/{total}] {outcome}: {name}")
        verb = "Would copy" if dry_run else "Copied"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {counts['copied']} of {total} files; {counts['skipped']} already in "
                f"the bucket; {counts['failed']} failed."
            )
        )
        if counts["failed"]:
            raise CommandError("Some files were not copied: run the command again to resume.")

    def copy(self, storage, path: Path, name: str, dry_run: bool) -> str:
        try:
            if storage.exists(name) and storage.size(name) == path.stat().st_size:
                return "skipped"
            if dry_run:
                return "copied"
            if storage.exists(name):
                storage.delete(name)  # a different file under the name: the local one wins
            with path.open("rb") as file:
                stored = storage.save(name, File(file, name=name))
            if stored != name:
                raise OSError(f"stored as {stored} instead")
        except STORAGE_ERRORS as error:
            self.stderr.write(f"Could not copy {name}: {error}")
            return "failed"
        return "copied"
