"""Purging what caches in front of the site hold, by surrogate key (`story-12`, `front-home`...).

Public responses name what they show in an `xkey` header (space-separated keys). Which cache
in front is purged is a setting, `NEWSROOM_PURGE["BACKEND"]`:

- `varnish`: a `PURGE` request to each Varnish in `VARNISH_URLS` with the keys in
  `xkey-purge`; deploy/varnish/default.vcl hands them to vmod xkey and accepts the request
  only from the app servers' addresses.
- `fastly`: the surrogate-key purge API, keys copied to the `Surrogate-Key` header.
- `cloudflare`: the purge-by-tag API, keys copied to the `Cache-Tag` header (comma-separated).
- empty: nothing in front; nothing to purge.

A site-wide change (`articles/cache/pages.py:bump()`: a rename or removal in the library, a
front or a photo's rights coming due, a rewrite of the archive) purges `EVERYTHING`: Varnish
tags every object it keeps with that key too (default.vcl), so one xkey purge empties it;
Fastly and Cloudflare get their purge-all call instead.

`purge_keys()` raises PurgeError when a cache could not be told, so the task that calls it
(articles/tasks.py) retries with backoff and, in the end, lists the failure on the desk.
"""

import json
import logging
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator

from django.conf import settings

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 5
# The most keys each service takes in one call (Fastly: 256; Cloudflare: 30 tags); Varnish
# has no such limit, but a header of a few kilobytes is kinder to proxies on the way.
BATCH = {"varnish": 100, "fastly": 256, "cloudflare": 30}
# The response header each backend reads, and how it separates keys.
HEADERS = {"fastly": ("Surrogate-Key", " "), "cloudflare": ("Cache-Tag", ",")}
# Named with the other keys, it stands for every page: after a site-wide change, no page in
# front may be trusted, whatever keys it carries (or none, as a 404 or a page of the desk's).
EVERYTHING = "everything"


class PurgeError(Exception):
    """A cache in front of the site could not be purged; the caller should try again."""


def config() -> dict:
    return settings.NEWSROOM_PURGE


def _batches(keys: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(keys), size):
        yield keys[start : start + size]


def _send(request: urllib.request.Request) -> None:
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            response.read()
    except urllib.error.HTTPError as error:
        raise PurgeError(f"{request.full_url} answered {error.code} to a purge") from error
    except (urllib.error.URLError, OSError) as error:
        raise PurgeError(f"{request.full_url} could not be reached: {error}") from error


def _varnish(keys: list[str], options: dict) -> Iterator[urllib.request.Request]:
    for url in options["VARNISH_URLS"]:
        yield urllib.request.Request(
            url.rstrip("/") + "/", method="PURGE", headers={"xkey-purge": " ".join(keys)}
        )


def _fastly(keys: list[str], options: dict) -> Iterator[urllib.request.Request]:
    yield urllib.request.Request(
        f"{options['API_URL']}/service/{options['FASTLY_SERVICE_ID']}/purge",
        method="POST",
        data=json.dumps({"surrogate_keys": keys}).encode(),
        headers={
            "Fastly-Key": options["API_TOKEN"],
            "Content-Type": "application/json",
            "Accept": "application/json",
        },
    )


def _cloudflare(keys: list[str], options: dict) -> Iterator[urllib.request.Request]:
    yield urllib.request.Request(
        f"{options['API_URL']}/zones/{options['CLOUDFLARE_ZONE_ID']}/purge_cache",
        method="POST",
        data=json.dumps({"tags": keys}).encode(),
        headers={
            "Authorization": f"Bearer {options['API_TOKEN']}",
            "Content-Type": "application/json",
        },
    )


def _fastly_all(options: dict) -> Iterator[urllib.request.Request]:
    yield urllib.request.Request(
        f"{options['API_URL']}/service/{options['FASTLY_SERVICE_ID']}/purge_all",
        method="POST",
        headers={"Fastly-Key": options["API_TOKEN"], "Accept": "application/json"},
    )


def _cloudflare_all(options: dict) -> Iterator[urllib.request.Request]:
    yield urllib.request.Request(
        f"{options['API_URL']}/zones/{options['CLOUDFLARE_ZONE_ID']}/purge_cache",
        method="POST",
        data=json.dumps({"purge_everything": True}).encode(),
        headers={
            "Authorization": f"Bearer {options['API_TOKEN']}",
            "Content-Type": "application/json",
        },
    )


REQUESTS = {"varnish": _varnish, "fastly": _fastly, "cloudflare": _cloudflare}
# Varnish has none: every object it keeps carries EVERYTHING as a key.
PURGE_ALL = {"fastly": _fastly_all, "cloudflare": _cloudflare_all}


def purge_keys(keys: Iterable[str]) -> None:
    """Drop every cached response tagged with any of `keys` from the cache in front
    (every response, if `keys` holds EVERYTHING)."""
    options = config()
    backend = options.get("BACKEND", "")
    keys = sorted(set(keys))
    if not backend or not keys:
        return
    if EVERYTHING in keys:
        keys = [EVERYTHING]  # the rest go with it
        if backend in PURGE_ALL:
            for request in PURGE_ALL[backend](options):
                _send(request)
            logger.info("Purged everything from %s", backend)
            return
    for batch in _batches(keys, BATCH[backend]):
        for request in REQUESTS[backend](batch, options):
            _send(request)
    logger.info("Purged %d keys from %s", len(keys), backend)


class SurrogateKeyHeaderMiddleware:
    """Copy the `xkey` header to the header the configured CDN reads (Fastly or Cloudflare).

    Sits outside the page cache, so pages served from it are tagged too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        header = HEADERS.get(config().get("BACKEND", ""))
        if header and "xkey" in response:
            name, separator = header
            response[name] = separator.join(response["xkey"].split())
        return response
