from django.conf import settings
from django.utils.functional import SimpleLazyObject

from articles.models import Section


def site(request):
    """Site name and the section navigation, queried only when a template uses it."""
    return {
        "site_name": settings.NEWSROOM["SITE_NAME"],
        "nav_sections": SimpleLazyObject(lambda: list(Section.objects.all())),
    }
