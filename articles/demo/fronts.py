"""The demo's curated home front and its breaking-news banner, from `demo.json`'s "home_front".

Made once: if the home front already has an arrangement, editors' work is left alone.
"""

from datetime import timedelta

import reversion
from django.utils import timezone

from articles.models import Arrangement, Article, Banner, Front, Slot, Topic, TopicBox


def load_home_front(data: dict | None) -> int:
    """Arrange the home front as `data` says, with a first revision; return 1 if it was made."""
    if not data:
        return 0
    # Made by the fronts migration; again here for a database emptied since (test flushes).
    home, _ = Front.objects.get_or_create(slug=Front.HOME, defaults={"name": "Home page"})
    if home.arrangements.exists():
        return 0
    now = timezone.now()
    stories = Article.objects.in_bulk(
        [data["lead"], *data["top"], *data["secondary"], data["banner"]["story"]],
        field_name="slug",
    )
    with reversion.create_revision():
        arrangement = Arrangement.objects.create(
            front=home, name=data["name"], starts_at=now - timedelta(minutes=1)
        )
        placed = [("lead", data["lead"]), *(("top", s) for s in data["top"]),
                  *(("secondary", s) for s in data["secondary"])]  # fmt: skip
        Slot.objects.bulk_create(
            Slot(arrangement=arrangement, zone=zone, position=position, article=stories[slug])
            for position, (zone, slug) in enumerate(placed)
            if slug in stories
        )
        topics = {topic.name: topic for topic in Topic.objects.filter(name__in=data["topic_boxes"])}
        TopicBox.objects.bulk_create(
            TopicBox(arrangement=arrangement, topic=topics[name], position=position)
            for position, name in enumerate(data["topic_boxes"])
            if name in topics
        )
        reversion.add_to_revision(arrangement)
        reversion.set_comment("Loaded with the demo newsroom.")
    banner, story = data["banner"], stories.get(data["banner"]["story"])
    Banner.objects.create(
        text=banner["text"],
        link=story.get_absolute_url() if story else "",
        starts_at=now - timedelta(minutes=1),
        ends_at=now + timedelta(hours=banner["hours"]),
    )
    return 1
