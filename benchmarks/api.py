"""Load-test the content API under gunicorn with wrk, against the floor and the story page.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench \
        .venv/bin/python benchmarks/api.py --duration 8

Needs an archive in that database (`manage.py generate_newsroom --stories N`), Redis and
`wrk`, as benchmarks/run.py (whose server and wrk helpers it uses). Anonymous API access is
switched on for the run with a rate limit no run reaches, so the limiter is measured but never
refuses. Two comparisons, each against a figure measured by the same server:

- cached: the first page of /api/v1/stories/ (20 stories as ninjs) with the cache on,
  against the floor view (target: at least 90% of it);
- uncached: /api/v1/stories/<id>/ for --stories random published stories, cache off,
  against the same stories' pages (target: at least as fast).
"""

import argparse
import json
import os
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.run import start_server, wrk  # noqa: E402


def targets(count: int) -> tuple[list[str], list[str]]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
    import django

    django.setup()
    from articles.models import Article

    ids = list(Article.objects.published().values_list("pk", flat=True))
    chosen = random.Random(7).sample(ids, min(count, len(ids)))
    stories = Article.objects.published().filter(pk__in=chosen)
    return [f"/api/v1/stories/{pk}/" for pk in chosen], [a.get_absolute_url() for a in stories]


def measure(port, cached, runs, args) -> dict:
    server = start_server(port, args.workers, cached)
    try:  # the server is stopped whatever happens, so no gunicorn outlives the run
        return {
            name: wrk(port, paths, args.duration, args.connections, args.threads)
            for name, paths in runs.items()
        }
    finally:
        server.terminate()
        server.wait(timeout=30)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=8)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--stories", type=int, default=1000, help="random stories to load")
    parser.add_argument("--cached-only", action="store_true", help="skip the uncached pair")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    os.environ["NEWSROOM_API_ANONYMOUS"] = "on"
    os.environ["NEWSROOM_API_ANONYMOUS_RATE"] = "100000000/min"
    api_details, story_pages = targets(args.stories)
    cached = measure(
        args.port, True, {"floor": ["/_floor/"], "api list": ["/api/v1/stories/"]}, args
    )
    uncached = {}
    if not args.cached_only:
        pair = {"api story": api_details, "story page": story_pages}
        uncached = measure(args.port, False, pair, args)
    figures = {"cached": cached, "uncached": uncached}
    print("| Run | Request | req/s | p50 / p99 ms |")
    print("| --- | --- | ---: | ---: |")
    for run, rows in figures.items():
        for name, row in rows.items():
            latency = f"{row['p50_ms']:.1f} / {row['p99_ms']:.1f}"
            print(f"| {run} | {name} | {row['rps']:,.0f} | {latency} |")
    print(f"\ncached API list / floor: {cached['api list']['rps'] / cached['floor']['rps']:.0%}")
    if uncached:
        ratio = uncached["api story"]["rps"] / uncached["story page"]["rps"]
        print(f"uncached API story / story page: {ratio:.0%}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
