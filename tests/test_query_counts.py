"""Every public page costs the same number of queries whether it shows 2 stories or 30.

Each story carries 3 bylines, 2 photos, 4 topics and 2 corrections, so growth in any of them
would show.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, Topic, refresh_related
from articles.public.pagination import make_cursor
from tests.support.factories import (
    ArticleFactory,
    ArticlePhotoFactory,
    BylineFactory,
    ContributorFactory,
    SectionFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

# The budget each page is held to (the closing note of the core issue lists them). The article
# page reads the story and its related stories in one query, then bylines, photos, topics and
# corrections for all of them in one query each.
BUDGETS = {
    "home": 7,  # the front: see tests/test_fronts.py
    "article": 5,
    "topic": 5,
    "topic_older": 5,
    "section": 5,
    "contributor": 5,
    "topic_list": 1,  # stored counts: one index read, never the archive
    "corrections": 3,
    "search": 5,
    "feed": 4,
    "topic_feed_atom": 5,
    "sitemap_index": 1,
    "sitemap_stories": 2,
    "sitemap_topics": 2,
    "news_sitemap": 1,
}


@pytest.fixture
def newsroom():
    section = SectionFactory(slug="politics")
    topics = [TopicFactory(slug="defense", featured=True), *TopicFactory.create_batch(3)]
    contributors = [ContributorFactory(slug="kim"), *ContributorFactory.create_batch(2)]

    def add_stories(count):
        for _ in range(count):
            article = ArticleFactory(published=True, section=section)
            article.topics.add(*topics)
            for position, contributor in enumerate(contributors):
                BylineFactory(article=article, contributor=contributor, position=position)
            ArticlePhotoFactory.create_batch(2, article=article)
            article.add_correction(kind="correction", text="An earlier version misspelled a name.")
            article.add_correction(kind="update", text="Adds the ministry's response.")
        refresh_related(Article.objects.all())  # every story page shows related stories
        Topic.objects.all().recount()  # the topic index's counts, as a bulk import leaves them
        return article

    return add_stories


def count_queries(client, url):
    # Counted as readers meet it: after the process's first page has cached the section
    # navigation (kept until a section changes).
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def urls_for(article):
    return {
        "home": "/",
        "article": article.get_absolute_url(),
        "topic": "/topics/defense/",
        "topic_older": f"/topics/defense/?before={make_cursor(article)}",
        "section": "/sections/politics/",
        "contributor": "/contributors/kim/",
        "topic_list": "/topics/",
        "corrections": "/corrections/",
        "search": "/search/?q=headline",
        "feed": "/feed/",
        "topic_feed_atom": "/topics/defense/feed/atom/",
        "sitemap_index": "/sitemap.xml",
        "sitemap_stories": f"/sitemap-stories-{timezone.localtime(article.publish_at):%Y-%m}.xml",
        "sitemap_topics": "/sitemap-topics.xml",
        "news_sitemap": "/sitemap-news.xml",
    }


@pytest.mark.parametrize("page", list(BUDGETS))
def test_page_queries_do_not_grow_with_stories(client, newsroom, page):
    """Each page's budget is in BUDGETS; feeds and sitemaps are held to theirs too."""
    # Two stories, so the article page already has a related story to show.
    first = newsroom(2)
    with_two = count_queries(client, urls_for(first)[page])
    newsroom(28)
    with_thirty = count_queries(client, urls_for(first)[page])
    assert with_two == with_thirty
    assert with_thirty <= BUDGETS[page]
