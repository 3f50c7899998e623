from django.db import models
from django_prose_editor.fields import ProseEditorField

from articles.sanitize import EDITOR_EXTENSIONS, clean_html


class SanitizedHTMLField(ProseEditorField):
    """Rich text edited with the prose editor and sanitized on every save, whatever the path.

    Forms, the wire importer, the demo loader and a shell session all write through
    `pre_save`, so no stored body ever skips the allowlist.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("extensions", EDITOR_EXTENSIONS)
        kwargs.setdefault("sanitize", clean_html)
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance, add):
        value = clean_html(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value


class StoredDimensionsImageField(models.ImageField):
    """An ImageField that reads a picture's size when the file is set, never when loading rows.

    Django's ImageField re-reads the file from storage for any loaded row whose width or height
    is empty. On a listing of 20 stories that is 20 storage reads (slow on S3), and one missing
    file would turn every page that shows it into an error.
    """

    def update_dimension_fields(self, instance, force=False, *args, **kwargs):
        if force:
            super().update_dimension_fields(instance, True, *args, **kwargs)
