"""Guessing one username's password from many addresses locks the username, not just each
address; its owner still gets in with their authenticator, which guessing cannot pass."""

import logging
import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from pytest_django.asserts import assertContains

from tests.support.factories import UserFactory
from tests.test_signin import PASSWORD, authenticator, current_code, sign_in, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    return UserFactory(username="desk", is_staff=True)


def guess_from_many_addresses(client, guesses=200, addresses=50, username="desk"):
    """Four guesses per address: never enough to lock one address out."""
    for n in range(guesses):
        address = f"198.51.100.{n % addresses}"
        response = sign_in(client, password=f"guess {n}", address=address, username=username)
        assert response.status_code == 200
    return response


def test_guesses_from_fifty_addresses_lock_the_username(client, staff, caplog):
    with caplog.at_level(logging.WARNING, logger="newsroom.signin"):
        guess_from_many_addresses(client)
    response = sign_in(client, address="192.0.2.200")  # the right password, a fresh address
    assert not signed_in(response)
    assertContains(response, "too many failed attempts")
    assert any(
        record.levelno == logging.WARNING and "desk" in record.getMessage()
        for record in caplog.records
    ), "a lockout is logged as a warning"


def test_the_username_lock_lifts_after_the_cool_off(client, staff, settings):
    guess_from_many_addresses(client, guesses=40, addresses=10)
    later = timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(seconds=1)
    with time_machine.travel(later):
        assert signed_in(sign_in(client, address="192.0.2.200"))


def test_the_owner_signs_in_with_their_authenticator_while_the_username_is_locked(client, staff):
    device = authenticator(staff)
    guess_from_many_addresses(client, guesses=40, addresses=10)
    assert signed_in(sign_in(client, address="192.0.2.200", otp_token=current_code(device)))


def test_a_few_failures_from_several_addresses_do_not_lock_anyone(client, staff):
    guess_from_many_addresses(client, guesses=10, addresses=5)
    assert signed_in(sign_in(client, address="192.0.2.200"))


def test_a_lockout_from_one_address_is_logged_as_a_warning(client, staff, caplog):
    with caplog.at_level(logging.WARNING, logger="newsroom.signin"):
        for n in range(5):
            response = sign_in(client, password=f"guess {n}")
    assert response.status_code == 429
    assert [r.levelno for r in caplog.records if "desk" in r.getMessage()] == [logging.WARNING]


def as_seen_by_a_guesser(response, *typed: str) -> tuple[int, str]:
    """The status and page, less what differs on every answer (CSRF token, CSP nonce) and what
    the guesser typed (the username and code are echoed back in the form)."""
    page = response.content.decode()
    page = re.sub(r'(name="csrfmiddlewaretoken" value=)"[^"]*"', r"\1", page)
    page = re.sub(r'nonce="[^"]*"', "nonce", page)
    for value in typed:
        page = page.replace(f' value="{value}"', "")
    return response.status_code, page


def test_a_locked_username_answers_the_same_whatever_the_account(client, staff):
    """Neither whether the account exists, has an authenticator, nor whether the password
    was right shows: only the password with a current code gets in."""
    device = authenticator(UserFactory(username="second", is_staff=True))
    for username in ("desk", "second", "nobody"):
        guess_from_many_addresses(client, guesses=40, addresses=10, username=username)
    attempts = {
        "no authenticator, right password": ("desk", {}),
        "no authenticator, wrong password": ("desk", {"password": "wrong"}),
        "authenticator, right password, no code": ("second", {}),
        "authenticator, right password, wrong code": ("second", {"otp_token": "000000"}),
        "authenticator, wrong password": ("second", {"password": "wrong"}),
        "authenticator, wrong password, right code": (
            "second",
            {"password": "wrong", "otp_token": current_code(device)},
        ),
        "no such account": ("nobody", {}),
    }
    answers = {
        name: as_seen_by_a_guesser(
            sign_in(client, username=username, address="192.0.2.200", **fields),
            username,
            fields.get("otp_token", ""),
        )
        for name, (username, fields) in attempts.items()
    }
    first = answers["no authenticator, right password"]
    assert first[0] == 200
    assert "too many failed attempts" in first[1]
    assert PASSWORD not in first[1]
    for name, answer in answers.items():
        assert answer == first, f"{name} answers differently"


def test_a_lockout_from_one_address_answers_the_same_whatever_the_account(client, staff):
    authenticator(UserFactory(username="second", is_staff=True))
    answers = []
    for username in ("desk", "second", "nobody"):
        for n in range(5):
            sign_in(client, username=username, password=f"guess {n}")
        answers.append(as_seen_by_a_guesser(sign_in(client, username=username), username))
    assert answers[0][0] == 429
    assert answers == [answers[0]] * 3
