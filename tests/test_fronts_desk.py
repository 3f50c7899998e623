"""Arranging fronts on the desk: placing stories, previewing, scheduling, undoing, the banner."""

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains
from reversion.models import Version

from articles.cache import invalidate
from articles.cache import pages as page_cache
from articles.models import Arrangement, Banner, Front, Slot
from tests.support.factories import ArticleFactory, TopicFactory

pytestmark = pytest.mark.django_db


def inline(prefix, rows):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{name}": value for name, value in row.items()})
    return data


def arrangement_form(front, slots=(), boxes=(), starts_at=""):
    return {
        "front": front.pk,
        "name": "Morning front",
        "starts_at_0": starts_at and timezone.localtime(starts_at).strftime("%Y-%m-%d"),
        "starts_at_1": starts_at and timezone.localtime(starts_at).strftime("%H:%M:%S"),
        **inline(
            "slots",
            [
                {"position": str(i), "zone": zone, "article": str(article.pk), "pinned_until_0": ""}
                for i, (zone, article) in enumerate(slots)
            ],
        ),
        **inline(
            "topic_boxes",
            [
                {"position": str(i), "topic": str(topic.pk), "size": "4"}
                for i, topic in enumerate(boxes)
            ],
        ),
    }


@pytest.fixture
def desk(client, desk_editor):
    client.force_login(desk_editor)
    return client


ADD_URL = "/admin/articles/arrangement/add/"


def test_an_editor_arranges_the_home_front_and_readers_see_it_after_one_save(
    desk, desk_editor, client, django_capture_on_commit_callbacks
):
    home = Front.objects.home().get()
    lead = ArticleFactory(published=True, publish_at=timezone.now() - timedelta(days=2))
    ArticleFactory.create_batch(3, published=True)
    defense = TopicFactory(name="defense")
    form = arrangement_form(home, slots=[("lead", lead)], boxes=[defense], starts_at=timezone.now())
    home_key = invalidate.version_key("front-home")
    before = invalidate.versions(["front-home"])[home_key]
    with django_capture_on_commit_callbacks(execute=True):
        response = desk.post(ADD_URL, form)
    assert response.status_code == 302, response.context["adminform"].form.errors
    arrangement = Arrangement.objects.get()
    assert arrangement.updated_by == desk_editor
    # The home page (and only the pages showing this front) is refreshed for readers.
    assert invalidate.versions(["front-home"])[home_key] != before
    # Audited: one revision holding the arrangement with its slots and topic boxes.
    (version,) = Version.objects.get_for_object(arrangement)
    assert {v.content_type.model for v in version.revision.version_set.all()} == {
        "arrangement",
        "slot",
        "topicbox",
    }
    desk.logout()
    assert client.get("/").context["front"].lead == lead


def test_a_zone_takes_only_as_many_stories_as_it_shows(desk):
    stories = ArticleFactory.create_batch(2, published=True)
    form = arrangement_form(Front.objects.home().get(), slots=[("lead", a) for a in stories])
    response = desk.post(ADD_URL, form)
    assert response.status_code == 200
    assertContains(response, "Lead holds 1 story; 2 are placed there.")
    assert not Arrangement.objects.exists()


def test_the_preview_shows_a_draft_as_readers_would_see_it(desk):
    draft_lead = ArticleFactory(published=True, headline="Draft front lead")
    ArticleFactory(published=True, headline="Newest story")
    response = desk.post(
        ADD_URL, arrangement_form(Front.objects.home().get(), slots=[("lead", draft_lead)])
    )
    arrangement = Arrangement.objects.get()
    assert arrangement.starts_at is None
    change = desk.get(response["Location"])
    preview_url = reverse("admin:articles_arrangement_preview", args=[arrangement.pk])
    assertContains(change, preview_url)
    preview = desk.get(preview_url)
    assert preview.context["front"].lead == draft_lead
    assert preview["X-Robots-Tag"] == "noindex, nofollow"
    assertContains(preview, "a draft readers do not see")


def test_the_preview_is_for_the_desk_only(client, reporter, make_user):
    arrangement = Arrangement.objects.create(front=Front.objects.home().get(), name="Draft")
    url = reverse("admin:articles_arrangement_preview", args=[arrangement.pk])
    assert client.get(url).status_code == 302  # to the sign-in page
    client.force_login(make_user(None, username="no-role"))
    assert client.get(url).status_code == 403


def test_the_desk_lists_arrangements_with_their_state(desk):
    home = Front.objects.home().get()
    now = timezone.now()
    Arrangement.objects.create(front=home, name="Old", starts_at=now - timedelta(days=1))
    Arrangement.objects.create(front=home, name="Current", starts_at=now - timedelta(hours=1))
    Arrangement.objects.create(front=home, name="Later", starts_at=now + timedelta(hours=6))
    Arrangement.objects.create(front=home, name="Idea")
    content = desk.get("/admin/articles/arrangement/").content.decode()
    for state in ["Replaced", "Live now", "Scheduled for", "Draft"]:
        assert state in content


def test_copy_as_draft_keeps_the_stories_and_boxes(desk):
    home = Front.objects.home().get()
    original = Arrangement.objects.create(front=home, name="Night", starts_at=timezone.now())
    original.slots.create(zone="lead", article=ArticleFactory(published=True))
    original.topic_boxes.create(topic=TopicFactory())
    desk.post(
        "/admin/articles/arrangement/",
        {"action": "copy_as_draft", "_selected_action": [original.pk]},
    )
    copy = Arrangement.objects.exclude(pk=original.pk).get()
    assert copy.name == "Copy of Night"
    assert copy.starts_at is None
    assert copy.slots.get().article == original.slots.get().article
    assert copy.topic_boxes.count() == 1


def test_an_editor_switches_the_banner_on_and_ends_it(desk, client):
    ArticleFactory(published=True)
    ends = timezone.localtime() + timedelta(hours=2)
    response = desk.post(
        "/admin/articles/banner/add/",
        {
            "text": "Earthquake hits Pohang",
            "link": "/topics/quake/",
            "starts_at_0": timezone.localtime().strftime("%Y-%m-%d"),
            "starts_at_1": (timezone.localtime() - timedelta(minutes=1)).strftime("%H:%M:%S"),
            "ends_at_0": ends.strftime("%Y-%m-%d"),
            "ends_at_1": ends.strftime("%H:%M:%S"),
        },
    )
    assert response.status_code == 302
    banner = Banner.objects.get()
    assert Version.objects.get_for_object(banner).count() == 1
    assertContains(client.get("/"), "Earthquake hits Pohang")
    desk.post("/admin/articles/banner/", {"action": "end_now", "_selected_action": [banner.pk]})
    assert not Banner.objects.showing().exists()


def test_a_banner_link_off_the_site_or_to_script_is_refused(desk):
    response = desk.post(
        "/admin/articles/banner/add/",
        {"text": "Breaking", "link": "javascript:alert(1)", "ends_at_0": "2099-01-01",
         "ends_at_1": "00:00:00", "starts_at_0": "2026-01-01", "starts_at_1": "00:00:00"},
    )  # fmt: skip
    assertContains(response, "Use an address starting with https://")
    assert not Banner.objects.exists()


def test_a_cached_home_page_switches_to_a_scheduled_front_when_it_comes_due(
    desk, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_ENABLED = True
    cache.clear()
    page_cache._local_pages.clear()
    reader = Client()
    morning = ArticleFactory(
        published=True, headline="Morning lead", publish_at=timezone.now() - timedelta(days=2)
    )
    ArticleFactory(published=True, headline="Newest story")
    reader.get("/")  # cached, with nothing known to come due
    starts = timezone.now() + timedelta(hours=1)
    form = arrangement_form(Front.objects.home().get(), slots=[("lead", morning)], starts_at=starts)
    with django_capture_on_commit_callbacks(execute=True):
        assert desk.post(ADD_URL, form).status_code == 302
    assert reader.get("/").context["front"].lead.headline == "Newest story"
    assert reader.get("/")["X-Page-Cache"] == "hit"
    with time_machine.travel(starts + timedelta(minutes=1)):
        response = reader.get("/")
    assert response["X-Page-Cache"] == "miss"
    assert response.context["front"].lead == morning


# Previewing the form as it stands, before saving.

PREVIEW_NEW_URL = "/admin/articles/arrangement/preview/"


def change_form(arrangement, slots, **fields):
    """The change form's data for `arrangement`, its saved slots edited to `slots`."""
    saved = list(arrangement.slots.all())
    data = {
        "front": arrangement.front_id,
        "name": arrangement.name,
        "starts_at_0": "",
        "starts_at_1": "",
        **inline("topic_boxes", []),
        "slots-TOTAL_FORMS": str(len(slots)),
        "slots-INITIAL_FORMS": str(len(saved)),
        "slots-MIN_NUM_FORMS": "0",
        "slots-MAX_NUM_FORMS": "1000",
        **fields,
    }
    for index, (zone, article) in enumerate(slots):
        row = {"position": str(index), "zone": zone, "article": str(article.pk)}
        if index < len(saved):
            row |= {"id": str(saved[index].pk), "arrangement": str(arrangement.pk)}
        data.update({f"slots-{index}-{name}": value for name, value in row.items()})
    return data


def cache_positions():
    """The home front's key and the page cache's counters: what a change to a front moves."""
    return {**invalidate.versions(["front-home"]), **cache.get_many(page_cache.COUNTERS)}


def test_the_change_form_offers_a_preview_of_its_unsaved_changes(desk):
    arrangement = Arrangement.objects.create(front=Front.objects.home().get(), name="Draft")
    page = desk.get(f"/admin/articles/arrangement/{arrangement.pk}/change/")
    preview_url = reverse("admin:articles_arrangement_preview", args=[arrangement.pk])
    assertContains(page, f'formaction="{preview_url}" formtarget="_blank"')
    assertContains(desk.get(ADD_URL), f'formaction="{PREVIEW_NEW_URL}"')


def test_the_preview_shows_unsaved_changes_and_saves_nothing(
    desk, django_capture_on_commit_callbacks
):
    home = Front.objects.home().get()
    saved_lead = ArticleFactory(published=True, headline="Saved lead")
    unsaved_lead = ArticleFactory(
        published=True,
        headline="Unsaved lead",
        publish_at=timezone.now() - timedelta(days=3),  # only the editor's choice leads with it
    )
    arrangement = Arrangement.objects.create(front=home, name="Night", starts_at=timezone.now())
    slot = arrangement.slots.create(zone="lead", article=saved_lead)
    before = cache_positions()
    url = reverse("admin:articles_arrangement_preview", args=[arrangement.pk])
    data = change_form(arrangement, [("lead", unsaved_lead)], name="Renamed night")

    with django_capture_on_commit_callbacks() as callbacks:
        response = desk.post(url, data)

    assert response.status_code == 200
    assert response.context["front"].lead == unsaved_lead
    assertContains(response, "Preview of unsaved changes")
    assertContains(response, "Renamed night")
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()
    assert {"private", "no-store"} <= {
        part.strip() for part in response["Cache-Control"].split(",")
    }
    assert "noindex" in response["X-Robots-Tag"]
    # Nothing saved, nothing recorded, nothing scheduled, no cache key moved.
    arrangement.refresh_from_db()
    assert arrangement.name == "Night"
    assert list(arrangement.slots.values_list("pk", "article")) == [(slot.pk, saved_lead.pk)]
    assert not Version.objects.exists()
    assert callbacks == []
    assert cache_positions() == before


def test_the_preview_of_a_new_arrangement_saves_nothing(desk):
    home = Front.objects.home().get()
    chosen = ArticleFactory(published=True, publish_at=timezone.now() - timedelta(days=2))
    ArticleFactory.create_batch(2, published=True)
    defense = TopicFactory(name="defense")
    form = arrangement_form(home, slots=[("lead", chosen)], boxes=[defense])
    response = desk.post(PREVIEW_NEW_URL, form)
    assert response.status_code == 200
    assert response.context["front"].lead == chosen
    assertContains(response, "a draft readers do not see")
    assert not Arrangement.objects.exists()
    assert not Slot.objects.exists()


def test_a_draft_story_chosen_in_a_slot_is_named_as_a_warning_never_shown_as_public(desk):
    home = Front.objects.home().get()
    newest = ArticleFactory(published=True, headline="Newest published story")
    draft = ArticleFactory(headline="Unfinished draft story")
    response = desk.post(PREVIEW_NEW_URL, arrangement_form(home, slots=[("lead", draft)]))
    front = response.context["front"]
    assert front.lead == newest
    assert draft not in front.stories
    (warning,) = response.context["warnings"]
    assert "Unfinished draft story" in warning
    assert "readers may not see it" in warning
    # Named once, in the editor's warning, and never as a card readers would follow.
    content = response.content.decode()
    assert content.count("Unfinished draft story") == 1
    assert draft.get_absolute_url() not in content


def test_an_invalid_form_previews_its_errors_not_a_front(desk):
    stories = ArticleFactory.create_batch(2, published=True)
    form = arrangement_form(Front.objects.home().get(), slots=[("lead", a) for a in stories])
    response = desk.post(PREVIEW_NEW_URL, form)
    assert response.status_code == 200
    assertContains(response, "Lead holds 1 story; 2 are placed there.")
    assert "front" not in response.context
    assert not Arrangement.objects.exists()

    broken = desk.post(PREVIEW_NEW_URL, {"name": "", "front": "nonsense"})
    assert broken.status_code == 200
    assertContains(broken, "This field is required.")
    assertContains(broken, "Select a valid choice.")


def test_a_slot_naming_a_story_that_does_not_exist_is_an_error(desk):
    data = arrangement_form(Front.objects.home().get())
    data |= inline("slots", [{"position": "0", "zone": "lead", "article": "999999"}])
    response = desk.post(PREVIEW_NEW_URL, data)
    assert response.status_code == 200
    assertContains(response, "Story on the front 1, Article: Select a valid choice.")


def test_the_unsaved_preview_is_for_those_who_arrange_fronts(client, reporter):
    home = Front.objects.home().get()
    arrangement = Arrangement.objects.create(front=home, name="Draft")
    data = arrangement_form(home, slots=[("lead", ArticleFactory(published=True))])
    change_url = reverse("admin:articles_arrangement_preview", args=[arrangement.pk])
    assert client.post(PREVIEW_NEW_URL, data).status_code == 302  # to the sign-in page
    client.force_login(reporter)  # a reporter does not arrange fronts
    assert client.post(PREVIEW_NEW_URL, data).status_code == 403
    assert client.post(change_url, data).status_code == 403
    assert not Slot.objects.exists()
