"""Pictures delivered with a story, placed on its draft through the safe upload path.

The file comes from beside the story (its folder, or its zip); `check_picture` refuses what
is not a whole JPEG, PNG or WebP within the limits, IPTC caption/credit/copyright are read
before the metadata goes, and the picture is stored re-encoded without metadata (the
field's own save). A refused picture is reported with the story; the story stays.
"""

from collections.abc import Callable
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from articles.media.uploads import check_picture, iptc_fields
from articles.models import Article, ArticlePhoto, Photo
from articles.wire.parser import WirePicture, WireStory

Sibling = Callable[[str], bytes]


def safe_href(href: str) -> str | None:
    """A file name beside the story: no folders climbed, no URLs followed."""
    path = PurePosixPath(href.replace("\\", "/"))
    if "://" in href or path.is_absolute() or ".." in path.parts or not path.name:
        return None
    return str(path)


def attach(article: Article, story: WireStory, sibling: Sibling, credit: str) -> list[str]:
    """Place each delivered picture on the draft; what went wrong, per picture."""
    problems = []
    placements = list(article.photo_placements.select_related("photo").order_by("position"))
    for position, picture in enumerate(story.pictures):
        href = safe_href(picture.href)
        if href is None:
            problems.append(f"picture {picture.href!r} refused: not a file beside the story")
            continue
        try:
            content = ContentFile(sibling(href), name=PurePosixPath(href).name)
            check_picture(content)
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
    return problems


def fill(photo: Photo, picture: WirePicture, embedded: dict, credit: str) -> None:
    """The wire's words first; the file's own IPTC fills what the wire left out."""
    photo.caption = photo.caption or picture.caption or embedded.get("caption", "")
    photo.credit = photo.credit or credit or embedded.get("credit", "")
    photo.usage_terms = photo.usage_terms or embedded.get("usage_terms", "")
