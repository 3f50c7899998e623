"""Free slugs for stories and contributors: "fire-in-busan", then "fire-in-busan-2"."""

from django.db.models import Q
from django.utils.text import slugify


def available_slugs(queryset, texts: list[str], *, fallback: str, max_length: int) -> list[str]:
    """A slug for each of `texts` that no row of `queryset` has, distinct from each other too.

    One query, whatever the number of texts: every taken slug sharing a base is read at once.
    """
    if not texts:
        return []
    bases = [
        slugify(text, allow_unicode=True)[:max_length].strip("-") or fallback for text in texts
    ]
    prefixes = Q()
    for base in set(bases):
        prefixes |= Q(slug__startswith=base)
    taken = set(queryset.filter(prefixes).values_list("slug", flat=True).iterator())
    slugs = []
    for base in bases:
        slug, n = base, 2
        while slug in taken:
            suffix = f"-{n}"
            slug = f"{base[: max_length - len(suffix)]}{suffix}"
            n += 1
        taken.add(slug)
        slugs.append(slug)
    return slugs
