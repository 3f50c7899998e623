"""Readers' pages read from a replica when DATABASE_REPLICA_URL is set; all else, the primary.

A request reads from the replica only when it is an anonymous reader's GET or HEAD outside the
desk: editors (who have a session), every form post and every desk page use the primary, so
nobody is shown their own change missing because the replica is a moment behind. Once a request
writes anything, its later reads go to the primary too. Work outside a request (the task
worker, management commands, the shell) always uses the primary.
"""

from contextvars import ContextVar

from django.conf import settings

PRIMARY = "default"
REPLICA = "replica"

_reads_from: ContextVar[str] = ContextVar("reads_from", default=PRIMARY)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return _reads_from.get()

    def db_for_write(self, model, **hints):
        _reads_from.set(PRIMARY)  # read what was just written
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, two copies of it

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY  # the replica follows the primary's schema by replication


def is_reader_request(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.path.startswith(("/admin/", "/preview/"))
    )


class ReplicaMiddleware:
    """Send an anonymous reader's reads to the replica for the length of the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _reads_from.set(REPLICA if is_reader_request(request) else PRIMARY)
        try:
            return self.get_response(request)
        finally:
            _reads_from.reset(token)
