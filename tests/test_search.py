from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article
from articles.search import MARK_START, MARK_STOP, MAX_QUERY_LENGTH, clean_query, highlighted
from tests.support.factories import ArticleFactory

pytestmark = pytest.mark.django_db

ON_POSTGRESQL = connection.vendor == "postgresql"

ODD_QUERIES = [
    "",
    "   ",
    '"unclosed quote',
    '"defense ties"',
    "&|!:*()",
    "defense & ties | !killed",
    "-",
    "or",
    "-defense",
    "defense:*",
    "'",
    "\\",
    "%_%",
    "<script>alert(1)</script>",
    "국방부 발표",
    "the",
    "x" * 5000,
]


def search(text):
    return list(Article.objects.published().search(text))


@pytest.fixture
def stories():
    """Published stories, and unpublished ones using the same words."""
    now = timezone.now()
    published = {
        "headline": ArticleFactory(
            published=True,
            headline="Korea and Thailand widen defense ties",
            body="<p>Officials met in Seoul.</p>",
            publish_at=now - timedelta(hours=5),
        ),
        "body": ArticleFactory(
            published=True,
            headline="Ministers meet in Bangkok",
            dek="A routine visit.",
            body="<p>Talks touched on defense procurement and trade.</p>",
            publish_at=now - timedelta(hours=1),
        ),
        "korean": ArticleFactory(
            published=True,
            headline="국방부 발표 요약",
            body="<p>국방부는 오늘 새로운 계획을 발표했다.</p>",
        ),
    }
    hidden = [
        ArticleFactory(headline="Draft about defense", status=Article.Status.DRAFT),
        ArticleFactory(
            headline="Scheduled about defense",
            status=Article.Status.PUBLISHED,
            publish_at=now + timedelta(hours=3),
        ),
        ArticleFactory(
            headline="Embargoed about defense",
            status=Article.Status.PUBLISHED,
            publish_at=now - timedelta(hours=1),
            embargo_until=now + timedelta(hours=1),
        ),
        ArticleFactory(
            headline="Killed about defense",
            status=Article.Status.KILLED,
            publish_at=now - timedelta(hours=1),
        ),
    ]
    return published, hidden


def test_search_finds_published_stories_and_never_unpublished_ones(client, stories):
    published, hidden = stories
    response = client.get("/search/", {"q": "defense"})
    assert response.status_code == 200
    assertContains(response, published["headline"].headline)
    assertContains(response, published["body"].headline)
    for article in hidden:
        assertNotContains(response, article.headline)


def test_every_word_of_the_query_must_match(stories):
    published, _ = stories
    assert search("thailand ties") == [published["headline"]]
    assert search("thailand zebra") == []


def test_search_finds_korean_words(stories):
    published, _ = stories
    assert search("국방부") == [published["korean"]]


@pytest.mark.parametrize("query", ODD_QUERIES)
def test_odd_queries_give_a_page_not_an_error(client, stories, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assertContains(response, '<h1 class="page-title">Search</h1>', html=False)


def test_a_query_with_a_nul_character_is_a_400_not_an_error(client, stories):
    # No page has a use for NUL (newsroom/hostile_input.py); PostgreSQL cannot compare it.
    assert client.get("/search/", {"q": "defense\x00ties"}).status_code == 400


def test_a_very_long_query_is_cut_to_the_limit(client, stories):
    response = client.get("/search/", {"q": "defense " * 100})
    assert len(response.context["query"]) <= MAX_QUERY_LENGTH
    assert response.context["query"].startswith("defense defense")


def test_an_empty_query_shows_the_form_and_no_results(client, stories):
    response = client.get("/search/", {"q": "  "})
    assert response.context["page"] is None
    assertContains(response, "Type a word or two")


def test_query_is_cleaned_of_control_characters_and_extra_spaces():
    assert clean_query("  defense\x00\tties \ue000 ") == "defense ties"
    assert clean_query(None) == ""


def test_results_pages_keep_the_query(client, settings, stories):
    settings.NEWSROOM = {**settings.NEWSROOM, "PAGE_SIZE": 1}
    response = client.get("/search/", {"q": "defense"})
    assertContains(response, 'href="?q=defense&amp;page=2">More results</a>', html=False)
    # Results are ranked, not dated: no "older stories" wording.
    assertNotContains(response, "Older stories")


def test_highlighted_snippet_escapes_story_text_and_marks_only_matches():
    raw = f"<p>Tom &amp; Jerry &lt;b&gt;{MARK_START}defense{MARK_STOP}&lt;/b&gt; </p><p>talks"
    assert highlighted(raw) == "Tom &amp; Jerry &lt;b&gt;<mark>defense</mark>&lt;/b&gt; talks"
    assert highlighted(None) == ""


def test_headline_matches_rank_above_body_matches_on_postgresql(stories):
    """On PostgreSQL a headline outranks a body; elsewhere results are newest first."""
    published, _ = stories
    expected = ["headline", "body"] if ON_POSTGRESQL else ["body", "headline"]
    assert search("defense") == [published[key] for key in expected]


def test_results_show_a_highlighted_snippet_on_postgresql(client, stories):
    """PostgreSQL shows where the words matched; the fallback shows the dek alone."""
    response = client.get("/search/", {"q": "procurement"})
    if ON_POSTGRESQL:
        assertContains(response, "<mark>procurement</mark> and trade")
    else:
        assertNotContains(response, "<mark>")
        assertContains(response, "A routine visit.")


def test_quoted_phrase_matches_the_phrase_on_postgresql(stories):
    published, _ = stories
    assert search('"defense ties"') == [published["headline"]]
    expected = [] if ON_POSTGRESQL else [published["headline"]]
    # PostgreSQL honours the quotes; the fallback only asks for both words.
    assert search('"ties defense"') == expected


def test_search_uses_the_full_text_index_on_postgresql(stories):
    """The GIN index exists only on PostgreSQL, and the search query is shaped to use it."""
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, "articles_article")
    assert ("article_search_idx" in indexes) is ON_POSTGRESQL
    if ON_POSTGRESQL:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
        plan = Article.objects.search("defense").explain()
        assert "article_search_idx" in plan


def test_search_follows_a_headline_changed_by_a_bulk_update(stories):
    """PostgreSQL's trigger refreshes the search document on any write, not only `save()`."""
    published, _ = stories
    Article.objects.filter(pk=published["body"].pk).update(headline="Zebra crossing reopens")
    assert search("zebra") == [published["body"]]


def test_story_pages_do_not_load_the_search_document(stories):
    article = Article.objects.published().for_detail().first()
    assert "search_document" in article.get_deferred_fields()


@pytest.mark.skipif(not ON_POSTGRESQL, reason="ranking exists on PostgreSQL only")
def test_only_the_newest_matches_are_ranked_and_the_page_says_so(client, monkeypatch):
    monkeypatch.setattr("articles.search.RANKED_MATCHES", 2)
    monkeypatch.setattr("articles.public.views.RANKED_MATCHES", 2)
    now = timezone.now()
    oldest, middle, newest = (
        ArticleFactory(
            published=True,
            headline=f"Ferry {'ferry ' * weight}schedule",
            publish_at=now - timedelta(days=age),
        )
        for age, weight in [(3, 5), (2, 0), (1, 0)]
    )
    # The oldest matches best, but only the two newest matches are ranked.
    assert set(Article.objects.published().search("ferry")) == {middle, newest}
    assertContains(client.get("/search/", {"q": "ferry"}), "among the newest 2 stories")
