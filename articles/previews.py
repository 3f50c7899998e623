"""Signed, expiring preview links for stories readers cannot see yet.

A link carries the story's id and its preview generation, signed with the site's secret key
and a timestamp, so it can be shared with someone without an account. It stops working after
NEWSROOM["PREVIEW_MAX_AGE"] (48 hours by default), and as soon as the generation moves on:
when the story is published, unpublished or killed, or an editor revokes its links
(`Article.revoke_previews()`). A tampered, expired or revoked link is a 404, as is a killed
story's.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "articles.preview"


def preview_token(article) -> str:
    return signing.dumps([article.pk, article.preview_generation], salt=SALT)


def preview_url(article) -> str:
    return reverse("articles:preview", kwargs={"token": preview_token(article)})


def preview_from(token: str) -> tuple[int, int] | None:
    """The story id and preview generation a token was signed for, or None if it was
    altered or has expired."""
    try:
        value = signing.loads(token, salt=SALT, max_age=settings.NEWSROOM["PREVIEW_MAX_AGE"])
    except signing.BadSignature:  # SignatureExpired is one too
        return None
    if isinstance(value, list) and len(value) == 2 and all(type(n) is int for n in value):
        return value[0], value[1]
    return None
