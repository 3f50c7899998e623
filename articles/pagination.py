from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404


def paginate(request, object_list, per_page: int | None = None):
    """The requested page of `object_list`; a page that does not exist is a 404, not a 500."""
    paginator = Paginator(object_list, per_page or settings.NEWSROOM["PAGE_SIZE"])
    try:
        return paginator.page(request.GET.get("page") or 1)
    except InvalidPage as exc:
        raise Http404("No such page.") from exc
