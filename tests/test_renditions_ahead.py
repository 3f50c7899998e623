"""A picture entering the library has its renditions made by the worker, before any reader.

The worker runs eagerly here: once the transaction that stored the picture commits, every
rendition is in storage. No public page is requested before the files are looked for.
"""

import json
import shutil

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from articles.demo.newsroom import DEMO_FILE, load_demo
from articles.media import renditions
from articles.models import Article, Photo
from tests.support.factories import jpeg_bytes
from tests.support.pictures import phone_jpeg
from tests.support.wire import FIXTURES

pytestmark = pytest.mark.django_db


def missing_renditions(photo) -> list[str]:
    store = storages["renditions"]
    return [name for name in renditions.stored_names(photo) if not store.exists(name)]


def test_an_upload_on_the_desk_has_every_rendition_before_any_reader_asks(
    editor_client, django_capture_on_commit_callbacks
):
    picture = SimpleUploadedFile("p.jpg", jpeg_bytes((1400, 900)), content_type="image/jpeg")
    data = {"image": picture, "caption": "Ferry", "credit": "", "alt_text": "A ferry"}
    with django_capture_on_commit_callbacks(execute=True):
        assert editor_client.post("/admin/articles/photo/add/", data).status_code == 302
    photo = Photo.objects.get()
    # 320, 640, 960 and 1280 wide in WebP and JPEG, and the three crops.
    assert len(renditions.stored_names(photo)) == 11
    assert missing_renditions(photo) == []
    assert photo.renditions_ready


def test_a_wire_picture_has_every_rendition_once_the_import_commits(
    tmp_path, django_capture_on_commit_callbacks
):
    shutil.copy(FIXTURES / "formats" / "harbor-newsml.xml", tmp_path / "harbor.xml")
    (tmp_path / "harbor.jpg").write_bytes(phone_jpeg())

    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_wire", str(tmp_path / "harbor.xml"))

    photo = Article.objects.get().photo_placements.get().photo
    assert photo.image
    assert renditions.stored_names(photo)
    assert missing_renditions(photo) == []


def test_demo_photos_have_every_rendition_once_the_demo_is_loaded(
    django_capture_on_commit_callbacks,
):
    data = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    story = next(a for a in data["articles"] if a["status"] == "published" and a["photo"])
    with django_capture_on_commit_callbacks(execute=True):
        load_demo({**data, "articles": [story]})
    assert missing_renditions(Photo.objects.get()) == []


def test_a_picture_stored_from_a_script_is_queued_for_the_worker_too(
    django_capture_on_commit_callbacks,
):
    photo = Photo(caption="From a script")
    with django_capture_on_commit_callbacks(execute=False) as queued:
        photo.image.save("script.jpg", ContentFile(jpeg_bytes((800, 600))))
    assert missing_renditions(photo)  # nothing made in the request that stored it
    for callback in queued:
        callback()
    assert missing_renditions(photo) == []


def test_a_picture_stored_before_its_row_is_queued_once_the_row_exists(
    django_capture_on_commit_callbacks,
):
    photo = Photo(caption="Saved file first, row later")
    with django_capture_on_commit_callbacks(execute=True):
        photo.image.save("later.jpg", ContentFile(jpeg_bytes((800, 600))), save=False)
        photo.save()
    assert missing_renditions(photo) == []


def test_renditions_not_made_yet_are_still_made_on_request_as_a_fallback():
    # The worker's turn never comes here (the test's transaction is never committed): the
    # first page that shows the photo makes what it needs, as before.
    photo = Photo(caption="Missed by the worker")
    photo.image.save("missed.jpg", ContentFile(jpeg_bytes((800, 600))), save=False)
    photo.save()
    assert photo.renditions_ready
    assert missing_renditions(photo)
    picture = renditions.picture(photo)
    assert picture is not None
    assert storages["renditions"].exists(picture["src"].removeprefix("/media/"))
