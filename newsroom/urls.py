from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from newsroom.csp_reports import csp_report
from newsroom.health import healthz

handler500 = "newsroom.health.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("csp-report/", csp_report, name="csp_report"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("articles.api.urls")),
    path("", include("articles.public.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
