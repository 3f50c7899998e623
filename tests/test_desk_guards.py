"""Desk guards: nothing readers have seen is hard-deleted (it is killed), only a superuser
makes a superuser, and a refused `next=` after sign-in lands on the desk."""

import pytest
from django.urls import reverse

from articles.models import Article
from tests.support.factories import PASSWORD, ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


def delete_url(article):
    return reverse("admin:articles_article_delete", args=[article.pk])


@pytest.mark.parametrize(
    "fields",
    [
        {"published": True},
        # Demo data: published with no transition rows and no first-publication time.
        {"status": "published", "publish_at": "2026-01-01T00:00:00Z"},
        {"status": "unpublished"},
    ],
    ids=["published", "published-without-trail", "unpublished"],
)
def test_a_story_readers_have_seen_cannot_be_deleted_from_the_desk(editor_client, fields):
    article = ArticleFactory(**fields)
    editor_client.post(delete_url(article), {"post": "yes"})
    changelist = reverse("admin:articles_article_changelist")
    editor_client.post(
        changelist, {"action": "delete_selected", "_selected_action": [article.pk], "post": "yes"}
    )
    assert Article.objects.filter(pk=article.pk).exists()


def test_a_draft_nobody_has_seen_can_still_be_deleted(editor_client):
    article = ArticleFactory()
    response = editor_client.post(delete_url(article), {"post": "yes"})
    assert response.status_code == 302
    assert not Article.objects.filter(pk=article.pk).exists()


def test_an_administrator_cannot_make_themselves_a_superuser(client, make_user):
    administrator = make_user("Administrator", username="admin2")
    client.force_login(administrator)
    url = reverse("admin:auth_user_change", args=[administrator.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert b'name="is_superuser"' not in page.content


def test_a_superuser_can_make_a_superuser(admin_client):
    user = UserFactory(username="someone", is_staff=True)
    page = admin_client.get(reverse("admin:auth_user_change", args=[user.pk]))
    assert b'name="is_superuser"' in page.content


def test_a_refused_next_address_lands_on_the_desk(client):
    UserFactory(username="desk", is_staff=True)
    response = client.post(
        "/admin/login/?next=https://evil.example/",
        {"username": "desk", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
