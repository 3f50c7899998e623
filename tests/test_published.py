from datetime import timedelta

import pytest
import time_machine

from articles.models import Article
from tests.support.clock import NOW
from tests.support.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def visible():
    return set(Article.objects.published())


@time_machine.travel(NOW, tick=False)
def test_only_due_published_stories_are_visible():
    due = ArticleFactory(status="published", publish_at=NOW - timedelta(minutes=1))
    at_the_second = ArticleFactory(status="published", publish_at=NOW)
    ArticleFactory(status="published", publish_at=NOW + timedelta(seconds=1))
    ArticleFactory(status="draft", publish_at=NOW - timedelta(days=1))
    for status in ["in_review", "ready", "unpublished", "killed"]:
        ArticleFactory(status=status, publish_at=NOW - timedelta(days=1))
    assert visible() == {due, at_the_second}


@time_machine.travel(NOW, tick=False)
def test_scheduled_story_appears_exactly_at_its_time():
    scheduled = ArticleFactory(status="published", publish_at=NOW + timedelta(hours=2))
    assert scheduled not in visible()
    with time_machine.travel(NOW + timedelta(hours=2) - timedelta(microseconds=1), tick=False):
        assert scheduled not in visible()
    with time_machine.travel(NOW + timedelta(hours=2), tick=False):
        assert scheduled in visible()


@time_machine.travel(NOW, tick=False)
def test_embargoed_story_stays_hidden_until_the_embargo_passes():
    embargoed = ArticleFactory(
        status="published",
        publish_at=NOW - timedelta(hours=1),
        embargo_until=NOW + timedelta(minutes=30),
    )
    assert embargoed not in visible()
    with time_machine.travel(NOW + timedelta(minutes=30), tick=False):
        assert embargoed in visible()
