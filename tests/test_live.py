"""Live coverage: timestamped updates, newest first with a pinned one on top, refreshed for
readers without reloading, described as a LiveBlogPosting."""

import json
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles.cache import invalidate
from articles.models import LiveUpdate
from tests.support.factories import ArticleFactory, ContributorFactory

pytestmark = pytest.mark.django_db


def live_story(**fields):
    return ArticleFactory(
        published=True, live_started_at=timezone.now() - timedelta(hours=2), **fields
    )


def post(story, headline, minutes_ago, **fields):
    fields.setdefault("status", LiveUpdate.Status.APPROVED)
    return LiveUpdate.objects.create(
        article=story,
        headline=headline,
        body=f"<p>{headline} text.</p>",
        posted_at=timezone.now() - timedelta(minutes=minutes_ago),
        **fields,
    )


def json_ld(response):
    (data,) = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    return json.loads(data)


def test_updates_show_newest_first_with_the_pinned_one_on_top_each_with_its_anchor(client):
    story = live_story()
    first = post(story, "Rescuers reach the village", 90, pinned=True)
    post(story, "Roads reopen", 30)
    post(story, "Power restored", 5, contributor=ContributorFactory(name="Lee Seo-yeon"))
    response = client.get(story.get_absolute_url())
    html = response.content.decode()
    order = [html.index(h) for h in ["Rescuers reach", "Power restored", "Roads reopen"]]
    assert order == sorted(order)
    assertContains(response, f'<li id="update-{first.pk}" class="live-update live-update--pinned">')
    assertContains(response, f'<a href="#update-{first.pk}">Rescuers reach the village</a>')
    assertContains(response, "Lee Seo-yeon")
    assertContains(response, "3 updates")
    assertContains(response, 'data-live-refresh="30"')
    assertContains(response, '<script src="/static/js/live.js" defer>')


def test_a_live_file_is_a_live_blog_posting_with_its_updates(client):
    story = live_story()
    update = post(story, "Roads reopen", 30)
    data = json_ld(client.get(story.get_absolute_url()))
    assert data["@type"] == "LiveBlogPosting"
    assert data["coverageStartTime"] == timezone.localtime(story.live_started_at).isoformat()
    assert "coverageEndTime" not in data
    (blog_update,) = data["liveBlogUpdate"]
    assert blog_update["headline"] == "Roads reopen"
    assert blog_update["articleBody"] == "Roads reopen text."
    assert blog_update["url"].endswith(f"#update-{update.pk}")


def test_an_ended_live_file_stops_refreshing_and_says_so(client):
    story = live_story(live_ended_at=timezone.now() - timedelta(minutes=1))
    post(story, "Final update", 2)
    response = client.get(story.get_absolute_url())
    assertContains(response, "coverage ended")
    assertNotContains(response, "data-live-refresh")
    assertNotContains(response, "live.js")
    assert "coverageEndTime" in json_ld(response)


def test_an_ordinary_story_has_no_live_section_or_script(client):
    story = ArticleFactory(published=True)
    response = client.get(story.get_absolute_url())
    assertNotContains(response, 'id="live-updates"')
    assert json_ld(response)["@type"] == "NewsArticle"


def test_only_one_update_is_pinned_per_story():
    story = live_story()
    post(story, "Pinned", 10, pinned=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        post(story, "Also pinned", 5, pinned=True)


def test_update_bodies_go_through_the_same_allowlist():
    story = live_story()
    update = LiveUpdate.objects.create(
        article=story,
        headline="Video",
        body='<p onclick="x()">Watch</p><script>x()</script>'
        '<figure data-block="embed" data-url="javascript:alert(1)"></figure>',
    )
    update.refresh_from_db()
    assert update.body == "<p>Watch</p>"


def test_a_new_update_refreshes_readers_pages(django_capture_on_commit_callbacks):
    story = live_story()
    story_key = invalidate.version_key(f"story-{story.pk}")
    before = invalidate.versions([f"story-{story.pk}"])[story_key]
    with django_capture_on_commit_callbacks(execute=True):
        post(story, "New", 0)
        invalidate.story_changed(story)  # as the desk's save of the story form does
    assert invalidate.versions([f"story-{story.pk}"])[story_key] != before


def story_queries(client, story):
    # The first request also reads the section menu, which is then cached for every page.
    client.get(story.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        assert client.get(story.get_absolute_url()).status_code == 200
    return len(queries)


def test_story_page_queries_do_not_grow_with_updates(client):
    story = live_story()
    post(story, "One", 3, contributor=ContributorFactory())
    one = story_queries(client, story)
    for minutes in range(10):
        post(story, f"Update {minutes}", minutes, contributor=ContributorFactory())
    assert story_queries(client, story) == one


def test_editors_post_updates_on_the_live_story_form_only(editor_client):
    ordinary = ArticleFactory(published=True)
    assertNotContains(
        editor_client.get(f"/admin/articles/article/{ordinary.pk}/change/"), "live_updates-"
    )
    story = live_story()
    assertContains(
        editor_client.get(f"/admin/articles/article/{story.pk}/change/"),
        'name="live_updates-TOTAL_FORMS"',
    )


def test_reporters_may_post_updates():
    codenames = set(
        Group.objects.get(name="Reporter").permissions.values_list("codename", flat=True)
    )
    assert {"add_liveupdate", "change_liveupdate"} <= codenames
    assert "delete_liveupdate" not in codenames


def test_the_demo_has_a_live_story_with_updates(client):
    from articles.demo.live import SLUG
    from articles.demo.newsroom import load_demo

    load_demo()
    story = ArticleFactory._meta.model.objects.get(slug=SLUG)
    assert story.live_updates.count() == 4
    response = client.get(story.get_absolute_url())
    assertContains(response, "Evacuation orders for coastal Busan")
    assert json_ld(response)["@type"] == "LiveBlogPosting"


# The updates fragment the story page polls.


def fragment_url(story):
    return f"{story.get_absolute_url()}updates/"


def test_the_page_points_its_script_at_the_updates_fragment(client):
    story = live_story()
    response = client.get(story.get_absolute_url())
    assertContains(response, f'data-live-source="{fragment_url(story)}"')
    assertContains(response, 'role="status" data-live-announcer')


def test_the_fragment_is_the_updates_list_alone_as_the_page_shows_it(client):
    story = live_story()
    post(story, "Roads reopen", 30)
    post(story, "Power restored", 5)
    response = client.get(fragment_url(story))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div class="live__list" data-live-list data-live-open>')
    assert html.index("Power restored") < html.index("Roads reopen")
    assert "<html" not in html
    assert "<nav" not in html
    assert response["X-Robots-Tag"] == "noindex"
    page = client.get(story.get_absolute_url()).content.decode()
    assert html.strip() in page


def test_the_fragment_of_an_ended_live_file_tells_the_script_to_stop(client):
    story = live_story(live_ended_at=timezone.now() - timedelta(minutes=1))
    assertNotContains(client.get(fragment_url(story)), "data-live-open")


@pytest.mark.parametrize(
    "fields", [{"live_started_at": None}, {"published": False}], ids=["ordinary", "draft"]
)
def test_no_fragment_for_an_ordinary_or_hidden_story(client, fields):
    story = ArticleFactory(
        **{"published": True, "live_started_at": timezone.now(), **fields},
    )
    assert client.get(fragment_url(story)).status_code == 404


def test_the_fragment_costs_two_queries_however_many_updates(client, django_assert_max_num_queries):
    story = live_story()
    for minutes in range(12):
        post(story, f"Update {minutes}", minutes, contributor=ContributorFactory())
    with django_assert_max_num_queries(2):
        assert client.get(fragment_url(story)).status_code == 200


def test_the_fragment_is_cached_until_an_update_is_approved(
    client, settings, editor, django_capture_on_commit_callbacks
):
    from articles.cache import pages as page_cache

    settings.PAGE_CACHE_ENABLED = True
    page_cache._local_pages.clear()
    story = live_story()
    post(story, "Roads reopen", 30)
    waiting = post(story, "Bridge closed", 1, status=LiveUpdate.Status.SUBMITTED)
    assert client.get(fragment_url(story))["X-Page-Cache"] == "miss"
    assert client.get(fragment_url(story))["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        waiting.approve(by=editor)
    response = client.get(fragment_url(story))
    assert response["X-Page-Cache"] == "miss"
    assertContains(response, "Bridge closed")
    assert f"story-{story.pk}" in response["xkey"].split()


# Review: reporters' updates wait for an editor.


def desk_post_update(client, story, headline, **extra):
    now = timezone.localtime()
    return client.post(
        "/admin/articles/liveupdate/add/",
        {
            "article": story.pk,
            "headline": headline,
            "body": f"<p>{headline} text.</p>",
            "posted_at_0": now.strftime("%Y-%m-%d"),
            "posted_at_1": now.strftime("%H:%M:%S"),
            **extra,
        },
    )


def reader_sees(client, story, headline) -> dict[str, bool]:
    """Where a reader meets `headline`: the page, the fragment, the feed, the JSON-LD."""
    page = client.get(story.get_absolute_url())
    blog = json_ld(page)
    return {
        "page": headline in page.content.decode(),
        "fragment": headline in client.get(fragment_url(story)).content.decode(),
        "feed": headline in client.get(f"{story.get_absolute_url()}updates/feed/").content.decode(),
        "json-ld": any(u["headline"] == headline for u in blog["liveBlogUpdate"]),
    }


NOWHERE = {"page": False, "fragment": False, "feed": False, "json-ld": False}
EVERYWHERE = dict.fromkeys(NOWHERE, True)


def test_a_reporters_update_waits_for_an_editor_before_readers_see_it(
    client, reporter, editor, django_capture_on_commit_callbacks
):
    story = live_story()
    client.force_login(reporter)
    # Even a crafted form asking for approval stays submitted.
    response = desk_post_update(client, story, "Bridge closed", status="approved", pinned="on")
    assert response.status_code == 302, response.content
    update = LiveUpdate.objects.get()
    assert (update.status, update.created_by) == (LiveUpdate.Status.SUBMITTED, reporter)
    assert not update.pinned
    assert not update.is_public()
    # The reporter cannot approve it.
    client.post(
        "/admin/articles/liveupdate/", {"action": "approve", "_selected_action": [update.pk]}
    )
    update.refresh_from_db()
    assert update.status == LiveUpdate.Status.SUBMITTED
    client.logout()
    assert reader_sees(client, story, "Bridge closed") == NOWHERE

    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/admin/articles/liveupdate/", {"action": "approve", "_selected_action": [update.pk]}
        )
    update.refresh_from_db()
    assert (update.status, update.approved_by) == (LiveUpdate.Status.APPROVED, editor)
    client.logout()
    assert reader_sees(client, story, "Bridge closed") == EVERYWHERE


def test_an_editors_update_reaches_readers_at_once(client, desk_editor):
    story = live_story()
    client.force_login(desk_editor)
    assert desk_post_update(client, story, "Dam holds", status="approved").status_code == 302
    update = LiveUpdate.objects.get()
    assert (update.status, update.approved_by) == (LiveUpdate.Status.APPROVED, desk_editor)
    client.logout()
    assert reader_sees(client, story, "Dam holds") == EVERYWHERE


def test_the_editors_form_offers_approval_and_the_reporters_does_not(client, reporter, editor):
    live_story()
    client.force_login(editor)
    assertContains(
        client.get("/admin/articles/liveupdate/add/"),
        '<option value="approved" selected>',
    )
    client.force_login(reporter)
    response = client.get("/admin/articles/liveupdate/add/")
    assertContains(response, "An editor approves it before readers see it.")
    assertNotContains(response, '<option value="approved" selected>')


def test_a_reporter_sees_and_edits_only_their_own_waiting_updates(client, reporter, make_user):
    story = live_story()
    mine = post(story, "Mine", 3, status=LiveUpdate.Status.SUBMITTED, created_by=reporter)
    theirs = post(story, "Theirs", 2, status=LiveUpdate.Status.SUBMITTED)
    approved = post(story, "Approved", 1, created_by=reporter)
    client.force_login(reporter)
    listing = client.get("/admin/articles/liveupdate/")
    assertContains(listing, "Mine")
    assertNotContains(listing, "Theirs")
    assert client.get(f"/admin/articles/liveupdate/{mine.pk}/change/").status_code == 200
    assert client.get(f"/admin/articles/liveupdate/{theirs.pk}/change/").status_code == 302
    # Once approved, the reporter's own update is the desk's: view only.
    response = client.get(f"/admin/articles/liveupdate/{approved.pk}/change/")
    assertNotContains(response, 'name="headline"')


def test_the_story_form_gives_editors_each_updates_status(client, editor):
    story = live_story()
    client.force_login(editor)
    form = client.get(f"/admin/articles/article/{story.pk}/change/")
    assertContains(form, 'name="live_updates-__prefix__-status"')


@pytest.mark.parametrize("status", LiveUpdate.Status.values)
def test_which_updates_readers_see_is_one_rule_and_its_twin_agrees(status):
    update = post(live_story(), "Either", 1, status=status)
    assert LiveUpdate.objects.public().filter(pk=update.pk).exists() == update.is_public()
    assert update.is_public() == (status == LiveUpdate.Status.APPROVED)


# The live file's own feed.


def parse_feed(client, url):
    import feedparser

    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def test_a_live_file_has_a_feed_of_its_updates_linked_from_its_page(client):
    story = live_story(headline="Typhoon live")
    update = post(story, "Power restored", 5, contributor=ContributorFactory(name="Lee Seo-yeon"))
    post(story, "Rescuers reach the village", 90, pinned=True)
    post(story, "Unchecked", 1, status=LiveUpdate.Status.SUBMITTED)
    feed_url = f"{story.get_absolute_url()}updates/feed/"
    assertContains(
        client.get(story.get_absolute_url()),
        f'<link rel="alternate" type="application/atom+xml" '
        f'title="Live updates: Typhoon live" href="{feed_url}">',
    )
    feed = parse_feed(client, feed_url)
    assert feed.version == "atom10"
    assert feed.feed.link == f"http://testserver{story.get_absolute_url()}"
    # Newest first by time (pinning is for the page), submitted updates left out.
    assert [e.title for e in feed.entries] == ["Power restored", "Rescuers reach the village"]
    first = feed.entries[0]
    assert first.link == f"http://testserver{story.get_absolute_url()}#update-{update.pk}"
    assert first.id == first.link
    assert first.summary == "Power restored text."
    assert [a.name for a in first.authors] == ["Lee Seo-yeon"]
    assert first.published_parsed[:5] == update.posted_at.utctimetuple()[:5]


def test_an_ordinary_story_has_no_updates_feed(client):
    story = ArticleFactory(published=True)
    assertNotContains(client.get(story.get_absolute_url()), "updates/feed/")
    assert client.get(f"{story.get_absolute_url()}updates/feed/").status_code == 404


def test_the_updates_feed_costs_the_same_queries_however_many_updates(
    client, django_assert_max_num_queries
):
    story = live_story()
    for minutes in range(12):
        post(story, f"Update {minutes}", minutes, contributor=ContributorFactory())
    with django_assert_max_num_queries(2):
        assert client.get(f"{story.get_absolute_url()}updates/feed/").status_code == 200
