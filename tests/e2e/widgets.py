"""Working the desk's widgets the way an editor does: clicks and typing, no form posting.

The admin's autocompletes are select2 boxes over a hidden <select>; story bodies are a
ProseMirror editor (django-prose-editor); inline rows come from the "Add another" link.
"""

from playwright.sync_api import Locator, Page, expect


def choose(page: Page, select_id: str, search: str, option: str | None = None) -> None:
    """Open the autocomplete over <select id=select_id>, type `search`, click `option`."""
    page.locator(f"#{select_id} + .select2-container .select2-selection").click()
    page.keyboard.type(search)
    results = page.locator(".select2-container--open .select2-results__option")
    results.filter(has_text=option or search).first.click()
    expect(page.locator(".select2-container--open")).to_have_count(0)


def write_body(page: Page, paragraphs: list[str], *, field: str = "body") -> None:
    """Type `paragraphs` into the rich-text editor of `field`, one Enter between each."""
    editor = page.locator(f".prose-editor:has(#id_{field}) [contenteditable=true]")
    editor.click()
    for n, paragraph in enumerate(paragraphs):
        if n:
            page.keyboard.press("Enter")
        page.keyboard.type(paragraph)


def add_inline_row(page: Page, prefix: str) -> Locator:
    """Click the inline group's "Add another" link; return the row it added."""
    group = page.locator(f"#{prefix}-group")
    before = group.locator(f"tr.dynamic-{prefix}, div.dynamic-{prefix}").count()
    group.locator(".add-row a").click()
    row = page.locator(f"#{prefix}-{before}")
    expect(row).to_be_visible()
    return row
