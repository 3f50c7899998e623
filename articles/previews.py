"""Signed, expiring preview links for stories readers cannot see yet.

A link carries the story's id, signed with the site's secret key and a timestamp, so it can be
shared with someone without an account; it stops working after NEWSROOM["PREVIEW_MAX_AGE"]
(48 hours by default). A tampered or expired link is a 404, as is a killed story's.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "articles.preview"


def preview_token(article) -> str:
    return signing.dumps(article.pk, salt=SALT)


def preview_url(article) -> str:
    return reverse("articles:preview", kwargs={"token": preview_token(article)})


def article_id_from(token: str) -> int | None:
    """The story id a token was signed for, or None if it was altered or has expired."""
    try:
        value = signing.loads(token, salt=SALT, max_age=settings.NEWSROOM["PREVIEW_MAX_AGE"])
    except signing.BadSignature:  # SignatureExpired is one too
        return None
    return value if isinstance(value, int) else None
