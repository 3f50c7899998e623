"""Benchmark-only stand-ins: a 50 KB static page, and surrogate keys on story pages.

The site's own keys (`story-<id>` on every public response) come from the page tagging work;
until then the purge benchmark tags story pages by slug, which costs Varnish the same.
"""

from django.http import HttpResponse

STATIC_BODY = ("<p>" + "x" * 96 + "</p>\n") * 492  # ~50 KB


def static_50k(request):
    response = HttpResponse(STATIC_BODY)
    response["Cache-Control"] = "public, max-age=300"
    return response


class TagStoryPages:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = request.resolver_match
        if match and match.url_name == "detail" and "xkey" not in response:
            response["xkey"] = f"slug-{match.kwargs['slug']}"
        return response
