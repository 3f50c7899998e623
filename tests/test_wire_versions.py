"""Agency versions, corrections and kills: what a re-delivery does to the story it names."""

import pytest

from articles.models import Article, Photo, TransitionError, WireItem
from articles.wire import versions
from articles.wire.importer import Outcome
from tests.support.factories import UserFactory
from tests.support.wire import import_data, newsml_bytes

pytestmark = pytest.mark.django_db


def deliver(**kwargs):
    return import_data(newsml_bytes(**kwargs), name="item.xml")


def published_story() -> Article:
    deliver()
    article = Article.objects.get()
    Photo.objects.update(alt_text="A described picture")
    article.publish(by=None)
    return article


def test_newer_version_updates_an_untouched_draft():
    deliver(version=1, body=("First take.",))
    result = deliver(version=2, body=("Second take, with more.",))

    assert result.outcome == Outcome.UPDATED
    article = Article.objects.get()
    assert article.body == "<p>Second take, with more.</p>"
    item = WireItem.objects.get()
    assert (item.version, item.state, item.article) == (2, WireItem.State.NEW, article)


def test_same_version_delivered_again_changes_nothing():
    deliver()
    assert deliver().outcome == Outcome.UNCHANGED
    assert Article.objects.count() == WireItem.objects.count() == 1


def test_older_version_arriving_late_is_ignored_and_reported():
    deliver(version=3, body=("Third take.",))
    result = deliver(version=2, body=("Second take.",))

    assert result.outcome == Outcome.SKIPPED
    assert result.message == "version 2 arrived after version 3; ignored"
    assert Article.objects.get().body == "<p>Third take.</p>"
    assert WireItem.objects.get().version == 3


def test_newer_version_of_an_edited_draft_waits_as_a_pending_update_to_apply():
    deliver(version=1, body=("First take.",))
    article = Article.objects.get()
    editor = UserFactory()
    article.body, article.updated_by = "<p>The desk's own lead.</p>", editor
    article.save()

    result = deliver(version=2, headline="Busan ferry terminal opens", body=("Second take.",))

    assert result.outcome == Outcome.SKIPPED
    article.refresh_from_db()
    assert article.body == "<p>The desk's own lead.</p>"
    item = WireItem.objects.get()
    assert item.state == WireItem.State.UPDATED
    assert item.pending_version == 2
    assert item.alert == "Yonhap sent an update to a draft an editor has changed"

    versions.apply_pending(item, by=editor)
    article.refresh_from_db()
    assert (article.headline, article.body) == ("Busan ferry terminal opens", "<p>Second take.</p>")
    item.refresh_from_db()
    assert (item.pending, item.alert, item.state) == (None, "", WireItem.State.USED)


def test_correction_to_a_published_story_alerts_the_desk_and_changes_nothing_readers_see(caplog):
    article = published_story()
    result = deliver(version=2, body=("Corrected figure: three million passengers.",))

    assert result.outcome == Outcome.SKIPPED
    article.refresh_from_db()
    assert article.body == "<p>A ferry terminal opened on Wednesday.</p>"
    assert article.status == Article.Status.PUBLISHED
    item = WireItem.objects.get()
    assert item.alert == "Yonhap sent a correction to a story you published"
    assert not item.urgent
    assert "Yonhap sent a correction to a story you published" in caplog.text


@pytest.mark.parametrize("status", ["canceled", "withheld"])
def test_kill_withdraws_a_draft_which_then_cannot_be_published(status):
    deliver()
    result = deliver(version=2, status=status, body=())

    assert result.outcome == Outcome.UPDATED
    assert "withdrawn by the agency" in result.message
    article = Article.objects.get()
    assert WireItem.objects.get().state == WireItem.State.WITHDRAWN
    Photo.objects.update(alt_text="A described picture")
    with pytest.raises(TransitionError, match="the agency withdrew it"):
        article.publish(by=None)


def test_kill_of_a_published_story_raises_an_urgent_alert_and_leaves_it_up(caplog):
    article = published_story()
    result = deliver(version=2, status="canceled", body=())

    assert result.message == "killed by the agency; the desk is alerted"
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    item = WireItem.objects.get()
    assert (item.urgent, item.alert) == (True, "Yonhap killed a story you published")
    assert "Yonhap killed a story you published" in caplog.text


def test_kill_unpublishes_by_itself_only_for_an_agency_the_newsroom_chose(settings):
    settings.NEWSROOM = {**settings.NEWSROOM, "WIRE_AUTO_UNPUBLISH": ["yonhap"]}
    article = published_story()
    deliver(version=2, status="canceled", body=())

    article.refresh_from_db()
    assert article.status == Article.Status.UNPUBLISHED
    assert WireItem.objects.get().alert == "Yonhap killed a story you published; it was unpublished"


def test_redelivered_kill_changes_nothing_more():
    deliver()
    deliver(version=2, status="canceled", body=())
    assert deliver(version=2, status="canceled", body=()).outcome == Outcome.UNCHANGED
