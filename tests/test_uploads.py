"""Uploaded pictures: only real JPEG, PNG and WebP within limits, stored without metadata."""

import io
import warnings
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import re_path
from django.views.static import serve
from PIL import ExifTags, Image
from pytest_django.asserts import assertContains

from articles.media import renditions, uploads
from articles.models import Contributor, Photo
from tests.support import pictures
from tests.support.factories import ContributorFactory, PhotoFactory, jpeg_bytes

pytestmark = pytest.mark.django_db

ADD_PHOTO = "/admin/articles/photo/add/"


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def upload(data: bytes, name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def post_photo(client, data: bytes, name: str = "photo.jpg", **fields):
    return client.post(
        ADD_PHOTO,
        {"image": upload(data, name), "caption": "", "credit": "", "alt_text": "", **fields},
    )


def opened(field_file) -> Image.Image:
    with field_file.storage.open(field_file.name) as file:
        image = Image.open(io.BytesIO(file.read()))
        image.load()
        return image


def assert_no_metadata(image: Image.Image):
    assert not image.getexif(), "EXIF kept"
    assert not {"exif", "xmp", "comment", "photoshop"} & set(image.info), image.info.keys()
    assert not getattr(image, "text", {}), "PNG text chunks kept"


# What is refused, with the reason an editor can act on.


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (pictures.gif_bytes(), "Only JPEG, PNG and WebP"),
        (pictures.SVG, "web page or script code"),
        (pictures.HTML, "web page or script code"),
        # A real JPEG that is also a script: its comment, near the start, is markup.
        (pictures.phone_jpeg(comment=b"<script>alert(1)</script>"), "web page or script code"),
        (pictures.png_bytes(pnginfo=None)[:-30], "damaged or incomplete"),
        (pictures.cut_jpeg(), "damaged or incomplete"),
        (pictures.png_claiming(20_000, 20_000), "too many pixels"),
        (pictures.png_claiming(9_000, 8_000), "too many pixels"),
        (b"just some text pretending to be a picture", "Only JPEG, PNG and WebP"),
    ],
    ids=["gif", "svg", "html", "script-polyglot", "png-cut", "jpeg-cut", "bomb", "70mp", "text"],
)
def test_check_refuses_what_is_not_a_whole_picture(data, message):
    with pytest.raises(ValidationError, match=message):
        uploads.check_picture(ContentFile(data, name="photo.jpg"))


@pytest.mark.parametrize(
    "data",
    [pictures.phone_jpeg(), pictures.png_bytes(), pictures.webp_bytes(), pictures.animated_png(3)],
    ids=["jpeg", "png", "webp", "animated-png"],
)
def test_check_accepts_jpeg_png_and_webp(data):
    uploads.check_picture(ContentFile(data, name="photo.jpg"))


def test_a_file_over_the_size_cap_is_refused(settings):
    settings.NEWSROOM = {**settings.NEWSROOM, "UPLOAD_MAX_BYTES": 1000}
    with pytest.raises(ValidationError, match="pictures can be at most 1000"):
        uploads.check_picture(ContentFile(jpeg_bytes((200, 200)), name="photo.jpg"))


def test_the_pixel_cap_counts_every_frame(settings):
    settings.NEWSROOM = {**settings.NEWSROOM, "UPLOAD_MAX_PIXELS": 10_000}
    uploads.check_picture(ContentFile(pictures.animated_png(2, (80, 50)), name="a.png"))
    with pytest.raises(ValidationError, match="counting every frame"):
        uploads.check_picture(ContentFile(pictures.animated_png(3, (80, 50)), name="a.png"))


def test_pillows_bomb_warning_is_an_error_inside_the_check_only(settings, monkeypatch):
    # Pillow's own limit below our cap: only its DecompressionBombWarning can refuse this.
    settings.NEWSROOM = {**settings.NEWSROOM, "UPLOAD_MAX_PIXELS": 10**9}
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1_000)
    picture = ContentFile(pictures.png_bytes((40, 40)), name="a.png")  # 1,600 pixels
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # as in production, where warnings are not errors
        with pytest.raises(ValidationError, match="too many pixels"):
            uploads.check_picture(picture)
        # Outside the check, the warning stays a warning.
        with Image.open(io.BytesIO(pictures.png_bytes((40, 40)))) as image:
            image.load()


def test_pillow_refuses_bombs_wherever_it_opens_a_picture():
    assert Image.MAX_IMAGE_PIXELS == 60_000_000


# The desk: a refused upload is a form error and leaves nothing behind.


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (pictures.SVG, "Upload a valid image"),  # Django's own check sees it first
        (pictures.gif_bytes(), "Only JPEG, PNG and WebP"),
        (pictures.phone_jpeg(comment=b"<html><script>"), "web page or script code"),
        (pictures.cut_jpeg(), "damaged or incomplete"),
        (pictures.png_claiming(20_000, 20_000), "Upload a valid image"),  # Django's, again
    ],
    ids=["svg", "gif", "polyglot", "truncated", "bomb"],
)
def test_refused_upload_is_a_form_error_and_leaves_no_row_and_no_file(
    editor_client, settings, data, message
):
    response = post_photo(editor_client, data, caption="Keep this caption")
    assert response.status_code == 200
    (error,) = response.context["adminform"].form.errors["image"]
    assert message in error
    assertContains(response, "Keep this caption")
    assert not Photo.objects.exists()
    assert stored_files(settings) == []


def test_model_validation_refuses_what_the_check_refuses():
    photo = Photo(image=ContentFile(pictures.gif_bytes(), name="photo.jpg"), alt_text="x")
    with pytest.raises(ValidationError) as raised:
        photo.full_clean()
    assert "Only JPEG, PNG and WebP" in str(raised.value.message_dict["image"])


def test_upload_is_stored_upright_without_gps_or_device_metadata(editor_client):
    response = post_photo(editor_client, pictures.phone_jpeg((80, 40), orientation=6))
    assert response.status_code == 302
    photo = Photo.objects.get()
    assert (photo.width, photo.height) == (40, 80)
    image = opened(photo.image)
    assert image.size == (40, 80)
    assert_no_metadata(image)
    assert image.info["icc_profile"] == pictures.SRGB
    assert photo.image.name.startswith("photos/")
    assert photo.image.name.endswith(".jpg")
    assert "photo" not in Path(photo.image.name).stem


@pytest.mark.parametrize(
    ("data", "suffix"),
    [
        (pictures.png_bytes(pnginfo=None, exif=pictures.camera_exif()), ".png"),
        (pictures.webp_bytes(), ".webp"),
    ],
)
def test_png_and_webp_lose_their_metadata_and_keep_their_format(data, suffix):
    photo = PhotoFactory(image=ContentFile(data, name="upload.jpg"))
    assert photo.image.name.endswith(suffix)
    assert_no_metadata(opened(photo.image))


def test_png_text_chunks_are_not_kept():
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "Kim, 010-1234-5678, home address")
    photo = PhotoFactory(image=ContentFile(pictures.png_bytes(pnginfo=info), name="a.png"))
    image = opened(photo.image)
    assert image.text == {}
    assert image.mode == "RGBA"


def test_every_path_that_stores_a_picture_strips_it():
    """Not only the desk's form: a script or the shell saving a photo gets the same."""
    photo = Photo(caption="From a script")
    photo.image.save("script.jpg", ContentFile(pictures.phone_jpeg()), save=True)
    assert_no_metadata(opened(Photo.objects.get(pk=photo.pk).image))


def test_iptc_caption_credit_and_terms_fill_what_the_editor_left_empty(editor_client):
    data = pictures.jpeg_with_iptc("Diplomats meet in Seoul.", "Yonhap", "(c) Yonhap 2025")
    response = post_photo(editor_client, data, alt_text="Two diplomats shake hands")
    assert response.status_code == 302
    photo = Photo.objects.get()
    assert (photo.caption, photo.credit, photo.usage_terms) == (
        "Diplomats meet in Seoul.",
        "Yonhap",
        "(c) Yonhap 2025",
    )
    assert_no_metadata(opened(photo.image))


def test_iptc_never_overrides_what_the_editor_typed(editor_client):
    data = pictures.jpeg_with_iptc("Agency caption", "Agency")
    post_photo(editor_client, data, caption="Our caption", credit="Our credit")
    photo = Photo.objects.get()
    assert (photo.caption, photo.credit) == ("Our caption", "Our credit")


class BrokenStorage(FileSystemStorage):
    """A disk that is full, or a bucket that is unreachable."""

    def _save(self, name, content):
        raise OSError("No space left on device")


def test_a_storage_failure_is_a_form_error_and_saves_no_row(editor_client, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "tests.test_uploads.BrokenStorage"},
    }
    response = post_photo(editor_client, jpeg_bytes(), caption="A caption worth keeping")
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["image"]
    assert "could not be stored" in errors[0]
    assertContains(response, "A caption worth keeping")
    assert not Photo.objects.exists()


def test_contributor_portrait_gets_a_random_name_and_no_metadata(editor_client):
    ContributorFactory(slug="kim")
    contributor = Contributor.objects.get(slug="kim")
    contributor.portrait = ContentFile(pictures.phone_jpeg(), name="kim-passport-scan.jpg")
    contributor.save()
    assert contributor.portrait.name.startswith("contributors/")
    assert "kim" not in contributor.portrait.name
    assert_no_metadata(opened(contributor.portrait))


def test_contributor_portrait_upload_refuses_svg(editor_client):
    contributor = ContributorFactory()
    response = editor_client.post(
        f"/admin/articles/contributor/{contributor.pk}/change/",
        {
            "name": contributor.name,
            "slug": contributor.slug,
            "kind": contributor.kind,
            "portrait": SimpleUploadedFile("me.png", pictures.SVG, content_type="image/png"),
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["portrait"]
    contributor.refresh_from_db()
    assert not contributor.portrait


# Renditions are made from originals that may predate stripping: they carry nothing either.


def test_renditions_of_an_old_original_with_gps_carry_no_metadata():
    name = default_storage.save("photos/2019/01/legacy.jpg", ContentFile(pictures.phone_jpeg()))
    # Stored before uploads were stripped, as it was; 80 x 40 sideways, upright 40 x 80.
    photo = PhotoFactory(image=name, width=40, height=80)
    assert opened(photo.image).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the test's premise
    urls = [item.url for item in renditions.renditions(photo, image_format="webp")]
    urls += [item.url for item in renditions.renditions(photo, image_format="jpeg")]
    urls += [renditions.crop(photo, ratio).url for ratio in renditions.CROPS]
    urls.append(renditions.portrait(photo.image))
    for url in urls:
        with default_storage.open(url.removeprefix("/media/")) as file:
            image = Image.open(io.BytesIO(file.read()))
        assert_no_metadata(image)


# Serving: media is never sniffed or served as a page.

urlpatterns = [
    re_path(r"^media/(?P<path>.*)$", serve, {"document_root": None}),
]


@pytest.fixture
def media_urls(settings):
    """The /media/ route `make run` adds with DEBUG on (django.conf.urls.static.static)."""
    urlpatterns[0].default_args["document_root"] = settings.MEDIA_ROOT
    settings.ROOT_URLCONF = "tests.test_uploads"


def test_media_is_served_as_the_picture_it_is_with_nosniff(client, media_urls):
    # A PNG uploaded under a .jpg name is stored, and served, as a PNG.
    photo = PhotoFactory(image=ContentFile(pictures.png_bytes(), name="holiday.jpg"))
    response = client.get(photo.image.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
