"""The one "now" that time-frozen tests share: a Sunday morning in the newsroom's time zone."""

from django.utils import timezone

NOW = timezone.datetime(2026, 3, 1, 9, 0, tzinfo=timezone.get_fixed_timezone(540))
