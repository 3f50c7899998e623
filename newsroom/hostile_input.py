"""Addresses and query strings with a NUL character are a 400, before any view sees them.

PostgreSQL cannot store or compare text containing NUL, so a slug or filter carrying one
raises a DataError deep in a query: a 500 for anyone who types `%00`. No page of the site
has a use for NUL, so it is refused here once rather than in every view, form and filter.
Other control characters reach the views, which treat them as any unknown text (tested in
tests/test_control_characters.py). Form fields refuse NUL themselves (Django's
ProhibitNullCharactersValidator).
"""

from django.http import HttpResponseBadRequest


def has_nul(request) -> bool:
    if "\x00" in request.path:
        return True
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for key, values in request.GET.lists()
    )


class RefuseNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_nul(request):
            return HttpResponseBadRequest(
                "This address contains a character no page uses (NUL).",
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
