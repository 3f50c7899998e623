import logging

from django.conf import settings
from django.core.cache import cache
from django.utils.functional import SimpleLazyObject

from articles.cache.invalidate import CACHE_ERRORS, NAV_SECTIONS_KEY
from articles.models import Section

logger = logging.getLogger(__name__)


def nav_sections() -> list[Section]:
    """The sections, in order: every page shows them, and they change a few times a year.

    Cached until a section is saved or deleted in the library (`invalidate.library_changed`).
    """
    try:
        return cache.get_or_set(NAV_SECTIONS_KEY, lambda: list(Section.objects.all()), None)
    except CACHE_ERRORS:
        logger.exception("Cache unavailable; reading the sections from the database.")
        return list(Section.objects.all())


def site(request):
    """Site name and the section navigation, read only when a template uses it."""
    return {
        "site_name": settings.NEWSROOM["SITE_NAME"],
        "nav_sections": SimpleLazyObject(nav_sections),
    }
