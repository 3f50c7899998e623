"""How many cached pages a publish, an edit or a correction re-renders.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench \\
        .venv/bin/python benchmarks/rerender_per_publish.py --hot 1000 --changes 5

Fills the page cache (Redis, CACHE_URL or db 13) with the pages readers hit: `--hot` random
story pages, the home page, the 50 busiest topics' first pages, every section, the 50 most
credited contributors, the topic index, the feeds and sitemaps. Then, `--changes` times each,
it publishes a new story (filed like a random one: its section, topics and bylines), adds a
correction to a hot story, and edits a hot story's headline on the desk's path; after each
change it requests every hot page again and counts those not served as a hit. WRITES to the
archive it is given: use a benchmark database.
"""

import argparse
import os
import random
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--hot", type=int, default=1000)
    parser.add_argument("--changes", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
    os.environ["NEWSROOM_PAGE_CACHE"] = "on"
    os.environ.setdefault("CACHE_URL", "redis://127.0.0.1:6379/13")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "localhost")
    os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import transaction
    from django.db.models import Count
    from django.test import Client

    from articles.cache import invalidate
    from articles.models import Article, Byline, Contributor, Section, Topic

    rng = random.Random(11)
    published = Article.objects.published()
    ids = list(published.values_list("pk", flat=True))
    hot_stories = list(published.filter(pk__in=rng.sample(ids, min(args.hot, len(ids)))))
    topics = Topic.objects.annotate(n=Count("tagged_articles")).order_by("-n")[:50]
    contributors = Contributor.objects.annotate(n=Count("bylines")).order_by("-n")[:50]
    pages = [
        *(story.get_absolute_url() for story in hot_stories),
        "/",
        "/topics/",
        "/feed/",
        "/sitemap.xml",
        "/sitemap-news.xml",
        *(topic.get_absolute_url() for topic in topics),
        *(section.get_absolute_url() for section in Section.objects.all()),
        *(contributor.get_absolute_url() for contributor in contributors),
    ]
    client = Client(HTTP_HOST="localhost")
    cache.clear()

    def not_hits() -> int:
        return sum(client.get(url).get("X-Page-Cache") != "hit" for url in pages)

    print(f"Filling the page cache with {len(pages):,} pages...", file=sys.stderr)
    not_hits()
    print(f"Settled: {not_hits()} pages not hits with no change.", file=sys.stderr)

    def publish():
        model = rng.choice(hot_stories)
        with transaction.atomic():
            story = Article.objects.create(
                headline=f"New story like {model.headline[:60]}",
                slug=Article.objects.available_slug(f"new {model.slug}"),
                body=model.body,
                section=model.section,
            )
            story.topics.set(model.topics.all())
            Byline.objects.bulk_create(
                Byline(article=story, contributor=b.contributor, position=b.position)
                for b in model.bylines.all()
            )
            story.publish(by=None)

    def correct():
        rng.choice(hot_stories).add_correction(kind="correction", text="A name was misspelled.")

    def edit():
        story = Article.objects.get(pk=rng.choice(hot_stories).pk)
        with transaction.atomic():
            story.headline = f"{story.headline} (updated)"[:255]
            story.save()
            invalidate.story_changed(story)  # as the desk's save does

    figures = {}
    for name, change in [("publish", publish), ("correction", correct), ("edit", edit)]:
        for _ in range(args.changes):
            change()
            figures.setdefault(name, []).append(not_hits())
        print(f"{name}: {figures[name]}", file=sys.stderr)
    print(f"| change | pages re-rendered (of {len(pages):,} hot), median | max |")
    print("|---|---:|---:|")
    for name, counts in figures.items():
        print(f"| {name} | {statistics.median(counts):g} | {max(counts)} |")


if __name__ == "__main__":
    main()
