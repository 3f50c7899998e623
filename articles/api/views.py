"""The API's endpoints. Every story comes from `Article.objects.published()`, narrowed to the
reader's scope, in the `for_detail()` shape; photos and corrections only through such stories.
"""

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import urlencode
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from articles.api import ninjs, openapi
from articles.api.access import ApiKeyAuthentication, CanRead, scope_of
from articles.api.responses import cached_json
from articles.models import (
    Article,
    ArticlePhoto,
    Byline,
    Contributor,
    Correction,
    Photo,
    Section,
    Topic,
)
from articles.public.pagination import EPOCH, keyset_page, parse_cursor

STORY_FILTERS = {
    "topic", "section", "contributor", "updated_since", "published_after", "published_before",
}  # fmt: skip
CURSORS = {"before", "after"}
LIMIT = "limit"
MAX_LIMIT = 100


def next_link(request, **cursor) -> str:
    params = {k: v for k, v in request.GET.items() if k not in CURSORS}
    return ninjs.site_url(f"{request.path}?{urlencode({**params, **cursor})}")


def check_parameters(request, allowed: set[str]) -> None:
    unknown = sorted(set(request.GET) - allowed)
    if unknown:
        raise exceptions.ValidationError(
            {name: ["Not a parameter of this endpoint."] for name in unknown}
        )


def page_size(request) -> int:
    """`?limit=` (1 to 100), or the default page size (20)."""
    value = request.GET.get(LIMIT)
    if value is None:
        return settings.NEWSROOM_API["PAGE_SIZE"]
    if not value.isdigit() or not 1 <= int(value) <= MAX_LIMIT:
        raise exceptions.ValidationError({LIMIT: [f"A whole number from 1 to {MAX_LIMIT}."]})
    return int(value)


def moment(request, name: str):
    value = request.GET.get(name)
    if value is None:
        return None
    parsed = parse_datetime(value.strip().replace(" ", "+"))
    if parsed is None:
        raise exceptions.ValidationError(
            {name: ["An ISO 8601 date and time, e.g. 2026-12-01T09:00:00Z."]}
        )
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def by_slug(request, name: str, model, scope_check=None):
    slug = request.GET.get(name)
    if slug is None:
        return None
    found = model.objects.filter(slug=slug).first()
    if found is None:
        raise exceptions.ValidationError({name: [f"No {name} “{slug[:100]}”."]})
    if scope_check is not None and not scope_check(found):
        raise exceptions.PermissionDenied(f"This key does not cover the {name} “{slug}”.")
    return found


def valid_cursor(request, name: str, parse=parse_cursor):
    value = request.GET.get(name)
    if value is None:
        return None
    try:
        return parse(value)
    except Http404 as exc:
        raise exceptions.ValidationError({name: ["Not a cursor this API gave out."]}) from exc


class ApiView(APIView):
    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [CanRead]
    # Counted with the cache lookup, in the same round trip (responses.py).
    throttle_classes = []
    renderer_classes = [JSONRenderer]
    parameters: set[str] = set()

    def get(self, request, **kwargs):
        scope = scope_of(request)

        def build():
            # Only a valid request is ever stored, so a hit needs no checking again.
            check_parameters(request, self.parameters)
            return self.build(request, scope, **kwargs)

        return cached_json(request, scope, build)

    def build(self, request, scope, **kwargs) -> dict:
        raise NotImplementedError


def visible_stories(scope):
    return scope.stories(Article.objects.published())


class StoryList(ApiView):
    parameters = STORY_FILTERS | CURSORS | {LIMIT}

    @extend_schema(**openapi.STORY_LIST)
    def get(self, request):
        return super().get(request)

    def build(self, request, scope):
        stories = visible_stories(scope)
        topic = by_slug(request, "topic", Topic, scope.allows_topic)
        section = by_slug(request, "section", Section, scope.allows_section)
        contributor = by_slug(request, "contributor", Contributor)
        if topic:
            stories = stories.in_topic(topic)
        if section:
            stories = stories.in_section(section)
        if contributor:
            stories = stories.by_contributor(contributor)
        if since := moment(request, "updated_since"):
            stories = stories.filter(updated_at__gte=since)
        if after := moment(request, "published_after"):
            stories = stories.filter(publish_at__gte=after)
        if before := moment(request, "published_before"):
            stories = stories.filter(publish_at__lt=before)
        valid_cursor(request, "before")
        valid_cursor(request, "after")
        size = page_size(request)
        try:
            page = keyset_page(request, stories.newest_first().for_detail(), size)
        except Http404:  # a cursor past the last story: nothing there, not an error
            return {"items": [], "next": None, "previous": None}
        return {
            "items": [ninjs.story(article) for article in page.object_list],
            "next": next_link(request, before=page.older) if page.older else None,
            "previous": next_link(request, after=page.newer) if page.newer else None,
        }


class StoryDetail(ApiView):
    @extend_schema(**openapi.STORY_DETAIL)
    def get(self, request, pk):
        return super().get(request, pk=pk)

    def build(self, request, scope, pk):
        article = visible_stories(scope).for_detail().filter(pk=pk).first()
        if article is None:
            raise exceptions.NotFound("No published story with this id.")
        return ninjs.story(article)


def topic_data(topic, count: int) -> dict:
    return {
        "name": topic.name,
        "slug": topic.slug,
        "description": topic.description,
        "media_topic": topic.iptc_code or None,
        "story_count": count,
        "url": ninjs.site_url(topic.get_absolute_url()),
        "stories": next_link_for("api:story-list", topic=topic.slug),
    }


def next_link_for(name: str, **params) -> str:
    return ninjs.site_url(f"{reverse(name)}?{urlencode(params)}")


class TopicList(ApiView):
    parameters = {"after"}
    per_page = 100

    @extend_schema(**openapi.TOPIC_LIST)
    def get(self, request):
        return super().get(request)

    def build(self, request, scope):
        after = request.GET.get("after", "")[:200]
        stories = visible_stories(scope)
        topics = list(
            Topic.objects.filter(Exists(stories.filter(topics=OuterRef("pk"))))
            .filter(name__gt=after)
            .order_by("name")[: self.per_page + 1]
        )
        more, topics = len(topics) > self.per_page, topics[: self.per_page]
        counts = stories.count_by_topic([topic.pk for topic in topics])
        return {
            "items": [topic_data(topic, counts.get(topic.pk, 0)) for topic in topics],
            "next": next_link(request, after=topics[-1].name) if more else None,
        }


class SectionList(ApiView):
    @extend_schema(**openapi.SECTION_LIST)
    def get(self, request):
        return super().get(request)

    def build(self, request, scope):
        sections = Section.objects.all()
        if not scope.all_content:
            sections = sections.filter(pk__in=scope.section_ids)
        return {
            "items": [
                {
                    "name": section.name,
                    "slug": section.slug,
                    "description": section.description,
                    "url": ninjs.site_url(section.get_absolute_url()),
                    "stories": next_link_for("api:story-list", section=section.slug),
                }
                for section in sections
            ]
        }


class ContributorList(ApiView):
    parameters = {"after"}
    per_page = 100

    @extend_schema(**openapi.CONTRIBUTOR_LIST)
    def get(self, request):
        return super().get(request)

    def build(self, request, scope):
        credited = Byline.objects.filter(
            contributor=OuterRef("pk"), article__in=visible_stories(scope)
        )
        after = request.GET.get("after", "")[:200]
        contributors = list(
            Contributor.objects.filter(Exists(credited), slug__gt=after).order_by("slug")[
                : self.per_page + 1
            ]
        )
        more, contributors = len(contributors) > self.per_page, contributors[: self.per_page]
        return {
            "items": [
                {
                    "name": contributor.name,
                    "slug": contributor.slug,
                    "kind": contributor.kind,
                    "job_title": contributor.job_title,
                    "bio": contributor.bio,
                    "url": ninjs.site_url(contributor.get_absolute_url()),
                    "stories": next_link_for("api:story-list", contributor=contributor.slug),
                }
                for contributor in contributors
            ],
            "next": next_link(request, after=contributors[-1].slug) if more else None,
        }


def visible_photos(scope):
    """Photos with their picture, placed in a story the reader may see."""
    placed = ArticlePhoto.objects.visible().filter(article__in=visible_stories(scope))
    return Photo.objects.with_image().filter(pk__in=placed.values("photo"))


def parse_id(value: str) -> int:
    if not value.isdigit() or len(value) > 18:
        raise Http404
    return int(value)


class PhotoList(ApiView):
    parameters = {"before", LIMIT}

    @extend_schema(**openapi.PHOTO_LIST)
    def get(self, request):
        return super().get(request)

    def build(self, request, scope):
        photos = visible_photos(scope).order_by("-pk")
        if (before := valid_cursor(request, "before", parse_id)) is not None:
            photos = photos.filter(pk__lt=before)
        size = page_size(request)
        rows = list(photos[: size + 1])
        more, rows = len(rows) > size, rows[:size]
        return {
            "items": [ninjs.picture(photo) for photo in rows],
            "next": next_link(request, before=rows[-1].pk) if more else None,
        }


class PhotoDetail(ApiView):
    @extend_schema(**openapi.PHOTO_DETAIL)
    def get(self, request, pk):
        return super().get(request, pk=pk)

    def build(self, request, scope, pk):
        photo = visible_photos(scope).filter(pk=pk).first()
        if photo is None:
            raise exceptions.NotFound("No photo with this id in a published story.")
        return ninjs.picture(photo)


class CorrectionList(ApiView):
    parameters = {"before", LIMIT}

    @extend_schema(**openapi.CORRECTION_LIST)
    def get(self, request):
        return super().get(request)

    def build(self, request, scope):
        corrections = Correction.objects.public().newest_first().select_related("article")
        if not scope.all_content:
            corrections = corrections.filter(article__in=scope.stories(Article.objects.all()))
        if cursor := valid_cursor(request, "before"):
            when, pk = cursor
            corrections = corrections.filter(Q(created_at__lt=when) | Q(created_at=when, pk__lt=pk))
        size = page_size(request)
        rows = list(corrections[: size + 1])
        more, rows = len(rows) > size, rows[:size]
        return {
            "items": [
                {
                    "kind": correction.kind,
                    "text": correction.text,
                    "created_at": ninjs.iso(correction.created_at),
                    "story": ninjs.story_uri(correction.article_id),
                    "headline": correction.article.headline,
                    "url": ninjs.site_url(correction.article.get_absolute_url()),
                }
                for correction in rows
            ],
            "next": next_link(request, before=correction_cursor(rows[-1])) if more else None,
        }


def correction_cursor(correction) -> str:
    delta = correction.created_at - EPOCH
    microseconds = (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds
    return f"{microseconds}.{correction.pk}"
