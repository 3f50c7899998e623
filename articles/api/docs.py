"""The API's browsable documentation and its answer for addresses it does not have."""

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control

from articles.api.access import PROBLEM_JSON, problem


@cache_control(public=True, max_age=300)
def docs(request):
    """Swagger UI from the project's static files (drf-spectacular-sidecar), no CDN.

    Its scripts are files from this site, allowed by the CSP's script-src 'self' and also
    carrying the request's nonce; the page runs no inline script and has no inline style.
    """
    return render(request, "api/docs.html")


def not_found(request):
    return JsonResponse(
        problem(404, "The API has no such address; see /api/v1/docs/."),
        status=404,
        content_type=PROBLEM_JSON,
    )
