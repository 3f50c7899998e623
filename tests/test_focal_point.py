"""The focal point of a library photo: set on the desk, kept in frame by every crop."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import IntegrityError, transaction
from imagekit import hashers
from imagekit.cachefiles import ImageCacheFile
from imagekit.processors import ResizeToFill, Transpose
from PIL import Image
from pytest_django.asserts import assertContains, assertNotContains

from articles.media import renditions
from articles.media.renditions import focal_box
from articles.models import Photo
from tests.support.admin_forms import form_values
from tests.support.factories import ArticleFactory, ArticlePhotoFactory, PhotoFactory

pytestmark = pytest.mark.django_db

RED, GREEN, BLUE = (220, 20, 20), (20, 200, 20), (20, 20, 220)
RATIOS = [(16, 9), (4, 3), (1, 1), (3, 2)]
POINTS = [(0.5, 0.5), (0.0, 0.0), (1.0, 1.0), (0.02, 0.97), (0.97, 0.03), (0.3, 0.6)]
SIZES = [(1600, 900), (900, 1600), (1000, 1000), (3000, 400), (7, 5)]


def contains(box, width, height, point) -> bool:
    left, top, right, bottom = box
    x, y = point[0] * width, point[1] * height
    return left <= x <= right and top <= y <= bottom


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("ratio", RATIOS)
@pytest.mark.parametrize("point", POINTS)
def test_every_crop_keeps_the_focal_point_inside_and_is_as_large_as_the_picture_allows(
    size, ratio, point
):
    width, height = size
    left, top, right, bottom = box = focal_box(width, height, ratio, point)
    assert 0 <= left < right <= width
    assert 0 <= top < bottom <= height
    assert contains(box, width, height, point)
    # The full width or the full height: no more is cut than the shape demands.
    assert right - left == width or bottom - top == height
    assert abs((right - left) / (bottom - top) - ratio[0] / ratio[1]) < 2 / min(
        bottom - top, right - left
    )


def test_a_centred_point_cuts_both_sides_evenly():
    assert focal_box(1600, 900, (4, 3), (0.5, 0.5)) == (200, 0, 1400, 900)
    assert focal_box(900, 1600, (16, 9), (0.5, 0.5)) == (0, 547, 900, 1053)
    assert focal_box(1600, 900, (16, 9), (0.5, 0.5)) == (0, 0, 1600, 900)


def test_a_point_off_centre_is_centred_when_the_picture_allows():
    # 3000 x 1000 to a square: the box is 1000 wide and can sit anywhere along 2000 pixels.
    assert focal_box(3000, 1000, (1, 1), (0.4, 0.5)) == (700, 0, 1700, 1000)


def test_a_point_near_an_edge_stops_the_box_at_that_edge():
    assert focal_box(3000, 1000, (1, 1), (0.05, 0.5)) == (0, 0, 1000, 1000)
    assert focal_box(3000, 1000, (1, 1), (0.99, 0.5)) == (2000, 0, 3000, 1000)
    assert focal_box(1000, 3000, (1, 1), (0.5, 0.0)) == (0, 0, 1000, 1000)
    assert focal_box(1000, 3000, (1, 1), (0.5, 1.0)) == (0, 2000, 1000, 3000)


def three_bands() -> bytes:
    """A wide picture: red, green and blue thirds from left to right."""
    image = Image.new("RGB", (1800, 900), GREEN)
    image.paste(RED, (0, 0, 600, 900))
    image.paste(BLUE, (1200, 0, 1800, 900))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=95)
    return buffer.getvalue()


def centre_colour(url: str) -> tuple[int, int, int]:
    with storages["renditions"].open(url.removeprefix("/media/")) as file:
        with Image.open(file) as image:
            return image.convert("RGB").getpixel((image.width // 2, image.height // 2))


def nearest(colour) -> tuple[int, int, int]:
    return min(
        (RED, GREEN, BLUE), key=lambda c: sum((a - b) ** 2 for a, b in zip(c, colour, strict=True))
    )


@pytest.mark.parametrize(("focal_x", "colour"), [(0.05, RED), (0.5, GREEN), (0.95, BLUE)])
def test_the_square_crop_shows_what_lies_around_the_focal_point(focal_x, colour):
    photo = PhotoFactory(image=ContentFile(three_bands(), name="bands.jpg"), focal_x=focal_x)
    square = renditions.crop(photo, "1x1")
    assert (square.width, square.height) == (1200, 1200)
    assert nearest(centre_colour(square.url)) == colour


def test_the_database_refuses_a_focal_point_outside_the_picture():
    photo = PhotoFactory()
    for values in ({"focal_x": 1.01}, {"focal_y": -0.2}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Photo.objects.filter(pk=photo.pk).update(**values)
    photo.refresh_from_db()
    assert (photo.focal_x, photo.focal_y) == (0.5, 0.5)


def test_a_moved_focal_point_gives_the_crops_new_urls_and_keeps_the_resized_ones():
    photo = PhotoFactory(image=ContentFile(three_bands(), name="bands.jpg"))
    crops = {ratio: renditions.crop(photo, ratio).url for ratio in renditions.CROPS}
    widths = [item.url for item in renditions.renditions(photo)]

    photo.focal_x, photo.focal_y = 0.9, 0.2
    photo.save()

    assert all(renditions.crop(photo, r).url != url for r, url in crops.items())
    assert [item.url for item in renditions.renditions(photo)] == widths  # nothing cut there
    # The same point again names the same files: nothing is made twice.
    again = Photo.objects.get(pk=photo.pk)
    assert renditions.crop(again, "16x9").url == renditions.crop(photo, "16x9").url


def test_a_photo_at_the_centre_keeps_the_crop_names_it_had_before_focal_points():
    # How the crops were specified before: resized to fill, cut around the centre.
    photo = PhotoFactory()
    for ratio, (width, height) in renditions.CROPS.items():
        processors = [Transpose(), ResizeToFill(width, height), renditions.WithoutMetadata()]
        options = {"quality": 82}
        before = type(
            "Before",
            (renditions.RenditionSpec,),
            {
                "processors": processors,
                "format": "JPEG",
                "options": options,
                "settings_hash": hashers.pickle([processors, "JPEG", options, True]),
            },
        )
        now = renditions.CROP_SPECS[ratio]
        assert ImageCacheFile(now(source=photo.image)).name == (
            ImageCacheFile(before(source=photo.image)).name
        )


def test_story_cards_frame_a_tall_picture_around_its_focal_point():
    tall = PhotoFactory(image=ContentFile(three_bands(), name="bands.jpg"))
    tall.width, tall.height = 900, 1800
    assert renditions.card_focus(tall) == ""  # the centre: the stylesheet's default
    tall.focal_y = 0.1
    assert renditions.card_focus(tall) == "focus-x-50 focus-y-0"
    tall.focal_y = 0.3
    # The 600-pixel-high frame starts 240 pixels down, in 1200 pixels of room: 20%.
    assert renditions.card_focus(tall) == "focus-x-50 focus-y-20"


def change_url(photo) -> str:
    return f"/admin/articles/photo/{photo.pk}/change/"


def post_focal_point(editor_client, photo, focal_x, focal_y):
    data = form_values(editor_client.get(change_url(photo)), "photo_form")
    data.update({"focal_x": [str(focal_x)], "focal_y": [str(focal_y)]})
    return editor_client.post(change_url(photo), data)


def test_the_photo_form_offers_the_preview_to_click_and_the_two_fields(editor_client):
    photo = PhotoFactory()
    response = editor_client.get(change_url(photo))
    assertContains(response, "data-focal-picker")
    assertContains(response, 'class="nr-focal__marker"')
    assertContains(response, "js/desk-focal-point.js")
    assertContains(response, 'name="focal_x" value="0.5"')
    assertContains(response, 'min="0"')


def test_the_desk_saves_the_focal_point_with_the_form(
    editor_client, django_capture_on_commit_callbacks
):
    photo = PhotoFactory(caption="Harbour at dawn")
    with django_capture_on_commit_callbacks(execute=True):
        response = post_focal_point(editor_client, photo, 0.25, 0.8)
    assert response.status_code == 302
    photo.refresh_from_db()
    assert (photo.focal_x, photo.focal_y) == (0.25, 0.8)
    assert photo.caption == "Harbour at dawn"


def test_a_focal_point_outside_the_picture_is_a_form_error_and_saves_nothing(editor_client):
    photo = PhotoFactory(caption="Harbour at dawn")
    response = post_focal_point(editor_client, photo, 1.5, 0.5)
    assert response.status_code == 200
    assertContains(response, "less than or equal to 1")
    photo.refresh_from_db()
    assert photo.focal_x == 0.5


def test_a_form_posted_without_the_fields_leaves_the_point_where_it_was(editor_client):
    photo = PhotoFactory(focal_x=0.2, focal_y=0.3)
    data = form_values(editor_client.get(change_url(photo)), "photo_form")
    del data["focal_x"], data["focal_y"]
    data["caption"] = ["New caption"]
    assert editor_client.post(change_url(photo), data).status_code == 302
    photo.refresh_from_db()
    assert (photo.focal_x, photo.focal_y, photo.caption) == (0.2, 0.3, "New caption")


def test_a_moved_focal_point_has_the_worker_make_the_new_crops(
    editor_client, django_capture_on_commit_callbacks
):
    photo = PhotoFactory(image=ContentFile(three_bands(), name="bands.jpg"))
    with django_capture_on_commit_callbacks(execute=True):
        post_focal_point(editor_client, photo, 0.9, 0.5)
    photo.refresh_from_db()
    assert photo.renditions_ready
    store = storages["renditions"]
    for ratio in renditions.CROPS:
        name = renditions.crop(photo, ratio).url.removeprefix("/media/")
        assert store.exists(name)


def test_pages_showing_the_photo_are_refreshed_with_the_new_crops(
    editor_client, client, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_ENABLED = True
    photo = PhotoFactory(image=ContentFile(three_bands(), name="bands.jpg"))
    story = ArticleFactory(published=True, bylined=True)
    ArticlePhotoFactory(article=story, photo=photo)
    old = renditions.crop(photo, "16x9").url
    assertContains(client.get(story.get_absolute_url()), old)  # cached now

    with django_capture_on_commit_callbacks(execute=True):
        post_focal_point(editor_client, photo, 0.9, 0.1)

    photo.refresh_from_db()
    page = client.get(story.get_absolute_url())
    assertNotContains(page, old)
    assertContains(page, renditions.crop(photo, "16x9").url)
