from django import forms

from articles.models import Topic


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
