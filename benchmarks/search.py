"""Search speed on a large archive (PostgreSQL full-text search).

    createdb -h 127.0.0.1 -U postgres readers_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/readers_bench \
        .venv/bin/python benchmarks/search.py --stories 100000

Fills the database up to `--stories` published stories (bulk inserts, a few minutes for
100k; re-runs reuse them), then times each query in QUERIES the way the search page runs
it: the result count plus the first page of 20 with ranks, snippets and listing data.
Prints p50 and p95 in milliseconds for each query and over all of them.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from articles.demo.newsroom import DEMO_FILE  # noqa: E402
from articles.models import Article, Section  # noqa: E402

PAGE_SIZE = 20
BATCH = 2000
# Real words of every frequency, two-word and phrase queries, operators, a miss, Korean;
# plus the 100th most frequent word of the archive (in about 40% of stories): a worst case.
QUERIES = [
    "<common>",
    "defense",
    "trade",
    "election",
    "semiconductor exports",
    "online scam",
    '"joint training"',
    "thailand -trade",
    "budget or tariff",
    "zyxwvut",
    "국방부",
]


def vocabulary() -> list[str]:
    """Real words from the demo stories among generated ones, in a fixed random order.

    `fill()` draws words with Zipf frequencies by their place in this list, so a real word
    lands anywhere from common to rare, as a reader's search terms do.
    """
    words = {
        w.strip(".,;:\"'()[]{}") for w in DEMO_FILE.read_text(encoding="utf-8").lower().split()
    }
    rng = random.Random(7)
    letters = "abcdefghiklmnoprstuvwy"
    words |= {"".join(rng.choice(letters) for _ in range(rng.randint(4, 10))) for _ in range(20000)}
    words = sorted(w for w in words if w.isascii() and w.isalpha())
    rng.shuffle(words)
    return words


def fill(target: int) -> None:
    existing = Article.objects.published().count()
    if existing >= target:
        print(f"{existing} published stories already there.")
        return
    words = vocabulary()
    rng = random.Random(42)
    # Zipf-like: a few words are in most stories, most words in few.
    weights = [1 / (rank + 1) for rank in range(len(words))]
    section, _ = Section.objects.get_or_create(slug="bench", defaults={"name": "Bench"})
    now = timezone.now()
    made = existing
    started = time.perf_counter()
    while made < target:
        batch = []
        for n in range(made, min(made + BATCH, target)):
            body_words = rng.choices(words, weights, k=rng.randint(250, 700))
            paragraphs = [" ".join(body_words[i : i + 60]) for i in range(0, len(body_words), 60)]
            if n % 50 == 0:
                paragraphs.append("국방부 대변인은 오늘 새로운 계획을 발표했다.")
            batch.append(
                Article(
                    headline=" ".join(rng.choices(words, weights, k=rng.randint(6, 12))).title(),
                    slug=f"bench-{n}",
                    dek=" ".join(rng.choices(words, weights, k=rng.randint(12, 25))),
                    body="".join(f"<p>{p}.</p>" for p in paragraphs),
                    section=section,
                    status=Article.Status.PUBLISHED,
                    publish_at=now - timedelta(minutes=n),
                )
            )
        Article.objects.bulk_create(batch)
        made += len(batch)
        print(f"  {made} stories ({time.perf_counter() - started:.0f} s)", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE articles_article")


def run_search(query: str) -> int:
    stories = Article.objects.published().search(query).for_listing()
    count = stories.count()
    list(stories[:PAGE_SIZE])
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database: this measures full-text search.")
    call_command("migrate", verbosity=0)
    fill(args.stories)
    print(f"PostgreSQL {connection.pg_version // 10000}, {Article.objects.count()} stories")
    every = []
    print(f"{'query':28} {'matches':>8} {'p50 ms':>8} {'p95 ms':>8}")
    common = vocabulary()[99]
    for query in QUERIES:
        query = common if query == "<common>" else query
        run_search(query)  # warm the cache, as a busy site's would be
        timings = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            count = run_search(query)
            timings.append((time.perf_counter() - started) * 1000)
        every += timings
        p50, p95 = statistics.median(timings), statistics.quantiles(timings, n=20)[18]
        print(f"{query:28} {count:>8} {p50:>8.1f} {p95:>8.1f}")
    p50, p95 = statistics.median(every), statistics.quantiles(every, n=20)[18]
    print(f"{'all queries':28} {'':>8} {p50:>8.1f} {p95:>8.1f}")


if __name__ == "__main__":
    main()
