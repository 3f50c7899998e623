"""The topic index's server time, in-process: median of 50 requests after 3 warm-ups.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench \\
    CACHE_URL=redis://127.0.0.1:6379/8 NEWSROOM_PAGE_CACHE=off \\
        .venv/bin/python benchmarks/topic_index.py

Runs Django's test client against `benchmarks.settings` (no server, no network), so the
figure is the view, its queries and its template. Prints the median, the spread, the
queries of one request and how many topics the page showed. Say the load (`uptime`) beside
each figure: the machine is shared.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

REQUESTS = 50


def main() -> None:
    client = Client()
    for _ in range(3):
        assert client.get("/topics/").status_code == 200
    times = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        response = client.get("/topics/")
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get("/topics/")
    shown = response.content.count(b'class="count"')
    print(
        f"topic index: median {statistics.median(times):.1f} ms "
        f"(min {min(times):.1f}, max {max(times):.1f}, {REQUESTS} requests), "
        f"{len(queries)} queries, {shown} topics shown"
    )


if __name__ == "__main__":
    main()
