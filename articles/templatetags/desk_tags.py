from django import template
from js_asset import Media

register = template.Library()


@register.simple_tag(takes_context=True)
def media_with_nonce(context, media):
    """Form media with this request's CSP nonce on every tag, the import map included.

    django-prose-editor loads through a `<script type="importmap">`, an inline script the
    desk's policy only runs with the nonce. `with_nonce()` copies: widget media is shared
    between requests and must never keep one request's nonce.
    """
    nonce = getattr(context.get("request"), "csp_nonce", "")
    return Media.from_media(media).with_nonce(nonce).render()


@register.filter
def minutes(duration) -> int:
    """A timedelta in whole minutes, rounded up: "try again in 15 minutes"."""
    return -(-int(duration.total_seconds()) // 60)
