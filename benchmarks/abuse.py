"""Figures for docs/security.md: what a junk session cookie and a search flood cost.

    createdb -h 127.0.0.1 -U postgres newsroom_abuse
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_abuse \
    CACHE_URL=redis://127.0.0.1:6379/3 .venv/bin/python benchmarks/abuse.py --seconds 5

In one process through Django's WSGI handler (no network, no web server), with the page
cache on Redis: cache-hit requests per second for the home page with no cookie and with a
made-up `sessionid` (the first should not be more than 10% above the second), then distinct
searches from one address, counting 200s and 429s.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")


def rate(client, seconds: float, **extra) -> tuple[float, dict]:
    statuses: dict[str, int] = {}
    count, started = 0, time.monotonic()
    while time.monotonic() - started < seconds:
        response = client.get("/", **extra)
        state = response.get("X-Page-Cache", "none")
        statuses[state] = statuses.get(state, 0) + 1
        count += 1
    return count / (time.monotonic() - started), statuses


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--searches", type=int, default=1180)
    args = parser.parse_args()
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    from articles.models import Article

    if not Article.objects.exists():
        call_command("load_demo", verbosity=0)
    plain, junk = Client(), Client()
    junk.cookies["sessionid"] = "made-up-session-key"
    plain.get("/")
    for name, client in [("no cookie", plain), ("junk sessionid", junk), ("no cookie", plain)]:
        per_second, statuses = rate(client, args.seconds)
        print(f"{name}: {per_second:,.0f} requests/s, page cache {statuses}")
    flood = Client()
    outcome: dict[int, int] = {}
    first_429 = None
    for n in range(args.searches):
        status = flood.get("/search/", {"q": f"flood{n}"}).status_code
        outcome[status] = outcome.get(status, 0) + 1
        if status == 429 and first_429 is None:
            first_429 = n + 1
    print(
        f"{args.searches} distinct searches from one address: {outcome}; first 429 at #{first_429}"
    )


if __name__ == "__main__":
    main()
