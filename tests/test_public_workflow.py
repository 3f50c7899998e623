"""What readers see of the workflow: exact schedule and embargo boundaries on every page,
killed stories nowhere, signed previews, corrections and renamed stories."""

from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.core.cache import cache
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from articles.cache import invalidate
from articles.cache import pages as page_cache
from articles.previews import preview_token, preview_url
from tests.support.clock import NOW
from tests.support.factories import (
    ArticleFactory,
    BylineFactory,
    ContributorFactory,
    SectionFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

LATER = NOW + timedelta(hours=2)


@pytest.fixture
def desk():
    """A topic, section and contributor shared by every story, so each listing shows them."""
    return {
        "topic": TopicFactory(name="defense", slug="defense"),
        "section": SectionFactory(slug="politics"),
        "contributor": ContributorFactory(slug="kim"),
    }


def filed(desk, **fields):
    article = ArticleFactory(section=desk["section"], **fields)
    article.topics.add(desk["topic"])
    BylineFactory(article=article, contributor=desk["contributor"])
    # As the desk's save does once it commits: topic counts kept, the next schedule noted.
    with TestCase.captureOnCommitCallbacks(execute=True):
        invalidate.story_changed(article)
    return article


def public_pages(article):
    """Every public page a story can appear on, with what it shows there."""
    return {
        "article": article.get_absolute_url(),
        "home": "/",
        "topic": "/topics/defense/",
        "section": "/sections/politics/",
        "contributor": "/contributors/kim/",
    }


def seen_everywhere(client, article) -> dict[str, bool]:
    # As the page cache does before it serves or renders any page (and the worker each minute).
    page_cache.came_due(cache.get_many([page_cache.DUE_KEY]))
    seen = {}
    for page, url in public_pages(article).items():
        response = client.get(url)
        seen[page] = response.status_code == 200 and article.headline in response.text
    topics = client.get("/topics/").context["topics"]
    seen["topic count"] = {t.slug: t.published_count for t in topics}.get("defense", 0) == 1
    return seen


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"publish_at": LATER}, id="scheduled"),
        pytest.param({"publish_at": NOW - timedelta(days=1), "embargo_until": LATER}, id="embargo"),
    ],
)
def test_story_appears_on_every_page_exactly_at_its_time(client, desk, fields):
    with time_machine.travel(NOW, tick=False):
        article = filed(desk, status="published", headline="Timed story", **fields)
    for moment, visible in [
        (LATER - timedelta(seconds=1), False),
        (LATER - timedelta(microseconds=1), False),
        (LATER, True),
    ]:
        with time_machine.travel(moment, tick=False):
            seen = seen_everywhere(client, article)
            assert set(seen.values()) == {visible}, (moment, seen)


def test_killed_story_is_absent_from_every_public_page(client, desk, desk_editor):
    article = filed(desk, published=True, headline="Story under a court order")
    article.add_correction(kind="correction", text="Fixed a name in the story under order.")
    assert all(seen_everywhere(client, article).values())
    token = preview_token(article)
    old_url = article.get_absolute_url()
    article.slug = "renamed-under-order"
    article.save()

    with TestCase.captureOnCommitCallbacks(execute=True):
        article.kill(by=desk_editor, reason="Court order")
    assert not any(seen_everywhere(client, article).values())
    assert client.get(old_url).status_code == 404
    assert client.get(reverse("articles:preview", args=[token])).status_code == 404
    assertNotContains(client.get("/corrections/"), "story under order")
    related = filed(desk, published=True, headline="A related story")
    assertNotContains(client.get(related.get_absolute_url()), article.headline)


# Previews


@pytest.fixture
def draft(desk):
    return filed(desk, headline="Draft under embargo", embargo_until=NOW + timedelta(days=3))


@time_machine.travel(NOW, tick=False)
def test_preview_shows_a_draft_to_anyone_with_the_link_and_is_never_cached(client, draft):
    assert client.get(draft.get_absolute_url()).status_code == 404
    response = client.get(preview_url(draft))
    assert response.status_code == 200
    assertContains(response, "Draft under embargo")
    assertContains(response, '<meta name="robots" content="noindex, nofollow">', html=True)
    assertNotContains(response, 'rel="canonical"')
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"


def test_preview_link_expires_after_48_hours(client, draft):
    with time_machine.travel(NOW, tick=False):
        url = preview_url(draft)
    with time_machine.travel(NOW + timedelta(hours=48), tick=False):
        assert client.get(url).status_code == 200
    with time_machine.travel(NOW + timedelta(hours=48, seconds=1), tick=False):
        assert client.get(url).status_code == 404


def test_preview_lifetime_is_a_setting(client, draft, settings):
    settings.NEWSROOM = {**settings.NEWSROOM, "PREVIEW_MAX_AGE": timedelta(hours=1)}
    with time_machine.travel(NOW, tick=False):
        url = preview_url(draft)
    with time_machine.travel(NOW + timedelta(hours=1, seconds=1), tick=False):
        assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(
            lambda token, other: token[:-1] + ("A" if token[-1] != "A" else "B"), id="sig"
        ),
        pytest.param(lambda token, other: signing.dumps(other.pk, salt="another"), id="salt"),
        pytest.param(lambda token, other: token.replace(token.split(":")[0], "MTI"), id="id"),
        pytest.param(lambda token, other: "not-a-token", id="garbage"),
    ],
)
def test_tampered_preview_links_are_not_found(client, draft, tamper):
    other = ArticleFactory(headline="Someone else's draft")
    token = tamper(preview_token(draft), other)
    response = client.get(reverse("articles:preview", args=[token]))
    assert response.status_code == 404


# Corrections


def test_corrections_show_at_the_foot_of_the_story_in_order(client, desk):
    article = filed(desk, published=True, publish_at=timezone.now() - timedelta(days=1))
    with time_machine.travel(timezone.now() - timedelta(hours=5)):
        article.add_correction(kind="correction", text="An earlier version misspelled Busan.")
    article.add_correction(kind="update", text="Adds the ministry's response.")
    response = client.get(article.get_absolute_url())
    text = response.text
    assert text.index("misspelled Busan") < text.index("ministry&#x27;s response")
    assertContains(response, "<strong>Correction</strong>", html=False)
    assertContains(response, "<strong>Update</strong>", html=False)
    # Adding one made the story "updated" for readers.
    assertContains(response, ", updated <time")


def test_adding_a_correction_bumps_the_updated_time():
    article = ArticleFactory(published=True)
    before = article.updated_at
    correction = article.add_correction(kind="clarification", text="Clarifies the date.")
    article.refresh_from_db()
    assert article.updated_at == correction.created_at > before


def test_corrections_page_lists_only_visible_stories_newest_first(client, desk):
    visible = filed(desk, published=True, headline="Visible story")
    hidden = filed(desk, headline="Draft story")
    scheduled = filed(desk, status="published", publish_at=timezone.now() + timedelta(hours=1))
    with time_machine.travel(timezone.now() - timedelta(hours=1)):
        visible.add_correction(kind="correction", text="Older correction.")
    visible.add_correction(kind="update", text="Newer update.")
    hidden.add_correction(kind="correction", text="Hidden draft correction.")
    scheduled.add_correction(kind="correction", text="Scheduled correction.")
    response = client.get(reverse("articles:corrections"))
    texts = [c.text for c in response.context["page"].object_list]
    assert texts == ["Newer update.", "Older correction."]
    assertContains(response, visible.get_absolute_url())
    assertContains(client.get("/"), reverse("articles:corrections"))


def test_corrections_page_paginates(client):
    article = ArticleFactory(published=True)
    for n in range(21):
        article.add_correction(kind="update", text=f"Update {n}.")
    assert len(client.get("/corrections/").context["page"].object_list) == 20
    assert len(client.get("/corrections/?page=2").context["page"].object_list) == 1
    assert client.get("/corrections/?page=3").status_code == 404


# Renamed stories


def test_a_renamed_published_story_redirects_from_its_old_address(client):
    article = ArticleFactory(published=True, slug="fire-in-busan")
    old_url = article.get_absolute_url()
    article.slug = "fire-in-busan-port"
    article.save()
    article.slug = "busan-port-fire"
    article.save()
    for url in [old_url, old_url.replace("fire-in-busan", "fire-in-busan-port")]:
        assertRedirects(client.get(url), article.get_absolute_url(), status_code=301)


def test_a_draft_renamed_before_publication_leaves_no_redirect(client):
    article = ArticleFactory(slug="working-title")
    article.slug = "final-title"
    article.save()
    article.status, article.publish_at = "published", timezone.now()
    article.save()
    assert client.get(article.get_absolute_url().replace("final", "working")).status_code == 404


def test_an_old_address_of_an_unpublished_story_is_not_found(client, desk_editor):
    article = ArticleFactory(published=True, bylined=True, slug="first-slug")
    old_url = article.get_absolute_url()
    article.slug = "second-slug"
    article.save()
    article.unpublish(by=desk_editor)
    assert client.get(old_url).status_code == 404
