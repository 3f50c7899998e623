"""Two-factor sign-in by role: on by default for Editors and Administrators in production
(NEWSROOM_2FA_ROLES, opt-out by setting it empty), one-time backup codes, and a page where
staff set up their own authenticator."""

import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django.asserts import assertContains

from tests.test_signin import authenticator, current_code, sign_in, signed_in

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
ENROL = reverse("admin:two_factor")


@pytest.fixture
def roles_need_two_factor(settings):
    settings.NEWSROOM = {**settings.NEWSROOM, "TWO_FACTOR_ROLES": ["Editor", "Administrator"]}


def test_production_asks_editors_and_administrators_for_two_factor_by_default():
    code = "from django.conf import settings; print(settings.NEWSROOM['TWO_FACTOR_ROLES'])"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": "k" * 20 + "9#Qw2$eR7tY!uI0oP3aS5dF8gH1jK4lZ6xC-vB@nM",
        "DJANGO_DEBUG": "off",
    }
    run = [sys.executable, "-c", f"import django; django.setup(); {code}"]
    on = subprocess.run(run, env=env, cwd=ROOT, capture_output=True, text=True)
    assert on.stdout.strip() == "['Editor', 'Administrator']", on.stderr
    off = subprocess.run(
        run, env={**env, "NEWSROOM_2FA_ROLES": ""}, cwd=ROOT, capture_output=True, text=True
    )
    assert off.stdout.strip() == "[]", off.stderr


def test_an_editor_without_an_authenticator_is_turned_away(
    client, make_user, roles_need_two_factor
):
    make_user("Editor", username="desk")
    response = sign_in(client)
    assertContains(response, "this account has none yet")


def test_a_reporter_still_signs_in_with_a_password(client, make_user, roles_need_two_factor):
    make_user("Reporter", username="desk")
    assert signed_in(sign_in(client))


def test_an_editor_signs_in_with_a_one_time_backup_code(client, make_user, roles_need_two_factor):
    editor = make_user("Editor", username="desk")
    authenticator(editor)
    backup = StaticDevice.objects.create(user=editor, name="Backup codes")
    backup.token_set.create(token="bk3x9q2m")
    assert signed_in(sign_in(client, otp_token="bk3x9q2m"))
    client.logout()
    assert not signed_in(sign_in(client, otp_token="bk3x9q2m")), "each code works once"


def test_staff_set_up_their_own_authenticator_and_get_backup_codes(client, make_user):
    reporter = make_user("Reporter", username="desk")
    client.force_login(reporter)
    page = client.get(ENROL)
    assert page.status_code == 200
    assertContains(page, "<svg")
    device = TOTPDevice.objects.get(user=reporter, confirmed=False)
    wrong = client.post(ENROL, {"otp_token": "000000"})
    assertContains(wrong, "not right")
    # django-otp makes the next try wait a second after a wrong code.
    with time_machine.travel(timezone.now() + timedelta(seconds=2)):
        code = f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"
        done = client.post(ENROL, {"otp_token": code})
    assert done.status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    codes = re.findall(r'<li class="nr-backup-code">([a-z0-9]+)</li>', done.content.decode())
    assert len(codes) == 10
    assert StaticDevice.objects.get(user=reporter).token_set.count() == 10


def test_with_an_authenticator_the_page_needs_a_verified_session(
    client, make_user, roles_need_two_factor
):
    editor = make_user("Editor", username="desk")
    device = authenticator(editor)
    assert signed_in(sign_in(client, otp_token=current_code(device)))
    page = client.get(ENROL)
    assert page.status_code == 200
    new_codes = client.post(ENROL, {"new_backup_codes": "1"})
    assert len(re.findall(r'class="nr-backup-code"', new_codes.content.decode())) == 10


@pytest.mark.parametrize("page", ["admin:index", "admin:articles_article_changelist"])
def test_every_desk_page_links_to_the_staff_members_own_two_factor_page(client, make_user, page):
    client.force_login(make_user("Reporter", username="desk"))
    response = client.get(reverse(page))
    user_menu = re.search(r'<div id="user-tools">(.*?)</div>', response.content.decode(), re.S)
    assert user_menu, "the desk shows its user menu"
    assert f'<a href="{ENROL}">Two-factor sign-in</a>' in user_menu[1]
    # Django's own links stay.
    assert reverse("admin:password_change") in user_menu[1]
    assert reverse("admin:logout") in user_menu[1]
    # And the page it leads to opens.
    assert client.get(ENROL).status_code == 200
