from collections import Counter

from django.core.exceptions import PermissionDenied

from articles.desk.pages import desk_page
from articles.wire.forms import WireUploadForm
from articles.wire.importer import Outcome, WireImporter, read_capped


def import_wire(request, model_admin):
    """Upload wire files and see, file by file, what became of each.

    Wrapped in `admin_site.admin_view` by ArticleAdmin.get_urls (staff login, no caching);
    importing creates articles, so it takes the permission to add them.
    """
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    results = []
    form = (
        WireUploadForm(request.POST, request.FILES)
        if request.method == "POST"
        else WireUploadForm()
    )
    if form.is_bound and form.is_valid():
        importer = WireImporter(user=request.user)
        results = list(
            importer.import_all(
                (upload.name, lambda upload=upload: read_capped(upload))
                for upload in form.cleaned_data["files"]
            )
        )
    counts = Counter(result.outcome for result in results)
    return desk_page(
        model_admin,
        request,
        "admin/articles/article/import_wire.html",
        "Import wire copy",
        form=form,
        results=results,
        counts=[(outcome, counts[outcome]) for outcome in Outcome],
    )
