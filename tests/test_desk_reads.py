"""The permission matrix for reading: reporters see the stories they created or are bylined on,
plus the ones readers see, on every desk page; kill reasons are for editors and administrators.

Each page is asked by each role; another reporter's draft, an embargoed story and a killed
story (with its legal kill reason) must not show to a reporter anywhere: lists, forms,
history, compare, calendar, the audit trail, filters and autocompletes.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.support.factories import (
    ArticleFactory,
    ArticlePhotoFactory,
    BylineFactory,
    ContributorFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

KILL_REASON = "Injunction 2026-417 from the Seoul court"
AUTOCOMPLETE = reverse("admin:autocomplete")


@pytest.fixture
def newsroom(make_user, editor):
    reporter = make_user("Reporter", username="reporter")
    colleague = make_user("Reporter", username="colleague")
    now = timezone.now()

    def story(headline, topic, **fields):
        article = ArticleFactory(headline=headline, bylined=True, **fields)
        article.topics.add(TopicFactory(name=topic, slug=topic.replace(" ", "-")))
        ArticlePhotoFactory(article=article, photo__caption=f"Caption of {headline}")
        return article

    own = story("Own draft zq1", "own topic", created_by=reporter)
    bylined = story("Bylined draft zq2", "bylined topic", created_by=colleague)
    BylineFactory(article=bylined, contributor=ContributorFactory(user=reporter))
    public = story("Public story zq3", "public topic", created_by=colleague, published=True)
    hidden = {
        "draft": story("Colleague draft zq4", "colleague topic", created_by=colleague),
        "embargoed": story(
            "Embargoed story zq5",
            "embargo topic",
            status="published",
            publish_at=now - timedelta(hours=1),
            embargo_until=now + timedelta(hours=2),
        ),
        "killed": story("Killed story zq6", "obituary topic", published=True, created_by=colleague),
    }
    hidden["killed"].kill(by=editor, reason=KILL_REASON)
    # The reporter's own story, killed: they may see it, not why it was killed.
    own_killed = story("Own killed zq7", "own killed topic", created_by=reporter, published=True)
    own_killed.kill(by=editor, reason=KILL_REASON)
    return {
        "reporter": reporter,
        "readable": [own, bylined, public, own_killed],
        "hidden": list(hidden.values()),
    }


def desk_pages(newsroom) -> list[str]:
    pages = [
        reverse("admin:articles_article_changelist"),
        reverse("admin:articles_article_changelist") + "?status__exact=killed",
        reverse("admin:articles_article_calendar"),
        reverse("admin:articles_articletransition_changelist"),
        reverse("admin:articles_topic_changelist"),
        reverse("admin:articles_photo_changelist"),
    ]
    for article in newsroom["readable"]:
        pages.append(reverse("admin:articles_article_change", args=[article.pk]))
    # History is for those who may edit the story: a reporter's own and bylined drafts.
    for article in newsroom["readable"][:2]:
        pages.append(reverse("admin:articles_article_history", args=[article.pk]))
    for field in ["topics"]:
        params = f"?app_label=articles&model_name=article&field_name={field}&term="
        pages += [AUTOCOMPLETE + params, AUTOCOMPLETE + params + "topic"]
    params = "?app_label=articles&model_name=articlephoto&field_name=photo&term="
    pages += [AUTOCOMPLETE + params, AUTOCOMPLETE + params + "Caption"]
    return pages


def page_text(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_a_reporter_sees_their_own_and_public_stories_and_nothing_hidden(client, newsroom):
    client.force_login(newsroom["reporter"])
    seen = {url: page_text(client, url) for url in desk_pages(newsroom)}
    everything = "\n".join(seen.values())
    for article in newsroom["readable"]:
        assert article.headline in everything
    for article in newsroom["hidden"]:
        marker = article.headline.split()[-1]
        for url, text in seen.items():
            assert marker not in text, f"{article.headline} on {url}"
        topic = article.topics.get()
        assert topic.name not in everything, f"hidden topic {topic.name}"
    assert KILL_REASON not in everything


@pytest.mark.parametrize("view", ["change", "history", "kill", "revoke_previews"])
def test_a_reporter_cannot_open_a_hidden_story_by_its_address(client, newsroom, view):
    client.force_login(newsroom["reporter"])
    for article in newsroom["hidden"]:
        url = reverse(f"admin:articles_article_{view}", args=[article.pk])
        response = client.get(url, follow=True)
        assert article.headline not in response.content.decode()
        assert response.status_code in (403, 404, 405) or response.redirect_chain


def test_a_reporter_cannot_filter_the_list_by_a_hidden_topic_to_learn_its_name(client, newsroom):
    client.force_login(newsroom["reporter"])
    text = page_text(client, reverse("admin:articles_article_changelist") + "?topic=obituary-topic")
    assert "obituary topic" not in text


@pytest.mark.parametrize("role", ["Editor", "Administrator"])
def test_editors_and_administrators_see_every_story_and_the_kill_reason(
    client, newsroom, make_user, role
):
    client.force_login(make_user(role))
    everything = "\n".join(page_text(client, url) for url in desk_pages(newsroom))
    for article in newsroom["hidden"] + newsroom["readable"]:
        assert article.headline in everything
    killed = Article.objects.get(headline="Killed story zq6")
    change = page_text(client, reverse("admin:articles_article_change", args=[killed.pk]))
    assert KILL_REASON in change
    audit = page_text(client, reverse("admin:articles_articletransition_changelist"))
    assert KILL_REASON in audit
