from django.conf import settings
from django.utils.functional import SimpleLazyObject

from articles.models import Section


def site(request):
    """Site name and the sections readers can find stories in, queried only when used."""
    return {
        "site_name": settings.NEWSROOM["SITE_NAME"],
        "nav_sections": SimpleLazyObject(lambda: list(Section.objects.with_published_stories())),
    }
