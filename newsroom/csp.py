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


def is_desk(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and match.app_name == "admin"


class NewsroomCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, applying ADMIN_CONTENT_SECURITY_POLICY_REPLACE on the desk."""

    def process_response(self, request, response):
        response = super().process_response(request, response)
        # Names the endpoint that the policy's `report-to csp` sends violations to.
        response.setdefault("Reporting-Endpoints", 'csp="/csp-report/"')
        return response

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.replace is None and is_desk(request):
            parts.replace = settings.ADMIN_CONTENT_SECURITY_POLICY_REPLACE
        return parts
