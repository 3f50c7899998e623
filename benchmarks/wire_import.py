"""How long a large wire batch takes: generate N stories, import them, import them again.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wire \\
        .venv/bin/python benchmarks/wire_import.py --stories 10000 [--format newsml]

`--format newsml` writes each story as an IPTC NewsML-G2 newsItem (guid, version, urgency,
dateline, Media Topic subjects, XHTML body) instead of the plain-text layout; the re-sent
stories then come as version 2.

The newsroom gets 5,000 topics with two aliases each (plus the demo topics), so the topic
matcher works at a realistic size. Everything happens in a throwaway test database
(`test_<name>`, created and dropped here); the database named in DATABASE_URL is never
touched. Without DATABASE_URL it runs on an in-memory SQLite database.
"""

import argparse
import io
import json
import os
import random
import sys
import tempfile
import time
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from articles.demo.newsroom import DEMO_FILE  # noqa: E402
from articles.models import Article, Topic, TopicAlias, TopicSuggestion, WireItem  # noqa: E402
from articles.wire import suggestions  # noqa: E402
from articles.wire.formats import parse_file  # noqa: E402

AGENCIES = ["Yonhap", "News1", "Newsis", "Mekong Wire", "Kyodo"]
REPORTERS = ["KIM MIN-JI [kim.minji@example.com]", "PARK JUN-HO [park.junho@example.com]"]
WORDS = (
    "minister talks border exports trade market council city port rail budget court "
    "election police reform energy grid harbor festival school hospital bridge river "
    "airport union wages housing rent chip plant factory drought flood storm satellite "
    "museum archive treaty summit ferry tunnel subsidy tariff vaccine clinic research"
).split()


def seed_topics(count: int, rng: random.Random) -> None:
    """The demo topics and `count` generated ones, each with two aliases."""
    for item in json.loads(DEMO_FILE.read_text(encoding="utf-8"))["topics"]:
        topic = Topic.objects.create(name=item["name"], slug=item["slug"])
        TopicAlias.objects.bulk_create(TopicAlias(topic=topic, name=n) for n in item["aliases"])
    taken = {name.lower() for name in Topic.objects.values_list("name", flat=True)}
    taken |= {name.lower() for name in TopicAlias.objects.values_list("name", flat=True)}

    def fresh_name() -> str:
        while True:
            name = " ".join(rng.sample(WORDS, rng.randint(1, 3))) + f" {rng.randint(1, 99999)}"
            if name not in taken:
                taken.add(name)
                return name

    topics = Topic.objects.bulk_create(
        Topic(name=name, slug=f"bench-{n}")
        for n, name in enumerate(fresh_name() for _ in range(count))
    )
    TopicAlias.objects.bulk_create(
        TopicAlias(topic=topic, name=fresh_name()) for topic in topics for _ in range(2)
    )


def story_text(n: int, rng: random.Random, topic_names: list[str]) -> str:
    def sentence() -> str:
        words = rng.choices(WORDS, k=rng.randint(12, 24))
        if rng.random() < 0.3:
            words.insert(rng.randrange(len(words)), rng.choice(topic_names))
        return " ".join(words).capitalize() + "."

    headline = f"{' '.join(rng.choices(WORDS, k=6)).capitalize()} {n}"
    day = 1 + n % 28
    lines = [f" date 2025-11-{day:02d}  {headline}", f"Published: {day} Nov. 2025, 19:12"]
    if rng.random() < 0.7:
        lines.append(f"{sentence()} [{rng.choice(AGENCIES).upper()}]")
    for _ in range(8):
        lines += ["\u00a0", " ".join(sentence() for _ in range(3))]
    signoff = rng.choice(AGENCIES) if rng.random() < 0.9 else f"BY {rng.choice(REPORTERS)}"
    lines += ["", signoff, ""]
    return "\n".join(lines)


MEDTOP = ["medtop:04000000", "medtop:11000000", "medtop:20000585", "medtop:20000051"]


def story_newsml(n: int, rng: random.Random, topic_names: list[str], version: int = 1) -> str:
    """The same kind of story as `story_text`, as a NewsML-G2 newsItem."""
    text = story_text(n, rng, topic_names)
    lines = [line for line in text.splitlines() if line.strip("\u00a0 ")]
    headline = lines[0].split("  ", 1)[1]
    day = 1 + n % 28
    paragraphs = "".join(f"<p>{escape(line)}</p>" for line in lines[2:-1] if "[" not in line)
    subjects = "".join(
        f'<subject qcode="{code}"><name>label {code[-4:]}</name></subject>'
        for code in rng.sample(MEDTOP, 2)
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:bench:{n}" version="{version}"
  standard="NewsML-G2" standardversion="2.34">
  <itemMeta><itemClass qcode="ninat:text"/><provider literal="{lines[-1][:40]}"/>
    <versionCreated>2025-11-{day:02d}T19:{10 + version:02d}:00+09:00</versionCreated>
    <pubStatus qcode="stat:usable"/></itemMeta>
  <contentMeta><urgency>{1 + n % 8}</urgency><dateline>SEOUL</dateline>
    <creditline>{escape(rng.choice(AGENCIES))}</creditline>
    <headline>{escape(headline)}</headline>{subjects}</contentMeta>
  <contentSet><inlineXML contenttype="application/xhtml+xml">
    <html xmlns="http://www.w3.org/1999/xhtml"><body>{paragraphs}</body></html>
  </inlineXML></contentSet>
</newsItem>"""


def timed(label: str, function):
    started, cpu = time.perf_counter(), time.process_time()
    result = function()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"{label:<44} {seconds:8.2f} s  (this process's CPU: {cpu:.2f} s)")
    return result, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--topics", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--format", choices=["plain", "newsml"], default="plain")
    args = parser.parse_args()
    rng = random.Random(args.seed)

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        print(f"Database: {connection.vendor}, {args.stories} stories, {args.topics} topics")
        timed("seed topics", lambda: seed_topics(args.topics, rng))
        # Two of the four Media Topic codes the stories carry are mapped to topics.
        for code, topic in zip(MEDTOP[:2], Topic.objects.order_by("pk")[:2], strict=True):
            Topic.objects.filter(pk=topic.pk).update(iptc_code=code)
        suffix = ".xml" if args.format == "newsml" else ".txt"
        names = list(TopicAlias.objects.values_list("name", flat=True)[:2000])
        with tempfile.TemporaryDirectory() as folder:
            for n in range(args.stories):
                path = Path(folder) / f"{n // 1000:02d}" / f"story-{n:05d}{suffix}"
                path.parent.mkdir(exist_ok=True)
                make = story_newsml if args.format == "newsml" else story_text
                path.write_text(make(n, rng, names), encoding="utf-8")

            stories = [
                story
                for p in sorted(Path(folder).rglob(f"*{suffix}"))
                for story in parse_file(p.read_bytes())
            ]
            matcher, _ = timed(
                "topic matcher: build (names + aliases)", suggestions.current_matcher
            )
            timed("topic matcher: reuse (read names, compare)", suggestions.current_matcher)
            _, seconds = timed(
                f"topic matcher: match {len(stories)} stories",
                lambda: [matcher.find(story.text) for story in stories],
            )
            print(f"{'  per story':<44} {seconds / len(stories) * 1000:8.3f} ms")

            suggestions._cache = None  # the import below pays for its own matcher

            def run() -> str:
                out = io.StringIO()
                call_command("import_wire", folder, progress_every=0, stdout=out)
                return out.getvalue().strip()

            summary, seconds = timed("import_wire (first time)", run)
            print(f"  {summary}; {args.stories / seconds:.0f} stories/s")
            summary, seconds = timed("import_wire (again: nothing changes)", run)
            print(f"  {summary}; {args.stories / seconds:.0f} stories/s")

            # The agency re-sends one story in ten with a later time (as version 2 in
            # NewsML-G2): those drafts update.
            for path in sorted(Path(folder).rglob(f"*{suffix}"))[::10]:
                text = path.read_text(encoding="utf-8")
                text = text.replace(", 19:12", ", 21:40", 1).replace(
                    'version="1"', 'version="2"', 1
                )
                path.write_text(text.replace("T19:11:00", "T21:40:00", 1), encoding="utf-8")
            summary, seconds = timed("import_wire (one story in ten re-sent)", run)
            print(f"  {summary}")
            print(
                f"Articles {Article.objects.count()}, suggestions {TopicSuggestion.objects.count()}"
                f", wire items {WireItem.objects.count()}"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
