import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image
from pytest_django.asserts import assertContains, assertNotContains

from articles.media import renditions
from articles.models import Photo
from tests.support import pictures
from tests.support.factories import (
    ArticleFactory,
    ArticlePhotoFactory,
    BylineFactory,
    ContributorFactory,
    PhotoFactory,
    jpeg_bytes,
)

pytestmark = pytest.mark.django_db


def stored_size(url: str) -> tuple[int, int]:
    name = url.removeprefix("/media/")
    with default_storage.open(name) as file, Image.open(file) as image:
        return image.size


@pytest.fixture
def story_with_photos():
    article = ArticleFactory(published=True)
    lead = ArticlePhotoFactory(
        article=article,
        position=0,
        photo__image=ContentFile(jpeg_bytes((1200, 800)), name="lead.jpg"),
    )
    second = ArticlePhotoFactory(article=article, position=1)
    return article, lead.photo, second.photo


def test_article_page_offers_webp_and_jpeg_renditions_never_the_original(client, story_with_photos):
    article, lead, second = story_with_photos
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert '<source type="image/webp" srcset="' in html
    assert re.search(r'<img src="[^"]+\.jpg" srcset="[^"]+ 320w, [^"]+ 640w', html)
    assert lead.image.url not in html
    assert second.image.url not in html


def test_lead_photo_widths_stop_at_the_photos_own_width(story_with_photos):
    _, lead, _ = story_with_photos
    items = renditions.renditions(lead, image_format="webp")
    expected = [(320, 213), (640, 427), (960, 640), (1200, 800)]
    assert [(item.width, item.height) for item in items] == expected
    assert [stored_size(item.url) for item in items] == expected


def test_picture_falls_back_to_a_phone_sized_jpeg_with_its_size(story_with_photos):
    _, lead, _ = story_with_photos
    picture = renditions.picture(lead)
    assert (picture["width"], picture["height"]) == (640, 427)
    assert picture["src"].endswith(".jpg")
    assert stored_size(picture["src"]) == (640, 427)


def test_lead_photo_loads_at_once_and_later_photos_lazily(client, story_with_photos):
    article, _, _ = story_with_photos
    html = client.get(article.get_absolute_url()).content.decode()
    images = re.findall(r"<img [^>]+>", html)
    assert len(images) == 2
    assert 'loading="lazy"' not in images[0]
    assert 'loading="lazy"' in images[1]


def test_story_cards_show_thumbnails_no_wider_than_640(client, story_with_photos):
    ArticleFactory(published=True)  # the newer lead story pushes ours into the card list
    html = client.get("/").content.decode()
    card = html[html.index('sizes="(min-width: 40rem) 9rem, 6rem"') - 600 :]
    card = card[card.index("<picture>") : card.index("</picture>")]
    widths = [int(width) for width in re.findall(r" (\d+)w", card)]
    assert widths == [320, 640, 320, 640]


def test_sideways_phone_photo_is_stored_with_upright_size_and_turned_in_renditions():
    photo = PhotoFactory(image=ContentFile(pictures.phone_jpeg((80, 40)), name="portrait.jpg"))
    photo.refresh_from_db()
    assert (photo.width, photo.height) == (40, 80)
    (only,) = renditions.renditions(photo)
    assert (only.width, only.height) == (40, 80)
    assert stored_size(only.url) == (40, 80)


def test_a_photo_whose_file_is_missing_costs_the_picture_not_the_page(client, story_with_photos):
    article, lead, _ = story_with_photos
    default_storage.delete(lead.image.name)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assertContains(response, article.headline)


def test_photo_without_an_image_has_no_picture():
    assert renditions.picture(Photo(caption="Waiting for the file")) is None


def test_structured_data_crops_have_the_three_ratios(story_with_photos):
    _, lead, _ = story_with_photos
    sizes = {ratio: stored_size(renditions.crop(lead, ratio).url) for ratio in renditions.CROPS}
    assert sizes == {"16x9": (1200, 675), "4x3": (1200, 900), "1x1": (1200, 1200)}


def test_article_page_does_not_link_the_original_even_for_small_photos(client):
    article = ArticleFactory(published=True)
    placement = ArticlePhotoFactory(article=article)
    response = client.get(article.get_absolute_url())
    assertNotContains(response, placement.photo.image.url)
    assertContains(response, f'width="{placement.photo.width}"')


def test_contributor_page_shows_a_small_portrait_rendition_not_the_upload(client):
    contributor = ContributorFactory(
        slug="kim", portrait=ContentFile(jpeg_bytes((900, 1200)), name="kim.jpg")
    )
    # Readers see a contributor's page once they have a published story.
    BylineFactory(article=ArticleFactory(published=True), contributor=contributor)
    response = client.get("/contributors/kim/")
    src = re.search(r'<img class="contributor__portrait" src="([^"]+)"', response.content.decode())
    assert src is not None
    assert src.group(1) != contributor.portrait.url
    assert stored_size(src.group(1)) == (192, 192)
