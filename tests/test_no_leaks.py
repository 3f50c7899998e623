"""No leaks: whatever mix of states, schedules and embargoes a newsroom holds, readers see
exactly the stories `Article.objects.published()` returns, on every public address.

Hypothesis builds small random newsrooms (stories in every state, publish times and
embargoes in the past and future, shared sections, topics and contributors, photos,
corrections, renamed slugs), then the test walks the whole public site as a reader and a
crawler would: pages and their "older stories" pages, the topic index and its counts,
search, every feed, every sitemap, corrections, related stories, story addresses old and
new, preview links without a valid token, and every endpoint and filter of the content API
(anonymous access on), following its cursors. Each story carries a unique marker word in
its headline, body, photo caption and corrections; a hidden story's marker, its address or
its photo's file name showing up anywhere is a leak.
"""

import json
import re
from datetime import timedelta
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.signing import dumps
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.models import (
    Article,
    ArticlePhoto,
    Byline,
    Correction,
    FormerSlug,
    Topic,
    refresh_related,
)
from articles.previews import preview_token
from tests.support.factories import (
    ArticleFactory,
    ArticlePhotoFactory,
    ContributorFactory,
    SectionFactory,
    TopicFactory,
    jpeg_bytes,
)

pytestmark = pytest.mark.django_db

# Offsets in hours from now: never zero, so "now" moving during a test changes nothing.
OFFSETS = [-72, -3, -1, 1, 3, 72]

story_strategy = st.fixed_dictionaries(
    {
        "status": st.sampled_from(Article.Status.values),
        "publish_in": st.one_of(st.none(), st.sampled_from(OFFSETS)),
        "embargo_in": st.one_of(st.none(), st.sampled_from(OFFSETS)),
        "section": st.integers(0, 1),
        "topics": st.sets(st.integers(0, 2), max_size=3),
        "contributor": st.integers(0, 1),
        "photo": st.booleans(),
        "correction": st.booleans(),
        "renamed": st.booleans(),
    }
)


def marker(index: int) -> str:
    """A word no other marker contains, and that no page has by chance."""
    return f"zqx{index:03d}q"


def build_newsroom(specs) -> list[tuple[Article, str, list[str]]]:
    """Create the stories; return each with its marker and the file names of its photo."""
    now = timezone.now()
    sections = [SectionFactory(slug=f"section-{n}") for n in range(2)]
    topics = [TopicFactory(name=f"topic {n}", slug=f"topic-{n}") for n in range(3)]
    contributors = [ContributorFactory(slug=f"reporter-{n}") for n in range(2)]
    stories = []
    for index, spec in enumerate(specs):
        word = marker(index)
        publish_in = spec["publish_in"]
        if spec["status"] == Article.Status.PUBLISHED and publish_in is None:
            publish_in = -1  # the database requires a publish time for published stories
        article = ArticleFactory(
            headline=f"Story {word}",
            slug=f"story-{word}",
            dek=f"Dek {word}",
            body=f"<p>Body {word}.</p>",
            status=spec["status"],
            publish_at=None if publish_in is None else now + timedelta(hours=publish_in),
            embargo_until=(
                None if spec["embargo_in"] is None else now + timedelta(hours=spec["embargo_in"])
            ),
            section=sections[spec["section"]],
        )
        article.topics.add(*(topics[n] for n in spec["topics"]))
        Byline.objects.create(article=article, contributor=contributors[spec["contributor"]])
        files = []
        if spec["photo"]:
            placement = ArticlePhotoFactory(
                article=article,
                photo__image=ContentFile(jpeg_bytes(), name="photo.jpg"),
                photo__caption=f"Caption {word}",
            )
            files.append(placement.photo.image.name.rsplit("/", 1)[-1].split(".")[0])
        if spec["correction"]:
            Correction.objects.create(article=article, text=f"Correction {word}.")
        if spec["renamed"]:
            FormerSlug.objects.create(article=article, slug=f"old-{word}")
        stories.append((article, word, files))
    # Related stories as publishing and the hourly refresh store them, hidden ones included
    # (a story page must filter them out when it reads them).
    refresh_related([article for article, _, _ in stories])
    # The topic index's stored counts, as a bulk script leaves them (refresh_topic_counts).
    Topic.objects.all().recount()
    return stories


def visible_by_the_rule(article, now) -> bool:
    """The published() rule written out independently, for the stories this test makes."""
    return (
        article.status == Article.Status.PUBLISHED
        and article.publish_at <= now
        and (article.embargo_until is None or article.embargo_until <= now)
    )


class Reader:
    """Fetches public addresses, following in-site links to the older-stories pages."""

    def __init__(self, client):
        self.client = client
        self.pages: dict[str, str] = {}

    def get(self, url: str, *, expect=200) -> str:
        response = self.client.get(url)
        assert response.status_code == expect, f"{url} answered {response.status_code}"
        body = response.content.decode()
        self.pages[url] = body
        return body

    def walk_listing(self, url: str) -> None:
        """A listing and every "Older stories" page after it."""
        while url:
            body = self.get(url)
            older = re.search(r'<a rel="next" href="([^"]+)"', body)
            url = urljoin(url, older.group(1).replace("&amp;", "&")) if older else None


def walk_the_site(client, stories) -> Reader:
    reader = Reader(client)
    for url in ["/", "/topics/", "/corrections/", "/robots.txt", "/sitemap-news.xml"]:
        reader.get(url)
    for url in ["/feed/", "/feed/atom/"]:
        reader.get(url)
    index = reader.get("/sitemap.xml")
    for location in re.findall(r"<loc>([^<]+)</loc>", index):
        reader.get(urlsplit(location).path + (f"?{urlsplit(location).query}" or ""))
    # A section, topic or contributor that only hidden stories use does not exist for readers.
    published = Article.objects.published()
    for kind, count, shown in [
        ("sections/section", 2, lambda slug: published.filter(section__slug=slug)),
        ("topics/topic", 3, lambda slug: published.filter(topics__slug=slug)),
        (
            "contributors/reporter",
            2,
            lambda slug: published.filter(bylines__contributor__slug=slug),
        ),
    ]:
        for n in range(count):
            base = f"/{kind}-{n}/"
            if not shown(base.split("/")[2]).exists():
                for url in [base, f"{base}feed/", f"{base}feed/atom/"]:
                    reader.get(url, expect=404)
                continue
            reader.walk_listing(base)
            reader.get(f"{base}feed/")
            reader.get(f"{base}feed/atom/")
    for article, word, _ in stories:
        visible = Article.objects.published().filter(pk=article.pk).exists()
        expect = 200 if visible else 404
        reader.get(f"/search/?q={word}")
        reader.get(article.get_absolute_url(), expect=expect)
        # The story's former address redirects only while readers may see the story.
        old = article.get_absolute_url().replace(f"story-{word}", f"old-{word}")
        if FormerSlug.objects.filter(article=article).exists():
            reader.get(old, expect=301 if visible else 404)
        # Preview links that are not valid: tampered, signed for another purpose, made up.
        token = preview_token(article)
        reader.get(f"/preview/{token[:-1]}{'A' if token[-1] != 'A' else 'B'}/", expect=404)
        reader.get(f"/preview/{dumps(article.pk, salt='something-else')}/", expect=404)
        if article.status == Article.Status.KILLED:
            reader.get(f"/preview/{token}/", expect=404)  # even a valid one
    reader.get("/preview/not-a-token/", expect=404)
    return reader


def walk_the_api(reader, stories) -> None:
    """Every API endpoint and story filter, each followed through its cursors."""

    def walk(url):
        while url:
            following = json.loads(reader.get(url)).get("next")
            url = following and following.split("127.0.0.1:8000", 1)[-1]

    def moment(hours):
        return (timezone.now() + timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ")

    filters = ["", f"updated_since={moment(-48)}", f"published_after={moment(-48)}"]
    filters += [f"published_before={moment(-2)}", f"published_after={moment(-2)}"]
    filters += [f"section=section-{n}" for n in range(2)] + [f"topic=topic-{n}" for n in range(3)]
    filters += [f"contributor=reporter-{n}" for n in range(2)]
    for query in filters:
        walk(f"/api/v1/stories/?{query}")
    for endpoint in ["topics", "sections", "contributors", "photos", "corrections"]:
        walk(f"/api/v1/{endpoint}/")
    for article, _, _ in stories:
        visible = Article.objects.published().filter(pk=article.pk).exists()
        reader.get(f"/api/v1/stories/{article.pk}/", expect=200 if visible else 404)
        for placement in ArticlePhoto.objects.filter(article=article):
            reader.get(f"/api/v1/photos/{placement.photo_id}/", expect=200 if visible else 404)


def api_listing(reader) -> str:
    """Every page of the unfiltered story list, one after the other."""
    unfiltered = re.compile(r"^/api/v1/stories/\?(before=[\d.]+)?$")
    return "".join(body for url, body in reader.pages.items() if unfiltered.match(url))


@pytest.fixture
def two_stories_a_page(settings):
    """Listings of two stories a page, so every listing has older-stories pages to walk;
    the content API open to anyone, as it may be switched on."""
    settings.NEWSROOM = {**settings.NEWSROOM, "PAGE_SIZE": 2}
    settings.NEWSROOM_API = {
        **settings.NEWSROOM_API,
        "ANONYMOUS": True,
        "ANONYMOUS_RATE": "100000/min",
        "PAGE_SIZE": 2,
    }
    return settings


@settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(specs=st.lists(story_strategy, min_size=1, max_size=6))
@pytest.mark.parametrize("kept", [False, True], ids=["rendered", "kept-pieces"])
def test_no_page_feed_sitemap_or_count_shows_a_story_readers_may_not_see(
    client, two_stories_a_page, specs, kept
):
    # Also with story pages, cards and listings kept between pages (articles/cache/fragments.py).
    two_stories_a_page.FRAGMENT_CACHE_ENABLED = kept
    with transaction.atomic():
        cache.clear()
        stories = build_newsroom(specs)
        now = timezone.now()
        published = set(Article.objects.published().values_list("pk", flat=True))
        assert published == {a.pk for a, _, _ in stories if visible_by_the_rule(a, now)}
        # The rule's Python twin, used where one story is in hand, agrees on every story.
        assert published == {a.pk for a, _, _ in stories if a.is_visible(now)}

        reader = walk_the_site(client, stories)
        walk_the_api(reader, stories)

        for article, word, files in stories:
            if article.pk in published:
                assert word in reader.pages[article.get_absolute_url()]
                assert word in reader.pages["/feed/"]
                assert word in reader.pages[f"/search/?q={word}"]
                assert word in api_listing(reader), "a visible story missing from the API"
                continue
            path = article.get_absolute_url()
            # The story's words, not the bare marker: a search page repeats its query.
            texts = [
                f"{label} {word}" for label in ("Story", "Dek", "Body", "Caption", "Correction")
            ]
            for url, body in reader.pages.items():
                for text in texts:
                    assert text not in body, f"{text} ({article.status}) on {url}"
                assert path not in body, f"hidden story's address {path} on {url}"
                api_uri = f'/api/v1/stories/{article.pk}/"'
                assert api_uri not in body, f"hidden story's API uri on {url}"
                for name in files:
                    assert name not in body, f"hidden story's photo {name} on {url}"

        home = reader.pages["/"]
        for n in range(2):
            in_menu = f'href="/sections/section-{n}/"' in home
            assert (
                in_menu == Article.objects.published().filter(section__slug=f"section-{n}").exists()
            )

        topic_index = reader.pages["/topics/"]
        for topic in Topic.objects.all():
            count = Article.objects.published().in_topic(topic).count()
            shown = re.search(
                rf'/topics/{topic.slug}/">[^<]+</a> <span class="count">(\d+) ', topic_index
            )
            assert (int(shown.group(1)) if shown else 0) == count, topic.slug
        transaction.set_rollback(True)
