"""The site's URLs plus uploaded media, for the live server the journeys run against.

Django serves MEDIA_URL only with DEBUG on (newsroom/urls.py), and tests run with it off; in
production the web server serves media. The folder is read per request because each test
uploads into its own temporary MEDIA_ROOT.
"""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from newsroom.urls import handler500
from newsroom.urls import urlpatterns as site_urlpatterns

__all__ = ["handler500", "urlpatterns"]


def media(request, path):
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [
    re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$", media),
    *site_urlpatterns,
]
