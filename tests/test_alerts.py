"""A compromised editor leaves a trace: every state change records the address and browser
it came from, and a publish under someone else's byline, outside the newsroom's usual hours,
or one of too many in a short time raises an alert (a WARNING in the log and a row on the
administrators' Alerts page)."""

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from articles.models import Alert, ArticleTransition
from tests.support.admin_forms import form_values
from tests.support.factories import ArticleFactory, BylineFactory, ContributorFactory

pytestmark = pytest.mark.django_db

SEOUL = ZoneInfo("Asia/Seoul")
WORKING_HOURS = datetime(2026, 3, 4, 11, 0, tzinfo=SEOUL)


@pytest.fixture
def at_work():
    with time_machine.travel(WORKING_HOURS, tick=False):
        yield


def publish_through_the_desk(client, article, **headers):
    change = reverse("admin:articles_article_change", args=[article.pk])
    data = form_values(client.get(change))
    return client.post(change, {**data, "_transition": "publish"}, **headers)


def test_a_state_change_records_the_address_and_browser(at_work, editor_client, editor):
    article = ArticleFactory(bylined=True, created_by=editor)
    BylineFactory(article=article, contributor=ContributorFactory(user=editor))
    publish_through_the_desk(
        editor_client, article, REMOTE_ADDR="203.0.113.50", HTTP_USER_AGENT="Firefox/140"
    )
    row = ArticleTransition.objects.get(article=article)
    assert (row.address, row.user_agent) == ("203.0.113.50", "Firefox/140")
    listing = editor_client.get(reverse("admin:articles_articletransition_changelist"))
    assert b"203.0.113.50" in listing.content


def test_publishing_own_copy_under_a_colleagues_byline_raises_an_alert(
    at_work, editor, make_user, caplog
):
    colleague = make_user("Reporter", username="kim")
    article = ArticleFactory(created_by=editor)
    BylineFactory(article=article, contributor=ContributorFactory(name="Kim", user=colleague))
    with caplog.at_level(logging.WARNING, logger="articles.alerts"):
        article.publish(by=editor)
    (alert,) = Alert.objects.all()
    assert alert.kind == Alert.Kind.OTHERS_BYLINE
    assert alert.user == editor
    assert alert.article == article
    assert any("Kim" in r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)


def test_an_editor_publishing_a_reporters_story_is_ordinary(at_work, editor, make_user):
    reporter = make_user("Reporter", username="kim")
    article = ArticleFactory(created_by=reporter)
    BylineFactory(article=article, contributor=ContributorFactory(user=reporter))
    article.publish(by=editor)
    assert not Alert.objects.exists()


def test_publishing_outside_the_usual_hours_raises_an_alert(editor, settings):
    settings.NEWSROOM_USUAL_HOURS = (6, 23)
    with time_machine.travel(datetime(2026, 3, 4, 3, 30, tzinfo=SEOUL), tick=False):
        ArticleFactory(bylined=True).publish(by=editor)
    assert [a.kind for a in Alert.objects.all()] == [Alert.Kind.OFF_HOURS]


def test_a_burst_of_publishes_by_one_account_raises_an_alert(at_work, editor, settings):
    settings.NEWSROOM_PUBLISH_BURST = (3, 10)  # more than 3 in 10 minutes
    for _ in range(3):
        ArticleFactory(bylined=True).publish(by=editor)
    assert not Alert.objects.exists()
    ArticleFactory(bylined=True).publish(by=editor)
    assert [a.kind for a in Alert.objects.all()] == [Alert.Kind.BURST]


def test_the_alerts_page_is_for_administrators(at_work, client, editor, make_user, settings):
    settings.NEWSROOM_USUAL_HOURS = (12, 13)
    ArticleFactory(bylined=True, headline="Quiet hour story").publish(by=editor)
    url = reverse("admin:articles_alert_changelist")
    client.force_login(make_user("Administrator"))
    assert b"Quiet hour story" in client.get(url).content
    client.force_login(make_user("Editor"))
    assert client.get(url).status_code == 403
    client.force_login(make_user("Reporter"))
    assert client.get(url).status_code == 403
