"""Cached content API responses against the Django floor, in one run, alternating.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/api_bench CACHE_URL=redis://127.0.0.1:6379/7 \\
        .venv/bin/python benchmarks/api_cache.py --anchors /tmp/anchors-api

Needs an archive in that database (`manage.py generate_newsroom --stories 5000`), Redis,
`wrk`, and a copy of ../shared/anchors with `floor/page.html` written (`make_page.py`); the
floor runs on this project's virtualenv (it needs only Django). Both servers are gunicorn
`-w 2` sync. Anonymous API access is on with a rate limit no run reaches (every request is
still counted); a partner key with as high a rate is made for the keyed figures. The cache
database named by CACHE_URL is emptied first: give the run one of its own. Each target
is loaded with wrk in turn, `--repeats` times, the order reversed every other repeat; printed
are the medians: requests a second, the share of the floor's, and the gunicorn workers' CPU
milliseconds per request (utime + stime from /proc, as benchmarks/compare_wagtail.py).
Every request goes to 127.0.0.1.
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

from benchmarks.compare_wagtail import serve, worker_cpu  # noqa: E402

LUA = """
paths = {}
for line in io.lines("%s") do paths[#paths + 1] = line end
request = function() return wrk.format("GET", paths[math.random(#paths)], %s) end
"""
NEWSROOM_PORT, FLOOR_PORT = 8421, 8422


def prepare(details: int) -> tuple[list[str], str]:
    """Story detail paths to load, and a partner key that no run will throttle."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()
    from django.core.cache import cache

    from articles.models import ApiKey, Article, Partner

    cache.clear()  # the run's own Redis database: every response is rendered by this code
    ids = list(Article.objects.published().values_list("pk", flat=True))
    chosen = random.Random(7).sample(ids, min(details, len(ids)))
    partner, _ = Partner.objects.get_or_create(name="Benchmark partner")
    ApiKey.objects.filter(partner=partner).delete()
    _, secret = ApiKey.create_for(partner, name="bench", rate_per_minute=100_000_000)
    return [f"/api/v1/stories/{pk}/" for pk in chosen], secret


def load(server, port, paths, args, headers: dict, warm: bool) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        listing = Path(tmp) / "paths.txt"
        listing.write_text("\n".join(paths) + "\n")
        script = Path(tmp) / "paths.lua"
        lua_headers = "{" + ", ".join(f'["{k}"] = "{v}"' for k, v in headers.items()) + "}"
        script.write_text(LUA % (listing, lua_headers if headers else "nil"))
        for path in paths if warm else []:  # fills the shared cache and each worker's copy
            for _ in range(4):
                request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
                urllib.request.urlopen(request, timeout=60).read()
        cpu = worker_cpu(server)
        output = subprocess.run(
            ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s",
             "-s", str(script), f"http://127.0.0.1:{port}"],
            capture_output=True, text=True, check=True, timeout=args.duration + 60,
        ).stdout  # fmt: skip
        cpu = worker_cpu(server) - cpu
    requests = int(next(line for line in output.splitlines() if "requests in" in line).split()[0])
    transfer = next(line for line in output.splitlines() if line.startswith("Transfer/sec"))
    return {
        "rps": requests / args.duration,
        "cpu_ms": 1000 * cpu / max(requests, 1),
        "errors": "Non-2xx" in output or "Socket errors" in output,
        "transfer": transfer.split()[-1],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--anchors", type=Path, required=True)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--details", type=int, default=200, help="story details to load")
    args = parser.parse_args()
    details, secret = prepare(args.details)
    # As a partner's HTTP client asks (requests, curl --compressed, every browser).
    packed = {"Accept-Encoding": "gzip"}
    keyed = {"Authorization": f"Bearer {secret}", **packed}
    gunicorn = ["-w", "2", "--worker-class", "sync", "--max-requests", "0"]
    python_bin = ROOT / ".venv/bin"
    newsroom_env = {
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "CACHE_URL": os.environ.get("CACHE_URL", "redis://127.0.0.1:6379/7"),
        "NEWSROOM_PAGE_CACHE": "on",
        "NEWSROOM_API_ANONYMOUS": "true",
        "NEWSROOM_API_ANONYMOUS_RATE": "100000000/min",
        "DJANGO_DEBUG": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    servers = {
        "newsroom": (NEWSROOM_PORT, [str(python_bin / "gunicorn"), "newsroom.wsgi", *gunicorn,
                                     "-b", f"127.0.0.1:{NEWSROOM_PORT}"], newsroom_env, ROOT),
        "floor": (FLOOR_PORT, [str(python_bin / "gunicorn"), "--chdir", "floor",
                               "floor:application", *gunicorn, "-b", f"127.0.0.1:{FLOOR_PORT}"],
                  {"FLOOR_MIDDLEWARE": "stock"}, args.anchors),
    }  # fmt: skip
    stories = f"{len(details)} stories"
    targets = {
        "floor (constant 40 KB, stock middleware)": ("floor", ["/news/a/"], {}),
        "cached list /api/v1/stories/ (20 stories), anonymous, gzip": (
            "newsroom", ["/api/v1/stories/"], packed),
        "cached list (20 stories), anonymous, uncompressed": (
            "newsroom", ["/api/v1/stories/"], {}),
        "cached list ?limit=5, anonymous, uncompressed": (
            "newsroom", ["/api/v1/stories/?limit=5"], {}),
        f"cached detail ({stories}), anonymous, gzip": ("newsroom", details, packed),
        "cached list (20 stories), partner key, gzip": ("newsroom", ["/api/v1/stories/"], keyed),
        f"cached detail ({stories}), partner key, gzip": ("newsroom", details, keyed),
    }  # fmt: skip
    running = {}
    results: dict[str, list[dict]] = {}
    try:
        for name, (port, command, env, cwd) in servers.items():
            running[name] = serve(name, command, env, cwd, port)
        order = list(targets)
        for repeat in range(args.repeats):
            for label in order if repeat % 2 == 0 else reversed(order):
                system, paths, headers = targets[label]
                port = servers[system][0]
                figure = load(running[system], port, paths, args, headers, warm=repeat == 0)
                results.setdefault(label, []).append(figure)
                print(f"# {repeat + 1} {label}: {figure['rps']:.0f} req/s, "
                      f"{figure['cpu_ms']:.2f} ms CPU, {figure['transfer']}/s"
                      f"{' ERRORS' if figure['errors'] else ''}", file=sys.stderr)  # fmt: skip
    finally:
        for server in running.values():
            server.terminate()
            server.wait(timeout=30)
    report(results, targets)


def report(results, targets):
    def median(label, field):
        return statistics.median(figure[field] for figure in results[label])

    floor = median(next(iter(targets)), "rps")
    load = os.getloadavg()
    print(f"load average at the end: {load[0]:.2f}, {load[1]:.2f}, {load[2]:.2f} "
          f"({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())})")  # fmt: skip
    print("| request | req/s | share of floor | CPU ms per request | transfer/s |")
    print("|---|---:|---:|---:|---:|")
    for label in targets:
        rps, cpu = median(label, "rps"), median(label, "cpu_ms")
        transfer = results[label][-1]["transfer"]
        print(f"| {label} | {rps:,.0f} | {rps / floor:.0%} | {cpu:.2f} | {transfer} |")


if __name__ == "__main__":
    main()
