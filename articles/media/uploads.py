"""Uploaded pictures (library photos, contributor portraits): what is accepted, what is kept.

Accepted: real JPEG, PNG and WebP files, recognised from their bytes (never from the name),
of at most NEWSROOM["UPLOAD_MAX_BYTES"] and NEWSROOM["UPLOAD_MAX_PIXELS"] counting every
frame, that decode to the last pixel. Anything else gets a form error and leaves nothing
behind: SVG, GIF, HTML, a picture whose bytes are also a web page or script (a polyglot, which
a browser could be talked into running), a decompression bomb, a truncated or corrupt file.

Kept: the picture re-encoded, turned upright from its EXIF orientation, without EXIF, GPS,
XMP, IPTC, comments or maker notes; its colour (ICC) profile stays so colours stay right.
Stored names are random. The re-encoding happens whenever a picture is written to storage,
whatever the path (`fields.PictureFieldFile.save`), as sanitizing does for story bodies.
"""

import io
import logging
import uuid
import warnings
from pathlib import PurePath

from botocore.exceptions import BotoCoreError, ClientError
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from PIL import Image, ImageOps, ImageSequence, IptcImagePlugin, UnidentifiedImageError

logger = logging.getLogger(__name__)

# Pillow's format name -> the suffix the stored file gets. MPO is a camera JPEG with extra
# preview frames: only its main picture is kept, as a plain JPEG.
SUFFIXES = {"JPEG": ".jpg", "MPO": ".jpg", "PNG": ".png", "WEBP": ".webp"}
PILLOW_PLUGINS = ["JPEG", "PNG", "WEBP"]
# The bytes each format starts with: Pillow's guess must agree with the file's signature.
SIGNATURES = {
    "JPEG": lambda head: head.startswith(b"\xff\xd8\xff"),
    "MPO": lambda head: head.startswith(b"\xff\xd8\xff"),
    "PNG": lambda head: head.startswith(b"\x89PNG\r\n\x1a\n"),
    "WEBP": lambda head: head[:4] == b"RIFF" and head[8:12] == b"WEBP",
}
# Markup a browser sniffing the start of a file would take for a page or a script.
MARKUP = (b"<script", b"<html", b"<svg", b"<body", b"<iframe", b"<!doctype", b"<?xml")
SNIFF_BYTES = 1024
# Re-encoding quality for the stored original: renditions are made from it.
QUALITY = 95

# A disk or a bucket that fails (full, unreachable, refusing): never a server error.
STORAGE_ERRORS = (OSError, BotoCoreError, ClientError)

NOT_A_PICTURE = "Only JPEG, PNG and WebP pictures can be uploaded; this file is none of them."


def limit_pillow() -> None:
    """Pillow warns above this many pixels and refuses at twice as many, wherever it opens."""
    Image.MAX_IMAGE_PIXELS = settings.NEWSROOM["UPLOAD_MAX_PIXELS"]


def random_name(folder: str, filename: str) -> str:
    """`folder/yyyy/mm/<random>.<suffix>`: an uploaded file's name never reaches a URL."""
    suffix = PurePath(filename).suffix.lower()
    return f"{folder}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


def _head(file, size: int = SNIFF_BYTES) -> bytes:
    file.seek(0)
    head = file.read(size)
    file.seek(0)
    return head


def _open(file):
    """Open `file` with Pillow's JPEG, PNG and WebP readers only, bombs raised as errors."""
    file.seek(0)
    return Image.open(file, formats=PILLOW_PLUGINS)


def check_picture(file) -> None:
    """Raise ValidationError unless `file` is a whole JPEG, PNG or WebP within the limits."""
    limits = settings.NEWSROOM
    if file.size > limits["UPLOAD_MAX_BYTES"]:
        raise ValidationError(
            "This file is %(size)s; pictures can be at most %(limit)s.",
            code="too_large",
            params={
                "size": filesizeformat(file.size),
                "limit": filesizeformat(limits["UPLOAD_MAX_BYTES"]),
            },
        )
    head = _head(file)
    if any(marker in head.lower() for marker in MARKUP):
        raise ValidationError(
            "This file contains web page or script code, so it cannot be used as a picture.",
            code="markup",
        )
    too_many_pixels = ValidationError(
        "This picture has too many pixels (the limit is %(limit)s million, counting every "
        "frame). Upload a smaller version.",
        code="too_many_pixels",
        params={"limit": limits["UPLOAD_MAX_PIXELS"] // 1_000_000},
    )
    # Only inside this check: elsewhere a warning is what Pillow's other callers expect.
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with _open(file) as image:
                if not SIGNATURES[image.format](head):
                    raise ValidationError(NOT_A_PICTURE, code="not_a_picture")
                frames = 1 if image.format == "MPO" else getattr(image, "n_frames", 1)
                if image.width * image.height * frames > limits["UPLOAD_MAX_PIXELS"]:
                    raise too_many_pixels
                # Decode every pixel of every frame: a truncated file fails here, not later
                # on a reader's page.
                for frame in ImageSequence.Iterator(image):
                    frame.load()
                    if image.format == "MPO":
                        break
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise too_many_pixels from None
        except UnidentifiedImageError:
            raise ValidationError(NOT_A_PICTURE, code="not_a_picture") from None
        except (OSError, SyntaxError, ValueError, EOFError) as error:
            logger.info("Refused a damaged picture upload: %s", error)
            raise ValidationError(
                "This picture is damaged or incomplete. Export or download it again, then "
                "upload the new file.",
                code="damaged",
            ) from None
        finally:
            file.seek(0)


def validate_picture(value) -> None:
    """Model field validator: check a new upload; a picture already stored was checked then."""
    if not value or getattr(value, "_committed", False):
        return
    check_picture(getattr(value, "file", value))


def _without_metadata(image: Image.Image) -> Image.Image:
    """`image` (a copy Pillow made) with no metadata left to write back."""
    # Pillow writes some of `info` back by default (a JPEG's comment, for one): start clean.
    image.info = {}
    return image


def stripped(name: str, content) -> tuple[str, ContentFile]:
    """The picture in `content` re-encoded upright and without metadata, and its new name.

    The name's suffix follows the format found in the bytes, so a PNG uploaded as
    `photo.jpg` is stored as `.png` and served as what it is.
    """
    with _open(content) as image:
        image_format = image.format
        keep = {}
        if icc_profile := image.info.get("icc_profile"):
            keep["icc_profile"] = icc_profile
        if "transparency" in image.info and image_format == "PNG":
            keep["transparency"] = image.info["transparency"]
        frames = 1 if image_format == "MPO" else getattr(image, "n_frames", 1)
        buffer = io.BytesIO()
        if frames > 1:
            # An animation: every frame kept, with its timing. EXIF orientation is not
            # applied to animations (cameras never write it on them).
            sequence = [_without_metadata(frame.copy()) for frame in ImageSequence.Iterator(image)]
            durations = [frame.info.get("duration", 100) for frame in ImageSequence.Iterator(image)]
            sequence[0].save(
                buffer,
                format=image_format,
                save_all=True,
                append_images=sequence[1:],
                duration=durations,
                loop=image.info.get("loop", 0),
                **keep,
            )
        else:
            upright = _without_metadata(ImageOps.exif_transpose(image))
            save_format = "JPEG" if image_format == "MPO" else image_format
            options = {"quality": QUALITY} if save_format in ("JPEG", "WEBP") else {}
            upright.save(buffer, format=save_format, **options, **keep)
    new_name = str(PurePath(name).with_suffix(SUFFIXES[image_format]))
    return new_name, ContentFile(buffer.getvalue(), name=new_name)


def _iptc_text(info: dict, key: tuple[int, int]) -> str:
    value = info.get(key)
    if isinstance(value, list):
        value = value[0] if value else None
    if not value:
        return ""
    try:
        text = value.decode("utf-8")
    except UnicodeDecodeError:
        text = value.decode("latin-1")
    return " ".join(text.split())


def iptc_fields(file) -> dict[str, str]:
    """Caption, credit and copyright a picture desk wrote into the file's IPTC block.

    Read before the metadata is stripped, to fill in what the editor left empty. An
    unreadable block gives nothing: it never stops an upload.
    """
    try:
        with _open(file) as image:
            info = IptcImagePlugin.getiptcinfo(image) or {}
    except (OSError, SyntaxError, ValueError, EOFError):
        return {}
    finally:
        file.seek(0)
    fields = {
        "caption": _iptc_text(info, (2, 120)),
        # Credit line (the provider, "Yonhap"); the photographer's by-line if there is none.
        "credit": _iptc_text(info, (2, 110)) or _iptc_text(info, (2, 80)),
        "usage_terms": _iptc_text(info, (2, 116)),
    }
    return {name: value for name, value in fields.items() if value}


class StoredUploadsForm(forms.ModelForm):
    """A model form that writes its uploaded files to storage as the last step of validation.

    Django writes files while saving the row, after validation, where a storage failure
    (disk full, bucket unreachable) can only be a server error. Written here, it is a form
    error on the file field instead; the editor's other input stays on the form and no row
    is saved. A file is written only once everything else is valid.
    """

    storage_error = (
        "The picture could not be stored just now, so nothing was saved. Try again in a "
        "minute; if it keeps failing, tell the technical desk."
    )

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        for field in self.instance._meta.concrete_fields:
            if not isinstance(field, models.FileField) or field.name not in self.fields:
                continue
            file = getattr(self.instance, field.attname)
            if file and not file._committed:
                try:
                    file.save(file.name, file.file, save=False)
                except STORAGE_ERRORS:
                    logger.exception("Could not store an upload for %s", field)
                    self.add_error(field.name, self.storage_error)
