"""Who may read the API, what each may read, how often, and how a refusal reads.

Partners send `Authorization: Bearer <key>`. Without a key the API answers 401, unless
NEWSROOM_API["ANONYMOUS"] lets the public read published stories at the anonymous rate.
A key may be limited to some sections and topics; asking for others is a 403. Every
refusal is an RFC 9457 problem-details body (`application/problem+json`).
"""

import hmac
from dataclasses import dataclass, field
from http import HTTPStatus

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from rest_framework import exceptions, permissions
from rest_framework.authentication import BaseAuthentication
from rest_framework.response import Response
from rest_framework.views import exception_handler

from articles.models import ApiKey, TaggedArticle
from articles.models.partner import KEY_PREFIX, hash_key
from newsroom.signin import client_ip

PROBLEM_JSON = "application/problem+json"


@dataclass(frozen=True)
class Scope:
    """The published stories a reader of the API may have: all, or some sections and topics."""

    all_content: bool = True
    section_ids: frozenset[int] = field(default_factory=frozenset)
    topic_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def signature(self) -> str:
        """Equal for equal scopes: partners with the same scope share cached responses."""
        if self.all_content:
            return "all"
        return f"s{sorted(self.section_ids)}t{sorted(self.topic_ids)}"

    def stories(self, queryset):
        """`queryset` (of stories) narrowed to this scope."""
        if self.all_content:
            return queryset
        in_topics = TaggedArticle.objects.filter(tag_id__in=self.topic_ids).values(
            "content_object_id"
        )
        return queryset.filter(Q(section_id__in=self.section_ids) | Q(pk__in=in_topics))

    def allows_section(self, section) -> bool:
        return self.all_content or section.pk in self.section_ids

    def allows_topic(self, topic) -> bool:
        return self.all_content or topic.pk in self.topic_ids


EVERYTHING = Scope()


def scope_of(request) -> Scope:
    key = request.auth
    if not isinstance(key, ApiKey) or key.all_content:
        return EVERYTHING
    return Scope(
        all_content=False,
        section_ids=frozenset(key.sections.values_list("pk", flat=True)),
        topic_ids=frozenset(key.topics.values_list("pk", flat=True)),
    )


class PartnerUser(AnonymousUser):
    """The partner behind a key: not a login of the site, never staff."""

    def __init__(self, key: ApiKey):
        self.key = key

    @property
    def is_authenticated(self):
        return True

    def __str__(self):
        return str(self.key.partner)


class ApiKeyAuthentication(BaseAuthentication):
    """`Authorization: Bearer nr_<prefix>_<secret>`: one indexed lookup, a constant-time check."""

    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header:
            return None
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise exceptions.AuthenticationFailed("Send the key as “Authorization: Bearer <key>”.")
        key = self.key_for(token.strip())
        if key is None:
            raise exceptions.AuthenticationFailed("This key is unknown, expired or revoked.")
        key.touch()
        return PartnerUser(key), key

    @staticmethod
    def key_for(token: str) -> ApiKey | None:
        parts = token.split("_", 2)
        if len(parts) != 3 or parts[0] != KEY_PREFIX:
            return None
        key = ApiKey.objects.usable().select_related("partner").filter(prefix=parts[1]).first()
        if key is None or not hmac.compare_digest(key.hashed_key, hash_key(token)):
            return None
        return key

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class CanRead(permissions.BasePermission):
    """A valid key, or anyone when anonymous access is switched on."""

    message = "This API needs a key: send “Authorization: Bearer <key>”."

    def has_permission(self, request, view):
        return isinstance(request.auth, ApiKey) or settings.NEWSROOM_API["ANONYMOUS"]


@dataclass(frozen=True)
class Rate:
    """How often one client may call: `limit` requests in each `duration`-second window.

    A counter per fixed window (an `incr` in the cache, which opens the window the first
    time) rather than DRF's default log of every request's time, which a busy key would
    read and write whole on every request. A client may burst up to twice its rate across
    a window's edge. Counted with the cache lookup, in one round trip (responses.py).
    """

    ident: str
    limit: int
    duration: int

    def counter(self, now: float) -> str:
        return f"throttle_api_{self.ident}_{int(now // self.duration)}"

    def wait(self, now: float) -> float:
        """Seconds until the next window opens."""
        return self.duration - (now % self.duration)


SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def rate_of(request, key=None) -> Rate:
    """Each key at its own rate a minute; anonymous readers by address, at a lower one."""
    if isinstance(key, ApiKey):
        return Rate(f"key_{key.pk}", key.rate_per_minute, 60)
    number, period = settings.NEWSROOM_API["ANONYMOUS_RATE"].split("/")
    return Rate(f"anon_{client_ip(request)}", int(number), SECONDS[period[0]])


def problem(status: int, detail, **extra) -> dict:
    body = {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status}
    if isinstance(detail, dict | list):
        body["detail"] = "Some parameters are not valid."
        body["errors"] = detail
    else:
        body["detail"] = str(detail)
    body.update(extra)
    return body


def problem_details(exc, context):
    """DRF's exception handler, answering in RFC 9457 problem details."""
    response = exception_handler(exc, context)
    if response is None:
        return None
    detail = (
        response.data.get("detail", response.data)
        if isinstance(response.data, dict)
        else response.data
    )
    extra = {}
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        extra["retry_after"] = int(exc.wait + 0.999)
    return Response(
        problem(response.status_code, detail, **extra),
        status=response.status_code,
        headers=dict(response.items()),
        content_type=PROBLEM_JSON,
    )
