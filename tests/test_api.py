"""The content API: published stories as valid IPTC ninjs, filters, cursors, query counts."""

import json
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, Byline, Correction
from tests.support.api import assert_ninjs, bearer, make_key
from tests.support.factories import (
    ArticleFactory,
    ArticlePhotoFactory,
    BylineFactory,
    ContributorFactory,
    SectionFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client):
    """A client sending a key that reads everything."""
    _, secret = make_key()
    client.defaults.update(bearer(secret))
    return client


def get_json(client, url, expect=200):
    response = client.get(url)
    assert response.status_code == expect, (url, response.content[:500])
    return json.loads(response.content)


def local(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def walk(client, url) -> list[dict]:
    items = []
    while url:
        page = get_json(client, url)
        items += page["items"]
        url = local(page["next"]) if page.get("next") else None
    return items


def test_story_list_has_only_published_stories_as_valid_ninjs(api, published_and_hidden):
    story = published_and_hidden[0]
    page = get_json(api, "/api/v1/stories/")
    assert [item["uri"].rsplit("/", 2)[-2] for item in page["items"]] == [str(story.pk)]
    for item in page["items"]:
        assert_ninjs(item)
    assert page["next"] is None
    assert page["previous"] is None


def test_a_story_carries_headline_bodies_bylines_dateline_topics_photos_and_corrections(
    api, published_and_hidden
):
    story = published_and_hidden[0]
    story.topics.filter(name="defense").update(iptc_code="medtop:11001000")
    Correction.objects.create(article=story, text="The ministry was misnamed.")
    item = get_json(api, f"/api/v1/stories/{story.pk}/")
    assert_ninjs(item)
    assert item["pubStatus"] == "usable"
    assert item["standard"]["version"] == "3.0"
    assert item["headlines"][0] == {
        "role": "main",
        "contentType": "text/plain",
        "value": "Korea & Thailand widen <defense> ties",
    }
    html, plain = item["bodies"]
    assert html["contentType"] == "text/html"
    assert html["value"] == story.body
    assert plain["contentType"] == "text/plain"
    assert "<" not in plain["value"]
    assert item["by"] == "By Kim Min-ji, Yonhap; Photos by Park Photo"
    assert {(p["name"], p["rel"]) for p in item["people"]} == {
        ("Kim Min-ji", "written_by"),
        ("Park Photo", "photos"),
    }
    assert item["organisations"][0]["name"] == "Yonhap"
    assert item["located"] == story.dateline
    defense = next(s for s in item["subjects"] if s["name"] == "defense")
    assert defense["uri"] == "http://cv.iptc.org/newscodes/mediatopic/11001000"
    assert {"name": story.section.name, "rel": "section", "literal": "politics"} in item["subjects"]
    corrections = [d for d in item["descriptions"] if d["role"] == "correction"]
    assert corrections
    assert corrections[0]["value"].endswith("The ministry was misnamed.")
    (photo,) = item["associations"]
    assert photo["name"] == "lead"
    assert photo["type"] == "picture"
    assert photo["descriptions"][0]["value"] == "Diplomats meet in Seoul."
    assert photo["by"] == "Yonhap"
    assert photo["renditions"]
    assert all("/renditions/" in rendition["href"] for rendition in photo["renditions"])
    original = story.photo_placements.get().photo.image.url
    assert original not in json.dumps(item)


@pytest.mark.parametrize("state", ["Draft", "Scheduled", "Embargoed", "Killed"])
def test_unpublished_stories_are_404_problems(api, published_and_hidden, state):
    hidden = next(a for a in published_and_hidden if a.headline.startswith(state))
    response = api.get(f"/api/v1/stories/{hidden.pk}/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert json.loads(response.content)["status"] == 404


def test_filters_by_topic_section_contributor_and_times(api):
    now = timezone.now()
    defense, trade = TopicFactory(slug="defense"), TopicFactory(slug="trade")
    politics, economy = SectionFactory(slug="politics"), SectionFactory(slug="economy")
    kim, lee = ContributorFactory(slug="kim"), ContributorFactory(slug="lee")
    old = ArticleFactory(published=True, section=politics, publish_at=now - timedelta(days=3))
    new = ArticleFactory(published=True, section=economy, publish_at=now - timedelta(hours=1))
    old.topics.add(defense)
    new.topics.add(trade)
    BylineFactory(article=old, contributor=kim)
    BylineFactory(article=new, contributor=lee)
    Article.objects.filter(pk=old.pk).update(updated_at=now - timedelta(days=3))

    def ids(query):
        return {
            int(i["uri"].rsplit("/", 2)[-2])
            for i in get_json(api, f"/api/v1/stories/?{query}")["items"]
        }

    assert ids("topic=defense") == {old.pk}
    assert ids("section=economy") == {new.pk}
    assert ids("contributor=kim") == {old.pk}
    since = (now - timedelta(days=1)).isoformat().replace("+00:00", "Z")
    assert ids(f"updated_since={since}") == {new.pk}
    assert ids(f"published_after={since}") == {new.pk}
    assert ids(f"published_before={since}") == {old.pk}
    assert ids(f"published_after={since}&section=politics") == set()


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("topic=nowhere", "topic"),
        ("section=nowhere", "section"),
        ("contributor=nobody", "contributor"),
        ("updated_since=yesterday", "updated_since"),
        ("published_after=2026-13-40", "published_after"),
        ("before=garbage", "before"),
        ("after=1.2.3", "after"),
        ("format=xml", "format"),
    ],
)
def test_a_bad_parameter_is_a_400_problem_naming_it(api, query, parameter):
    response = api.get(f"/api/v1/stories/?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = json.loads(response.content)
    assert body["status"] == 400
    assert parameter in body["errors"]


def test_cursor_pages_are_stable_while_stories_are_published(api, settings):
    settings.NEWSROOM_API = {**settings.NEWSROOM_API, "PAGE_SIZE": 2}
    now = timezone.now()
    stories = [
        ArticleFactory(published=True, publish_at=now - timedelta(hours=n)) for n in range(1, 6)
    ]
    first = get_json(api, "/api/v1/stories/")
    ArticleFactory(published=True, publish_at=now - timedelta(minutes=1))  # lands on page one
    seen = [item["uri"] for item in first["items"]] + [
        item["uri"] for item in walk(api, local(first["next"]))
    ]
    assert [int(uri.rsplit("/", 2)[-2]) for uri in seen] == [a.pk for a in stories]
    second = get_json(api, local(first["next"]))
    back = get_json(api, local(second["previous"]))
    assert [i["uri"] for i in back["items"]] == [i["uri"] for i in first["items"]]


def test_a_cursor_past_the_end_is_an_empty_page(api):
    assert get_json(api, "/api/v1/stories/?before=1.1") == {
        "items": [],
        "next": None,
        "previous": None,
    }


def newsroom(stories: int):
    section, topic = SectionFactory(), TopicFactory()
    for _ in range(stories):
        article = ArticleFactory(published=True, section=section)
        article.topics.add(topic, TopicFactory())
        BylineFactory(article=article)
        BylineFactory(article=article, role=Byline.Role.PHOTOS)
        ArticlePhotoFactory(article=article)
        ArticlePhotoFactory(article=article)
        Correction.objects.create(article=article, text="Fixed.")
    return section, topic


API_PAGES = [
    "/api/v1/stories/",
    "/api/v1/stories/?topic={topic}&section={section}",
    "/api/v1/topics/",
    "/api/v1/sections/",
    "/api/v1/contributors/",
    "/api/v1/photos/",
    "/api/v1/corrections/",
]


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", API_PAGES)
def test_queries_per_endpoint_do_not_grow_with_the_newsroom(
    client, url, django_assert_max_num_queries
):
    key, secret = make_key()
    client.defaults.update(bearer(secret))
    section, topic = newsroom(2)
    page = url.format(topic=topic.slug, section=section.slug)
    few = count_queries(client, page)
    newsroom(8)
    key.last_used_at = None
    with django_assert_max_num_queries(few):
        assert client.get(page).status_code == 200
    assert few <= 9, f"{page}: {few} queries"


def test_story_detail_queries_are_fixed(api, django_assert_max_num_queries):
    section, _ = newsroom(1)
    story = Article.objects.get()
    api.get(f"/api/v1/stories/{story.pk}/")  # the key's last use is written once a minute
    with django_assert_max_num_queries(7):
        assert api.get(f"/api/v1/stories/{story.pk}/").status_code == 200


def test_topics_sections_contributors_photos_and_corrections(api, published_and_hidden):
    story = published_and_hidden[0]
    Correction.objects.create(article=story, text="A corrected name.")
    Correction.objects.create(article=published_and_hidden[1], text="On a draft.")
    topics = get_json(api, "/api/v1/topics/")["items"]
    assert {t["name"]: t["story_count"] for t in topics} == {"defense": 1, "CEPA": 1}
    sections = get_json(api, "/api/v1/sections/")["items"]
    assert "politics" in {s["slug"] for s in sections}
    contributors = get_json(api, "/api/v1/contributors/")["items"]
    assert {c["slug"] for c in contributors} >= {"kim-min-ji", "yonhap"}
    assert all("email" not in c for c in contributors)
    photos = get_json(api, "/api/v1/photos/")["items"]
    assert len(photos) == 1
    assert_ninjs(photos[0])
    photo_id = photos[0]["uri"].rsplit("/", 2)[-2]
    assert_ninjs(get_json(api, f"/api/v1/photos/{photo_id}/"))
    corrections = get_json(api, "/api/v1/corrections/")["items"]
    assert [c["text"] for c in corrections] == ["A corrected name."]


def test_photos_of_unpublished_stories_are_not_served(api, published_and_hidden):
    hidden = published_and_hidden[1]
    placement = ArticlePhotoFactory(article=hidden)
    response = api.get(f"/api/v1/photos/{placement.photo.pk}/")
    assert response.status_code == 404
    assert placement.photo.pk not in [
        int(p["uri"].rsplit("/", 2)[-2]) for p in get_json(api, "/api/v1/photos/")["items"]
    ]


def test_corrections_and_photos_page_by_cursor(api, settings):
    settings.NEWSROOM_API = {**settings.NEWSROOM_API, "PAGE_SIZE": 2}
    story = ArticleFactory(published=True)
    for n in range(5):
        Correction.objects.create(article=story, text=f"Fix {n}.")
        ArticlePhotoFactory(article=story)
    assert len(walk(api, "/api/v1/corrections/")) == 5
    assert len(walk(api, "/api/v1/photos/")) == 5


def test_an_unknown_api_address_is_a_problem_not_a_page(api):
    response = api.get("/api/v1/nothing/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
