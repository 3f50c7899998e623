"""A preview link serves its purpose and no longer: publishing, unpublishing or killing the
story, or an editor pressing "Revoke preview links", ends every link issued before."""

import pytest
from django.urls import reverse

from articles.previews import preview_url
from tests.support.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    return ArticleFactory(headline="Draft with a secret", bylined=True)


def shows(client, url) -> bool:
    response = client.get(url)
    assert response.status_code in (200, 404)
    return response.status_code == 200 and b"Draft with a secret" in response.content


def test_publishing_ends_the_links_issued_for_the_draft(client, draft, editor):
    link = preview_url(draft)
    assert shows(client, link)
    draft.publish(by=editor)
    assert not shows(client, link)


def test_unpublishing_ends_the_links_issued_while_it_was_live(client, draft, editor):
    draft.publish(by=editor)
    link = preview_url(draft)
    draft.unpublish(by=editor)
    assert not shows(client, link)
    assert shows(client, preview_url(draft)), "a new link works"


def test_killing_ends_every_link(client, draft, editor):
    link = preview_url(draft)
    draft.kill(by=editor, reason="Legal")
    assert not shows(client, link)


def test_editing_the_draft_keeps_the_link_working(client, draft):
    link = preview_url(draft)
    draft.headline = "Draft with a secret, edited"
    draft.save()
    assert shows(client, link)


def test_an_editor_revokes_every_link_from_the_desk(client, editor_client, draft):
    link = preview_url(draft)
    page = editor_client.get(reverse("admin:articles_article_change", args=[draft.pk]))
    revoke = reverse("admin:articles_article_revoke_previews", args=[draft.pk])
    assert revoke in page.content.decode()
    response = editor_client.post(revoke)
    assert response.status_code == 302
    assert not shows(client, link)
    draft.refresh_from_db()
    assert shows(client, preview_url(draft))


def test_revoking_needs_a_post_and_the_right_to_edit_the_story(client, draft, reporter):
    link = preview_url(draft)
    client.force_login(reporter)
    revoke = reverse("admin:articles_article_revoke_previews", args=[draft.pk])
    assert client.post(revoke).status_code in (403, 404)
    client.logout()
    assert shows(client, link)
