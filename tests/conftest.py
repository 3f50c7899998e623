from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.utils import timezone

from articles.api import responses as api_responses
from articles.cache import fragments
from articles.cache import pages as page_cache
from articles.models import Byline, Contributor
from tests.support.browser import chromium
from tests.support.factories import (
    ArticleFactory,
    ArticlePhotoFactory,
    BylineFactory,
    ContributorFactory,
    TopicFactory,
    UserFactory,
    jpeg_bytes,
)

# Servers on loopback started by the tests that use them: S3 (moto), an HTTP recorder.
pytest_plugins = ["tests.support.services"]


@pytest.fixture(scope="module")
def browser():
    """One headless chromium per test module; each page gets its own context (cookies, size)."""
    with chromium("The browser checks and the end-to-end journeys") as browser:
        yield browser


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files go to a throwaway folder, never the developer's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """Pages render from the database in tests, unless a test turns the cache on."""
    settings.PAGE_CACHE_ENABLED = False
    settings.FRAGMENT_CACHE_ENABLED = False
    cache.clear()
    page_cache._local_pages.clear()
    fragments._local.clear()
    fragments._process_copies.clear()
    api_responses._local_entries.clear()
    api_responses._known_keys.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Tests create many users; a slow, secure hash buys nothing here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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


@pytest.fixture
def make_user(db):
    """A staff user in one of the role groups the roles migration created (or none)."""

    def make(role=None, **kwargs):
        user = UserFactory(is_staff=True, **kwargs)
        if role:
            user.groups.add(Group.objects.get(name=role))
        return user

    return make


@pytest.fixture
def reporter(make_user):
    return make_user("Reporter", username="reporter")


@pytest.fixture
def desk_editor(make_user):
    """A member of the Editor group (unlike `editor`, who holds every permission directly)."""
    return make_user("Editor", username="desk-editor")


@pytest.fixture
def administrator(make_user):
    return make_user("Administrator", username="administrator")


@pytest.fixture
def published_and_hidden(db):
    """A published story, then draft, scheduled, embargoed and killed ones filed alike."""
    kim = ContributorFactory(name="Kim Min-ji", slug="kim-min-ji")
    agency = ContributorFactory(name="Yonhap", slug="yonhap", kind=Contributor.Kind.AGENCY)
    photographer = ContributorFactory(name="Park Photo")
    defense = TopicFactory(name="defense", slug="defense")
    story = ArticleFactory(
        published=True,
        headline="Korea & Thailand widen <defense> ties",
        dek="Officials agreed to joint training.",
        section__slug="politics",
    )
    BylineFactory(article=story, contributor=kim, position=0)
    BylineFactory(article=story, contributor=agency, position=1)
    BylineFactory(article=story, contributor=photographer, role=Byline.Role.PHOTOS, position=2)
    ArticlePhotoFactory(
        article=story,
        photo__image=ContentFile(jpeg_bytes((1200, 800)), name="lead.jpg"),
        photo__caption="Diplomats meet in Seoul.",
    )
    story.topics.add(defense, TopicFactory(name="CEPA"))
    hidden = [
        ArticleFactory(headline=f"{state} about defense", **fields)
        for state, fields in unpublished_states().items()
    ]
    for article in hidden:
        article.section = story.section
        article.save()
        article.topics.add(defense)
        BylineFactory(article=article, contributor=kim)
    return [story, *hidden]


def unpublished_states():
    now = timezone.now()
    return {
        "Draft": {"status": "draft"},
        "Scheduled": {"status": "published", "publish_at": now + timedelta(hours=3)},
        "Embargoed": {
            "status": "published",
            "publish_at": now - timedelta(hours=1),
            "embargo_until": now + timedelta(hours=1),
        },
        "Killed": {"status": "killed", "publish_at": now - timedelta(hours=1)},
    }
