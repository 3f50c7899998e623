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
