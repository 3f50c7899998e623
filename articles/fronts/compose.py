"""What readers see on a front: editors' choices where they stand, the newest stories elsewhere.

Every story comes through `Article.objects.published()`: a slot whose story is unpublished,
killed, embargoed or past its pin is filled with the newest story not shown higher up, so a
front never has a hole and never shows what readers may not see. The number of queries
depends on neither the number of stories nor the number of zones or topic boxes.
"""

from dataclasses import dataclass, field

from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from articles.models import Arrangement, Article, Front, TaggedArticle, Topic
from articles.models.front import LATEST_SIZE, ZONE_SIZES, Zone

# Topic boxes shown when a front has no arrangement yet: the featured topics, this many.
DEFAULT_TOPIC_BOXES = 4
DEFAULT_BOX_SIZE = 4


@dataclass
class Box:
    topic: Topic
    stories: list[Article]


@dataclass
class FrontPage:
    arrangement: Arrangement | None
    zones: dict[str, list[Article]] = field(default_factory=dict)
    topic_boxes: list[Box] = field(default_factory=list)
    latest: list[Article] = field(default_factory=list)

    @property
    def lead(self) -> Article | None:
        stories = self.zones.get(Zone.LEAD)
        return stories[0] if stories else None

    @property
    def top(self) -> list[Article]:
        return self.zones.get(Zone.TOP, [])

    @property
    def secondary(self) -> list[Article]:
        return self.zones.get(Zone.SECONDARY, [])

    @property
    def stories(self) -> list[Article]:
        """Every story on the front, top to bottom."""
        boxed = [story for box in self.topic_boxes for story in box.stories]
        return [*(s for z in Zone for s in self.zones.get(z, [])), *boxed, *self.latest]


def compose(*, section=None, arrangement: Arrangement | None = None, at=None) -> FrontPage:
    """The front readers see now: of `section` (the home page without one), or of `arrangement`.

    An `arrangement` given here (a desk preview) must come from `Arrangement.objects.for_page()`.
    """
    now = at or timezone.now()
    if arrangement is None:
        arrangement = Arrangement.objects.current_for(section=section).first()
    if arrangement is not None:
        section_id = arrangement.front.section_id
        slots = [slot for slot in arrangement.slots.all() if not slot.is_expired(now)]
        boxes = [(box.topic, box.size) for box in arrangement.topic_boxes.all()]
    else:
        section_id = getattr(section, "pk", None)
        slots = []
        featured = Topic.objects.featured().order_by("name")[:DEFAULT_TOPIC_BOXES]
        boxes = [(topic, DEFAULT_BOX_SIZE) for topic in featured] if section_id is None else []

    readable = Article.objects.published()
    placed = [slot.article_id for slot in slots]
    pool_size = sum(ZONE_SIZES.values()) + LATEST_SIZE + len(placed)
    newest = readable if section_id is None else readable.filter(section_id=section_id)
    pool = list(newest.newest_first().values_list("pk", flat=True)[:pool_size])
    boxed = newest_in_topics(readable, boxes, extra=sum(ZONE_SIZES.values()) + len(placed))
    wanted = {*placed, *pool, *(pk for ids in boxed.values() for pk in ids)}
    stories = {story.pk: story for story in readable.filter(pk__in=wanted).for_listing()}

    # The breaking-news banner is every page's, not the front's (articles/fronts/banner.py).
    page = FrontPage(arrangement=arrangement)
    # Editors' stories keep their places; the newest stories fill around them.
    reserved = {pk for pk in placed if pk in stories}
    shown: set[int] = set()
    fallback = (pk for pk in pool if pk in stories)

    def newest_unshown():
        for pk in fallback:
            if pk not in shown and pk not in reserved:
                return stories[pk]
        return None

    for zone in Zone:
        chosen = [slot.article_id for slot in slots if slot.zone == zone][: ZONE_SIZES[zone]]
        column = []
        for pk in chosen:
            story = stories.get(pk) if pk not in shown else None
            column.append(story or newest_unshown())
        while len(column) < ZONE_SIZES[zone]:
            column.append(newest_unshown())
        page.zones[zone] = [story for story in column if story is not None]
        shown.update(story.pk for story in page.zones[zone])
    shown |= reserved
    for topic, size in boxes:
        picked = [stories[pk] for pk in boxed.get(topic.pk, []) if pk not in shown][:size]
        if picked:
            page.topic_boxes.append(Box(topic=topic, stories=picked))
            shown.update(story.pk for story in picked)
    page.latest = [stories[pk] for pk in pool if pk in stories and pk not in shown][:LATEST_SIZE]
    return page


def section_front(request, section) -> FrontPage | None:
    """`section`'s front if editors made one, on the first page of its stories only.

    `section` comes with `select_related("front")`, so a section without one costs no query.
    """
    if request.GET.get("before") or request.GET.get("after"):
        return None
    try:
        section.front  # noqa: B018  (raises when the section has no front)
    except Front.DoesNotExist:
        return None
    return compose(section=section)


def newest_in_topics(readable, boxes, *, extra: int) -> dict[int, list[int]]:
    """The newest readable story ids of each boxed topic, in one query.

    `extra` more than each box shows, so stories already higher on the front can be skipped.
    """
    if not boxes:
        return {}
    limit = max(size for _, size in boxes) + extra
    rows = (
        TaggedArticle.objects.filter(
            tag_id__in=[topic.pk for topic, _ in boxes], content_object__in=readable
        )
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("tag_id"),
                order_by=[F("content_object__publish_at").desc(), F("content_object_id").desc()],
            )
        )
        .filter(rank__lte=limit)
        .order_by("tag_id", "rank")
        .values_list("tag_id", "content_object_id")
    )
    newest: dict[int, list[int]] = {}
    for topic_id, article_id in rows:
        newest.setdefault(topic_id, []).append(article_id)
    return newest
