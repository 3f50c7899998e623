"""Media in an S3-compatible bucket: a real S3-protocol server (moto) on loopback, per session."""

import io
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from pytest_django.asserts import assertContains

from articles.media import renditions
from articles.models import Photo
from newsroom.storage import s3_storages
from tests.support.factories import ArticleFactory, ArticlePhotoFactory, PhotoFactory, jpeg_bytes
from tests.support.services import bucket_keys, free_port, s3_env

pytestmark = pytest.mark.django_db
ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"


def post_photo(client, **fields):
    picture = SimpleUploadedFile("photo.jpg", jpeg_bytes((1000, 600)), content_type="image/jpeg")
    return client.post(
        "/admin/articles/photo/add/",
        {"image": picture, "caption": "", "credit": "", "alt_text": "A street", **fields},
    )


def public_readers(client, bucket, key) -> bool:
    grants = client.get_object_acl(Bucket=bucket, Key=key)["Grants"]
    return any(grant["Grantee"].get("URI") == ALL_USERS for grant in grants)


def test_upload_stores_a_private_original_and_public_immutable_renditions(
    editor_client, s3_media, django_capture_on_commit_callbacks
):
    client, bucket = s3_media
    with django_capture_on_commit_callbacks(execute=True):
        response = post_photo(editor_client)
    assert response.status_code == 302
    photo = Photo.objects.get()
    assert photo.renditions_ready
    keys = bucket_keys(client, bucket)
    assert photo.image.name in keys
    assert not public_readers(client, bucket, photo.image.name)
    assert "Signature=" in photo.image.url  # the desk's link expires

    names = renditions.stored_names(photo)
    assert len(names) == len(renditions.every_spec(photo)) > 8
    assert set(names) <= keys
    head = client.head_object(Bucket=bucket, Key=names[0])
    assert head["CacheControl"] == "public, max-age=31536000, immutable"
    assert public_readers(client, bucket, names[0])


def test_reader_page_links_public_renditions_from_the_bucket(client, s3_media):
    _, bucket = s3_media
    story = ArticleFactory(published=True)
    ArticlePhotoFactory(
        article=story, photo__image=ContentFile(jpeg_bytes((800, 500)), name="a.jpg")
    )
    response = client.get(story.get_absolute_url())
    assertContains(response, f"/{bucket}/renditions/photos/")
    assert "Signature=" not in response.content.decode()


def test_removing_a_photo_removes_its_file_and_renditions(
    editor_client, s3_media, django_capture_on_commit_callbacks
):
    client, bucket = s3_media
    with django_capture_on_commit_callbacks(execute=True):
        post_photo(editor_client)
    photo = Photo.objects.get()
    assert photo.image.name in bucket_keys(client, bucket)
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(f"/admin/articles/photo/{photo.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert bucket_keys(client, bucket) == set()


def test_replacing_a_picture_removes_the_old_one(
    editor_client, s3_media, django_capture_on_commit_callbacks
):
    client, bucket = s3_media
    with django_capture_on_commit_callbacks(execute=True):
        post_photo(editor_client)
    photo = Photo.objects.get()
    old = {photo.image.name, *renditions.stored_names(photo)}
    picture = SimpleUploadedFile("new.jpg", jpeg_bytes((900, 900)), content_type="image/jpeg")
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            f"/admin/articles/photo/{photo.pk}/change/",
            {"image": picture, "caption": "New", "credit": "", "alt_text": "A square"},
        )
    assert response.status_code == 302
    photo.refresh_from_db()
    keys = bucket_keys(client, bucket)
    assert not old & keys
    assert photo.image.name in keys
    assert set(renditions.stored_names(photo)) <= keys


def test_a_store_that_cannot_be_reached_is_a_form_error_and_saves_nothing(
    editor_client, settings, monkeypatch
):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "x")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "x")
    unreachable = s3_env(f"http://127.0.0.1:{free_port()}", "newsroom-down")
    settings.STORAGES = {**settings.STORAGES, **s3_storages(unreachable)}
    response = post_photo(editor_client, caption="A caption worth keeping")
    assert response.status_code == 200
    (error,) = response.context["adminform"].form.errors["image"]
    assert "could not be stored" in error
    assertContains(response, "A caption worth keeping")
    assert not Photo.objects.exists()


def test_pages_show_only_renditions_already_made_while_the_worker_is_busy(s3_media):
    photo = PhotoFactory(image=ContentFile(jpeg_bytes((1000, 600)), name="a.jpg"))
    Photo.objects.filter(pk=photo.pk).update(renditions_ready=False)
    photo.refresh_from_db()
    assert renditions.picture(photo) is None  # nothing made yet: no picture, no waiting
    client, bucket = s3_media
    assert bucket_keys(client, bucket) == {photo.image.name}

    small = renditions.ImageCacheFile(renditions.WIDTH_SPECS[(320, "jpeg")](source=photo.image))
    small.generate()
    shown = renditions.picture(photo)
    assert shown["jpeg_srcset"].endswith(" 320w")
    assert shown["width"] == 320
    assert len(bucket_keys(client, bucket)) == 2  # the page made none itself


def local_media(root: Path) -> dict[str, bytes]:
    files = {
        "photos/2026/01/a.jpg": jpeg_bytes((40, 30)),
        "portraits/2026/01/b.jpg": jpeg_bytes((20, 20)),
        "renditions/photos/2026/01/a/123.jpg": b"rendition bytes",
    }
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    return files


def test_migrate_media_copies_local_files_resumably_with_a_dry_run(s3_media, tmp_path):
    client, bucket = s3_media
    files = local_media(tmp_path / "old-media")
    out = io.StringIO()
    call_command("migrate_media", source=tmp_path / "old-media", dry_run=True, stdout=out)
    assert "Would copy 3 of 3 files" in out.getvalue()
    assert bucket_keys(client, bucket) == set()

    # An earlier run was cut short after one file: only the other two are copied now.
    client.put_object(Bucket=bucket, Key="photos/2026/01/a.jpg", Body=files["photos/2026/01/a.jpg"])
    out = io.StringIO()
    call_command("migrate_media", source=tmp_path / "old-media", stdout=out, verbosity=2)
    assert "Copied 2 of 3 files; 1 already in the bucket; 0 failed." in out.getvalue()
    assert "[3/3]" in out.getvalue()
    assert bucket_keys(client, bucket) == set(files)
    rendition = "renditions/photos/2026/01/a/123.jpg"
    assert public_readers(client, bucket, rendition)
    assert not public_readers(client, bucket, "portraits/2026/01/b.jpg")
    body = client.get_object(Bucket=bucket, Key=rendition)["Body"].read()
    assert body == b"rendition bytes"


def test_migrate_media_refuses_to_run_without_a_bucket(tmp_path):
    with pytest.raises(CommandError, match="AWS_STORAGE_BUCKET_NAME"):
        call_command("migrate_media", source=tmp_path)
