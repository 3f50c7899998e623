"""Read an admin form's current values out of its HTML, as a browser would submit them.

Tests post what the page offers instead of hand-built dictionaries, so a field added to the
story form later does not break them.
"""

from html.parser import HTMLParser

from django.urls import reverse


class FormValues(HTMLParser):
    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.values: dict[str, list[str]] = {}
        self.textarea: str | None = None
        self.select: str | None = None

    def add(self, name, value):
        self.values.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
            return
        if not self.inside or "name" not in attrs and tag != "option":
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.add(attrs["name"], attrs.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "textarea":
            self.textarea = attrs["name"]
            self.add(self.textarea, "")
        elif tag == "select":
            self.select = attrs["name"]
        elif tag == "option" and self.select and "selected" in attrs:
            self.add(self.select, attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None

    def handle_data(self, data):
        if self.textarea:
            self.values[self.textarea][-1] += data


def form_values(response, form_id: str = "article_form") -> dict[str, list[str]]:
    parser = FormValues(form_id)
    parser.feed(response.content.decode())
    # A textarea's first newline belongs to the markup, not the value.
    return {
        name: [value.removeprefix("\n") for value in values]
        for name, values in parser.values.items()
    }


def change_url(article) -> str:
    """The desk's change form of a story."""
    return reverse("admin:articles_article_change", args=[article.pk])
