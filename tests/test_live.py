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
