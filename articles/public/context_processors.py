import logging

from django.conf import settings
from django.core.cache import cache
from django.utils.functional import SimpleLazyObject

from articles.cache import fragments
from articles.cache.invalidate import CACHE_ERRORS, NAV_SECTIONS_KEY
from articles.models import Section

logger = logging.getLogger(__name__)


def nav_sections() -> list[Section]:
    """The sections that hold a story readers can see, in order: every page shows them.

    Cached until a section is saved or deleted in the library, or a story change gives a
    section its first visible story or takes its last (`invalidate.nav_sections_changed`);
    each process reuses its copy until the site's change sequence moves.
    """
    return fragments.kept_in_process("nav-sections", shared_nav_sections)


def shared_nav_sections() -> list[Section]:
    try:
        return cache.get_or_set(NAV_SECTIONS_KEY, menu_sections, None)
    except CACHE_ERRORS:
        logger.exception("Cache unavailable; reading the sections from the database.")
        return menu_sections()


def menu_sections() -> list[Section]:
    return list(Section.objects.with_published_stories())


def site(request):
    """Site name and the section navigation, read only when a template uses it."""
    return {
        "site_name": settings.NEWSROOM["SITE_NAME"],
        "nav_sections": SimpleLazyObject(nav_sections),
    }
