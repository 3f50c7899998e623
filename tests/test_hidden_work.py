"""A topic, contributor or section that only hidden stories use does not exist for readers:
its page and feeds are 404, as for a name nobody ever used, and the menu leaves it out."""

import pytest

from tests.conftest import unpublished_states
from tests.support.factories import (
    ArticleFactory,
    BylineFactory,
    ContributorFactory,
    SectionFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(params=list(unpublished_states()))
def filed_only_under_hidden_work(request):
    """A section, topic and contributor whose only story is draft, scheduled, embargoed or
    killed; plus a published story elsewhere, so the site is not empty."""
    ArticleFactory(published=True, section=SectionFactory(name="News", slug="news"))
    section = SectionFactory(name="Obituaries", slug="obituaries")
    story = ArticleFactory(
        headline="Hidden", section=section, **unpublished_states()[request.param]
    )
    story.topics.add(TopicFactory(name="Kim obituary", slug="kim-obituary"))
    BylineFactory(article=story, contributor=ContributorFactory(name="Ghost", slug="ghost"))
    return story


URLS = [
    "/topics/kim-obituary/",
    "/topics/kim-obituary/feed/",
    "/topics/kim-obituary/feed/atom/",
    "/sections/obituaries/",
    "/sections/obituaries/feed/",
    "/sections/obituaries/feed/atom/",
    "/contributors/ghost/",
    "/contributors/ghost/feed/",
    "/contributors/ghost/feed/atom/",
]


@pytest.mark.parametrize("url", URLS)
def test_a_name_only_hidden_stories_use_is_404_like_an_unknown_one(
    client, filed_only_under_hidden_work, url
):
    response = client.get(url)
    assert response.status_code == 404
    assert b"obituary" not in response.content.lower()
    assert b"Ghost" not in response.content
    assert (
        client.get(url.replace("obituar", "nosuch").replace("ghost", "nobody")).status_code == 404
    )


def test_the_menu_lists_only_sections_with_a_story_readers_may_see(
    client, filed_only_under_hidden_work
):
    page = client.get("/").content.decode()
    assert "/sections/news/" in page
    assert "Obituaries" not in page


@pytest.mark.parametrize("url", URLS)
def test_the_same_names_answer_once_a_story_in_them_is_published(
    client, filed_only_under_hidden_work, url
):
    story = filed_only_under_hidden_work
    story.status, story.embargo_until = "published", None
    story.publish_at = story.created_at
    story.save()
    assert client.get(url).status_code == 200
