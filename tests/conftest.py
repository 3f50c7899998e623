from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.utils import timezone

from articles.models import Byline, Contributor
from tests.factories import (
    ArticleFactory,
    ArticlePhotoFactory,
    BylineFactory,
    ContributorFactory,
    TopicFactory,
    UserFactory,
    jpeg_bytes,
)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files go to a throwaway folder, never the developer's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"


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
