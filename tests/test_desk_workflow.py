"""The workflow on the desk: state and buttons on the change form, edit conflicts, the kill
page, corrections inline, the audit trail and the calendar."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from articles.models import Article, ArticleTransition, Correction
from tests.support.admin_forms import change_url, form_values
from tests.support.clock import NOW
from tests.support.factories import ArticleFactory, ContributorFactory

pytestmark = pytest.mark.django_db


def open_form(client, article):
    """What an editor's browser would send back for the story as it is now."""
    response = client.get(change_url(article))
    assert response.status_code == 200
    return form_values(response)


def test_change_form_shows_state_read_only_with_buttons_for_the_role(client, make_user):
    reporter = make_user("Reporter")
    article = ArticleFactory(created_by=reporter)
    client.force_login(reporter)
    response = client.get(change_url(article))
    assertNotContains(response, 'name="status"')
    assertContains(response, 'name="_transition" value="submit"')
    assertNotContains(response, 'value="publish"')
    assertNotContains(response, "Kill…")

    client.force_login(make_user("Editor"))
    response = client.get(change_url(article))
    assertContains(response, 'name="_transition" value="publish"')
    assertContains(response, reverse("admin:articles_article_kill", args=[article.pk]))


def test_reporter_sees_published_stories_read_only_and_others_drafts_not_at_all(client, make_user):
    reporter = make_user("Reporter")
    article = ArticleFactory(published=True)
    client.force_login(reporter)
    response = client.get(change_url(article))
    assert response.status_code == 200
    assertNotContains(response, 'name="headline"')
    assertNotContains(response, 'name="_transition"')
    draft = ArticleFactory(headline="A colleague's draft")
    response = client.get(change_url(draft), follow=True)
    assertNotContains(response, "A colleague&#x27;s draft")
    assertContains(response, "doesn’t exist")


def test_reporter_cannot_edit_their_story_once_it_is_ready(client, make_user):
    reporter = make_user("Reporter")
    article = ArticleFactory(created_by=reporter, status="ready")
    client.force_login(reporter)
    assertNotContains(client.get(change_url(article)), 'name="headline"')


def test_a_refused_publish_keeps_the_saved_edits_and_says_why(admin_client):
    article = ArticleFactory(headline="Old headline")  # no byline
    data = open_form(admin_client, article)
    data["headline"] = ["New headline"]
    response = admin_client.post(
        change_url(article), {**data, "_transition": "publish"}, follow=True
    )
    assertRedirects(response, change_url(article))
    assertContains(response, "Your changes were saved, but")
    assertContains(response, "needs at least one byline")
    article.refresh_from_db()
    assert (article.headline, article.status) == ("New headline", Article.Status.DRAFT)


def test_publish_with_a_future_time_schedules_the_story(admin_client):
    article = ArticleFactory(bylined=True)
    data = open_form(admin_client, article)
    when = timezone.localtime() + timedelta(days=1)
    data.update(publish_at_0=[when.strftime("%Y-%m-%d")], publish_at_1=["07:30:00"])
    response = admin_client.post(
        change_url(article), {**data, "_transition": "publish"}, follow=True
    )
    assertContains(response, "is scheduled")
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article not in Article.objects.published()
    assert article.desk_state == "Scheduled"


def test_publish_before_the_embargo_is_refused_on_the_desk(admin_client):
    article = ArticleFactory(bylined=True, embargo_until=timezone.now() + timedelta(hours=3))
    data = open_form(admin_client, article)
    response = admin_client.post(
        change_url(article), {**data, "_transition": "publish"}, follow=True
    )
    assertContains(response, "under embargo")
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT


# Edit conflicts


def test_a_save_from_a_stale_form_is_refused_and_shows_both_values(client, make_user):
    kim, lee = make_user("Editor", first_name="Kim"), make_user("Editor", first_name="Lee")
    article = ArticleFactory(headline="Budget passes", dek="First dek.")
    client.force_login(kim)
    kims_form = open_form(client, article)

    client.force_login(lee)
    lees_form = open_form(client, article)
    lees_form["headline"] = ["Budget passes after all-night session"]
    assert client.post(change_url(article), lees_form).status_code == 302

    client.force_login(kim)
    kims_form["dek"] = ["Kim's better dek."]
    response = client.post(change_url(article), kims_form)
    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.non_field_errors())
    assert "after you opened it" in errors
    assert "Nothing you entered was saved" in errors
    assert "Headline: your value “Budget passes”; current value “Budget passes after" in errors
    assert "Dek: your value “Kim's better dek.”; current value “First dek.”" in errors
    article.refresh_from_db()
    assert (article.headline, article.dek) == (
        "Budget passes after all-night session",
        "First dek.",
    )


def test_a_state_change_makes_an_open_form_stale(admin_client, make_user, client):
    article = ArticleFactory(bylined=True)
    data = open_form(admin_client, article)
    article.kill(by=make_user("Editor"), reason="Legal")
    response = admin_client.post(change_url(article), {**data, "headline": "Changed"})
    assert response.status_code == 200
    assertContains(response, "it is now killed")
    assert Article.objects.get(pk=article.pk).headline != "Changed"


def test_a_form_without_its_version_is_refused(admin_client):
    article = ArticleFactory(headline="Kept")
    data = open_form(admin_client, article)
    del data["loaded_version"]
    response = admin_client.post(change_url(article), {**data, "headline": "Changed"})
    assert response.status_code == 200
    assert Article.objects.get(pk=article.pk).headline == "Kept"


def test_saving_a_fresh_form_twice_in_a_row_works(admin_client):
    article = ArticleFactory()
    for headline in ["First edit", "Second edit"]:
        data = open_form(admin_client, article)
        data["headline"] = [headline]
        assert admin_client.post(change_url(article), data).status_code == 302
    assert Article.objects.get(pk=article.pk).headline == "Second edit"


# Kill page


def test_kill_page_requires_a_reason(admin_client):
    article = ArticleFactory(published=True)
    url = reverse("admin:articles_article_kill", args=[article.pk])
    assertContains(admin_client.get(url), "Reason")
    response = admin_client.post(url, {"kill_reason": "   "})
    assert response.status_code == 200
    assertContains(response, "Give a reason")
    assert Article.objects.get(pk=article.pk).status == Article.Status.PUBLISHED

    assertRedirects(admin_client.post(url, {"kill_reason": "Court order"}), change_url(article))
    assert ArticleTransition.objects.get().note == "Court order"


def test_bulk_kill_asks_for_the_reason_first(admin_client):
    stories = ArticleFactory.create_batch(2, published=True)
    url = reverse("admin:articles_article_changelist")
    selection = {"action": "kill_selected", "_selected_action": [a.pk for a in stories]}
    assertContains(admin_client.post(url, selection), "Kill 2 stories")
    assert not Article.objects.filter(status="killed").exists()
    admin_client.post(url, {**selection, "apply": "1", "kill_reason": "Legal"})
    assert Article.objects.filter(status="killed").count() == 2


def test_bulk_publish_reports_the_stories_it_could_not_publish(admin_client):
    ready = ArticleFactory(bylined=True, status="ready")
    no_byline = ArticleFactory(status="ready", headline="Missing byline story")
    url = reverse("admin:articles_article_changelist")
    response = admin_client.post(
        url,
        {"action": "publish_selected", "_selected_action": [ready.pk, no_byline.pk]},
        follow=True,
    )
    assertContains(response, "1 story published")
    assertContains(response, "Missing byline story")
    assert Article.objects.get(pk=no_byline.pk).status == Article.Status.READY


def test_a_story_with_an_audit_trail_cannot_be_deleted(admin_client):
    article = ArticleFactory(bylined=True)
    article.publish(by=None)
    url = reverse("admin:articles_article_delete", args=[article.pk])
    admin_client.post(url, {"post": "yes"})
    assert Article.objects.filter(pk=article.pk).exists()


# Corrections and audit in the admin


def test_editor_appends_a_correction_inline(client, make_user):
    editor = make_user("Editor")
    article = ArticleFactory(published=True)
    client.force_login(editor)
    data = open_form(client, article)
    data.update(
        {
            "corrections-TOTAL_FORMS": ["1"],
            "corrections-0-kind": ["correction"],
            "corrections-0-text": ["An earlier version gave the wrong date."],
        }
    )
    assert client.post(change_url(article), data).status_code == 302
    correction = Correction.objects.get()
    assert (correction.article, correction.created_by) == (article, editor)
    # A correction is a record: once saved, an editor sees it but cannot rewrite it.
    response = client.get(change_url(article))
    assertNotContains(response, 'name="corrections-0-text"')
    assertContains(response, "An earlier version gave the wrong date.")


def test_audit_trail_is_listed_read_only(client, make_user):
    editor = make_user("Editor")
    article = ArticleFactory(bylined=True, headline="Audited story")
    article.publish(by=editor)
    client.force_login(editor)
    response = client.get(reverse("admin:articles_articletransition_changelist"))
    assertContains(response, "Audited story")
    assert client.get(reverse("admin:articles_articletransition_add")).status_code == 403
    response = client.get(change_url(article))
    assertContains(response, "audit trail")


# Calendar

CAL_NOW = NOW + timedelta(days=3)  # a Wednesday: the week spans two months' days


@time_machine.travel(CAL_NOW, tick=False)
@pytest.mark.parametrize("view", ["week", "month"])
def test_calendar_shows_scheduled_and_published_stories_with_their_state(client, make_user, view):
    client.force_login(make_user("Editor"))
    live = ArticleFactory(published=True, headline="Live story", publish_at=CAL_NOW)
    scheduled = ArticleFactory(
        status="published", headline="Tomorrow story", publish_at=CAL_NOW + timedelta(days=1)
    )
    ArticleFactory(headline="Far away", status="published", publish_at=CAL_NOW + timedelta(days=90))
    url = reverse("admin:articles_article_calendar")
    response = client.get(url, {"view": view, "date": "2026-03-04"})
    assert response.status_code == 200
    for story, state in [(live, "Published"), (scheduled, "Scheduled")]:
        assertContains(response, story.headline)
        assertContains(response, change_url(story))
        assertContains(response, f'<span class="nr-state nr-state--{state.lower()}">{state}</span>')
    assertNotContains(response, "Far away")


@time_machine.travel(CAL_NOW, tick=False)
def test_calendar_costs_the_same_queries_for_few_or_many_stories(admin_client):
    url = reverse("admin:articles_article_calendar") + "?view=month"

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(url).status_code == 200
        return len(queries)

    ArticleFactory(published=True, publish_at=CAL_NOW)
    few = count()
    for hours in range(20):
        ArticleFactory(published=True, publish_at=CAL_NOW - timedelta(hours=hours))
    assert count() == few


def test_calendar_explains_a_bad_date_and_needs_permission(admin_client, client, make_user):
    url = reverse("admin:articles_article_calendar")
    response = admin_client.get(url, {"date": "2026-13-45"}, follow=True)
    assertContains(response, "is not a date")
    client.force_login(make_user(None))  # staff, no role
    assert client.get(url).status_code == 403


def test_a_reporter_can_credit_a_colleague_and_keep_the_story(client, make_user):
    reporter = make_user("Reporter")
    client.force_login(reporter)
    colleague = ContributorFactory()
    article = ArticleFactory(created_by=reporter)
    data = open_form(client, article)
    data.update(
        {
            "bylines-TOTAL_FORMS": ["1"],
            "bylines-0-contributor": [str(colleague.pk)],
            "bylines-0-role": ["written_by"],
            "bylines-0-position": ["0"],
        }
    )
    assert client.post(change_url(article), {**data, "_transition": "submit"}).status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW
    assert article.bylines.get().contributor == colleague


def test_reporter_files_a_new_story_and_submits_it_in_one_step(client, make_user):
    reporter = make_user("Reporter")
    client.force_login(reporter)
    add_url = reverse("admin:articles_article_add")
    data = form_values(client.get(add_url))
    assert "status" not in data
    data.update(headline=["Flooding closes Busan port"], slug=["flooding-closes-busan-port"])
    response = client.post(add_url, {**data, "_transition": "submit"})
    article = Article.objects.get()
    assertRedirects(response, change_url(article))
    assert (article.status, article.created_by) == (Article.Status.IN_REVIEW, reporter)
    assert ArticleTransition.objects.get().by == reporter
    # Still theirs to fix while in review.
    assertContains(client.get(change_url(article)), 'name="headline"')


def test_photo_editor_keeps_the_library_but_cannot_edit_stories(client, make_user):
    client.force_login(make_user("Photo editor"))
    assert client.get(reverse("admin:articles_photo_add")).status_code == 200
    article = ArticleFactory(published=True)
    assertNotContains(client.get(change_url(article)), 'name="headline"')
    assert client.get(reverse("admin:articles_article_add")).status_code == 403
