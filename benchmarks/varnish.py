"""Varnish in front of gunicorn: cached article vs a static 50 KB page, and purge-to-fresh latency.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench \
        .venv/bin/python benchmarks/varnish.py --duration 8 --rounds 100

Needs an archive with published stories in that database (`manage.py load_demo` is enough),
Redis on 127.0.0.1:6379 (CACHE_URL overrides; db 11 by default), `wrk`, and Varnish with vmod
xkey (scripts/install-scale-tools). Starts gunicorn (benchmarks.settings) and varnishd with
deploy/varnish/default.vcl on free loopback ports and stops them afterwards.

Purge-to-fresh: the time from the purge request leaving the app to the first response through
Varnish that shows the change: an edited headline (a publish of new copy) or a 404 (a kill).
"""

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
os.environ.setdefault("CACHE_URL", "redis://127.0.0.1:6379/11")

from benchmarks.run import wrk  # noqa: E402
from tests.support.services import free_port, running, varnish  # noqa: E402


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


def until(check, limit: float = 10.0) -> float:
    start = time.perf_counter()
    while not check():
        if time.perf_counter() - start > limit:
            raise SystemExit(f"not fresh within {limit} s")
    return time.perf_counter() - start


def summary(samples: list[float]) -> str:
    ms = [sample * 1000 for sample in samples]
    return f"median {statistics.median(ms):.1f} ms, max {max(ms):.1f} ms over {len(ms)}"


def purge_rounds(front: str, rounds: int) -> dict[str, list[float]]:
    import django

    django.setup()
    from articles.cache import purge
    from articles.models import Article

    settings = purge.settings
    settings.NEWSROOM_PURGE = {"BACKEND": "varnish", "VARNISH_URLS": [front]}
    story = Article.objects.published().filter(bylines__isnull=False).first()
    key = f"slug-{story.slug}"
    url = f"{front}{story.get_absolute_url()}"
    edits, kills = [], []
    for number in range(rounds):
        fetch(url)
        story.headline = f"{story.headline.split(' #')[0]} #{number}"
        story.save(update_fields=["headline", "updated_at"])
        start = time.perf_counter()
        purge.purge_keys([key])
        until(lambda n=number: re.search(rf"#{n}\b", fetch(url)[1]))
        edits.append(time.perf_counter() - start)

        story.kill(by=None, reason="Benchmark")
        start = time.perf_counter()
        purge.purge_keys([key])
        until(lambda: fetch(url)[0] == 404)
        kills.append(time.perf_counter() - start)
        story.restore(by=None)
        story.publish(by=None)
        purge.purge_keys([key])
        until(lambda: fetch(url)[0] == 200)
    return {"edit": edits, "kill": kills}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=8)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--rounds", type=int, default=100)
    options = parser.parse_args()

    port = free_port()
    env = {**os.environ, "GUNICORN_BIND": f"127.0.0.1:{port}"}
    env["GUNICORN_WORKERS"] = str(options.workers)
    command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "newsroom.wsgi"]
    with tempfile.TemporaryDirectory() as tmp:
        with (
            running(command, f"http://127.0.0.1:{port}/healthz", env=env, log=Path(tmp) / "g.log"),
            varnish(Path(tmp), [port]) as front,
        ):
            import django

            django.setup()
            from articles.models import Article

            story = Article.objects.published().filter(bylines__isnull=False).first()
            front_port = int(front.rsplit(":", 1)[1])
            figures = {
                "static 50 KB page": wrk(
                    front_port, ["/_static50k/"], options.duration, options.connections,
                    options.threads,
                ),
                "cached article": wrk(
                    front_port, [story.get_absolute_url()], options.duration,
                    options.connections, options.threads,
                ),
            }  # fmt: skip
            print("| Through Varnish | req/s | p50 / p99 ms |\n| --- | ---: | ---: |")
            for name, result in figures.items():
                latency = f"{result['p50_ms']:.2f} / {result['p99_ms']:.1f}"
                print(f"| {name} | {result['rps']:,.0f} | {latency} |")
            ratio = figures["cached article"]["rps"] / figures["static 50 KB page"]["rps"]
            print(f"\nCached article / static page: {ratio:.0%}")
            rounds = purge_rounds(front, options.rounds)
            print(f"Purge to fresh after an edit: {summary(rounds['edit'])}")
            print(f"Purge to gone after a kill: {summary(rounds['kill'])}")
    print("Load average (1, 5, 15 min): {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
