"""Editors move a photo placed on a story into its text, as a photo block where they choose."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects
from reversion.models import Version

from articles.blocks.stored import blocks_in
from articles.cache import invalidate, keys
from articles.desk import placements
from articles.desk.placements import places, top_level
from articles.models import ArticlePhoto
from tests.support.factories import ArticleFactory, ArticlePhotoFactory, PhotoFactory

pytestmark = pytest.mark.django_db

BODY = "<p>Seoul opened talks.</p><h2>What comes next</h2><p>Ministers meet on Monday.</p>"


@pytest.fixture
def desk(client, desk_editor):
    client.force_login(desk_editor)
    return client


@pytest.fixture
def placed():
    story = ArticleFactory(published=True, body=BODY)
    ArticlePhotoFactory(article=story, position=0)  # the lead stays placed
    photo = PhotoFactory(caption="Library caption", credit="Yonhap", alt_text="Two ministers")
    return ArticlePhotoFactory(
        article=story, photo=photo, position=1, caption_override="The talks in Seoul"
    )


def move_url(placement):
    return reverse("admin:articles_article_move_photo", args=[placement.article_id, placement.pk])


def test_the_placement_row_links_to_moving_it_into_the_text(desk, placed):
    form = desk.get(reverse("admin:articles_article_change", args=[placed.article_id]))
    assertContains(form, move_url(placed))


def test_the_move_page_lists_the_places_in_the_text_the_end_first_chosen(desk, placed):
    page = desk.get(move_url(placed))
    assert page.status_code == 200
    assertContains(page, "The talks in Seoul")  # the caption this story gives it
    assertContains(page, "Yonhap")
    assert [label for _, label in page.context["form"].fields["after"].choices] == [
        "At the top, before “Seoul opened talks.”",
        "After “Seoul opened talks.”",
        "After “What comes next”",
        "At the end, after “Ministers meet on Monday.”",
    ]
    assert page.context["form"].fields["after"].initial == 3


def test_an_editor_moves_a_placed_photo_after_the_paragraph_they_choose(
    desk, desk_editor, placed, client, django_capture_on_commit_callbacks
):
    story = placed.article
    story_key = invalidate.version_key(keys.story(story.pk))
    before = invalidate.versions([keys.story(story.pk)])[story_key]
    with django_capture_on_commit_callbacks(execute=True):
        response = desk.post(move_url(placed), {"after": "1", "version": story.version})
    assertRedirects(response, reverse("admin:articles_article_change", args=[story.pk]))

    story.refresh_from_db()
    assert blocks_in(story.body) == [
        {
            "block": "photo",
            "photo": str(placed.photo_id),
            "caption": "The talks in Seoul",
            "credit": "Yonhap",
            "alt": "Two ministers",
        }
    ]
    assert story.body.startswith('<p>Seoul opened talks.</p><figure data-block="photo"')
    assert story.body.endswith("</figure><h2>What comes next</h2><p>Ministers meet on Monday.</p>")
    assert not ArticlePhoto.objects.filter(pk=placed.pk).exists()
    assert story.photo_placements.count() == 1
    assert story.updated_by == desk_editor
    # In the story's history like any save: one revision, without the moved placement.
    latest = Version.objects.get_for_object(story).first()
    assert latest.revision.user == desk_editor
    assert latest.revision.comment.startswith("Moved the photo")
    photo_rows = [
        v for v in latest.revision.version_set.all() if v.content_type.model == "articlephoto"
    ]
    assert len(photo_rows) == 1
    # Readers' copies of the story are refreshed, and the page shows the photo in the text.
    assert invalidate.versions([keys.story(story.pk)])[story_key] != before
    desk.logout()
    page = client.get(story.get_absolute_url())
    assertContains(page, "The talks in Seoul")
    assertContains(page, 'class="figure block-photo"')


def test_a_photo_goes_to_the_top_or_into_an_empty_text(desk, placed):
    story = placed.article
    desk.post(move_url(placed), {"after": "0", "version": story.version})
    story.refresh_from_db()
    assert story.body.startswith('<figure data-block="photo"')

    empty = ArticleFactory(body="")
    placement = ArticlePhotoFactory(article=empty)
    assert places(empty.body) == [(0, "In the text, which is empty so far")]
    desk.post(move_url(placement), {"after": "0", "version": empty.version})
    empty.refresh_from_db()
    assert [block["block"] for block in blocks_in(empty.body)] == ["photo"]


def test_a_story_saved_since_the_page_opened_is_left_as_it_is(desk, placed):
    story = placed.article
    opened_at = story.version
    story.headline = "Saved by someone else meanwhile"
    story.save()
    response = desk.post(move_url(placed), {"after": "1", "version": opened_at}, follow=True)
    assertContains(response, "The story was saved after you opened this page")
    story.refresh_from_db()
    assert story.body == BODY
    assert ArticlePhoto.objects.filter(pk=placed.pk).exists()


def test_a_place_that_is_not_in_the_text_is_refused_with_the_form(desk, placed):
    story = placed.article
    response = desk.post(move_url(placed), {"after": "9", "version": story.version})
    assert response.status_code == 200
    assertContains(response, "Select a valid choice.")
    story.refresh_from_db()
    assert story.body == BODY
    assert ArticlePhoto.objects.filter(pk=placed.pk).exists()


def test_a_failure_midway_leaves_the_photo_placed_and_the_text_unchanged(desk, placed, monkeypatch):
    def broken(story):
        raise RuntimeError("the cache went away")

    monkeypatch.setattr(placements.invalidate, "story_changed", broken)
    story = placed.article
    with pytest.raises(RuntimeError):
        desk.post(move_url(placed), {"after": "1", "version": story.version})
    story.refresh_from_db()
    assert story.body == BODY
    assert ArticlePhoto.objects.filter(pk=placed.pk).exists()
    assert not Version.objects.get_for_object(story).exists()


def test_a_photo_no_longer_placed_says_so(desk, placed):
    url = move_url(placed)
    placed.delete()
    response = desk.post(url, {"after": "1", "version": "1"}, follow=True)
    assertContains(response, "That photo is no longer placed on the story.")


def test_only_those_who_may_edit_the_story_move_its_photos(client, reporter, make_user, placed):
    url = move_url(placed)
    version = placed.article.version
    assert client.post(url, {"after": "1", "version": version}).status_code == 302  # sign in
    client.force_login(reporter)  # a published story is the editors' to change
    assert client.post(url, {"after": "1", "version": version}).status_code == 403
    client.force_login(make_user("Photo editor", username="pictures"))
    assert client.get(url).status_code in (403, 404)
    assert ArticlePhoto.objects.filter(pk=placed.pk).exists()


def test_the_places_follow_top_level_elements_only():
    body = (
        "<p>One <strong>bold</strong><br>line &amp; more</p>"
        '<ul><li>a</li><li>b</li></ul><hr><figure data-block="quote" data-text="Hi"></figure>'
        "<blockquote><p>Quoted</p></blockquote>"
    )
    ends = [part.end for part in top_level(body)]
    assert [body[:end][-7:] for end in ends] == [
        "ore</p>",
        "i></ul>",
        "ul><hr>",
        "figure>",
        "kquote>",
    ]
    assert [label for _, label in places(body)][1:] == [
        "After “One bold line & more”",
        "After “a b”",
        "After the dividing line",
        "After the pull quote block",
        "At the end, after “Quoted”",
    ]
