"""Traces of who changed a story's state, and alerts on publishes that look like a stolen
account at work.

`ClientMiddleware` remembers, for the length of a request, the address (as the trusted
proxies saw it) and browser it came from; every `ArticleTransition` row records them. After a
publish by a person, `check_publish()` raises an `Alert` (and logs a WARNING) when:

- the publisher created the story and it carries staff bylines, none of them theirs (their
  own copy under a colleague's name; an editor publishing a reporter's story is ordinary);
- it happens outside NEWSROOM_USUAL_HOURS (local time, e.g. 6 to 23);
- it is one of more than N publishes by the account within M minutes (NEWSROOM_PUBLISH_BURST).
"""

import logging
from contextvars import ContextVar
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

logger = logging.getLogger(__name__)

_client: ContextVar[tuple[str | None, str]] = ContextVar("desk_client", default=(None, ""))


def current_client() -> tuple[str | None, str]:
    """The (address, user agent) of the request being served; (None, "") outside one."""
    return _client.get()


class ClientMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from newsroom.signin import client_ip

        agent = request.META.get("HTTP_USER_AGENT", "")[:300]
        token = _client.set((client_ip(request), agent))
        try:
            return self.get_response(request)
        finally:
            _client.reset(token)


def raise_alert(kind, transition, message: str) -> None:
    from articles.models import Alert

    logger.warning("Alert: %s (from %s).", message, transition.address or "no address")
    Alert.objects.create(
        kind=kind,
        user=transition.by,
        article=transition.article,
        address=transition.address,
        message=message,
    )


def check_publish(transition) -> None:
    """Raise the alerts a publish by a person calls for."""
    from articles.models import Alert, ArticleTransition

    user, article = transition.by, transition.article
    if user is None:
        return
    who = user.get_username()
    others = [
        byline.contributor
        for byline in article.bylines.select_related("contributor")
        if byline.contributor.user_id not in (None, user.pk)
    ]
    own = article.bylines.filter(contributor__user=user).exists()
    if article.created_by_id == user.pk and others and not own:
        names = ", ".join(contributor.name for contributor in others)
        raise_alert(
            Alert.Kind.OTHERS_BYLINE,
            transition,
            f"{who} published their own copy “{article}” under the byline of {names}",
        )
    start, end = settings.NEWSROOM_USUAL_HOURS
    hour = timezone.localtime(transition.at).hour
    if not start <= hour < end:
        raise_alert(
            Alert.Kind.OFF_HOURS,
            transition,
            f"{who} published “{article}” at {timezone.localtime(transition.at):%H:%M}, "
            f"outside the usual {start}:00–{end}:00",
        )
    most, minutes = settings.NEWSROOM_PUBLISH_BURST
    recent = ArticleTransition.objects.filter(
        by=user,
        to_status="published",
        at__gte=transition.at - timedelta(minutes=minutes),
    ).count()
    if recent == most + 1:  # once per burst, when it crosses the line
        raise_alert(
            Alert.Kind.BURST,
            transition,
            f"{who} published {recent} stories within {minutes} minutes",
        )
