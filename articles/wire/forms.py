from django import forms
from django.conf import settings

from articles.models import TopicSuggestion


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field taking several files at once (the pattern from Django's upload docs)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            MultipleFileInput(
                attrs={"accept": ".txt,.xml,.json,text/plain,application/xml,application/json"}
            ),
        )
        # An empty file is one bad file in the batch, reported with the others' results,
        # not a reason to refuse the whole upload.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single_file_clean = super().clean
        if not data and self.required:
            # The docs' version lets an empty selection through a required field.
            raise forms.ValidationError(self.error_messages["required"], code="required")
        if isinstance(data, list | tuple):
            return [single_file_clean(file, initial) for file in data]
        return [single_file_clean(data, initial)]


class WireUploadForm(forms.Form):
    files = MultipleFileField(
        label="Wire files",
        help_text=(
            "One or more wire stories (plain text, NewsML-G2, NITF or ninjs), up to "
            f"{settings.DATA_UPLOAD_MAX_NUMBER_FILES} at "
            "a time; for larger batches, zips and pictures use manage.py import_wire."
        ),
    )


class TopicSuggestionForm(forms.ModelForm):
    """An editor's decision on one suggestion; accepting files the story under the topic."""

    status = forms.ChoiceField(
        label="Decision",
        choices=[
            (TopicSuggestion.Status.PENDING, "Decide later"),
            (TopicSuggestion.Status.ACCEPTED, "Accept"),
            (TopicSuggestion.Status.DISMISSED, "Dismiss"),
        ],
        widget=forms.RadioSelect,
    )

    class Meta:
        model = TopicSuggestion
        fields = ["status"]

    def save(self, commit=True):
        suggestion = super().save(commit=False)
        if commit and "status" in self.changed_data:
            # Through the model's own actions, so accepting always files the topic as well.
            if suggestion.status == TopicSuggestion.Status.ACCEPTED:
                suggestion.accept()
            elif suggestion.status == TopicSuggestion.Status.DISMISSED:
                suggestion.dismiss()
        return suggestion
