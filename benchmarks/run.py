"""Load-test the public site under gunicorn with wrk, uncached and cached, against a floor.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench \
        .venv/bin/python benchmarks/run.py --duration 10 --connections 16

Needs an archive in that database (`manage.py generate_newsroom --stories N`), Redis on
127.0.0.1:6379 (CACHE_URL overrides) and `wrk` (Debian package `wrk`). Every request goes to
127.0.0.1 only; each wrk run is bounded by --duration. Prints a Markdown table for
docs/benchmarks.md and writes the raw figures as JSON next to it with --json.
"""

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LUA_RANDOM_PATHS = """
paths = {}
for line in io.lines("%s") do paths[#paths + 1] = line end
request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
"""


def django_targets(deep_page: int) -> dict[str, list[str]]:
    """Pick the URLs to load from the archive, the way readers reach them."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
    import django

    django.setup()
    from django.db.models import Count
    from django.urls import NoReverseMatch, reverse

    from articles.models import Article, Topic
    from articles.public.pagination import make_cursor

    published = Article.objects.published()
    bounds = published.order_by("pk").values_list("pk", flat=True)
    first, last = bounds.first(), bounds.last()
    rng = random.Random(7)
    sample = set(rng.sample(range(first, last + 1), min(3000, last - first + 1)))
    articles = [a.get_absolute_url() for a in published.filter(pk__in=sample)[:1000]]
    topic = Topic.objects.annotate(n=Count("tagged_articles")).order_by("-n").only("slug").first()
    per_page = 20
    topic_count = published.in_topic(topic).count()
    deep = min(deep_page, max(1, topic_count // per_page))
    # Readers reach page N by following "Older stories" N-1 times: start after story 20(N-1).
    boundary = published.in_topic(topic).newest_first()[(deep - 1) * per_page - 1]
    targets = {
        "floor (constant view)": ["/_floor/"],
        "home": ["/"],
        "article (random of 1,000)": articles,
        f"topic page 1 ({topic_count:,} stories)": [topic.get_absolute_url()],
        f"topic page {deep}": [f"{topic.get_absolute_url()}?before={make_cursor(boundary)}"],
    }
    for label, name, kwargs, query in [
        ("search", "articles:search", {}, "?q=minister+budget"),
        ("topic feed", "articles:topic_feed", {"slug": topic.slug}, ""),
    ]:
        try:
            targets[label] = [reverse(name, kwargs=kwargs) + query]
        except NoReverseMatch:
            pass
    return targets


def start_server(port: int, workers: int, cached: bool) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "NEWSROOM_PAGE_CACHE": "on" if cached else "off",
        "CACHE_URL": os.environ.get("CACHE_URL", "redis://127.0.0.1:6379/5"),
        "DJANGO_DEBUG": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": str(workers),
    }
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "newsroom.wsgi:application", "-c", "gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_floor/", timeout=1)
            return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def wrk(port, paths, duration, connections, threads) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        listing = Path(tmp) / "paths.txt"
        listing.write_text("\n".join(paths) + "\n")
        script = Path(tmp) / "paths.lua"
        script.write_text(LUA_RANDOM_PATHS % listing)
        # Warm up: each path once (fills the page cache and the database's own caches).
        for path in paths:
            urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30).read()
        output = subprocess.run(
            ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency",
             "-s", str(script), f"http://127.0.0.1:{port}"],
            capture_output=True, text=True, check=True, timeout=duration + 30,
        ).stdout  # fmt: skip
    return parse_wrk(output)


def to_ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def parse_wrk(output: str) -> dict:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", output, re.MULTILINE))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    return {
        "rps": rps,
        "p50_ms": to_ms(latency["50"]),
        "p99_ms": to_ms(latency["99"]),
        "errors": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--deep-page", type=int, default=500)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to the PostgreSQL archive to benchmark.")

    targets = django_targets(args.deep_page)
    results = {}
    for cached in (False, True):
        server = start_server(args.port, args.workers, cached)
        try:
            for label, paths in targets.items():
                figures = wrk(args.port, paths, args.duration, args.connections, args.threads)
                results.setdefault(label, {})["cached" if cached else "uncached"] = figures
                print(f"{'cached  ' if cached else 'uncached'} {label}: {figures}", file=sys.stderr)
        finally:
            server.terminate()
            server.wait(timeout=30)

    # Each server run measures its own floor: the ratio compares figures taken side by side.
    floor = results["floor (constant view)"]["cached"]["rps"]
    print("| Page | Uncached req/s | p50 / p99 ms | Cached req/s | p50 / p99 ms | Cached / floor |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for label, runs in results.items():
        u, c = runs["uncached"], runs["cached"]
        print(
            f"| {label} | {u['rps']:,.0f} | {u['p50_ms']:.1f} / {u['p99_ms']:.1f} "
            f"| {c['rps']:,.0f} | {c['p50_ms']:.1f} / {c['p99_ms']:.1f} | {c['rps'] / floor:.0%} |"
        )
    if any(run["errors"] for runs in results.values() for run in runs.values()):
        print("\nSome responses were errors: see the figures above.", file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
