"""The transition methods on Article: the state table, permissions, publishing rules, audit."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from articles.models import Article, ArticleTransition, TransitionError
from articles.models.workflow import TRANSITIONS
from tests.support.clock import NOW
from tests.support.factories import (
    ArticleFactory,
    ArticlePhotoFactory,
    BylineFactory,
    ContributorFactory,
)

pytestmark = pytest.mark.django_db


def test_a_story_moves_from_draft_to_published_and_every_step_is_audited(desk_editor, reporter):
    article = ArticleFactory(bylined=True, created_by=reporter)
    article.submit(by=reporter)
    article.mark_ready(by=desk_editor)
    article.publish(by=desk_editor)
    article.unpublish(by=desk_editor, note="Legal asked to check a name")
    article.return_to_draft(by=desk_editor)
    article.kill(by=desk_editor, reason="Court order")

    trail = list(ArticleTransition.objects.filter(article=article).order_by("pk"))
    assert [(t.from_status, t.to_status, t.by) for t in trail] == [
        ("draft", "in_review", reporter),
        ("in_review", "ready", desk_editor),
        ("ready", "published", desk_editor),
        ("published", "unpublished", desk_editor),
        ("unpublished", "draft", desk_editor),
        ("draft", "killed", desk_editor),
    ]
    assert trail[3].note == "Legal asked to check a name"
    assert trail[5].note == "Court order"
    article.refresh_from_db()
    assert article.status == Article.Status.KILLED


@pytest.mark.parametrize(
    ("status", "name"),
    [
        ("in_review", "submit"),
        ("draft", "mark_ready"),
        ("published", "publish"),
        ("draft", "unpublish"),
        ("killed", "kill"),
        ("killed", "publish"),
        ("published", "restore"),
        ("draft", "return_to_draft"),
    ],
)
def test_transitions_outside_the_table_are_refused_and_leave_no_trace(administrator, status, name):
    article = ArticleFactory(bylined=True, status=status, publish_at=timezone.now())
    method = getattr(article, name)
    kwargs = {"reason": "Because"} if name == "kill" else {}
    with pytest.raises(TransitionError, match="not possible"):
        method(by=administrator, **kwargs)
    article.refresh_from_db()
    assert article.status == status
    assert not ArticleTransition.objects.exists()


def test_the_state_is_checked_against_the_database_not_a_stale_copy(desk_editor):
    article = ArticleFactory(bylined=True)
    stale = Article.objects.get(pk=article.pk)
    article.kill(by=desk_editor, reason="Legal")
    with pytest.raises(TransitionError):
        stale.publish(by=desk_editor)
    assert Article.objects.get(pk=article.pk).status == Article.Status.KILLED


def test_reporter_cannot_publish_mark_ready_or_kill(reporter):
    article = ArticleFactory(bylined=True, created_by=reporter)
    for name in ["publish", "mark_ready", "kill", "unpublish", "restore", "return_to_draft"]:
        kwargs = {"reason": "x"} if name == "kill" else {}
        with pytest.raises(PermissionDenied):
            getattr(article, name)(by=reporter, **kwargs)
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT


def test_reporter_submits_only_their_own_stories(reporter, make_user):
    mine = ArticleFactory(created_by=reporter)
    credited = ArticleFactory()
    BylineFactory(article=credited, contributor=ContributorFactory(user=reporter))
    theirs = ArticleFactory(created_by=make_user("Reporter"))
    mine.submit(by=reporter)
    credited.submit(by=reporter)
    with pytest.raises(PermissionDenied):
        theirs.submit(by=reporter)
    assert Article.objects.get(pk=theirs.pk).status == Article.Status.DRAFT


def test_only_administrators_restore_killed_stories(desk_editor, administrator):
    article = ArticleFactory(status="killed")
    with pytest.raises(PermissionDenied):
        article.restore(by=desk_editor)
    article.restore(by=administrator)
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT


def test_killing_needs_a_reason(desk_editor):
    article = ArticleFactory()
    with pytest.raises(TransitionError, match="reason"):
        article.kill(by=desk_editor, reason="  ")
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT


def test_publishing_needs_a_byline_and_alt_text_on_every_placed_photo(desk_editor):
    article = ArticleFactory()
    ArticlePhotoFactory(article=article, photo__alt_text="")
    with pytest.raises(TransitionError) as refused:
        article.publish(by=desk_editor)
    assert "byline" in str(refused.value)
    assert "alt text" in str(refused.value)
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT
    assert not ArticleTransition.objects.exists()


def test_publishing_a_whitespace_headline_is_refused(desk_editor):
    article = ArticleFactory(bylined=True, headline="   ")
    with pytest.raises(TransitionError, match="headline"):
        article.publish(by=desk_editor)


@time_machine.travel(NOW, tick=False)
def test_publishing_with_a_future_time_schedules_the_story(desk_editor):
    article = ArticleFactory(bylined=True)
    article.publish(by=desk_editor, at=NOW + timedelta(hours=2))
    assert article.status == Article.Status.PUBLISHED
    assert article.publish_at == NOW + timedelta(hours=2)
    assert article not in Article.objects.published()
    with time_machine.travel(NOW + timedelta(hours=2), tick=False):
        assert article in Article.objects.published()


@time_machine.travel(NOW, tick=False)
def test_publishing_before_the_embargo_is_refused(desk_editor):
    embargo = NOW + timedelta(hours=1)
    article = ArticleFactory(bylined=True, embargo_until=embargo)
    with pytest.raises(TransitionError, match="embargo"):
        article.publish(by=desk_editor)
    with pytest.raises(TransitionError, match="embargo"):
        article.publish(by=desk_editor, at=embargo - timedelta(seconds=1))
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT
    # Scheduling for the embargo time itself is what the agency asked for.
    article.publish(by=desk_editor, at=embargo)
    assert article.publish_at == embargo
    assert article not in Article.objects.published()


@time_machine.travel(NOW, tick=False)
def test_publishing_after_the_embargo_has_passed_goes_live(desk_editor):
    article = ArticleFactory(bylined=True, embargo_until=NOW - timedelta(minutes=1))
    article.publish(by=desk_editor)
    assert article in Article.objects.published()


def test_each_transition_moves_the_version_on(desk_editor):
    article = ArticleFactory(bylined=True)
    before = Article.objects.get(pk=article.pk).version
    article.publish(by=desk_editor)
    assert Article.objects.get(pk=article.pk).version == before + 1


def test_available_transitions_follow_role_and_state(reporter, desk_editor, administrator):
    own_draft = ArticleFactory(created_by=reporter)
    killed = ArticleFactory(status="killed", created_by=reporter)
    names = lambda article, user: [t.name for t in article.transitions_for(user)]  # noqa: E731
    assert names(own_draft, reporter) == ["submit"]
    assert names(own_draft, desk_editor) == ["submit", "publish", "kill"]
    assert names(killed, reporter) == []
    assert names(killed, desk_editor) == []
    assert names(killed, administrator) == ["restore"]


def test_roles_exist_with_the_workflow_permissions():
    def codenames(role):
        return set(Group.objects.get(name=role).permissions.values_list("codename", flat=True))

    reporter, editor, photo, admin = (
        codenames(role) for role in ["Reporter", "Editor", "Photo editor", "Administrator"]
    )
    workflow = {"publish_article", "kill_article", "review_article", "change_any_article"}
    assert {"add_article", "change_article"} <= reporter
    assert not reporter & (workflow | {"restore_killed_article", "delete_article"})
    assert workflow <= editor
    assert "restore_killed_article" not in editor
    assert {"add_photo", "change_photo", "delete_photo"} <= photo
    assert "change_article" not in photo
    assert workflow | {"restore_killed_article", "change_user"} <= admin


def test_every_transition_names_an_existing_permission():
    from django.contrib.auth.models import Permission

    for transition in TRANSITIONS.values():
        app_label, codename = transition.permission.split(".")
        assert Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).exists(), transition.permission
