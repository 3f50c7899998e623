"""The topic index reads counts stored on each topic, kept right by the desk's own calls.

Changes go through the paths editors use (workflow transitions, the story form's topics, the
library's merge, the page cache's check for schedules coming due), with their after-commit
calls run; each stored count is then compared with `published()`, the one rule.
"""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.cache import invalidate
from articles.cache import pages as page_cache
from articles.models import Article, Topic, TransitionError
from tests.support.clock import NOW
from tests.support.factories import ArticleFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run what a change asks for after commit, as a committed request would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def filed(*topics, **fields):
    """A story on the desk, ready to publish, in `topics`."""
    story = ArticleFactory(bylined=True, **fields)
    story.topics.add(*topics)
    return story


def index(client) -> dict[str, int]:
    """The topic index as readers see it: each topic's name and the count it shows."""
    found = re.findall(
        r'<a href="/topics/[^"]+/">([^<]+)</a> <span class="count">(\d+) ',
        client.get("/topics/").text,
    )
    return {name: int(count) for name, count in found}


def stored_and_true() -> dict[str, tuple[int, int]]:
    return {
        topic.name: (topic.published_count, Article.objects.published().in_topic(topic).count())
        for topic in Topic.objects.all()
    }


def due_check() -> None:
    """What the page cache does before every request (and the worker once a minute)."""
    page_cache.came_due(cache.get_many([page_cache.DUE_KEY]))


def test_publishing_a_story_counts_it_and_puts_a_new_topic_on_the_index(client, editor, on_commit):
    trade, defense = TopicFactory(name="trade"), TopicFactory(name="defense")
    with on_commit():
        filed(defense).publish(by=editor)
    story = filed(trade, defense)
    assert index(client) == {"defense": 1}

    with on_commit():
        story.publish(by=editor)

    assert index(client) == {"defense": 2, "trade": 1}


@pytest.mark.parametrize("take_down", ["kill", "unpublish"])
def test_taking_a_story_down_lowers_counts_and_drops_a_topic_left_without_stories(
    client, editor, on_commit, take_down
):
    defense, obituary = TopicFactory(name="defense"), TopicFactory(name="obituary")
    with on_commit():
        filed(defense).publish(by=editor)
        story = filed(defense, obituary)
        story.publish(by=editor)
    assert index(client) == {"defense": 2, "obituary": 1}

    with on_commit():
        if take_down == "kill":
            story.kill(by=editor, reason="Court order")
        else:
            story.unpublish(by=editor)

    assert index(client) == {"defense": 1}


def test_a_topic_taken_off_a_published_story_loses_its_count(client, editor, on_commit):
    defense, leak = TopicFactory(name="defense"), TopicFactory(name="budget leak")
    with on_commit():
        story = filed(defense, leak)
        story.publish(by=editor)
    assert index(client) == {"defense": 1, "budget leak": 1}

    with on_commit():  # as the story form saves its topics, then calls the desk's invalidation
        story.topics.set([defense])
        invalidate.story_changed(story)

    assert index(client) == {"defense": 1}


def test_deleting_a_published_story_lowers_its_topics_counts(client, on_commit):
    # Stories published through the workflow keep their audit trail and cannot be deleted;
    # one written published (an import) can.
    defense = TopicFactory(name="defense")
    with on_commit():
        kept, deleted = filed(defense, published=True), filed(defense, published=True)
        invalidate.story_changed(kept)
        invalidate.story_changed(deleted)
    assert index(client) == {"defense": 2}

    with on_commit():  # as the desk deletes a story
        invalidate.story_deleted(deleted)
        deleted.delete()

    assert index(client) == {"defense": 1}


def test_a_scheduled_story_is_counted_once_it_comes_due(client, editor, on_commit, settings):
    settings.PAGE_CACHE_ENABLED = True
    later = NOW + timedelta(hours=2)
    elections = TopicFactory(name="elections")
    with time_machine.travel(NOW, tick=False):
        with on_commit():
            filed(elections).publish(by=editor, at=later)
        assert index(client) == {}
        assert Topic.objects.get().published_count == 0

    with time_machine.travel(later - timedelta(seconds=1), tick=False):
        assert index(client) == {}

    # The page cache checks for schedules coming due before it serves (or renders) a page.
    with time_machine.travel(later, tick=False):
        assert index(client) == {"elections": 1}
        assert Topic.objects.get().published_count == 1


def test_a_story_out_of_its_embargo_is_counted_by_the_due_check(editor, on_commit):
    trade = TopicFactory(name="trade")
    with time_machine.travel(NOW, tick=False):
        with on_commit():
            story = filed(trade, embargo_until=NOW + timedelta(hours=1))
            story.publish(by=editor, at=NOW + timedelta(hours=1))
    with time_machine.travel(NOW + timedelta(hours=1, minutes=3), tick=False):
        assert stored_and_true() == {"trade": (0, 1)}
        due_check()
        assert stored_and_true() == {"trade": (1, 1)}


def test_merging_topics_adds_up_their_stories_once(client, editor, on_commit):
    cepa, duplicate = TopicFactory(name="CEPA"), TopicFactory(name="Cepa deal")
    with on_commit():
        for topics in [(cepa,), (cepa, duplicate), (duplicate,), (duplicate,)]:
            filed(*topics).publish(by=editor)
    assert index(client) == {"CEPA": 2, "Cepa deal": 3}

    with on_commit():
        duplicate.merge_into(cepa)

    assert index(client) == {"CEPA": 4}


def test_refresh_topic_counts_fixes_a_count_set_wrong(capsys):
    right, wrong = TopicFactory(name="right"), TopicFactory(name="wrong")
    for topic in (right, wrong):
        ArticleFactory(published=True).topics.add(topic)
    Topic.objects.filter(pk=right.pk).update(published_count=1)
    Topic.objects.filter(pk=wrong.pk).update(published_count=7)

    call_command("refresh_topic_counts", batch_size=1)

    assert stored_and_true() == {"right": (1, 1), "wrong": (1, 1)}
    assert "(1 changed)" in capsys.readouterr().out


def test_generating_an_archive_leaves_its_topics_counted():
    call_command("generate_newsroom", stories=30, topics=6, contributors=3, photos=1)

    counts = stored_and_true()
    assert all(stored == true for stored, true in counts.values()), counts
    assert sum(stored for stored, _ in counts.values()) > 0


def test_the_topic_index_reads_no_story_however_large_the_archive(client):
    topics = TopicFactory.create_batch(3)
    for _ in range(5):
        ArticleFactory(published=True).topics.add(*topics)
    Topic.objects.all().recount()  # written by factories, as a bulk script would
    client.get("/topics/")  # the menu and banner are kept after a process's first page

    with CaptureQueriesContext(connection) as queries:
        assert len(index(client)) == 3

    assert len(queries) == 1
    assert not [q["sql"] for q in queries if '"articles_article"' in q["sql"]]


# Any sequence of desk actions leaves every stored count equal to `published()`'s.

action = st.tuples(
    st.sampled_from(
        [
            "publish",
            "schedule",
            "unpublish",
            "kill",
            "restore",
            "add topic",
            "remove topic",
            "time passes",
        ]
    ),
    st.integers(0, 3),  # which story
    st.integers(0, 2),  # which topic
)


@settings(
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    first_topics=st.lists(st.sets(st.integers(0, 2), max_size=3), min_size=4, max_size=4),
    actions=st.lists(action, min_size=1, max_size=12),
)
def test_stored_counts_equal_the_rule_after_any_desk_actions(
    editor, on_commit, first_topics, actions
):
    with transaction.atomic(), time_machine.travel(NOW, tick=False) as clock:
        cache.clear()
        topics = [TopicFactory(name=f"topic {n}") for n in range(3)]
        stories = [filed(*(topics[n] for n in chosen)) for chosen in first_topics]
        for name, which, topic_n in actions:
            story, topic = stories[which], topics[topic_n]
            story.refresh_from_db()
            with on_commit():
                try:
                    if name == "publish":
                        story.publish(by=editor, at=timezone.now())
                    elif name == "schedule":
                        story.publish(by=editor, at=timezone.now() + timedelta(minutes=30))
                    elif name in ("unpublish", "kill", "restore"):
                        kwargs = {"reason": "Legal"} if name == "kill" else {}
                        getattr(story, name)(by=editor, **kwargs)
                    elif name in ("add topic", "remove topic"):
                        getattr(story.topics, name.split()[0])(topic)
                        invalidate.story_changed(story)
                    else:
                        clock.shift(timedelta(hours=1))
                        due_check()
                except (TransitionError, PermissionDenied):
                    continue
            counts = stored_and_true()
            assert all(stored == true for stored, true in counts.values()), (name, counts)
        transaction.set_rollback(True)
