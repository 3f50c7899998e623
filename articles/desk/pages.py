"""The one way a custom desk page is rendered: inside the admin's frame, with its context."""

from django.contrib.admin import helpers
from django.shortcuts import render


def desk_page(model_admin, request, template: str, title: str, **context):
    """Render `template` as a page of `model_admin`'s part of the desk.

    The admin's own context (site header, navigation, the user's apps) comes first, so
    breadcrumbs and the sidebar work on every custom page as on the built-in ones.
    """
    return render(
        request,
        template,
        {
            **model_admin.admin_site.each_context(request),
            "title": title,
            "opts": model_admin.model._meta,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            **context,
        },
    )
