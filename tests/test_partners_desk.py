"""The desk's partner pages: administrators make keys (shown once), webhooks and replays."""

import re

import pytest

from articles.models import ApiKey, Partner, WebhookDelivery
from articles.models.partner import hash_key
from tests.support.api import bearer, make_key
from tests.support.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_an_administrator_makes_a_key_and_sees_it_once(client, administrator):
    client.force_login(administrator)
    partner = Partner.objects.create(name="Wire Partner")
    response = client.post(
        "/admin/articles/apikey/add/",
        {"partner": partner.pk, "name": "app", "all_content": "on", "rate_per_minute": 100},
    )
    assert response.status_code == 200
    secret = re.search(r'value="(nr_[^"]+)"', response.content.decode()).group(1)
    key = ApiKey.objects.get()
    assert key.hashed_key == hash_key(secret)
    assert key.created_by == administrator
    page = client.get(f"/admin/articles/apikey/{key.pk}/change/").content.decode()
    assert secret not in page
    assert key.prefix in page
    client.logout()
    assert client.get("/api/v1/sections/", **bearer(secret)).status_code == 200


@pytest.mark.parametrize("role", ["Editor", "Reporter", "Photo editor"])
def test_only_administrators_manage_partners(client, make_user, role):
    client.force_login(make_user(role))
    for url in [
        "/admin/articles/partner/",
        "/admin/articles/apikey/",
        "/admin/articles/apikey/add/",
        "/admin/articles/webhookdelivery/",
    ]:
        assert client.get(url).status_code == 403, url


def test_administrators_can_revoke_keys_and_replay_deliveries(client, administrator):
    client.force_login(administrator)
    key, secret = make_key()
    response = client.post(
        "/admin/articles/apikey/",
        {"action": "revoke", "_selected_action": [key.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert client.get("/api/v1/sections/", **bearer(secret)).status_code == 401
    hook = key.partner.webhooks.create(url="https://partner.example/hook", events=["updated"])
    story = ArticleFactory(published=True)
    delivery = WebhookDelivery.objects.create(
        webhook=hook, event="updated", story_id=story.pk, body="{}", status="failed", attempts=9
    )
    assert client.get("/admin/articles/webhookdelivery/").status_code == 200
    client.post(
        "/admin/articles/webhookdelivery/",
        {"action": "send_again", "_selected_action": [delivery.pk]},
    )
    replayed = WebhookDelivery.objects.exclude(pk=delivery.pk).get()
    assert replayed.status == "pending"
    assert replayed.attempts == 0
    assert replayed.body == delivery.body


def test_a_webhook_to_a_private_address_is_refused_in_the_desk(client, administrator):
    client.force_login(administrator)
    page = client.get("/admin/articles/partner/add/")
    assert page.status_code == 200
    response = client.post(
        "/admin/articles/partner/add/",
        {
            "name": "Sneaky",
            "api_keys-TOTAL_FORMS": 0,
            "api_keys-INITIAL_FORMS": 0,
            "webhooks-TOTAL_FORMS": 1,
            "webhooks-INITIAL_FORMS": 0,
            "webhooks-0-url": "http://169.254.169.254/latest/",
            "webhooks-0-events": ["killed"],
            "webhooks-0-active": "on",
        },
    )
    assert response.status_code == 200
    assert "not a public address" in response.content.decode()
    assert not Partner.objects.exists()
