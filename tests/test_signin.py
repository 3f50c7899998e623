"""Staff sign-in: throttling, passwords, authenticator codes and session length."""

import io
from base64 import b32encode
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django.asserts import assertContains

from newsroom.signin import client_ip
from tests.support.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
PASSWORD = "correct horse battery staple"
BROKEN_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens here
    }
}


@pytest.fixture
def staff(db):
    return UserFactory(username="desk", is_staff=True)


def sign_in(client, password=PASSWORD, username="desk", address="203.0.113.7", **fields):
    data = {"username": username, "password": password, "next": "/admin/", **fields}
    return client.post(LOGIN, data, REMOTE_ADDR=address)


def signed_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == "/admin/"


# Throttling (django-axes, counted in the database)


def fail(client, times, **kwargs):
    """Sign in with a wrong password `times` times; return the last answer."""
    for _ in range(times):
        response = sign_in(client, password="wrong password", **kwargs)
    return response


def test_five_failures_lock_the_username_from_that_address(client, staff):
    assert fail(client, 4).status_code == 200
    response = fail(client, 1)
    assert response.status_code == 429
    assertContains(response, "Sign-in locked for now", status_code=429)
    assertContains(response, "Try again in 15 minutes", status_code=429)
    assert sign_in(client).status_code == 429  # the right password, too late


def test_the_lock_holds_for_the_cool_off_then_lifts(client, staff):
    fail(client, 5)
    with time_machine.travel(timezone.now() + timedelta(minutes=14)):
        assert sign_in(client).status_code == 429
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        assert signed_in(sign_in(client))


def test_the_same_user_from_another_address_is_not_locked(client, staff):
    fail(client, 5)
    assert signed_in(sign_in(client, address="198.51.100.20"))


def test_a_success_resets_the_count(client, staff):
    assert fail(client, 4).status_code == 200
    assert signed_in(sign_in(client))
    client.logout()
    assert fail(client, 4).status_code == 200
    assert signed_in(sign_in(client))


def test_throttling_holds_while_the_cache_is_down(client, staff, settings):
    settings.CACHES = BROKEN_REDIS
    fail(client, 5)
    assert sign_in(client).status_code == 429


def test_behind_a_proxy_the_lock_follows_the_real_client_not_a_forged_header(
    client, staff, settings
):
    settings.NEWSROOM_TRUSTED_PROXIES = 1

    def via_proxy(password, forwarded_for):
        return client.post(
            LOGIN,
            {"username": "desk", "password": password, "next": "/admin/"},
            REMOTE_ADDR="10.0.0.1",  # the proxy, the same for everyone
            HTTP_X_FORWARDED_FOR=forwarded_for,
        )

    for forged in range(5):
        via_proxy("wrong", f"192.0.2.{forged}, 203.0.113.7")
    assert via_proxy(PASSWORD, "192.0.2.99, 203.0.113.7").status_code == 429
    # Another reader of the same desk account behind the same proxy is not locked out.
    assert signed_in(via_proxy(PASSWORD, "198.51.100.20"))


def test_client_address_behind_proxies_is_the_one_they_saw(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.7")
    settings.NEWSROOM_TRUSTED_PROXIES = 0
    assert client_ip(request) == "10.0.0.2"
    settings.NEWSROOM_TRUSTED_PROXIES = 1
    assert client_ip(request) == "203.0.113.7"
    settings.NEWSROOM_TRUSTED_PROXIES = 2
    assert client_ip(request) == "1.1.1.1"
    settings.NEWSROOM_TRUSTED_PROXIES = 3  # fewer hops than proxies: not to be trusted
    assert client_ip(request) == "10.0.0.2"


# Passwords


@pytest.mark.parametrize("password", ["password1", "12345678901", "short", "desk.example"])
def test_weak_passwords_are_refused(password, staff):
    with pytest.raises(ValidationError):
        validate_password(password, user=staff)


# Session length


def test_staff_sessions_end_after_a_working_day(client, staff):
    assert signed_in(sign_in(client))
    assert client.session.get_expiry_age() == 8 * 3600
    assert client.session.get_expiry_age() < 14 * 24 * 3600  # Django's default for others


# Two-factor (django-otp)


def authenticator(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)


def current_code(device) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"


def test_by_default_staff_without_an_authenticator_sign_in_with_a_password(client, staff):
    assert signed_in(sign_in(client))
    assert client.get("/admin/").status_code == 200


def test_staff_who_set_up_an_authenticator_are_always_asked_for_its_code(client, staff):
    device = authenticator(staff)
    response = sign_in(client)
    assert response.status_code == 200
    assertContains(response, "Enter the six-digit code")
    assert signed_in(sign_in(client, otp_token=current_code(device)))


def test_a_wrong_authenticator_code_is_refused(client, staff):
    device = authenticator(staff)
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    response = sign_in(client, otp_token=wrong)
    assertContains(response, "That code is not right")
    assert client.get("/admin/").status_code == 302


@pytest.fixture
def two_factor_required(settings):
    settings.NEWSROOM = {**settings.NEWSROOM, "REQUIRE_TWO_FACTOR": True}


def test_required_two_factor_turns_away_staff_without_an_authenticator(
    client, staff, two_factor_required
):
    response = sign_in(client)
    assert response.status_code == 200
    assertContains(response, "this account has none yet")
    assert client.get("/admin/").status_code == 302


def test_required_two_factor_lets_in_staff_with_a_current_code(client, staff, two_factor_required):
    device = authenticator(staff)
    assert not signed_in(sign_in(client))
    assert signed_in(sign_in(client, otp_token=current_code(device)))
    assert client.get("/admin/").status_code == 200


def test_required_two_factor_sends_an_unverified_session_back_to_sign_in(client, staff, settings):
    client.force_login(staff)  # signed in before the setting was turned on
    assert client.get("/admin/").status_code == 200
    settings.NEWSROOM = {**settings.NEWSROOM, "REQUIRE_TWO_FACTOR": True}
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_add_authenticator_sets_one_up_and_prints_its_key(staff):
    output = io.StringIO()
    call_command("add_authenticator", "desk", stdout=output)
    device = TOTPDevice.objects.get(user=staff)
    assert device.confirmed
    assert b32encode(device.bin_key).decode() in output.getvalue()
    with pytest.raises(CommandError, match="already has an authenticator"):
        call_command("add_authenticator", "desk", stdout=io.StringIO())
    call_command("add_authenticator", "desk", "--replace", stdout=io.StringIO())
    assert TOTPDevice.objects.get(user=staff).pk != device.pk
