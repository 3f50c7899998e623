from django.http import HttpResponse
from django.urls import path

from newsroom.urls import urlpatterns as site_urlpatterns


def floor(request):
    """The cheapest page Django can answer through the full middleware stack."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("_floor/", floor), *site_urlpatterns]
