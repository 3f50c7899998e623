"""Pictures delivered with agency stories: placed on the draft through the safe upload path."""

import io
import shutil
import zipfile

import pytest
from django.core.management import call_command
from PIL import Image

from articles.models import Article
from tests.support.pictures import phone_jpeg
from tests.support.wire import FIXTURES

pytestmark = pytest.mark.django_db
STORY = FIXTURES / "formats" / "harbor-newsml.xml"


def lead_photo():
    return Article.objects.get().photo_placements.select_related("photo").get().photo


def test_picture_beside_the_story_is_placed_re_encoded_without_metadata(tmp_path, capsys):
    shutil.copy(STORY, tmp_path / "harbor.xml")
    (tmp_path / "harbor.jpg").write_bytes(phone_jpeg())

    call_command("import_wire", str(tmp_path / "harbor.xml"))

    photo = lead_photo()
    assert photo.caption.startswith("Passengers board the first ferry")
    assert photo.credit == "Yonhap"
    assert not photo.awaiting_image
    with photo.image.open("rb") as file, Image.open(file) as stored:
        assert stored.format == "JPEG"
        assert not stored.getexif()
        assert "xmp" not in stored.info
        assert "comment" not in stored.info
        assert stored.size == (40, 80)  # turned upright from its EXIF orientation


def test_picture_in_the_zip_is_placed(tmp_path):
    archive = tmp_path / "delivery.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.write(STORY, "harbor.xml")
        bundle.writestr("harbor.jpg", phone_jpeg())
    call_command("import_wire", str(archive))
    assert not lead_photo().awaiting_image


def test_missing_or_bad_picture_is_reported_and_the_story_kept(tmp_path, capsys):
    shutil.copy(STORY, tmp_path / "harbor.xml")
    (tmp_path / "harbor.jpg").write_bytes(b"<svg onload='alert(1)'></svg>")

    call_command("import_wire", str(tmp_path / "harbor.xml"), verbosity=2)

    out = capsys.readouterr().out
    assert "new draft; picture harbor.jpg refused: " in out
    assert lead_photo().awaiting_image  # caption and credit kept, waiting for the photo desk


def test_picture_reference_climbing_out_of_the_folder_is_refused(tmp_path, capsys):
    text = STORY.read_text().replace('href="harbor.jpg"', 'href="../secret.jpg"')
    (tmp_path / "inbox").mkdir()
    (tmp_path / "inbox" / "harbor.xml").write_text(text)
    (tmp_path / "secret.jpg").write_bytes(phone_jpeg())

    call_command("import_wire", str(tmp_path / "inbox"), verbosity=2)

    assert "picture '../secret.jpg' refused: not a file beside the story" in capsys.readouterr().out
    assert lead_photo().awaiting_image


def test_png_delivered_as_jpg_is_stored_as_what_it_is(tmp_path):
    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), (0, 90, 200)).save(buffer, format="PNG")
    shutil.copy(STORY, tmp_path / "harbor.xml")
    (tmp_path / "harbor.jpg").write_bytes(buffer.getvalue())
    call_command("import_wire", str(tmp_path / "harbor.xml"))
    assert lead_photo().image.name.endswith(".png")
