"""Continuous intake: drop folders and HTTP(S) feeds, each a `WireSource`.

A drop folder: every wire file (or zip) that has stopped growing is imported, then moved to
done/ or failed/ (with `<name>.reason.txt` beside it). A restart after a crash mid-batch
imports the files still waiting again; the story identity (guid + version, or the plain
key) makes that a no-op for those already imported, so nothing is doubled.

A feed: polled every `interval` seconds with If-None-Match / If-Modified-Since; a 304
costs nothing. The body is one ninjs item or a list of them, NewsML-G2, or an Atom feed
whose entries link to items; pictures an item refers to by URL are fetched safely
(`wire/remote.py`). A failing feed backs off (interval x 2^failures, at most an
hour) and shows its state on the desk.
"""

import base64
import logging
import os
import shutil
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import timedelta
from pathlib import Path

from defusedxml import ElementTree
from django.utils import timezone

from articles.models import WireSource
from articles.wire.formats import MAX_BYTES
from articles.wire.importer import ImportResult, Outcome, WireImporter
from articles.wire.remote import RemotePictures
from articles.wire.sources import entries

logger = logging.getLogger("articles.wire")

SUFFIXES = {".txt", ".xml", ".json", ".zip"}
# A file still being written by the agency's FTP upload must not be read half-done.
SETTLE_SECONDS = 2
MAX_BACKOFF = 3600
TIMEOUT = 30
ATOM = "{http://www.w3.org/2005/Atom}"


def waiting_files(folder: Path, settle: float = SETTLE_SECONDS) -> list[Path]:
    now = time.time()
    return sorted(
        path
        for path in folder.iterdir()
        if path.is_file()
        and path.suffix.lower() in SUFFIXES
        and not path.name.startswith(".")
        and now - path.stat().st_mtime >= settle
    )


def file_away(path: Path, results: list[ImportResult]) -> Path:
    """Move a processed file to done/ or failed/ (with the reasons beside it)."""
    failed = [r for r in results if r.outcome == Outcome.FAILED]
    target = path.parent / ("failed" if failed else "done")
    target.mkdir(exist_ok=True)
    destination = target / path.name
    n = 1
    while destination.exists():  # the same name delivered again: keep both
        destination, n = target / f"{path.stem}.{n}{path.suffix}", n + 1
    if failed:
        reasons = "\n".join(f"{r.name}: {r.message}" for r in failed)
        destination.with_name(destination.name + ".reason.txt").write_text(reasons + "\n")
    shutil.move(path, destination)
    return destination


def watch_folder(source: WireSource, *, settle: float = SETTLE_SECONDS) -> list[ImportResult]:
    folder = Path(source.folder)
    if not folder.is_dir():
        raise OSError(f"no folder {folder}")
    results = []
    for path in waiting_files(folder, settle):
        # One file at a time, moved once its stories are stored: a crash leaves it waiting.
        found = list(WireImporter(format=source.format).import_all(entries([path])))
        file_away(path, found)
        results.extend(found)
    return results


def authorization(source: WireSource) -> str:
    """The Authorization header for the feed, from the environment variable it names."""
    credentials = (
        os.environ.get(source.credentials_setting, "") if source.credentials_setting else ""
    )
    if not credentials or credentials.startswith("Bearer "):
        return credentials
    return "Basic " + base64.b64encode(credentials.encode()).decode()


def fetch(url: str, source: WireSource, *, conditional: bool = False) -> bytes | None:
    """The body at `url`, or None for 304 Not Modified."""
    request = urllib.request.Request(url, headers={"User-Agent": "Newsroom wire desk"})
    if header := authorization(source):
        request.add_header("Authorization", header)
    if conditional and source.etag:
        request.add_header("If-None-Match", source.etag)
    if conditional and source.last_modified:
        request.add_header("If-Modified-Since", source.last_modified)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            body = response.read(MAX_BYTES + 1)
            if conditional:
                source.etag = response.headers.get("ETag", "")[:255]
                source.last_modified = response.headers.get("Last-Modified", "")[:100]
            return body
    except urllib.error.HTTPError as error:
        if error.code == 304:
            return None
        raise


def item_links(body: bytes) -> list[str] | None:
    """The item addresses of an Atom feed, or None when `body` is not one."""
    if b"<feed" not in body[:2048]:
        return None
    root = ElementTree.fromstring(body, forbid_dtd=True)
    links = []
    for entry in root.iter(f"{ATOM}entry"):
        for link in entry.iter(f"{ATOM}link"):
            if link.get("rel", "alternate") in ("alternate", "enclosure") and link.get("href"):
                links.append(link.get("href"))
                break
    return links


def poll_feed(source: WireSource) -> list[ImportResult]:
    body = fetch(source.url, source, conditional=True)
    if body is None:
        return []
    links = item_links(body)
    header = authorization(source)
    # Pictures an item refers to by URL are fetched from where the item came from.
    if links is None:
        files = [(source.url, lambda: body, RemotePictures(source.url, header))]
    else:
        addresses = [urllib.parse.urljoin(source.url, link) for link in links]
        files = [
            (link, lambda url=url: fetch(url, source), RemotePictures(url, header))
            for link, url in zip(links, addresses, strict=True)
        ]
    return list(WireImporter(format=source.format).import_all(files))


def run_source(source: WireSource, *, settle: float = SETTLE_SECONDS) -> list[ImportResult]:
    """Process one source now; remember how it went, backing off while it fails."""
    now = timezone.now()
    try:
        if source.kind == WireSource.Kind.FOLDER:
            results = watch_folder(source, settle=settle)
        else:
            results = poll_feed(source)
    except (OSError, ValueError, ElementTree.ParseError) as error:
        source.failures += 1
        source.last_error = str(error)[:500]
        delay = min(source.interval * 2**source.failures, MAX_BACKOFF)
        logger.warning("wire source %s failed (%sx): %s", source, source.failures, error)
        results = []
    else:
        source.failures, source.last_error, delay = 0, "", source.interval
    source.last_polled_at = now
    source.next_poll_at = now + timedelta(seconds=delay)
    source.save()
    return results


def due_sources():
    now = timezone.now()
    return [
        source
        for source in WireSource.objects.filter(active=True)
        if source.next_poll_at is None or source.next_poll_at <= now
    ]
