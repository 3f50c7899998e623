"""Production settings, checked the way a deployment starts: a fresh process per environment."""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

from newsroom.settings import DEVELOPMENT_SECRET_KEY


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "NEWSROOM_", "DATABASE_", "CACHE_"))
    }
    environment["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**environment, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


PRODUCTION = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "news.example.com",
}


def test_deploy_check_passes_in_production_with_a_real_key():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "overrides",
    [
        {"DJANGO_SECRET_KEY": DEVELOPMENT_SECRET_KEY},
        {"DJANGO_SECRET_KEY": "too-short-to-be-a-real-key"},
        # Django's deploy check wants 50 characters: 45 random ones are still too few.
        {"DJANGO_SECRET_KEY": "k9#Qw2$eR7tY!uI0oP3aS5dF8gH1jK4lZ6xC-vB@nM&e"},
        {"DJANGO_SECRET_KEY": ""},
        {"DJANGO_DEBUG": "true"},
    ],
    ids=["development key", "short key", "45-character key", "no key", "debug on"],
)
def test_production_refuses_to_start_unsafely(overrides):
    result = manage("check", **{**PRODUCTION, **overrides})
    assert result.returncode != 0
    assert "DJANGO_ENV=production needs DJANGO_DEBUG off" in result.stderr


def test_production_turns_on_https_hsts_and_secure_cookies():
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SECURE_PROXY_SSL_HEADER)"
    )
    result = manage("shell", "-c", code, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[-2] == (
        "True 31536000 True True ('HTTP_X_FORWARDED_PROTO', 'https')"
    )
