"""How values are written out for editors: one date format and one short line of text.

The desk, the workflow's refusals and the revision history all describe times and field
values to editors; they do it through these two helpers so a story reads the same everywhere.
"""

from django.utils import formats, timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator


def desk_datetime(value) -> str:
    """A moment as editors read it: in the newsroom's time zone, in the site's format."""
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def shown(value) -> str:
    """A form or model value as a short line of text for an editor."""
    if value is None or value == "":
        return "(empty)"
    if hasattr(value, "all"):
        value = list(value.all())
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value) or "(none)"
    if hasattr(value, "tzinfo"):
        return desk_datetime(value)
    return Truncator(" ".join(strip_tags(str(value)).split())).chars(160)
