import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertRedirects

from articles.models import Article, Photo, Topic
from tests.support.factories import (
    ArticleFactory,
    ArticlePhotoFactory,
    BylineFactory,
    ContributorFactory,
    PhotoFactory,
    SectionFactory,
    TopicFactory,
    jpeg_bytes,
)

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_article_add")
CHANGELIST_URL = reverse("admin:articles_article_changelist")


def inline_management(prefix, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def article_post_data(**overrides):
    data = {
        "kicker": "",
        "headline": "Korea and Thailand widen defense ties",
        "slug": "korea-thailand-widen-defense-ties",
        "dek": "Officials agreed to joint training.",
        "dateline": "SEOUL",
        "body": "<p>Senior diplomats met on Wednesday.</p><script>alert(1)</script>",
        "section": "",
        "publish_at_0": "",
        "publish_at_1": "",
        "embargo_until_0": "",
        "embargo_until_1": "",
        "source_agency": "",
        "source_reference": "",
        **inline_management("bylines", 0),
        **inline_management("photo_placements", 0),
        **inline_management("corrections", 0),
    }
    data.update(overrides)
    return data


def test_article_list_costs_the_same_queries_for_one_or_many_stories(editor_client):
    def build(count):
        for _ in range(count):
            article = ArticleFactory(published=True)
            BylineFactory.create_batch(2, article=article)
            ArticlePhotoFactory(article=article)
            article.topics.add(TopicFactory())

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = editor_client.get(CHANGELIST_URL)
        assert response.status_code == 200
        return len(queries)

    build(1)
    few = count()
    build(30)
    assert count() == few


def test_article_list_shows_bylines_status_and_lead_thumbnail(editor_client):
    article = ArticleFactory(headline="Budget passes", published=True)
    BylineFactory(article=article, contributor=ContributorFactory(name="Kim Min-ji"))
    ArticlePhotoFactory(article=article, photo__alt_text="Lawmakers vote")
    response = editor_client.get(CHANGELIST_URL)
    assertContains(response, "Budget passes")
    assertContains(response, "Kim Min-ji")
    assertContains(response, 'alt="Lawmakers vote"')
    assertContains(response, "Published")


@pytest.mark.parametrize(
    "query",
    ["?status__exact=published", "?topic=defense", "?contributor=kim", "?q=Budget"],
)
def test_article_list_filters_and_search(editor_client, query):
    wanted = ArticleFactory(headline="Budget passes", published=True)
    wanted.topics.add(TopicFactory(name="defense", slug="defense", featured=True))
    BylineFactory(article=wanted, contributor=ContributorFactory(slug="kim"))
    ArticleFactory(headline="Other draft")
    response = editor_client.get(CHANGELIST_URL + query)
    assert list(response.context["cl"].result_list) == [wanted]


def test_add_form_renders_with_editor_and_autocompletes(editor_client):
    response = editor_client.get(ADD_URL)
    assertContains(response, 'name="headline"')
    assertContains(response, "data-django-prose-editor")
    assertContains(response, 'data-field-name="topics"')
    assertContains(response, 'id="bylines-empty"')
    assertContains(response, 'id="photo_placements-empty"')


def test_editor_creates_story_with_bylines_photo_and_topics(editor_client, editor):
    kim = ContributorFactory(name="Kim Min-ji")
    lee = ContributorFactory(name="Lee Ho")
    photo = PhotoFactory(caption="Library caption")
    defense, cepa = TopicFactory(name="defense"), TopicFactory(name="CEPA")
    section = SectionFactory()
    data = article_post_data(
        section=str(section.pk),
        topics=[str(defense.pk), str(cepa.pk)],
        _transition="publish",
        publish_at_0="2026-11-26",
        publish_at_1="19:12",
        **inline_management("bylines", 2),
        **{
            "bylines-0-position": "1",
            "bylines-0-contributor": str(lee.pk),
            "bylines-0-role": "written_by",
            "bylines-1-position": "0",
            "bylines-1-contributor": str(kim.pk),
            "bylines-1-role": "written_by",
        },
        **inline_management("photo_placements", 1),
        **{
            "photo_placements-0-position": "0",
            "photo_placements-0-photo": str(photo.pk),
            "photo_placements-0-caption_override": "Diplomats meet in Seoul.",
        },
    )
    response = editor_client.post(ADD_URL, data)
    article = Article.objects.get()
    assertRedirects(response, reverse("admin:articles_article_change", args=[article.pk]))
    assert [b.contributor for b in article.bylines.all()] == [kim, lee]
    assert set(article.topics.all()) == {defense, cepa}
    assert article.lead_placement.caption == "Diplomats meet in Seoul."
    assert "<script" not in article.body
    assert article.created_by == article.updated_by == editor
    assert article.first_published_at == article.publish_at
    assert article in Article.objects.published()


def test_editor_sees_errors_and_nothing_is_saved_for_a_duplicate_byline(editor_client):
    kim = ContributorFactory()
    data = article_post_data(
        **inline_management("bylines", 2),
        **{
            "bylines-0-position": "0",
            "bylines-0-contributor": str(kim.pk),
            "bylines-0-role": "written_by",
            "bylines-1-position": "1",
            "bylines-1-contributor": str(kim.pk),
            "bylines-1-role": "written_by",
        },
    )
    response = editor_client.post(ADD_URL, data)
    assert response.status_code == 200
    assertContains(response, "Please correct the duplicate data")
    assert not Article.objects.exists()


def test_publishing_without_a_publish_time_publishes_now(editor_client):
    before = timezone.now()
    data = article_post_data(
        _transition="publish",
        **inline_management("bylines", 1),
        **{"bylines-0-contributor": str(ContributorFactory().pk), "bylines-0-role": "written_by"},
        **{"bylines-0-position": "0"},
    )
    response = editor_client.post(ADD_URL, data)
    article = Article.objects.get()
    assertRedirects(response, reverse("admin:articles_article_change", args=[article.pk]))
    assert before <= article.publish_at <= timezone.now()
    assert article in Article.objects.published()


def test_topic_autocomplete_finds_topics_by_name_and_alias(editor_client):
    cepa = TopicFactory(name="CEPA")
    cepa.aliases.create(name="Comprehensive Economic Partnership Agreement")
    TopicFactory(name="defense")
    url = reverse("admin:autocomplete")
    params = {"app_label": "articles", "model_name": "article", "field_name": "topics"}
    response = editor_client.get(url, {**params, "term": "comprehensive"})
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["CEPA"]


def test_photo_upload_stores_dimensions_and_uploader(editor_client, editor):
    upload = SimpleUploadedFile("desk.jpg", jpeg_bytes((300, 200)), content_type="image/jpeg")
    response = editor_client.post(
        reverse("admin:articles_photo_add"),
        {"image": upload, "caption": "A caption", "credit": "Yonhap", "alt_text": "A desk"},
    )
    assertRedirects(response, reverse("admin:articles_photo_changelist"))
    photo = Photo.objects.get()
    assert (photo.width, photo.height) == (300, 200)
    assert photo.uploaded_by == editor
    assert photo.image.name.startswith("photos/")
    assert "desk" not in photo.image.name


def test_photo_upload_of_a_non_image_shows_an_error(editor_client):
    upload = SimpleUploadedFile(
        "notes.jpg", b"<html>not a picture</html>", content_type="image/jpeg"
    )
    response = editor_client.post(
        reverse("admin:articles_photo_add"), {"image": upload, "caption": "x", "alt_text": "x"}
    )
    assert response.status_code == 200
    assertContains(response, "Upload a valid image")
    assert not Photo.objects.exists()


def test_topic_list_shows_story_counts(editor_client):
    topic = TopicFactory(name="defense")
    ArticleFactory(published=True).topics.add(topic)
    ArticleFactory().topics.add(topic)
    response = editor_client.get(reverse("admin:articles_topic_changelist"))
    row = response.context["cl"].result_list[0]
    assert (row.story_count, row.all_story_count) == (1, 2)


def test_topic_merge_action_asks_which_to_keep_then_merges(editor_client):
    kept = TopicFactory(name="CEPA")
    duplicate = TopicFactory(name="Cepa deal")
    ArticleFactory().topics.add(duplicate)
    url = reverse("admin:articles_topic_changelist")
    selection = {"action": "merge_topics", "_selected_action": [kept.pk, duplicate.pk]}

    confirm = editor_client.post(url, selection)
    assertContains(confirm, "Keep this topic")

    response = editor_client.post(url, {**selection, "apply": "1", "kept": kept.pk})
    assertRedirects(response, url)
    assert list(Topic.objects.all()) == [kept]
    assert Article.objects.get().topics.get() == kept


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:articles_section_changelist",
        "admin:articles_contributor_changelist",
        "admin:articles_photo_changelist",
        "admin:articles_topic_add",
        "admin:articles_photo_add",
    ],
)
def test_other_admin_pages_render(editor_client, url_name):
    PhotoFactory()
    ContributorFactory()
    SectionFactory()
    assert editor_client.get(reverse(url_name)).status_code == 200


def test_change_form_shows_current_topics_and_inlines(editor_client):
    article = ArticleFactory()
    article.topics.add(TopicFactory(name="defense"))
    BylineFactory(article=article, contributor=ContributorFactory(name="Kim Min-ji"))
    response = editor_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assertContains(
        response,
        f'<option value="{article.topics.get().pk}" selected>defense</option>',
        html=True,
    )
    assertContains(response, "Kim Min-ji")
