"""Responsive renditions of library photos, generated once by django-imagekit and cached.

Every rendition is rotated upright from the photo's EXIF orientation, re-encoded and stripped
of metadata (`WithoutMetadata`, also for originals stored before uploads were stripped);
readers are only ever sent renditions, never the uploaded original. Sizes are
worked out from the photo's stored (upright) width and height, so building a `<picture>`
touches neither the database nor the disk once a rendition exists.

Crops (16:9, 4:3, 1:1) keep the photo's focal point in frame, as near their centre as the
picture allows (`focal_box`); the point is part of a crop's file name, so moving it gives new
URLs and no browser or cache keeps the old crop. Story cards crop in CSS (3:2,
`object-fit: cover`) and get the same framing as an `object-position` class (`card_focus`).
A picture entering the library, or a moved focal point, has its renditions made by the task
worker (`make_ahead`); a size that does not exist yet is made on request only as a fallback.
"""

import hashlib
import logging
from dataclasses import dataclass

from django.db import transaction
from imagekit import ImageSpec, hashers, register
from imagekit.cachefiles import ImageCacheFile
from imagekit.processors import ResizeToFill, ResizeToFit, Transpose
from PIL import Image

from articles.media.uploads import STORAGE_ERRORS

logger = logging.getLogger(__name__)

# Widths (CSS pixels x density) offered in srcset: phone, phone 2x / tablet, desktop, desktop 2x.
WIDTHS = (320, 640, 960, 1280)
# A story card's thumbnail is at most 9rem wide: two widths cover it at 1x and 2x.
THUMBNAIL_WIDTHS = (320, 640)
# The fallback `src` for browsers without srcset: small enough for a phone.
FALLBACK_WIDTH = 640

FORMATS = {"webp": ("WEBP", "image/webp", 80), "jpeg": ("JPEG", "image/jpeg", 82)}

# Google asks for 16:9, 4:3 and 1:1 images in structured data, at least 1200 pixels wide.
CROPS = {"16x9": (1200, 675), "4x3": (1200, 900), "1x1": (1200, 1200)}


class RenditionSpec(ImageSpec):
    """An ImageSpec whose file name hashes its settings once per class, not once per photo.

    imagekit pickles a spec's processors for every rendition URL it builds: a dozen photos
    on a page made that the largest cost of rendering it. The settings never change for a
    class, so their hash is computed when the class is made.
    """

    settings_hash = ""

    def get_hash(self):
        key = f"{self.source.name}|{self.settings_hash}".encode()
        return hashlib.md5(key, usedforsecurity=False).hexdigest()


class WithoutMetadata:
    """The last processor: nothing of the original's metadata is written into a rendition.

    Pillow writes some of it back by default (a JPEG's comment, for one), and originals
    stored before uploads were stripped (articles/uploads.py) may still carry GPS and more.
    """

    KEEP = {"transparency"}  # not metadata: how a palette picture is converted

    def process(self, image):
        image.info = {key: value for key, value in image.info.items() if key in self.KEEP}
        return image


def _spec(name: str, processors: list, image_format: str, quality: int) -> type[ImageSpec]:
    options = {"quality": quality}
    spec = type(
        name,
        (RenditionSpec,),
        {
            "processors": processors,
            "format": image_format,
            "options": options,
            "settings_hash": hashers.pickle([processors, image_format, options, True]),
        },
    )
    # imagekit generates files only for registered specs (its just-in-time strategy).
    register.generator(f"articles:{name}", spec)
    return spec


WIDTH_SPECS = {
    (width, key): _spec(
        f"Width{width}{key.title()}",
        [Transpose(), ResizeToFit(width=width, upscale=False), WithoutMetadata()],
        image_format,
        quality,
    )
    for width in WIDTHS
    for key, (image_format, _, quality) in FORMATS.items()
}

# Contributor portraits show at 96 CSS pixels at most: a square twice that covers 2x screens.
PORTRAIT_SIZE = 192
PortraitSpec = _spec(
    "Portrait",
    [Transpose(), ResizeToFill(PORTRAIT_SIZE, PORTRAIT_SIZE), WithoutMetadata()],
    "JPEG",
    82,
)


def focal_box(
    width: int, height: int, ratio: tuple[int, int], focal: tuple[float, float]
) -> tuple[int, int, int, int]:
    """The largest `ratio` box inside a `width` x `height` picture, centred on the focal point
    as far as the picture's edges allow: (left, top, right, bottom) in pixels.

    A point near an edge cannot be centred without leaving the picture, so the box stops at
    that edge instead; the point is then off-centre but always inside.
    """
    ratio_w, ratio_h = ratio
    if width * ratio_h > height * ratio_w:  # wider than the crop: the sides go
        box_w, box_h = max(1, min(width, round(height * ratio_w / ratio_h))), height
    else:  # taller (or the same shape): top and bottom go
        box_w, box_h = width, max(1, min(height, round(width * ratio_h / ratio_w)))
    left = min(max(round(focal[0] * width - box_w / 2), 0), width - box_w)
    top = min(max(round(focal[1] * height - box_h / 2), 0), height - box_h)
    return left, top, left + box_w, top + box_h


class FocalCrop:
    """Cut the `width` x `height` shape around the focal point, then scale to that size."""

    def __init__(self, width: int, height: int, focal: tuple[float, float]):
        self.width, self.height, self.focal = width, height, focal

    def process(self, image):
        box = focal_box(image.width, image.height, (self.width, self.height), self.focal)
        return image.crop(box).resize((self.width, self.height), Image.Resampling.LANCZOS)


CENTRE = (0.5, 0.5)


def focal_point(photo) -> tuple[float, float]:
    """The photo's focal point; the centre for a picture that is not a library photo's."""
    return (getattr(photo, "focal_x", CENTRE[0]), getattr(photo, "focal_y", CENTRE[1]))


class CropSpec(RenditionSpec):
    """A crop of a library photo: its processors and file name follow the photo's focal point.

    At the centre (every photo until an editor moves its point) a crop is made and named as
    before focal points existed, so those files and the URLs crawlers and social cards hold
    stay as they are.
    """

    size = (0, 0)
    centred: list = []  # the processors of a crop around the centre
    centred_hash = ""

    def _focal(self) -> tuple[float, float]:
        # Rounded: points that differ by less than a pixel share a name (and a file).
        focal_x, focal_y = focal_point(getattr(self.source, "instance", None))
        return round(focal_x, 4), round(focal_y, 4)

    @property
    def processors(self):
        focal = self._focal()
        if focal == CENTRE:
            return self.centred
        return [Transpose(), FocalCrop(*self.size, focal), WithoutMetadata()]

    def get_hash(self):
        focal = self._focal()
        if focal == CENTRE:
            key = f"{self.source.name}|{self.centred_hash}"
        else:
            key = f"{self.source.name}|{self.settings_hash}|{focal[0]:.4f},{focal[1]:.4f}"
        return hashlib.md5(key.encode(), usedforsecurity=False).hexdigest()


def _crop_spec(ratio: str, width: int, height: int) -> type[ImageSpec]:
    options = {"quality": 82}
    centred = [Transpose(), ResizeToFill(width, height), WithoutMetadata()]
    spec = type(
        f"Crop{ratio}",
        (CropSpec,),
        {
            "size": (width, height),
            "format": "JPEG",
            "options": options,
            "centred": centred,
            "centred_hash": hashers.pickle([centred, "JPEG", options, True]),
            # "focal" names the version of the cropping rule, so a change to it moves names.
            "settings_hash": hashers.pickle(["focal", width, height, "JPEG", options, True]),
        },
    )
    register.generator(f"articles:Crop{ratio}", spec)
    return spec


CROP_SPECS = {ratio: _crop_spec(ratio, width, height) for ratio, (width, height) in CROPS.items()}

# Story cards show every picture in a 3:2 frame (`.card__photo img` in static/css/site.css).
CARD_RATIO = (3, 2)
# `object-position` comes as classes (the CSP allows no style attribute): every 5 per cent.
CARD_FOCUS_STEP = 5


@dataclass(frozen=True)
class Rendition:
    url: str
    width: int
    height: int
    mime_type: str


def _url(spec_class: type[ImageSpec], photo) -> str:
    file = ImageCacheFile(spec_class(source=photo.image))
    if not photo.renditions_ready:
        # Feeds and structured data name the file the worker is about to write.
        return file.storage.url(file.name)
    return file.url


def every_spec(photo) -> list[type[ImageSpec]]:
    """Every rendition a photo gets, smallest first: what the worker makes after an upload."""
    widths = _widths_for(photo, WIDTHS) if photo.width else list(WIDTHS)
    by_width = [WIDTH_SPECS[(width, key)] for width in widths for key in FORMATS]
    return [*by_width, *CROP_SPECS.values()]


def make_ahead(photo) -> None:
    """Have the worker make `photo`'s renditions once the current transaction commits.

    Called whenever a library picture is stored (`fields.LibraryImageField`) and when an
    editor moves the focal point. The photo is read again when the transaction commits: a
    picture stored before its row (`image.save(..., save=False)`) has its key by then. One
    stored that way outside any transaction (bulk archive scripts) is not queued; its pages
    make what they need on request, the fallback.
    """
    from articles import tasks  # the worker's module imports the models, which import this

    def queue():
        if photo.pk and photo.image:
            tasks.enqueue(tasks.make_renditions, photo.pk, photo.image.name)

    transaction.on_commit(queue)


def make_all(photo) -> None:
    """Write every rendition of `photo` that is not in storage yet (safe to run again)."""
    for spec_class in every_spec(photo):
        ImageCacheFile(spec_class(source=photo.image)).generate()


def stored_names(photo) -> list[str]:
    """The storage names every rendition of `photo` has (or would have)."""
    return [ImageCacheFile(spec(source=photo.image)).name for spec in every_spec(photo)]


def _existing(photo, widths, image_format: str) -> list[Rendition]:
    """The renditions already in storage, for a photo whose set the worker is still making.

    Never generates one: a reader must not wait for a picture to be resized.
    """
    found = []
    for width in _widths_for(photo, widths):
        file = ImageCacheFile(WIDTH_SPECS[(width, image_format)](source=photo.image))
        if file.cachefile_backend.exists(file):
            actual_width, actual_height = _fitted_size(photo, width)
            url = file.storage.url(file.name)
            found.append(Rendition(url, actual_width, actual_height, FORMATS[image_format][1]))
    return found


def _fitted_size(photo, width: int) -> tuple[int, int]:
    """The size ResizeToFit(width, upscale=False) gives the upright photo."""
    if width >= photo.width:
        return photo.width, photo.height
    return width, round(photo.height * width / photo.width)


def _widths_for(photo, widths) -> list[int]:
    """The widths worth offering: all smaller than the photo, and one at its own size (capped)."""
    chosen = [width for width in widths if width < photo.width]
    larger = [width for width in widths if width >= photo.width]
    return chosen + larger[:1] if larger else chosen


def _rendition(photo, width: int, image_format: str) -> Rendition:
    _, mime_type, _ = FORMATS[image_format]
    actual_width, actual_height = _fitted_size(photo, width)
    url = _url(WIDTH_SPECS[(width, image_format)], photo)
    return Rendition(url, actual_width, actual_height, mime_type)


def renditions(photo, widths=WIDTHS, image_format: str = "jpeg") -> list[Rendition]:
    """The photo at each useful width in `image_format`, smallest first."""
    return [_rendition(photo, width, image_format) for width in _widths_for(photo, widths)]


def largest(photo, image_format: str = "jpeg") -> Rendition:
    """The widest rendition of the photo, for feeds: one file, not the whole set."""
    return _rendition(photo, _widths_for(photo, WIDTHS)[-1], image_format)


def crop(photo, ratio: str) -> Rendition:
    """The photo cropped to `ratio` ("16x9", "4x3", "1x1") for search engines and social cards."""
    width, height = CROPS[ratio]
    return Rendition(_url(CROP_SPECS[ratio], photo), width, height, "image/jpeg")


def card_focus(photo) -> str:
    """Classes that frame `photo` in a story card's 3:2 box around its focal point.

    `object-position: X%` lines up the picture's X% with the box's X%, so the percentage is
    where the focal box starts within the room the picture has to move, not the point itself.
    """
    if not photo.width or not photo.height:
        return ""
    left, top, right, bottom = focal_box(photo.width, photo.height, CARD_RATIO, focal_point(photo))

    def percent(start: int, size: int, room: int) -> int:
        share = start / (room - size) if room > size else 0.5
        return round(share * 100 / CARD_FOCUS_STEP) * CARD_FOCUS_STEP

    across = percent(left, right - left, photo.width)
    down = percent(top, bottom - top, photo.height)
    if across == down == 50:
        return ""  # the stylesheet's default
    return f"focus-x-{across} focus-y-{down}"


def portrait(image_file) -> str | None:
    """The URL of a square portrait rendition, or None when there is no readable file."""
    if not image_file:
        return None
    try:
        return ImageCacheFile(PortraitSpec(source=image_file)).url
    except STORAGE_ERRORS:
        logger.exception("Could not make a portrait rendition of %s", image_file.name)
        return None


def srcset(items: list[Rendition]) -> str:
    return ", ".join(f"{item.url} {item.width}w" for item in items)


def picture(photo, widths=WIDTHS) -> dict | None:
    """What `includes/_picture.html` needs, or None when the photo's file cannot be read.

    A missing or broken file on disk must cost readers the picture, not the page.
    """
    if not photo.image or not photo.width or not photo.height:
        return None
    try:
        if photo.renditions_ready:
            webp = renditions(photo, widths, "webp")
            jpeg = renditions(photo, widths, "jpeg")
        else:
            webp = _existing(photo, widths, "webp")
            jpeg = _existing(photo, widths, "jpeg")
    except STORAGE_ERRORS:
        logger.exception("Could not make renditions of photo %s", photo.pk)
        return None
    if not jpeg:
        return None  # none made yet: the page shows no picture rather than keep a reader waiting
    fallback = [item for item in jpeg if item.width <= FALLBACK_WIDTH] or jpeg[:1]
    return {
        "webp_srcset": srcset(webp),
        "jpeg_srcset": srcset(jpeg),
        "src": fallback[-1].url,
        "width": fallback[-1].width,
        "height": fallback[-1].height,
        "focus": card_focus(photo),
    }
