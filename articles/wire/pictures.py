"""Pictures delivered with a story, placed on its draft through the safe upload path.

The file comes from beside the story (its folder, or its zip), or, for an item from a feed,
from the URL it gives (`wire/remote.py`). `check_picture` refuses what is not a whole JPEG,
PNG or WebP within the limits, IPTC caption/credit/copyright are read before the metadata
goes, and the picture is stored re-encoded without metadata (the field's own save). A
refused or unreachable picture is reported with the story and on its wire item; the story
stays.
"""

from collections.abc import Callable
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from articles.media.uploads import check_picture, iptc_fields
from articles.models import Article, ArticlePhoto, Photo, WireItem
from articles.wire.parser import WirePicture, WireStory
from articles.wire.sources import ReferenceRefused

# Reads a picture the story refers to: a file beside it (`sources.beside`, `sources.in_zip`)
# or, for a feed, a URL (`remote.RemotePictures`). Raises ReferenceRefused for a reference
# it may not follow, OSError for a picture it cannot get.
Sibling = Callable[[str], bytes]


def attach(article: Article, story: WireStory, sibling: Sibling, credit: str) -> list[str]:
    """Place each delivered picture on the draft; what went wrong, per picture."""
    problems = []
    placements = list(article.photo_placements.select_related("photo").order_by("position"))
    for position, picture in enumerate(story.pictures):
        href = picture.href
        try:
            content = ContentFile(sibling(href), name=picture_name(href))
            check_picture(content)
        except ReferenceRefused as error:
            problems.append(f"picture {href!r} refused: {error.strerror}")
            continue
        except OSError as error:
            problems.append(f"picture {href} missing ({error.strerror or error})")
            continue
        except ValidationError as error:
            problems.append(f"picture {href} refused: {' '.join(error.messages)}")
            continue
        placement = placements[position] if position < len(placements) else None
        with transaction.atomic():
            photo = placement.photo if placement else Photo()
            if photo.image:
                continue  # the photo desk's picture stays
            fill(photo, picture, iptc_fields(content), credit)
            photo.image.save(content.name, content, save=False)
            photo.save()
            if placement is None:
                ArticlePhoto.objects.create(article=article, photo=photo, position=position)
    # What the desk sees on the wire item: the problems of the latest delivery, or nothing.
    WireItem.objects.filter(article=article, reference=story.source_reference).update(
        picture_problems="\n".join(problems)
    )
    return problems


def picture_name(href: str) -> str:
    """A name for the upload path (only its suffix matters; the stored name is random)."""
    name = PurePosixPath(urlsplit(href).path if "://" in href else href).name
    return name or "picture.jpg"


def fill(photo: Photo, picture: WirePicture, embedded: dict, credit: str) -> None:
    """The wire's words first; the file's own IPTC fills what the wire left out."""
    photo.caption = photo.caption or picture.caption or embedded.get("caption", "")
    photo.credit = photo.credit or credit or embedded.get("credit", "")
    photo.usage_terms = photo.usage_terms or embedded.get("usage_terms", "")
