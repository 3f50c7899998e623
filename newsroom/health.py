"""What a load balancer and an on-call engineer ask of a server: can it serve readers?"""

import logging
import sys

from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache

from articles.cache.pages import CACHE_ERRORS

logger = logging.getLogger(__name__)

# Errors that mean "the database is unreachable or overloaded right now", not a bug.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        logger.exception("Health check: database unavailable.")
        return "unavailable"
    return "ok"


def cache_status() -> str:
    try:
        cache.set("healthz", "ok", 10)
        return "ok" if cache.get("healthz") == "ok" else "unavailable"
    except CACHE_ERRORS:
        logger.exception("Health check: cache unavailable.")
        return "unavailable"


@never_cache
def healthz(request):
    """200 while readers can be served; 503 when the database is down.

    A cache outage is reported but keeps 200: pages still render from the database, and
    taking every server out of the load balancer for it would turn a slowdown into an outage.
    """
    checks = {"database": database_status(), "cache": cache_status()}
    status = 200 if checks["database"] == "ok" else 503
    return JsonResponse(
        {"status": "ok" if status == 200 else "unavailable", **checks}, status=status
    )


def server_error(request):
    """The 500 handler: a database outage is a plain 503 asking readers to come back soon."""
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE):
        return HttpResponse(render_to_string("503.html"), status=503, headers={"Retry-After": "30"})
    return HttpResponse(render_to_string("500.html"), status=500)
