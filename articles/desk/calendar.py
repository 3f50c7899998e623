"""The editorial calendar's periods: a week or a month, laid out as weeks of days."""

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.urls import path
from django.utils import timezone

from articles.desk.pages import desk_page
from articles.models import Article

VIEWS = ("week", "month")


@dataclass
class Day:
    date: date
    in_period: bool
    is_today: bool
    stories: list = field(default_factory=list)


@dataclass(frozen=True)
class CalendarPeriod:
    view: str
    anchor: date
    today: date

    @classmethod
    def from_query(cls, query, *, today: date) -> "CalendarPeriod":
        """The period asked for by ?view=week|month&date=YYYY-MM-DD (default: this week)."""
        view = query.get("view") or "week"
        if view not in VIEWS:
            raise ValueError(f"There is no “{view}” view; showing this week.")
        raw = query.get("date")
        try:
            anchor = date.fromisoformat(raw) if raw else today
        except ValueError:
            raise ValueError(f"“{raw}” is not a date (YYYY-MM-DD); showing this week.") from None
        return cls(view, anchor, today)

    @property
    def first_day(self) -> date:
        if self.view == "week":
            return self.anchor - timedelta(days=self.anchor.weekday())
        return self.anchor.replace(day=1)

    @property
    def last_day(self) -> date:
        if self.view == "week":
            return self.first_day + timedelta(days=6)
        days = calendar.monthrange(self.anchor.year, self.anchor.month)[1]
        return self.anchor.replace(day=days)

    @property
    def grid(self) -> tuple[date, date]:
        """First and last day shown: whole weeks, Monday to Sunday."""
        return (
            self.first_day - timedelta(days=self.first_day.weekday()),
            self.last_day + timedelta(days=6 - self.last_day.weekday()),
        )

    def bounds(self) -> tuple[datetime, datetime]:
        """The grid as [start, end) in the newsroom's time zone."""
        first, last = self.grid
        return (
            timezone.make_aware(datetime.combine(first, time.min)),
            timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min)),
        )

    @property
    def title(self) -> str:
        if self.view == "week":
            return f"week of {self.first_day:%-d %B %Y}"
        return f"{self.first_day:%B %Y}"

    @property
    def previous(self) -> date:
        if self.view == "week":
            return self.first_day - timedelta(days=7)
        return (self.first_day - timedelta(days=1)).replace(day=1)

    @property
    def next(self) -> date:
        if self.view == "week":
            return self.first_day + timedelta(days=7)
        return self.last_day + timedelta(days=1)

    def weeks(self, stories) -> list[list[Day]]:
        """The grid's days in rows of seven, each holding its stories in time order."""
        first, last = self.grid
        days = {}
        current = first
        while current <= last:
            in_period = self.first_day <= current <= self.last_day
            days[current] = Day(current, in_period, current == self.today)
            current += timedelta(days=1)
        for story in stories:
            day = days.get(timezone.localdate(story.publish_at))
            if day is not None:
                day.stories.append(story)
        ordered = list(days.values())
        return [ordered[i : i + 7] for i in range(0, len(ordered), 7)]


CALENDAR_FIELDS = ["headline", "slug", "status", "publish_at", "embargo_until", "created_at"]


class CalendarAdminMixin:
    """The editorial calendar, for whoever may view stories."""

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("calendar/", wrap(self.calendar_view), name="articles_article_calendar"),
            *super().get_urls(),
        ]

    def calendar_view(self, request):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        try:
            period = CalendarPeriod.from_query(request.GET, today=timezone.localdate())
        except ValueError as problem:
            self.message_user(request, str(problem), messages.ERROR)
            period = CalendarPeriod.from_query({}, today=timezone.localdate())
        start, end = period.bounds()
        stories = list(
            Article.objects.readable_by(request.user).on_calendar(start, end).only(*CALENDAR_FIELDS)
        )
        return desk_page(
            self,
            request,
            "admin/articles/article/calendar.html",
            f"Calendar: {period.title}",
            period=period,
            weeks=period.weeks(stories),
            today=timezone.localdate(),
        )
