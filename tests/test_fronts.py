"""The home front as readers see it: editors' choices, holes filled, never a hidden story."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles.fronts.banner import showing_banner
from articles.fronts.compose import compose
from articles.models import Arrangement, Banner, Front, Slot, TopicBox
from articles.models.front import next_front_change
from tests.conftest import unpublished_states
from tests.support.factories import (
    ArticleFactory,
    ArticlePhotoFactory,
    BylineFactory,
    SectionFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


def story(hours_ago=1, **fields):
    return ArticleFactory(
        published=True, publish_at=timezone.now() - timedelta(hours=hours_ago), **fields
    )


def arrange(*placed, front=None, starts_at=None, boxes=(), **fields):
    """A live arrangement placing `placed` as (zone, article[, pinned_until]) in that order."""
    front = front or Front.objects.home().get()
    arrangement = Arrangement.objects.create(
        front=front,
        name=fields.pop("name", "Morning front"),
        starts_at=starts_at or timezone.now() - timedelta(minutes=5),
    )
    for position, (zone, article, *pinned) in enumerate(placed):
        Slot.objects.create(
            arrangement=arrangement,
            zone=zone,
            position=position,
            article=article,
            pinned_until=pinned[0] if pinned else None,
        )
    for position, (topic, size) in enumerate(boxes):
        TopicBox.objects.create(arrangement=arrangement, topic=topic, position=position, size=size)
    return arrangement


def test_the_home_front_exists_from_the_start():
    assert Front.objects.home().get().name == "Home page"


def test_editors_choices_stand_where_they_put_them_and_the_newest_fill_the_rest():
    newest = [story(hours_ago=h) for h in range(1, 15)]
    chosen_lead, chosen_top = story(hours_ago=50), story(hours_ago=60)
    arrange(("lead", chosen_lead), ("top", chosen_top))
    front = compose()
    assert front.lead == chosen_lead
    assert front.top == [chosen_top, *newest[:3]]
    assert front.secondary == newest[3:9]
    assert front.latest == newest[9:]


@pytest.mark.parametrize("state", list(unpublished_states()))
def test_a_story_readers_may_not_see_leaves_the_front_at_once(client, state):
    newest = story(hours_ago=2)
    placed = story(hours_ago=1, headline="Placed on the lead")
    arrange(("lead", placed))
    assert compose().lead == placed
    for name, value in unpublished_states()[state].items():
        setattr(placed, name, value)
    placed.save()
    response = client.get("/")
    assert response.context["front"].lead == newest
    assertNotContains(response, "Placed on the lead")


def test_a_pin_holds_the_slot_until_its_time_then_the_newest_story_takes_it():
    newest = story(hours_ago=1)
    pinned = story(hours_ago=30)
    until = timezone.now() + timedelta(hours=2)
    arrange(("lead", pinned, until))
    assert compose().lead == pinned
    assert next_front_change() == until
    with time_machine.travel(until + timedelta(seconds=1)):
        front = compose()
    assert front.lead == newest
    assert front.top == [pinned]  # back among the newest, in its place by time


def test_a_scheduled_arrangement_replaces_the_current_one_at_its_start_time():
    night, morning = story(hours_ago=3), story(hours_ago=4)
    arrange(("lead", night), name="Night")
    six = timezone.now() + timedelta(hours=5)
    arrange(("lead", morning), name="Morning", starts_at=six)
    assert compose().lead == night
    assert next_front_change() == six
    with time_machine.travel(six + timedelta(seconds=1)):
        assert compose().lead == morning


def test_a_draft_arrangement_is_never_shown_to_readers():
    draft_lead = story(hours_ago=5)
    newest = story(hours_ago=1)
    arrangement = arrange(("lead", draft_lead))
    arrangement.starts_at = None
    arrangement.save()
    assert compose().lead == newest
    # The desk's preview shows it as it would look.
    preview = compose(arrangement=Arrangement.objects.for_page().get(pk=arrangement.pk))
    assert preview.lead == draft_lead


def test_no_story_appears_twice_and_topic_boxes_skip_what_is_above():
    defense = TopicFactory(name="defense")
    stories = [story(hours_ago=h) for h in range(1, 25)]
    for article in stories[::2]:
        article.topics.add(defense)
    arrange(("lead", stories[0]), boxes=[(defense, 3)])
    front = compose()
    shown = [article.pk for article in front.stories]
    assert len(shown) == len(set(shown))
    (box,) = front.topic_boxes
    above = {a.pk for a in [front.lead, *front.top, *front.secondary]}
    assert box.topic == defense
    assert len(box.stories) == 3
    assert all(a.pk not in above and defense in a.topics.all() for a in box.stories)


def test_a_section_front_fills_from_its_own_section():
    politics, sports = SectionFactory(name="Politics"), SectionFactory(name="Sports")
    ours = [story(hours_ago=h, section=politics) for h in (3, 4)]
    story(hours_ago=1, section=sports)
    front = Front.objects.create(name="Politics", slug="politics", section=politics)
    arrange(("top", ours[1]), front=front)
    page = compose(section=politics)
    assert page.lead == ours[0]
    assert page.top == [ours[1]]
    assert compose().lead.section == sports  # the home page is not affected


def test_a_front_belongs_to_the_home_page_or_a_section():
    with pytest.raises(IntegrityError), transaction.atomic():
        Front.objects.create(name="Floating", slug="floating")


def test_empty_newsroom_front_says_so(client):
    response = client.get("/")
    assertContains(response, "No stories have been published yet.")


def test_banner_shows_on_the_front_until_its_end_time(client):
    story()
    ends = timezone.now() + timedelta(hours=1)
    Banner.objects.create(text="Earthquake hits Pohang", link="/topics/quake/", ends_at=ends)
    assertContains(client.get("/"), '<a href="/topics/quake/">Earthquake hits Pohang</a>')
    with time_machine.travel(ends):
        assertNotContains(client.get("/"), "Earthquake hits Pohang")


@pytest.mark.parametrize(
    "link", ["javascript:alert(1)", "//evil.example/", "data:text/html,x", "ftp://x"]
)
def test_banner_link_must_be_a_page_of_the_site_or_a_web_address(link):
    banner = Banner(text="Breaking", link=link, ends_at=timezone.now() + timedelta(hours=1))
    with pytest.raises(ValidationError) as error:
        banner.full_clean()
    assert "link" in error.value.message_dict


def test_banner_must_end_after_it_starts():
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        Banner.objects.create(text="Breaking", starts_at=now, ends_at=now)


def home_queries(client):
    # The first request also reads the section menu, which is then cached for every page.
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return len(queries)


def rich_story(hours_ago, topics):
    article = story(hours_ago=hours_ago)
    article.topics.add(*topics)
    BylineFactory.create_batch(2, article=article)
    ArticlePhotoFactory.create_batch(2, article=article)
    return article


# Arrangement, slots, topic boxes, newest ids, topic ids, stories with bylines and photos (3);
# the banner and the site navigation come from the cache once the first page has read them.
HOME_FRONT_QUERIES = 8


def test_front_queries_do_not_grow_with_stories_slots_or_topic_boxes(client):
    topics = TopicFactory.create_batch(4)
    few = [rich_story(h, topics[:1]) for h in range(1, 4)]
    arrange(("lead", few[0]), boxes=[(topics[0], 2)])
    small = home_queries(client)
    many = [rich_story(h, topics) for h in range(4, 40)]
    arrange(
        ("lead", many[5]),
        *[("top", a) for a in many[6:10]],
        *[("secondary", a) for a in many[10:16]],
        boxes=[(topic, 4) for topic in topics],
    )
    large = home_queries(client)
    assert small == large <= HOME_FRONT_QUERIES
    assert len(compose().topic_boxes) == 4


def test_the_demo_newsroom_has_a_curated_home_front_and_a_banner(client):
    from articles.demo.newsroom import load_demo

    assert load_demo()["fronts"] == 1
    assert load_demo()["fronts"] == 0
    response = client.get("/")
    front = response.context["front"]
    assert front.lead.slug == "north-korea-fires-short-range-missiles-east-sea"
    assert [a.slug for a in front.top][:2] == [
        "korea-thailand-expand-defense-ties",
        "seoul-bangkok-cepa-year-end-target",
    ]
    assert [box.topic.name for box in front.topic_boxes] == ["defense", "CEPA", "online scams"]
    assert showing_banner().link == front.lead.get_absolute_url()
    assertContains(response, "Joint Chiefs brief at 3 p.m.")


def test_a_section_page_shows_its_front_on_the_first_page_only(client):
    politics = SectionFactory(name="Politics", slug="politics")
    chosen = story(hours_ago=30, section=politics, headline="Chosen for the politics lead")
    for hours in range(1, 25):
        story(hours_ago=hours, section=politics)
    front = Front.objects.create(name="Politics", slug="politics", section=politics)
    arrange(("lead", chosen), front=front)
    client.get("/sections/politics/")  # reads the section menu, then cached for every page
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/sections/politics/")
    assert response.context["front"].lead == chosen
    assertContains(response, "Latest in Politics")
    # Constant: a few more stories change nothing.
    story(hours_ago=0.5, section=politics)
    with CaptureQueriesContext(connection) as again:
        client.get("/sections/politics/")
    assert len(again) == len(queries)
    older = client.get(f"/sections/politics/?before={response.context['page'].older}")
    assert older.context["front"] is None
