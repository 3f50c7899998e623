"""Revisions: every desk save keeps one (inlines included); history, diff and restore."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects
from reversion.models import Version

from articles.desk.revisions import versions_of
from articles.models import Article, Byline, TaggedArticle
from tests.support.admin_forms import form_values
from tests.support.factories import ArticleFactory, BylineFactory, ContributorFactory, TopicFactory

pytestmark = pytest.mark.django_db


def url(name, article, *args):
    return reverse(f"admin:articles_article_{name}", args=[article.pk, *args])


def save(client, article, **changes):
    """Save the story through the desk form, changing `changes` (lists for multi-values)."""
    data = form_values(client.get(url("change", article)))
    data.update({k: v if isinstance(v, list) else [v] for k, v in changes.items()})
    response = client.post(url("change", article), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return Article.objects.get(pk=article.pk)


def replace_byline(client, article, contributor, **changes):
    data = {
        "bylines-0-contributor": str(contributor.pk),
        "bylines-0-role": "written_by",
        **changes,
    }
    return save(client, article, **data)


@pytest.fixture
def kim():
    return ContributorFactory(name="Kim Min-ji")


@pytest.fixture
def lee():
    return ContributorFactory(name="Lee Ho")


@pytest.fixture
def story(kim):
    article = ArticleFactory(published=True, headline="Budget passes", slug="budget-passes")
    BylineFactory(article=article, contributor=kim, position=0)
    return article


def test_each_desk_save_keeps_a_revision_with_bylines_and_topics(admin_client, story):
    defense = TopicFactory(name="defense")
    save(admin_client, story, headline="Budget passes at dawn", topics=[str(defense.pk)])
    version = versions_of(story).first()
    assert version.field_dict["headline"] == "Budget passes at dawn"
    models = {v._model for v in version.revision.version_set.all()}
    assert {Article, Byline, TaggedArticle} <= models
    tagged = [
        v._object_version.object
        for v in version.revision.version_set.all()
        if v._model is TaggedArticle
    ]
    assert [t.tag_id for t in tagged] == [defense.pk]
    assert version.revision.user.is_superuser


def test_transitions_keep_a_revision_too(story, desk_editor):
    story.unpublish(by=desk_editor)
    version = versions_of(story).first()
    assert version.field_dict["status"] == "unpublished"
    assert version.revision.user == desk_editor
    assert "Unpublish" in version.revision.comment


def test_history_lists_versions_and_compare_shows_a_word_diff(admin_client, story, lee):
    save(admin_client, story, dek="Lawmakers approved the plan.")
    replace_byline(admin_client, story, lee, headline="Budget finally passes")
    response = admin_client.get(url("history", story))
    versions = response.context["versions"]
    assert len(versions) == 2
    assertContains(response, "Restore")

    response = admin_client.get(
        url("compare", story), {"old": versions[1].pk, "new": versions[0].pk}
    )
    assert response.status_code == 200
    assertContains(response, "Budget <ins>finally </ins>passes", html=False)
    assertContains(response, "Lee Ho (Written by)")
    assertContains(response, "Kim Min-ji (Written by)")


def test_compare_with_a_version_of_another_story_is_refused(admin_client, story):
    other = ArticleFactory()
    save(admin_client, story, dek="A")
    save(admin_client, other, dek="B")
    response = admin_client.get(
        url("compare", story),
        {"old": versions_of(other).first().pk, "new": versions_of(story).first().pk},
        follow=True,
    )
    assertContains(response, "Choose two versions")


def test_restore_brings_back_content_and_inlines_but_not_the_state(admin_client, story, kim, lee):
    save(admin_client, story, dek="Original dek.")
    original = versions_of(story).first()
    replace_byline(admin_client, story, lee, headline="Rewritten headline", dek="New dek.")
    story.kill(by=None, reason="Legal")
    version_before = Article.objects.get(pk=story.pk).version

    response = admin_client.post(url("restore", story, original.pk))
    assertRedirects(response, url("change", story))
    story.refresh_from_db()
    assert (story.headline, story.dek) == ("Budget passes", "Original dek.")
    assert [b.contributor for b in story.bylines.all()] == [kim]
    assert story.status == Article.Status.KILLED
    assert story.version == version_before + 1
    latest = versions_of(story).first()
    assert latest.revision.comment.startswith("Restored the version saved on")


def test_restore_refuses_a_version_that_credits_a_deleted_contributor(
    admin_client, story, kim, lee
):
    save(admin_client, story, dek="With Kim.")
    with_kim = versions_of(story).first()
    replace_byline(admin_client, story, lee, dek="With Lee.")
    kim.delete()
    response = admin_client.post(url("restore", story, with_kim.pk), follow=True)
    assertContains(response, "no longer exist")
    story.refresh_from_db()
    assert story.dek == "With Lee."
    assert [b.contributor for b in story.bylines.all()] == [lee]


def test_restoring_an_old_slug_of_a_published_story_keeps_the_newer_address_working(
    admin_client, client, story
):
    save(admin_client, story, dek="Before the rename.")
    before_rename = versions_of(story).first()
    save(admin_client, story, slug="budget-passes-assembly")
    admin_client.post(url("restore", story, before_rename.pk))
    story.refresh_from_db()
    assert story.slug == "budget-passes"
    response = client.get(
        story.get_absolute_url().replace("budget-passes", "budget-passes-assembly")
    )
    assertRedirects(response, story.get_absolute_url(), status_code=301)


@pytest.mark.parametrize("role", ["Reporter", "Photo editor"])
def test_history_compare_and_restore_obey_edit_permissions(
    admin_client, client, make_user, story, role
):
    save(admin_client, story, dek="One.")
    save(admin_client, story, dek="Two.")
    old, new = versions_of(story)[1], versions_of(story)[0]
    client.force_login(make_user(role))
    assert client.get(url("history", story)).status_code == 403
    assert client.get(url("compare", story), {"old": old.pk, "new": new.pk}).status_code == 403
    assert client.post(url("restore", story, old.pk)).status_code == 403
    assert Article.objects.get(pk=story.pk).dek == "Two."


def test_reporter_sees_the_history_of_their_own_draft(client, make_user):
    reporter = make_user("Reporter")
    article = ArticleFactory(created_by=reporter)
    client.force_login(reporter)
    save(client, article, dek="Draft dek.")
    response = client.get(url("history", article))
    assert response.status_code == 200
    assert Version.objects.get_for_object(article).count() == 1
