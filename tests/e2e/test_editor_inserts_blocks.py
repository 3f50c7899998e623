"""An editor inserts a pull quote and an embed in place; the reader's embed loads on a click."""

from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from tests.e2e.widgets import write_body
from tests.support.factories import ArticleFactory

pytestmark = pytest.mark.e2e

YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


def insert_block(page, button: str, values: dict[str, str]) -> None:
    page.locator(".prose-menubar").get_by_text(button, exact=True).click()
    dialog = page.locator("dialog[open]")
    for label, value in values.items():
        dialog.get_by_label(label).fill(value)
    dialog.get_by_role("button", name="Insert").click()


def test_editor_inserts_blocks_and_the_reader_loads_the_embed_on_request(
    desk, open_page, make_user
):
    story = ArticleFactory(published=True, headline="Minister speaks on trade", body="")
    page = desk(make_user("Editor", username="hana"))
    page.goto(f"/admin/articles/article/{story.pk}/change/")
    write_body(page, ["The minister spoke for an hour."])
    insert_block(page, "Pull quote", {"Quote": "We will not back down.", "Who said it": "Kim"})
    insert_block(page, "Embed", {"Address of the post or video": YOUTUBE})
    page.get_by_role("button", name="Save and continue editing").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    story.refresh_from_db()
    assert 'data-block="quote"' in story.body
    assert 'data-provider="youtube"' in story.body

    reader = open_page()
    requested = []
    reader.on("request", lambda request: requested.append(request.url))
    reader.goto(story.get_absolute_url())
    expect(reader.locator(".block-quote blockquote")).to_have_text("We will not back down.")
    assert not [url for url in requested if "youtube" in url]
    reader.route("**/*youtube*/**", lambda route: route.abort())  # no network here
    reader.get_by_role("button", name="Load the YouTube video").click()
    frame = reader.locator("iframe.block-embed__frame")
    expect(frame).to_have_attribute("src", f"/embed/?url={quote(YOUTUBE, safe='/')}")
