"""Readers under load while an editor publishes, corrects and takes down stories.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_load \
        .venv/bin/python benchmarks/load_while_publishing.py --readers 64 --duration 60

gunicorn serves the site on 127.0.0.1 with `benchmarks.settings` and the page cache on Redis
(CACHE_URL, by default redis://127.0.0.1:6379/6). An empty database is migrated and given a
small archive first (`generate_newsroom`). Then, for --duration seconds:

- --readers concurrent readers, each one request at a time on its own connection, ask for
  the home page, a topic page, the corrections page, the editor's stories and random
  archive stories;
- an editor (a separate process using the models, as the desk does) publishes a new story,
  corrects a published one, or unpublishes one of the stories it published, every
  --interval seconds, and reports the moment each change was committed.

Measured: every response's status (errors must be zero: no 5xx, no dropped connection),
and for each change, on the pages that show it, how long after the commit the first reader
saw it and how long after it a reader who asked after the commit was still shown the old
page. The page cache promises: a new or corrected story at most LOCK_SECONDS (10 s) late,
and a story taken down never shown to a request sent after the commit. Bounded: loopback
only, --duration seconds of load, one process per reader task group. Prints a summary and
writes the figures as JSON with --json.
"""

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LOCK_SECONDS = 10  # articles/cache/pages.py: how long others may get the previous copy
# A change is followed on its pages for this long after its commit; later, newer stories may
# rightly have pushed it off the home page.
FOLLOW_SECONDS = 3 * LOCK_SECONDS


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
    import django

    django.setup()


# The editor (its own process: `--editor`)


def run_editor(duration: float, interval: float, seed: int) -> None:
    """Publish, correct and unpublish stories; print one JSON line per committed change."""
    setup_django()
    from articles.models import Article, Byline, Contributor, Topic

    rng = random.Random(seed)
    topic = Topic.objects.get(slug=WATCHED_TOPIC)
    contributor = Contributor.objects.order_by("pk").first()
    published: list[Article] = []
    deadline = time.time() + duration
    number = 0
    while True:
        time.sleep(interval)
        if time.time() >= deadline:
            break  # readers stop soon: a change now could not be followed
        number += 1
        marker = f"loadmark{seed}x{number:04d}q"
        kind = "publish"
        if published and number % 3 == 2:
            kind = "correct"
        elif len(published) > 1 and number % 5 == 0:
            kind = "unpublish"
        if kind == "publish":
            article = Article.objects.create(
                headline=f"Breaking {marker}",
                slug=f"breaking-{marker}",
                dek="A story published while readers were reading.",
                body=f"<p>{marker} first paragraph.</p>",
            )
            Byline.objects.create(article=article, contributor=contributor)
            article.topics.add(topic)
            article.publish(by=None)
            published.append(article)
        elif kind == "correct":
            article = rng.choice(published)
            article.add_correction(kind="correction", text=f"Corrected: {marker}.")
        else:
            article = published.pop(rng.randrange(len(published)))
            article.refresh_from_db()
            article.unpublish(by=None, note="Load test take-down")
            marker = f"Breaking {article.headline.split()[-1]}"
        committed = time.time()  # the transition's transaction has committed by now
        event = {
            "kind": kind,
            "marker": marker,
            "committed": committed,
            "url": Article.objects.get(pk=article.pk).get_absolute_url(),
        }
        print(json.dumps(event), flush=True)


WATCHED_TOPIC = "load-desk"


# The readers


@dataclass
class Sample:
    url: str
    sent: float
    received: float
    status: int
    body: bytes


@dataclass
class Results:
    samples: list[Sample] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


async def fetch(port: int, url: str) -> tuple[int, bytes]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        request = f"GET {url} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        writer.write(request.encode())
        await writer.drain()
        raw = await reader.read()
    finally:
        writer.close()
    head, _, body = raw.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    return status, body


async def reader_task(port, deadline, urls_for, results: Results, rng: random.Random):
    while time.time() < deadline:
        url = urls_for(rng)
        sent = time.time()
        try:
            status, body = await asyncio.wait_for(fetch(port, url), timeout=30)
        except (OSError, TimeoutError, IndexError, ValueError) as error:
            results.failures.append(f"{url}: {type(error).__name__} {error}")
            await asyncio.sleep(0.1)  # a reader who got no page waits a moment, as people do
            continue
        received = time.time()
        results.samples.append(Sample(url, sent, received, status, body))


async def read_events(process, events: list[dict]):
    while line := await process.stdout.readline():
        events.append(json.loads(line))


async def run_load(args, archive_urls: list[str]) -> tuple[Results, list[dict]]:
    results = Results()
    events: list[dict] = []
    fixed = ["/", f"/topics/{WATCHED_TOPIC}/", "/corrections/"]

    def urls_for(rng: random.Random) -> str:
        roll = rng.random()
        if roll < 0.55:
            return rng.choice(fixed)
        if roll < 0.85 and events:
            return rng.choice(events[-6:])["url"]
        return rng.choice(archive_urls)

    editor = await asyncio.create_subprocess_exec(
        sys.executable,
        __file__,
        "--editor",
        "--duration",
        str(args.duration - 2),
        "--interval",
        str(args.interval),
        stdout=asyncio.subprocess.PIPE,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "benchmarks.settings", **cache_env(args)},
    )
    deadline = time.time() + args.duration
    rngs = [random.Random(n) for n in range(args.readers)]
    await asyncio.gather(
        read_events(editor, events),
        *(reader_task(args.port, deadline, urls_for, results, rng) for rng in rngs),
    )
    await editor.wait()
    return results, events


# Analysis


def watched_urls(event) -> list[str]:
    if event["kind"] == "publish":
        return ["/", f"/topics/{WATCHED_TOPIC}/"]
    if event["kind"] == "correct":
        return [event["url"], "/corrections/"]
    return ["/", f"/topics/{WATCHED_TOPIC}/", event["url"]]


def analyse(results: Results, events: list[dict]) -> dict:
    by_url: dict[str, list[Sample]] = {}
    for sample in results.samples:
        by_url.setdefault(sample.url, []).append(sample)
    server_errors = [s for s in results.samples if s.status >= 500]
    unexpected = [
        s
        for s in results.samples
        if s.status not in (200, 301, 302, 304, 404)
        or (s.status == 404 and not s.url.startswith("/articles/"))
    ]
    appear, stale, takedown_leaks = [], [], []
    per_event = []
    taken_down = {e["url"]: e["committed"] for e in events if e["kind"] == "unpublish"}
    for event in events:
        marker = event["marker"].encode()
        committed = event["committed"]
        # Followed for FOLLOW_SECONDS, and only in answers that were complete before a later
        # take-down of the same story rightly removed it again.
        removed = taken_down.get(event["url"], float("inf"))
        if event["kind"] == "unpublish" or removed < committed:
            removed = float("inf")
        first_seen, last_stale = None, 0.0
        for url in watched_urls(event):
            for sample in by_url.get(url, []):
                if sample.sent > committed + FOLLOW_SECONDS or sample.received > removed:
                    continue
                if sample.status != 200 and event["kind"] != "unpublish":
                    continue
                shows = marker in sample.body
                if event["kind"] == "unpublish":
                    if shows and sample.sent > committed:
                        takedown_leaks.append(f"{url} {sample.sent - committed:.3f} s after")
                    continue
                if shows and sample.received >= committed:
                    delay = sample.received - committed
                    first_seen = delay if first_seen is None else min(first_seen, delay)
                if not shows and sample.sent > committed:
                    last_stale = max(last_stale, sample.received - committed)
        if event["kind"] != "unpublish":
            if first_seen is not None:
                appear.append(first_seen)
            stale.append(last_stale)
        per_event.append(
            {**event, "first_seen_after": first_seen, "stale_until": round(last_stale, 3)}
        )
    latencies = sorted(s.received - s.sent for s in results.samples)
    statuses = Counter(
        f"{'/articles/…' if s.url.startswith('/articles/') else s.url} {s.status}"
        for s in results.samples
    )
    return {
        "requests": len(results.samples),
        "latency_p50_ms": round(1000 * statistics.median(latencies), 1) if latencies else None,
        "latency_p99_ms": round(1000 * latencies[int(len(latencies) * 0.99)], 1)
        if latencies
        else None,
        "server_errors": len(server_errors),
        "connection_failures": len(results.failures),
        "unexpected_statuses": len(unexpected),
        "statuses": dict(sorted(statuses.items())),
        "changes": {
            kind: sum(e["kind"] == kind for e in events)
            for kind in ("publish", "correct", "unpublish")
        },
        "visible_after_s_max": round(max(appear), 3) if appear else None,
        "visible_after_s_median": round(statistics.median(appear), 3) if appear else None,
        "stale_after_commit_s_max": round(max(stale), 3) if stale else None,
        "changes_never_seen": sum(
            e["first_seen_after"] is None for e in per_event if e["kind"] != "unpublish"
        ),
        "takedown_leaks": len(takedown_leaks),
        "takedown_leaks_sample": takedown_leaks[:5],
        "events": per_event,
        "failures_sample": results.failures[:5],
    }


# Setup


def cache_env(args) -> dict:
    return {
        "CACHE_URL": os.environ.get("CACHE_URL", "redis://127.0.0.1:6379/6"),
        "CACHE_KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "load-while-publishing"),
    }


def prepare_database(stories: int) -> list[str]:
    """Migrate, add an archive if there is none, and return a sample of story addresses."""
    setup_django()
    from django.core.management import call_command

    from articles.models import Article, Topic

    call_command("migrate", verbosity=0)
    if not Article.objects.exists():
        call_command("generate_newsroom", stories=stories, topics=300, photos=20, verbosity=0)
    Topic.objects.get_or_create(slug=WATCHED_TOPIC, defaults={"name": "Load desk"})
    return [a.get_absolute_url() for a in Article.objects.published().order_by("?")[:300]]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(args) -> subprocess.Popen:
    env = {
        **os.environ,
        **cache_env(args),
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "NEWSROOM_PAGE_CACHE": "on",
        "DJANGO_DEBUG": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "GUNICORN_BIND": f"127.0.0.1:{args.port}",
        "GUNICORN_WORKERS": str(args.workers),
    }
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "newsroom.wsgi:application",
            "-c",
            "gunicorn.conf.py",
            # gunicorn's control socket has one default path per user: other gunicorns on
            # the machine would share it, and could manage this one through it.
            "--no-control-socket",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(args.server_log, "w") if args.server_log else subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{args.port}/_floor/", timeout=1)
        except OSError:
            time.sleep(0.1)
            continue
        if server.poll() is not None:
            # Something else answered: another server already held the port.
            raise SystemExit(f"Port {args.port} is taken by another server.")
        return server
    server.terminate()
    raise SystemExit("gunicorn did not start")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=64)
    parser.add_argument("--duration", type=int, default=60, help="seconds of load")
    parser.add_argument("--interval", type=float, default=3.0, help="seconds between changes")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--port", type=int, default=0, help="default: any free port")
    parser.add_argument("--stories", type=int, default=2000, help="archive size if empty")
    parser.add_argument("--seed", type=int, default=int(time.time()) % 100_000)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--server-log", type=Path, help="keep gunicorn's error log here")
    parser.add_argument("--editor", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.editor:
        run_editor(args.duration, args.interval, args.seed)
        return
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database for the load test.")
    os.environ.update(cache_env(args))
    args.port = args.port or free_port()
    archive = prepare_database(args.stories)
    load_before = os.getloadavg()
    server = start_server(args)
    try:
        started = time.time()
        results, events = asyncio.run(run_load(args, archive))
        elapsed = time.time() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
    figures = analyse(results, events)
    figures["requests_per_second"] = round(figures["requests"] / elapsed, 1)
    figures["load_average_before"] = [round(value, 2) for value in load_before]
    figures["load_average_after"] = [round(value, 2) for value in os.getloadavg()]
    summary = {key: value for key, value in figures.items() if key != "events"}
    print(json.dumps(summary, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    ok = (
        figures["server_errors"] == 0
        and figures["connection_failures"] == 0
        and figures["takedown_leaks"] == 0
        and figures["changes_never_seen"] == 0
        and (figures["stale_after_commit_s_max"] or 0) <= LOCK_SECONDS
    )
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
