import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache

from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files go to a throwaway folder, never the developer's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """Pages render from the database in tests, unless a test turns the cache on."""
    settings.PAGE_CACHE_ENABLED = False
    cache.clear()


@pytest.fixture
def editor(db):
    """A staff user with every newsroom permission, as the Editor group has."""
    user = UserFactory(username="editor", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["articles", "taggit"])
    )
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
