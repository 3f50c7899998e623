from django.db import models
from django.db.models.fields.files import ImageFieldFile
from PIL import ExifTags, Image

from articles.media import renditions, uploads


class PictureFieldFile(ImageFieldFile):
    def save(self, name, content, save=True):
        # Every write to storage, from a form, a script or the shell, stores the re-encoded
        # picture: upright, without EXIF/GPS/XMP, named for the format it really has.
        name, content = uploads.stripped(name, content)
        super().save(name, content, save)


class StoredDimensionsImageField(models.ImageField):
    """An ImageField that reads a picture's size when the file is set, never when loading rows.

    Django's ImageField re-reads the file from storage for any loaded row whose width or height
    is empty. On a listing of 20 stories that is 20 storage reads (slow on S3), and one missing
    file would turn every page that shows it into an error.
    """

    def update_dimension_fields(self, instance, force=False, *args, **kwargs):
        if force:
            super().update_dimension_fields(instance, True, *args, **kwargs)

    def pre_save(self, model_instance, add):
        # A file saved before its row (`image.save(..., save=False)`, then `bulk_create`) may
        # not have been measured yet: measure it once, here, from storage.
        file = super().pre_save(model_instance, add)
        if file and self.width_field and not getattr(model_instance, self.width_field):
            self.update_dimension_fields(model_instance, force=True)
        return file


# EXIF orientations 5-8 turn the picture a quarter: its upright width is the stored height.
_QUARTER_TURNS = {5, 6, 7, 8}


def exif_orientation(file) -> int:
    """The EXIF orientation of an image file (1, upright, when it has none or is unreadable)."""
    close = file.closed
    file.open()
    position = file.tell()
    try:
        file.seek(0)
        with Image.open(file) as image:
            return int(image.getexif().get(ExifTags.Base.Orientation, 1))
    except (OSError, ValueError, SyntaxError):
        return 1
    finally:
        if close:
            file.close()
        else:
            file.seek(position)


class PictureField(StoredDimensionsImageField):
    """An uploaded picture: checked (uploads.validate_picture) and stored without metadata."""

    attr_class = PictureFieldFile
    default_validators = [*models.ImageField.default_validators, uploads.validate_picture]


class UprightImageFieldFile(PictureFieldFile):
    def _get_image_dimensions(self):
        if not hasattr(self, "_dimensions_cache"):
            width, height = super()._get_image_dimensions()
            if width and height and exif_orientation(self) in _QUARTER_TURNS:
                width, height = height, width
            self._dimensions_cache = (width, height)
        return self._dimensions_cache


class UprightImageField(PictureField):
    """A picture field whose width and height are those of the picture turned upright.

    Phones store portrait photos sideways with an EXIF note to turn them. Pictures stored
    since uploads were re-encoded are upright already; older ones are turned in renditions,
    so the `width`/`height` the page reserves must be the turned ones too.
    """

    attr_class = UprightImageFieldFile


class LibraryImageFieldFile(UprightImageFieldFile):
    def save(self, name, content, save=True):
        super().save(name, content, save)
        # Whatever the path (the desk, the wire, the demo, a script), a picture entering the
        # library has its renditions made by the worker, not on the first reader's request.
        renditions.make_ahead(self.instance)


class LibraryImageField(UprightImageField):
    """A library photo's picture: upright, stripped, and its renditions made ahead of readers."""

    attr_class = LibraryImageFieldFile
