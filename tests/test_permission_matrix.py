"""Each role x each transition, through the desk's real paths: the change form's buttons, the
kill page and the list actions. A refused path changes nothing and leaves no audit row."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleTransition
from articles.models.workflow import TRANSITIONS
from tests.support.admin_forms import change_url, form_values
from tests.support.factories import ArticleFactory

pytestmark = pytest.mark.django_db

CHANGELIST_URL = reverse("admin:articles_article_changelist")
ROLES = ["Reporter", "Editor", "Photo editor", "Administrator"]
ALLOWED = {
    "submit": {"Reporter", "Editor", "Administrator"},
    "mark_ready": {"Editor", "Administrator"},
    "return_to_draft": {"Editor", "Administrator"},
    "publish": {"Editor", "Administrator"},
    "unpublish": {"Editor", "Administrator"},
    "kill": {"Editor", "Administrator"},
    "restore": {"Administrator"},
}
# A state each transition starts from.
SOURCE = {
    "submit": "draft",
    "mark_ready": "in_review",
    "return_to_draft": "ready",
    "publish": "ready",
    "unpublish": "published",
    "kill": "published",
    "restore": "killed",
}
ACTIONS = {
    "submit": "submit_selected",
    "mark_ready": "mark_selected_ready",
    "return_to_draft": "return_selected_to_draft",
    "publish": "publish_selected",
    "unpublish": "unpublish_selected",
    "kill": "kill_selected",
    "restore": "restore_selected",
}
CASES = [(role, name) for name in TRANSITIONS for role in ROLES]


def test_the_matrix_covers_every_transition():
    assert set(ALLOWED) == set(SOURCE) == set(ACTIONS) == set(TRANSITIONS)


@pytest.fixture
def story_owned_by():
    """A story in `status`, created by `user`: a reporter's own story, where ownership counts."""

    def make(user, status):
        return ArticleFactory(
            bylined=True,
            status=status,
            created_by=user,
            publish_at=timezone.now() - timedelta(hours=1),
        )

    return make


def assert_outcome(article, user, name, allowed, response):
    article.refresh_from_db()
    trail = ArticleTransition.objects.filter(article=article)
    if allowed:
        assert article.status == TRANSITIONS[name].target, response
        assert [(t.to_status, t.by) for t in trail] == [(TRANSITIONS[name].target, user)]
    else:
        assert article.status == SOURCE[name]
        assert not trail.exists()
        assert response.status_code in {200, 302, 403}


@pytest.mark.parametrize(("role", "name"), CASES)
def test_change_form_and_kill_page(client, admin_client, make_user, story_owned_by, role, name):
    user = make_user(role)
    article = story_owned_by(user, SOURCE[name])
    url = change_url(article)
    data = form_values(admin_client.get(url))
    client.force_login(user)
    if name == "kill":
        url = reverse("admin:articles_article_kill", args=[article.pk])
        response = client.post(url, {"kill_reason": "Court order"})
    else:
        response = client.post(url, {**data, "_transition": name})
    allowed = role in ALLOWED[name]
    assert_outcome(article, user, name, allowed, response)
    if not allowed:
        assert response.status_code == 403


@pytest.mark.parametrize(("role", "name"), CASES)
def test_list_actions(client, make_user, story_owned_by, role, name):
    user = make_user(role)
    article = story_owned_by(user, SOURCE[name])
    client.force_login(user)
    data = {"action": ACTIONS[name], "_selected_action": [article.pk]}
    if name == "kill":
        data.update(apply="1", kill_reason="Court order")
    response = client.post(CHANGELIST_URL, data)
    assert_outcome(article, user, name, role in ALLOWED[name], response)


@pytest.mark.parametrize("role", ROLES)
def test_actions_offered_match_the_role(client, make_user, role):
    client.force_login(make_user(role))
    response = client.get(CHANGELIST_URL)
    assert response.status_code == 200
    action_form = response.context.get("action_form")
    offered = {value for value, _ in action_form.fields["action"].choices} if action_form else set()
    expected = {ACTIONS[name] for name in TRANSITIONS if role in ALLOWED[name]}
    assert offered - {"", "delete_selected"} == expected


def test_reporter_cannot_move_someone_elses_story(client, make_user, story_owned_by):
    reporter, colleague = make_user("Reporter"), make_user("Reporter")
    article = story_owned_by(colleague, "draft")
    client.force_login(reporter)
    client.post(CHANGELIST_URL, {"action": "submit_selected", "_selected_action": [article.pk]})
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert not ArticleTransition.objects.exists()


def test_a_forged_status_field_does_not_change_the_state(admin_client, story_owned_by, editor):
    article = story_owned_by(editor, "draft")
    url = change_url(article)
    data = form_values(admin_client.get(url))
    admin_client.post(url, {**data, "status": "published"})
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
