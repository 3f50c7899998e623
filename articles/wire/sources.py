"""Where wire files come from on disk: files, folders and zips, as (name, read) pairs.

A zip is read member by member and never extracted: a member whose name climbs out of the
archive (`../`, an absolute path) is refused by name, and so is one that would inflate past
the size any wire file may have, or past a sane ratio (a zip bomb), before it is inflated.
"""

import zipfile
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path, PurePosixPath

from django.conf import settings

from articles.wire.formats import MAX_BYTES

SUFFIXES = {".txt", ".xml", ".json", ".zip"}
# Text compresses well, but not a thousand to one.
MAX_RATIO = 200
MAX_MEMBERS = 10_000

Entry = tuple[str, Callable[[], bytes]]


class Refused(OSError):
    """A file that is refused before it is read; its `strerror` says why."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.strerror = reason


class ReferenceRefused(Refused):
    """A picture reference the story's delivery may not lead to (a folder climbed, a URL
    for a file, a private address for a feed)."""


def safe_href(href: str) -> str:
    """A file name beside the story: no folders climbed, no URLs followed."""
    path = PurePosixPath(href.replace("\\", "/"))
    if "://" in href or path.is_absolute() or ".." in path.parts or not path.name:
        raise ReferenceRefused("not a file beside the story")
    return str(path)


def read_path(path: Path) -> bytes:
    with path.open("rb") as file:
        return file.read(MAX_BYTES + 1)


def wire_files(paths: list[str]) -> list[Path]:
    """Each file named, and every wire file (.txt, .xml, .json, .zip) under each folder named."""
    files = []
    for given in map(Path, paths):
        if given.is_dir():
            files.extend(
                sorted(
                    path
                    for path in given.rglob("*")
                    # Dot files are editor and OS leftovers (._story.txt from macOS), not copy.
                    if path.suffix.lower() in SUFFIXES
                    and path.is_file()
                    and not path.name.startswith(".")
                )
            )
        else:
            files.append(given)  # a missing file is reported as failed, with the others
    return files


def entries(paths: list[Path]) -> Iterator[Entry]:
    """(name, read, sibling) for each wire file; `sibling(href)` reads a file delivered
    beside it (a picture), from its folder or its zip."""
    for path in paths:
        if path.is_file() and zipfile.is_zipfile(path):
            yield from zip_entries(path)
        else:
            yield str(path), lambda path=path: read_path(path), partial(beside, path.parent)


def beside(folder: Path, href: str) -> bytes:
    with (folder / safe_href(href)).open("rb") as file:
        return file.read(settings.NEWSROOM["UPLOAD_MAX_BYTES"] + 1)


def in_zip(archive_path: Path, href: str) -> bytes:
    href = safe_href(href)
    with zipfile.ZipFile(archive_path) as archive:
        try:
            member = archive.getinfo(href)
        except KeyError:
            raise Refused(f"no {href} in the zip") from None
        if member.file_size > settings.NEWSROOM["UPLOAD_MAX_BYTES"]:
            raise Refused(f"{href} is larger than a picture may be")
        with archive.open(member) as file:
            return file.read(settings.NEWSROOM["UPLOAD_MAX_BYTES"] + 1)


def count(paths: list[Path]) -> int:
    """How many entries `entries(paths)` yields, without reading any of them."""
    total = 0
    for path in paths:
        try:
            with zipfile.ZipFile(path) as archive:
                total += sum(1 for member in archive.infolist() if counts(member)) or 1
        except (zipfile.BadZipFile, OSError):
            total += 1
    return total


def counts(member: zipfile.ZipInfo) -> bool:
    suffix = PurePosixPath(member.filename).suffix.lower()
    return not member.is_dir() and (suffix in SUFFIXES - {".zip"} or ".." in member.filename)


def zip_entries(path: Path) -> Iterator[Entry]:
    """Each wire file in the zip, read as it is reached: a batch holds a chunk at a time."""
    name = str(path)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        yield name, refuse(f"not a readable zip ({error})")
        return
    with archive:
        members = [m for m in archive.infolist() if counts(m)]
        if len(members) > MAX_MEMBERS:
            yield name, refuse(f"{len(members)} files in one zip (at most {MAX_MEMBERS})")
            return
        for member in members:
            member_name = f"{name}/{member.filename}"
            parts = PurePosixPath(member.filename.replace("\\", "/")).parts
            if member.filename.startswith(("/", "\\")) or ".." in parts or ":" in parts[0]:
                yield member_name, refuse("refused: the name leads out of the zip")
            elif member.file_size > MAX_BYTES:
                yield (
                    member_name,
                    refuse(
                        f"refused: inflates to {member.file_size // 1024} KB "
                        f"(a wire file is at most {MAX_BYTES // 1024} KB)"
                    ),
                )
            elif member.compress_size and member.file_size / member.compress_size > MAX_RATIO:
                yield member_name, refuse("refused: compressed too well to be text (a zip bomb)")
            else:
                data = read_member(archive, member)
                yield member_name, lambda data=data: data, partial(in_zip, path)


def read_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bytes:
    """At most one byte past the limit, whatever the header claims."""
    try:
        with archive.open(member) as file:
            return file.read(MAX_BYTES + 1)
    except (zipfile.BadZipFile, OSError, RuntimeError, EOFError) as error:
        reason = f"cannot be read from the zip ({error})"
        return refuse(reason)()


def refuse(reason: str) -> Callable[[], bytes]:
    def read() -> bytes:
        raise Refused(reason)

    return read
