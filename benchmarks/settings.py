"""The production-like settings the benchmark serves, plus a constant-response floor view."""

from newsroom.settings import *  # noqa: F403
from newsroom.settings import MIDDLEWARE, PAGE_CACHE_EXCLUDED_PATHS

ROOT_URLCONF = "benchmarks.urls"
# The floor measures Django's own stack, not the page cache.
PAGE_CACHE_EXCLUDED_PATHS = (*PAGE_CACHE_EXCLUDED_PATHS, "/_floor/")
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
# benchmarks/varnish.py: story pages carry a surrogate key, stored with the cached page.
MIDDLEWARE = [
    *MIDDLEWARE[: MIDDLEWARE.index("articles.cache.pages.PageCacheMiddleware") + 1],
    "benchmarks.surrogate.TagStoryPages",
    *MIDDLEWARE[MIDDLEWARE.index("articles.cache.pages.PageCacheMiddleware") + 1 :],
]
