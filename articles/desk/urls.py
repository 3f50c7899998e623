"""Addresses of the story desk's pages, for redirects and links from the desk's own code."""

from django.urls import reverse


def admin_url(name: str, *args) -> str:
    return reverse(f"admin:articles_article_{name}", args=args)
