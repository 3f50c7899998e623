from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.forms.models import model_to_dict

from articles.blocks.stored import problems as block_problems
from articles.display import desk_datetime, shown
from articles.media.uploads import StoredUploadsForm, iptc_fields
from articles.models import Article, Contributor, Correction, Photo, Topic
from articles.models.social import (
    SEARCH_HEADLINE_CHARS,
    SOCIAL_DESCRIPTION_CHARS,
    SOCIAL_HEADLINE_CHARS,
)


class TopicMergeForm(forms.Form):
    """Choose which of the selected topics survives a merge."""

    kept = forms.ModelChoiceField(
        queryset=Topic.objects.none(),
        widget=forms.RadioSelect,
        label="Keep this topic",
        empty_label=None,
    )

    def __init__(self, *args, topics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kept"].queryset = topics


class ArticleForm(forms.ModelForm):
    """The desk's story form. A save made from a stale copy of the story is refused.

    The form carries the version of the story the editor opened. If anyone saved the story
    (or changed its state) since, nothing is written and the editor is shown, field by field,
    their value and the one saved in the meantime.
    """

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        # The admin narrows this to its fieldsets; state and times of record are never here.
        fields = [
            "kicker",
            "headline",
            "slug",
            "dek",
            "dateline",
            "body",
            "section",
            "topics",
            "seo_headline",
            "social_headline",
            "social_description",
            "live_started_at",
            "live_ended_at",
            "publish_at",
            "embargo_until",
            "source_agency",
            "source_reference",
        ]
        # Counted as the editor types (static/js/desk-length-hints.js).
        widgets = {
            "seo_headline": forms.TextInput(
                attrs={"data-recommended-length": SEARCH_HEADLINE_CHARS, "size": 80}
            ),
            "social_headline": forms.TextInput(
                attrs={"data-recommended-length": SOCIAL_HEADLINE_CHARS, "size": 80}
            ),
            "social_description": forms.Textarea(
                attrs={"data-recommended-length": SOCIAL_DESCRIPTION_CHARS, "rows": 3}
            ),
        }

    class Media:
        js = ["js/desk-length-hints.js"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.version

    def clean_body(self):
        # Blocks are checked as the editor sent them: a hostile or broken value is refused
        # with its reason, not silently cut by the sanitizer.
        if problems := block_problems(self.data.get(self.add_prefix("body"), "")):
            raise ValidationError(problems)
        return self.cleaned_data["body"]

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is None:
            return cleaned_data
        # Locked until the request's transaction ends: of two saves racing from the same
        # version, the second waits, then sees the first one's version and is refused.
        current = (
            Article.objects.select_for_update(of=("self",))
            .select_related("updated_by")
            .get(pk=self.instance.pk)
        )
        if cleaned_data.get("loaded_version") != current.version:
            raise ValidationError(self.conflict_messages(current))
        return cleaned_data

    def conflict_messages(self, current: Article) -> list[str]:
        user = current.updated_by
        who = (user.get_full_name() or user.get_username()) if user else "Someone"
        when = desk_datetime(current.updated_at)
        messages = [
            f"{who} saved this story at {when}, after you opened it; it is now "
            f"{current.get_status_display().lower()}. Nothing you entered was saved. Copy "
            "anything you need from below, open the story again and reapply your changes."
        ]
        in_database = model_to_dict(current, fields=list(self.fields))
        for bound in self:
            if bound.name == "loaded_version" or bound.name not in in_database:
                continue
            if bound.field.has_changed(in_database[bound.name], bound.data):
                yours = self.cleaned_data.get(bound.name, bound.data)
                theirs = getattr(current, bound.name)
                messages.append(
                    f"{bound.label}: your value “{shown(yours)}”; current value “{shown(theirs)}”."
                )
        return messages


class KillForm(forms.Form):
    kill_reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept in the story's audit trail, e.g. “Court order of 28 November”.",
        error_messages={"required": "Give a reason for killing the story."},
    )


class CorrectionForm(forms.ModelForm):
    class Meta:
        model = Correction
        fields = ["kind", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}


class HttpsURLField(forms.URLField):
    """An address field that reads "example.com/x" as https://, as Django 6 will."""

    def __init__(self, **kwargs):
        super().__init__(assume_scheme="https", **kwargs)


FOCAL_POINT_FIELDS = ("focal_x", "focal_y")


class PhotoForm(StoredUploadsForm):
    """A library photo. Caption, credit and terms the editor leaves empty come from the file.

    Picture desks and agencies write them into the file's IPTC block; they are read before
    the stored copy is stripped of all metadata.
    """

    class Meta:
        model = Photo
        fields = [
            "image",
            "caption",
            "credit",
            "alt_text",
            "usage_terms",
            "copyright_holder",
            "licence_url",
            "rights_expire_at",
            "focal_x",
            "focal_y",
        ]
        field_classes = {"licence_url": HttpsURLField}
        widgets = {
            name: forms.NumberInput(attrs={"min": "0", "max": "1", "step": "0.001"})
            for name in FOCAL_POINT_FIELDS
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in FOCAL_POINT_FIELDS:
            if name in self.fields:
                self.fields[name].required = False

    def _focal(self, name: str) -> float:
        # Left out (a form posted by a script, an upload page without them): unchanged.
        value = self.cleaned_data.get(name)
        return getattr(self.instance, name) if value is None else value

    def clean_focal_x(self):
        return self._focal("focal_x")

    def clean_focal_y(self):
        return self._focal("focal_y")

    def clean(self):
        cleaned_data = super().clean()
        upload = cleaned_data.get("image")
        if isinstance(upload, UploadedFile):
            for name, value in iptc_fields(upload).items():
                if name in self.fields and not cleaned_data.get(name):
                    cleaned_data[name] = value[: Photo._meta.get_field(name).max_length]
        return cleaned_data


class ContributorForm(StoredUploadsForm):
    class Meta:
        model = Contributor
        fields = "__all__"
