import pytest
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from articles.models import (
    Article,
    Byline,
    Photo,
    TaggedArticle,
    Topic,
    TopicAlias,
    TopicSuggestion,
)
from articles.models.contributor import credit_lines
from tests.support.factories import (
    ArticleFactory,
    ArticlePhotoFactory,
    BylineFactory,
    ContributorFactory,
    PhotoFactory,
    TopicFactory,
    jpeg_bytes,
)

pytestmark = pytest.mark.django_db


def test_contributor_cannot_hold_the_same_role_twice_on_one_story():
    byline = BylineFactory(role=Byline.Role.WRITTEN_BY)
    with pytest.raises(IntegrityError), transaction.atomic():
        BylineFactory(article=byline.article, contributor=byline.contributor, role="written_by")
    BylineFactory(article=byline.article, contributor=byline.contributor, role="photos")
    assert byline.article.bylines.count() == 2


def test_topic_names_are_unique_regardless_of_case():
    TopicFactory(name="CEPA", slug="cepa")
    with pytest.raises(IntegrityError), transaction.atomic():
        TopicFactory(name="Cepa", slug="cepa-2")


def test_typed_topic_names_join_the_existing_topic_whatever_their_case():
    cepa = TopicFactory(name="CEPA", slug="cepa")
    article = ArticleFactory()
    article.topics.add("cepa")
    assert list(article.topics.all()) == [cepa]
    assert Topic.objects.count() == 1


def test_topic_aliases_are_unique_regardless_of_case():
    topic = TopicFactory()
    TopicAlias.objects.create(topic=topic, name="Comprehensive Economic Partnership Agreement")
    with pytest.raises(IntegrityError), transaction.atomic():
        TopicAlias.objects.create(topic=topic, name="comprehensive economic partnership agreement")


def test_published_story_must_have_a_publish_time():
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(status=Article.Status.PUBLISHED, publish_at=None)


def test_headline_cannot_be_empty():
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(headline="")


def test_wire_story_is_stored_once_per_agency_reference():
    agency = ContributorFactory(kind="agency")
    ArticleFactory(source_agency=agency, source_reference="yonhap:2025-11-26:korea-thailand")
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(source_agency=agency, source_reference="yonhap:2025-11-26:korea-thailand")
    # Stories without a wire reference are not constrained by it.
    ArticleFactory(source_agency=agency, source_reference="")
    ArticleFactory(source_agency=agency, source_reference="")


def test_photo_is_placed_once_per_story():
    placement = ArticlePhotoFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticlePhotoFactory(article=placement.article, photo=placement.photo)


def test_photo_in_use_cannot_be_deleted():
    placement = ArticlePhotoFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        placement.photo.delete()


def test_photo_records_image_dimensions():
    photo = PhotoFactory()
    assert (photo.width, photo.height) == (64, 48)


def test_body_is_sanitized_on_every_save():
    article = ArticleFactory(
        body=(
            '<p onclick="steal()">Hello <strong>world</strong></p>'
            "<script>alert(1)</script>"
            '<p><a href="javascript:alert(1)">bad</a> <a href="https://example.com/x">good</a></p>'
            '<img src="x" onerror="alert(1)"><h2 style="color:red">Sub</h2>'
        )
    )
    article.refresh_from_db()
    assert "<script" not in article.body
    assert "onclick" not in article.body
    assert "javascript:" not in article.body
    assert "<img" not in article.body
    assert "style=" not in article.body
    assert "<strong>world</strong>" in article.body
    assert '<a href="https://example.com/x" rel="noopener noreferrer">good</a>' in article.body
    assert "<h2>Sub</h2>" in article.body


def test_available_slug_avoids_taken_slugs():
    ArticleFactory(slug="fire-in-busan")
    ArticleFactory(slug="fire-in-busan-2")
    assert Article.objects.available_slug("Fire in Busan") == "fire-in-busan-3"
    assert Article.objects.available_slug("북한 미사일 발사") == "북한-미사일-발사"
    assert Article.objects.available_slug("!!!") == "story"


def test_credit_lines_read_naturally():
    article = ArticleFactory()
    kim = ContributorFactory(name="Kim Min-ji")
    lee = ContributorFactory(name="Lee Ho")
    park = ContributorFactory(name="Park Su")
    BylineFactory(article=article, contributor=kim, role="written_by", position=0)
    BylineFactory(article=article, contributor=park, role="photos", position=2)
    BylineFactory(article=article, contributor=lee, role="written_by", position=1)
    lines = [(label, [c.name for c in people]) for label, people in article.credit_lines]
    assert lines == [("By", ["Kim Min-ji", "Lee Ho"]), ("Photos by", ["Park Su"])]


def test_agency_only_story_is_credited_without_by():
    yonhap = ContributorFactory(name="Yonhap", kind="agency")
    byline = BylineFactory(contributor=yonhap)
    assert credit_lines([byline]) == [("", [yonhap])]


def test_merging_topics_moves_stories_and_keeps_the_old_name_as_alias():
    kept = TopicFactory(name="CEPA", slug="cepa")
    duplicate = TopicFactory(name="economic partnership", slug="economic-partnership")
    TopicAlias.objects.create(topic=duplicate, name="EPA")
    both, only_duplicate, only_kept = ArticleFactory(), ArticleFactory(), ArticleFactory()
    both.topics.add(kept, duplicate)
    only_duplicate.topics.add(duplicate)
    only_kept.topics.add(kept)

    moved = duplicate.merge_into(kept)

    assert moved == 1
    assert not Topic.objects.filter(pk=duplicate.pk).exists()
    assert set(Article.objects.filter(topics=kept)) == {both, only_duplicate, only_kept}
    assert TaggedArticle.objects.filter(tag=kept).count() == 3
    assert set(kept.aliases.values_list("name", flat=True)) == {"EPA", "economic partnership"}


def test_topic_cannot_be_merged_into_itself():
    topic = TopicFactory()
    with pytest.raises(ValueError, match="itself"):
        topic.merge_into(topic)


def test_publish_sets_first_published_time_once():
    article = ArticleFactory(bylined=True)
    article.publish(by=None)
    first = article.first_published_at
    assert article.status == Article.Status.PUBLISHED
    assert first == article.publish_at
    article.unpublish(by=None)
    article.publish(by=None)
    assert article.first_published_at == first


def test_listing_a_photo_whose_file_went_missing_does_not_read_storage(client):
    placement = ArticlePhotoFactory(article=ArticleFactory(published=True))
    placement.photo.image.storage.delete(placement.photo.image.name)
    Photo.objects.filter(pk=placement.photo.pk).update(width=None, height=None)
    response = client.get(placement.article.get_absolute_url())
    assert response.status_code == 200


def test_merging_topics_carries_pending_suggestions_over():
    kept = TopicFactory(name="CEPA")
    duplicate = TopicFactory(name="economic pact")
    story, other = ArticleFactory(), ArticleFactory()
    TopicSuggestion.objects.create(article=story, topic=duplicate, matched_text="economic pact")
    TopicSuggestion.objects.create(article=other, topic=duplicate, matched_text="economic pact")
    TopicSuggestion.objects.create(article=other, topic=kept, matched_text="CEPA")
    duplicate.merge_into(kept)
    assert set(TopicSuggestion.objects.values_list("article", "topic")) == {
        (story.pk, kept.pk),
        (other.pk, kept.pk),
    }


def test_photo_saved_before_its_row_still_records_its_size():
    photo = Photo(caption="Saved file first, row later")
    photo.image.save("later.jpg", ContentFile(jpeg_bytes((120, 80))), save=False)
    Photo.objects.bulk_create([photo])
    stored = Photo.objects.get(pk=photo.pk)
    assert (stored.width, stored.height) == (120, 80)
