from django.http import HttpResponse
from django.urls import path

from benchmarks.surrogate import static_50k
from newsroom.urls import urlpatterns as site_urlpatterns


def floor(request):
    """The cheapest page Django can answer through the full middleware stack."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("_floor/", floor), path("_static50k/", static_50k), *site_urlpatterns]
