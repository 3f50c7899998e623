from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from articles.models import Photo, Topic, refresh_related
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
def story():
    """A published story with two bylines, a captioned lead photo and two topics."""
    article = ArticleFactory(
        published=True,
        kicker="Analysis",
        headline="Korea and Thailand widen defense ties",
        dek="Officials agreed to joint training.",
        dateline="SEOUL",
    )
    BylineFactory(article=article, contributor=ContributorFactory(name="Kim Min-ji"), position=0)
    BylineFactory(article=article, contributor=ContributorFactory(name="Lee Ho"), position=1)
    ArticlePhotoFactory(
        article=article,
        photo__caption="Diplomats meet in Seoul.",
        photo__credit="Yonhap",
        photo__alt_text="Two diplomats shake hands",
    )
    article.topics.add(
        TopicFactory(name="defense", slug="defense"), TopicFactory(name="CEPA", slug="cepa")
    )
    return article


@pytest.fixture
def hidden_stories(story):
    """Stories a reader must never see, filed under the same topic, section and byline."""
    topic = story.topics.get(slug="defense")
    contributor = story.bylines.first().contributor
    stories = [
        ArticleFactory(headline="Draft about defense", status="draft"),
        ArticleFactory(
            headline="Scheduled about defense",
            status="published",
            publish_at=timezone.now() + timedelta(hours=3),
        ),
        ArticleFactory(
            headline="Embargoed about defense",
            status="published",
            publish_at=timezone.now() - timedelta(hours=1),
            embargo_until=timezone.now() + timedelta(hours=1),
        ),
        ArticleFactory(
            headline="Killed about defense",
            status="killed",
            publish_at=timezone.now() - timedelta(hours=1),
        ),
    ]
    for article in stories:
        article.section = story.section
        article.save()
        article.topics.add(topic)
        BylineFactory(article=article, contributor=contributor)
    return stories


def test_article_page_shows_the_whole_story(client, story):
    response = client.get(story.get_absolute_url())
    assertContains(
        response,
        '<h1 class="story__headline">Korea and Thailand widen defense ties</h1>',
        html=False,
    )
    assertContains(response, "Analysis")
    assertContains(response, "Officials agreed to joint training.")
    assertContains(response, "SEOUL")
    assertContains(response, ">Kim Min-ji</a> and <a")
    assertContains(response, "Diplomats meet in Seoul.")
    assertContains(response, '<span class="figure__credit">Yonhap</span>', html=True)
    assertContains(response, 'alt="Two diplomats shake hands"')
    assertContains(response, '<a href="/topics/defense/" rel="tag">defense</a>', html=True)
    assertContains(response, "<p>First paragraph.</p>", html=True)
    assertContains(response, "<time datetime=")


def test_article_page_escapes_headline_and_caption(client):
    article = ArticleFactory(published=True, headline="<script>alert('h')</script>")
    ArticlePhotoFactory(article=article, photo__caption="<script>alert('c')</script>")
    response = client.get(article.get_absolute_url())
    assertNotContains(response, "<script>alert(")
    assertContains(response, "&lt;script&gt;alert(")


def test_article_under_a_wrong_date_redirects_to_its_address(client, story):
    url = reverse(
        "articles:detail", kwargs={"year": 2001, "month": 1, "day": 1, "slug": story.slug}
    )
    assertRedirects(client.get(url), story.get_absolute_url(), status_code=301)


def test_unpublished_stories_are_not_found(client, hidden_stories):
    for article in hidden_stories:
        assert client.get(article.get_absolute_url()).status_code == 404, article.headline


def test_unknown_addresses_are_not_found(client, story):
    assert client.get("/topics/no-such-topic/").status_code == 404
    assert client.get("/sections/no-such-section/").status_code == 404
    assert client.get("/contributors/nobody/").status_code == 404
    assert client.get("/topics/defense/?before=abc").status_code == 404
    assert client.get("/topics/defense/?after=1.2.3").status_code == 404
    assert client.get("/topics/defense/?before=99999999999999999999.1").status_code == 404
    # A well-formed cursor past the oldest story: nothing there.
    assert client.get("/topics/defense/?before=0.1").status_code == 404


def test_photo_waiting_for_its_file_is_not_shown_to_readers(client):
    article = ArticleFactory(published=True)
    ArticlePhotoFactory(article=article, photo__image="", photo__caption="Waiting caption")
    assert Photo.objects.get().awaiting_image
    response = client.get(article.get_absolute_url())
    assertNotContains(response, "Waiting caption")
    assertNotContains(response, "<figure")


@pytest.mark.parametrize(
    "url_name",
    ["home", "topic", "section", "contributor"],
)
def test_listings_show_published_stories_only(client, story, hidden_stories, url_name):
    kwargs = {
        "home": {},
        "topic": {"slug": "defense"},
        "section": {"slug": story.section.slug},
        "contributor": {"slug": story.bylines.first().contributor.slug},
    }[url_name]
    response = client.get(reverse(f"articles:{url_name}", kwargs=kwargs))
    assertContains(response, story.headline)
    for article in hidden_stories:
        assertNotContains(response, article.headline)


def test_home_without_an_arrangement_leads_with_the_newest_story_and_boxes_featured_topics(
    client, story
):
    scams = TopicFactory(name="online scams", slug="online-scams", featured=True)
    older = ArticleFactory(published=True, publish_at=timezone.now() - timedelta(days=1))
    older.topics.add(scams)
    response = client.get("/")
    front = response.context["front"]
    assert front.lead == story
    assert front.top == [older]
    assertContains(response, 'class="card card--lead"')
    # The featured topic's box shows only stories not already higher on the front.
    assert [box.topic for box in front.topic_boxes] == []
    newer_scam = ArticleFactory(published=True, publish_at=timezone.now() - timedelta(days=2))
    newer_scam.topics.add(scams)
    ArticleFactory.create_batch(
        9, published=True, publish_at=timezone.now() - timedelta(days=1, hours=1)
    )
    front = client.get("/").context["front"]
    assert [(box.topic, box.stories) for box in front.topic_boxes] == [(scams, [newer_scam])]


def test_topic_index_counts_only_published_stories(client, story, hidden_stories):
    TopicFactory(name="empty topic", slug="empty-topic")
    Topic.objects.all().recount()  # written by factories, as a bulk import would
    response = client.get("/topics/")
    counts = {topic.slug: topic.published_count for topic in response.context["topics"]}
    assert counts == {"defense": 1, "cepa": 1}


def test_topic_page_lists_newest_first_twenty_per_page(client):
    topic = TopicFactory(name="trade", slug="trade", description="Exports and tariffs.")
    now = timezone.now()
    for hours in range(25):
        ArticleFactory(
            status="published",
            publish_at=now - timedelta(hours=hours + 1),
            headline=f"Trade {hours}",
        ).topics.add(topic)
    first = client.get("/topics/trade/")
    assertContains(first, "Exports and tariffs.")
    assert [a.headline for a in first.context["page"].object_list] == [
        f"Trade {n}" for n in range(20)
    ]
    assert first.context["page"].newer is None
    older_url = f"/topics/trade/?before={first.context['page'].older}"
    assertContains(first, 'rel="next" href="?before=')

    second = client.get(older_url)
    assert [a.headline for a in second.context["page"].object_list] == [
        f"Trade {n}" for n in range(20, 25)
    ]
    assert second.context["page"].older is None
    back = client.get(f"/topics/trade/?after={second.context['page'].newer}")
    assert [a.headline for a in back.context["page"].object_list] == [
        f"Trade {n}" for n in range(20)
    ]
    assert back.context["page"].newer is None


def test_stories_published_at_the_same_instant_are_neither_lost_nor_repeated(client, settings):
    settings.NEWSROOM = {**settings.NEWSROOM, "PAGE_SIZE": 2}
    topic = TopicFactory(slug="tie")
    when = timezone.now() - timedelta(hours=1)
    stories = [ArticleFactory(status="published", publish_at=when) for _ in range(5)]
    for story in stories:
        story.topics.add(topic)
    seen, url = [], "/topics/tie/"
    while url:
        page = client.get(url).context["page"]
        seen.extend(page.object_list)
        url = f"/topics/tie/?before={page.older}" if page.older else None
    assert seen == sorted(stories, key=lambda a: a.pk, reverse=True)


def test_contributor_page_lists_each_story_once(client):
    kim = ContributorFactory(name="Kim Min-ji", bio="Covers diplomacy.")
    article = ArticleFactory(published=True)
    BylineFactory(article=article, contributor=kim, role="written_by")
    BylineFactory(article=article, contributor=kim, role="photos")
    response = client.get(kim.get_absolute_url())
    assertContains(response, "Covers diplomacy.")
    assert list(response.context["page"].object_list) == [article]


def test_related_stories_share_topics_and_are_published(client, story, hidden_stories):
    defense = story.topics.get(slug="defense")
    cepa = story.topics.get(slug="cepa")
    one_shared = ArticleFactory(published=True, headline="Shares one topic")
    one_shared.topics.add(defense)
    two_shared = ArticleFactory(
        published=True, headline="Shares two topics", publish_at=timezone.now() - timedelta(days=3)
    )
    two_shared.topics.add(defense, cepa)
    ArticleFactory(published=True, headline="Shares nothing")
    refresh_related([story])  # as publishing it, or the hourly refresh, does
    response = client.get(story.get_absolute_url())
    assert list(response.context["related"]) == [two_shared, one_shared]


def test_related_stories_are_chosen_when_a_story_is_published(client, story):
    later = ArticleFactory(headline="Published later", bylined=True)
    later.topics.add(*story.topics.all())
    later.publish(by=None)
    assert list(client.get(later.get_absolute_url()).context["related"]) == [story]


def test_a_related_story_taken_down_after_it_was_chosen_is_not_shown(client, story):
    other = ArticleFactory(published=True, headline="Soon unpublished", bylined=True)
    other.topics.add(*story.topics.all())
    refresh_related([story])
    other.unpublish(by=None)
    response = client.get(story.get_absolute_url())
    assert list(response.context["related"]) == []
    assertNotContains(response, "Soon unpublished")


def test_section_navigation_lists_sections_in_order(client):
    for name, position in [("World", 2), ("Politics", 1)]:
        section = SectionFactory(name=name, slug=name.lower(), position=position)
        ArticleFactory(published=True, section=section)
    content = client.get("/").content.decode()
    assert content.index(">Politics<") < content.index(">World<")


def test_topic_index_pages_from_a_to_z_without_unpublished_topics(client, monkeypatch):
    monkeypatch.setattr("articles.public.views.TOPICS_PER_PAGE", 2)
    for name in ["asean", "cepa", "defense"]:
        ArticleFactory(published=True).topics.add(TopicFactory(name=name, slug=name))
    ArticleFactory().topics.add(TopicFactory(name="budget leak", slug="budget-leak"))
    Topic.objects.all().recount()  # written by factories, as a bulk import would

    first = client.get("/topics/")
    assert [t.name for t in first.context["topics"]] == ["asean", "cepa"]
    assertContains(first, 'href="?after=cepa"')
    second = client.get("/topics/?after=cepa")
    assert [t.name for t in second.context["topics"]] == ["defense"]
    assert second.context["next_after"] is None
    assertNotContains(first, "budget leak")
    assertNotContains(second, "budget leak")
