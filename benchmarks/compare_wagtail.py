"""Newsroom's reader pages against the Wagtail anchor and the Django floor, side by side.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench \\
    WAGTAIL_DATABASE_URL=postgres://postgres@127.0.0.1:5432/wagtail_news_100k \\
        .venv/bin/python benchmarks/compare_wagtail.py --anchors /tmp/anchors

`--anchors` is a copy of ../shared/anchors with its own virtualenv in `.venv` and the Wagtail
site generated with as many stories as the Newsroom archive (see its README); this script
only reads both databases. It serves Newsroom (page cache off, and on), the Wagtail site
and the floor (40 KB constant page, stock middleware) with gunicorn `-w 2` sync each, then
loads each page with wrk, alternating the systems, `--repeats` times, and prints the
medians: requests a second, the ratio, and the servers' CPU milliseconds per request (read
from /proc for the worker processes). Every request goes to 127.0.0.1.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TICKS = os.sysconf("SC_CLK_TCK")
LUA = """
paths = {}
for line in io.lines("%s") do paths[#paths + 1] = line end
request = function() return wrk.format("GET", paths[math.random(#paths)]) end
"""


def newsroom_targets(hot: int) -> dict[str, list[str]]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
    import django

    django.setup()
    from django.db.models import Count

    from articles.models import Article, Contributor, RelatedStory, Section, Topic, refresh_related
    from articles.public.pagination import make_cursor

    published = Article.objects.published()
    ids = list(published.order_by("pk").values_list("pk", flat=True))
    sample = random.Random(7).sample(ids, min(hot, len(ids)))
    # Related stories are chosen at publication; a generated archive has none yet. A story
    # page reads only its own links, so choosing them for the pages measured is enough.
    missing = set(sample) - set(
        RelatedStory.objects.filter(article__in=sample).values_list("article", flat=True)
    )
    refresh_related(sorted(missing))
    stories = [a.get_absolute_url() for a in published.filter(pk__in=sample)]
    topics = Topic.objects.annotate(n=Count("tagged_articles")).order_by("-n")
    busiest = topics.first()
    boundary = published.in_topic(busiest).newest_first()[49 * 20 - 1]
    section = Section.objects.annotate(n=Count("articles")).order_by("-n").first()
    contributor = Contributor.objects.annotate(n=Count("bylines")).order_by("-n").first()
    return {
        "story": stories,
        "tag page 1": [busiest.get_absolute_url()],
        "tag page 50": [f"{busiest.get_absolute_url()}?before={make_cursor(boundary)}"],
        "section page 1": [section.get_absolute_url()],
        "contributor page 1": [contributor.get_absolute_url()],
        "hot topic pages": [t.get_absolute_url() for t in topics.only("slug")[:hot]],
        "home": ["/"],
        "topic index": ["/topics/"],
    }


def wagtail_targets(database_url: str, hot: int) -> dict[str, list[str]]:
    import psycopg

    with psycopg.connect(database_url) as connection:
        rows = connection.execute(
            "SELECT url_path FROM wagtailcore_page WHERE depth = 4 AND live ORDER BY id"
        ).fetchall()
    paths = ["/" + row[0].split("/", 2)[2] for row in rows]  # "/home/news/x/" -> "/news/x/"
    return {
        "story": random.Random(7).sample(paths, min(hot, len(paths))),
        "tag page 1": ["/news/tag/defense/"],
        "tag page 50": ["/news/tag/defense/?page=50"],
    }


def serve(name, command, env, cwd, port) -> subprocess.Popen:
    server = subprocess.Popen(
        command, cwd=cwd, env={**os.environ, **env}, stdout=subprocess.DEVNULL,
        stderr=open(Path(tempfile.gettempdir()) / f"compare-{name}.log", "w"),
    )  # fmt: skip
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5)
            return server
        except urllib.error.HTTPError:
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit(f"{name} did not start")


def worker_cpu(server: subprocess.Popen) -> float:
    """CPU seconds used so far by the gunicorn workers of `server`."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    total = 0
    for pid in children:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


def load(server, port, paths, args, warm: bool) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        listing = Path(tmp) / "paths.txt"
        listing.write_text("\n".join(paths) + "\n")
        script = Path(tmp) / "paths.lua"
        script.write_text(LUA % listing)
        for path in paths if warm else []:  # renditions, database pages, page cache
            urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=60).read()
        cpu = worker_cpu(server)
        output = subprocess.run(
            ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s",
             "-s", str(script), f"http://127.0.0.1:{port}"],
            capture_output=True, text=True, check=True, timeout=args.duration + 60,
        ).stdout  # fmt: skip
        cpu = worker_cpu(server) - cpu
    requests = int(next(line for line in output.splitlines() if "requests in" in line).split()[0])
    errors = "Non-2xx" in output or "Socket errors" in output
    return {
        "rps": requests / args.duration,
        "cpu_ms": 1000 * cpu / max(requests, 1),
        "errors": errors,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--anchors", type=Path, required=True)
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--hot", type=int, default=1000, help="hot URLs for stories and hits")
    args = parser.parse_args()
    wagtail_db = os.environ["WAGTAIL_DATABASE_URL"]
    newsroom = newsroom_targets(args.hot)
    wagtail = wagtail_targets(wagtail_db, args.hot)
    gunicorn = ["-w", "2", "--worker-class", "sync", "--max-requests", "0"]
    newsroom_env = {
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "CACHE_URL": os.environ.get("CACHE_URL", "redis://127.0.0.1:6379/5"),
        "DJANGO_DEBUG": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    venv = args.anchors / ".venv/bin"
    servers = {
        "newsroom": (8301, [str(ROOT / ".venv/bin/gunicorn"), "newsroom.wsgi", *gunicorn,
                            "-b", "127.0.0.1:8301"], {**newsroom_env, "NEWSROOM_PAGE_CACHE": "off"},
                     ROOT),
        # Nothing kept between pages either: every story body, card and query each time.
        "bare": (8305, [str(ROOT / ".venv/bin/gunicorn"), "newsroom.wsgi", *gunicorn,
                        "-b", "127.0.0.1:8305"],
                 {**newsroom_env, "NEWSROOM_PAGE_CACHE": "off", "NEWSROOM_FRAGMENT_CACHE": "off"},
                 ROOT),
        "cached": (8302, [str(ROOT / ".venv/bin/gunicorn"), "newsroom.wsgi", *gunicorn,
                          "-b", "127.0.0.1:8302"], {**newsroom_env, "NEWSROOM_PAGE_CACHE": "on"},
                   ROOT),
        "wagtail": (8303, [str(venv / "gunicorn"), "newsroom.wsgi", *gunicorn,
                           "-b", "127.0.0.1:8303"],
                    {"DATABASE_URL": wagtail_db, "MEDIA_ROOT": str(args.anchors / "media"),
                     "DJANGO_SETTINGS_MODULE": "newsroom.settings",
                     "PYTHONPATH": ""}, args.anchors / "wagtail_news"),
        "floor": (8304, [str(venv / "gunicorn"), "--chdir", "floor", "floor:application",
                         *gunicorn, "-b", "127.0.0.1:8304"], {"FLOOR_MIDDLEWARE": "stock"},
                  args.anchors),
    }  # fmt: skip
    running = {}
    try:
        for name, (port, command, env, cwd) in servers.items():
            running[name] = serve(name, command, env, cwd, port)
        runs = [
            (page, system)
            for page in ["story", "tag page 1", "tag page 50"]
            for system in ("wagtail", "newsroom")
        ]
        runs += [("section page 1", "newsroom"), ("contributor page 1", "newsroom")]
        runs += [("story", "bare"), ("tag page 1", "bare")]
        runs += [("floor", "floor"), ("story", "cached"), ("hot topic pages", "cached")]
        results: dict[tuple[str, str], list[dict]] = {}
        for repeat in range(args.repeats):
            order = runs if repeat % 2 == 0 else list(reversed(runs))
            for page, system in order:
                port = servers[system][0]
                paths = {"wagtail": wagtail, "floor": {"floor": ["/news/a/"]}}.get(
                    system, newsroom
                )[page]
                figure = load(running[system], port, paths, args, warm=repeat == 0)
                results.setdefault((page, system), []).append(figure)
                print(f"# {repeat + 1} {page} / {system}: {figure['rps']:.0f} req/s, "
                      f"{figure['cpu_ms']:.2f} ms CPU", file=sys.stderr)  # fmt: skip
    finally:
        for server in running.values():
            server.terminate()
            server.wait(timeout=30)
    report(results)


def median(results, key, field):
    figures = results.get(key)
    return statistics.median(f[field] for f in figures) if figures else None


def report(results):
    print("| page | Wagtail req/s | Newsroom req/s | Newsroom / Wagtail | CPU ms W / N |")
    print("|---|---:|---:|---:|---:|")
    for page in ["story", "tag page 1", "tag page 50", "section page 1", "contributor page 1"]:
        w_rps, n_rps = (
            median(results, (page, "wagtail"), "rps"),
            median(results, (page, "newsroom"), "rps"),
        )
        w_cpu, n_cpu = (
            median(results, (page, "wagtail"), "cpu_ms"),
            median(results, (page, "newsroom"), "cpu_ms"),
        )
        if w_rps is None:  # Wagtail has no such page: compare with its tag page
            w_rps = median(results, ("tag page 1", "wagtail"), "rps")
            w_cpu = median(results, ("tag page 1", "wagtail"), "cpu_ms")
            page = f"{page} (vs Wagtail's tag page 1)"
        print(f"| {page} | {w_rps:,.1f} | {n_rps:,.1f} | {n_rps / w_rps:.2f} | "
              f"{w_cpu:.1f} / {n_cpu:.1f} |")  # fmt: skip
    for page in ["story", "tag page 1"]:
        w_rps = median(results, (page, "wagtail"), "rps")
        w_cpu = median(results, (page, "wagtail"), "cpu_ms")
        n_rps = median(results, (page, "bare"), "rps")
        n_cpu = median(results, (page, "bare"), "cpu_ms")
        if n_rps is not None:
            print(f"| {page}, nothing kept between pages | {w_rps:,.1f} | {n_rps:,.1f} | "
                  f"{n_rps / w_rps:.2f} | {w_cpu:.1f} / {n_cpu:.1f} |")  # fmt: skip
    floor_rps = median(results, ("floor", "floor"), "rps")
    floor_cpu = median(results, ("floor", "floor"), "cpu_ms")
    print(f"| floor (constant 40 KB, stock middleware) | | {floor_rps:,.0f} | | {floor_cpu:.2f} |")
    for page, label in [("story", "story"), ("hot topic pages", "topic page")]:
        rps = median(results, (page, "cached"), "rps")
        cpu = median(results, (page, "cached"), "cpu_ms")
        print(f"| page cache hit: {label} (1,000 hot URLs) | | {rps:,.0f} | "
              f"{rps / floor_rps:.0%} of floor | {cpu:.2f} |")  # fmt: skip


if __name__ == "__main__":
    main()
