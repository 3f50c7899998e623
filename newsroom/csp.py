"""The Content-Security-Policy header: strict for readers, one directive looser on the desk.

The policy itself is in settings (CONTENT_SECURITY_POLICY, django-csp 4). Readers' pages are
cached whole and shared between readers (articles/page_cache.py), so they never carry a
nonce: a nonce stored in a cached page would be replayed to every reader. They need none,
as they run no inline script; their JSON-LD is a data block, which browsers do not execute.
The desk is never cached: Django's admin and the rich-text editor's import map get the
request's nonce (`{% media_with_nonce %}` in templates/admin/change_form.html).
"""

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse

REPORTING_ENDPOINTS = 'csp="/csp-report/"'
# The policy headers of a page served from the page cache, built once per process.
_cached_page_headers: dict[str, str] | None = None


@receiver(setting_changed)
def _forget_built_headers(setting, **kwargs):
    """Tests that change the policy get headers built from the new one (Django's signal)."""
    global _cached_page_headers
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _cached_page_headers = None


def is_desk(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and match.app_name == "admin"


class NewsroomCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, applying ADMIN_CONTENT_SECURITY_POLICY_REPLACE on the desk."""

    def process_response(self, request, response):
        served_from_cache = response.get("X-Page-Cache") in ("hit", "stale")
        if served_from_cache and getattr(request, "_csp_nonce", None) is None:
            # A reader's page from the cache: no nonce, no per-view policy, not the desk, so
            # the same headers every time; built once rather than on every hit.
            for name, value in self.cached_page_headers(request, response).items():
                response.headers.setdefault(name, value)
            return response
        response = super().process_response(request, response)
        # Names the endpoint that the policy's `report-to csp` sends violations to.
        response.setdefault("Reporting-Endpoints", REPORTING_ENDPOINTS)
        return response

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.replace is None and is_desk(request):
            parts.replace = settings.ADMIN_CONTENT_SECURITY_POLICY_REPLACE
        return parts

    def cached_page_headers(self, request, response) -> dict[str, str]:
        global _cached_page_headers
        if _cached_page_headers is None:
            built = super().process_response(request, HttpResponse())
            built.setdefault("Reporting-Endpoints", REPORTING_ENDPOINTS)
            _cached_page_headers = {
                name: value
                for name, value in built.items()
                if name.lower().startswith("content-security-policy")
                or name == "Reporting-Endpoints"
            }
        return _cached_page_headers
