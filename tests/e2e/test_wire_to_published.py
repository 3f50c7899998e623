"""Journey 3: an editor imports wire copy on the desk, accepts its suggested topics, gives the
waiting photo its picture and alt text, and publishes the story."""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Article, TopicAlias
from tests.support.factories import TopicFactory
from tests.support.pictures import jpeg_file
from tests.support.wire import FIXTURES, SAMPLE

pytestmark = pytest.mark.e2e

HEADLINE = "Korea and Thailand discuss defense partnership, coordinated response to online scams"


@pytest.fixture
def picture(tmp_path):
    return jpeg_file(tmp_path, "dialogue.jpg")


def suggestion_row(page, topic_name: str):
    cell = page.locator("td.field-topic").filter(
        has_text=re.compile(rf"^\s*{re.escape(topic_name)}\s*$")
    )
    return page.locator("#topic_suggestions-group tr.form-row").filter(has=cell)


def test_editor_imports_wire_copy_files_its_topics_and_photo_and_publishes(
    desk, open_page, make_user, picture
):
    defense = TopicFactory(name="defense", slug="defense")
    scams = TopicFactory(name="online scams", slug="online-scams")
    cepa = TopicFactory(name="CEPA", slug="cepa")
    TopicAlias.objects.create(topic=cepa, name="Comprehensive Economic Partnership Agreement")
    TopicFactory(name="AI", slug="ai")
    page = desk(make_user("Editor", username="hana"))

    page.get_by_role("link", name="Articles", exact=True).first.click()
    page.get_by_role("link", name="Import wire copy").click()
    page.get_by_label("Wire files").set_input_files([SAMPLE, FIXTURES / "crlf.txt"])
    page.get_by_role("button", name="Import").click()
    results = page.locator("#wire-results")
    expect(results.locator("caption")).to_contain_text("Imported 2")
    expect(results.locator("tr.wire-result--imported")).to_have_count(2)

    results.get_by_role("link", name=HEADLINE).click()
    expect(page.locator("#topic_suggestions-group tr.form-row")).to_have_count(4)
    for topic in [defense, scams, cepa]:
        suggestion_row(page, topic.name).get_by_label("Accept").check()
    suggestion_row(page, "AI").get_by_label("Dismiss").check()
    expect(page.locator("#photo_placements-group")).to_contain_text("Awaiting image")

    # Publishing is refused while the placed photo has no alt text; the topics are kept.
    page.get_by_role("button", name="Publish", exact=True).first.click()
    expect(page.locator(".messagelist .error")).to_contain_text("need alt text")
    article = Article.objects.get(headline=HEADLINE)
    assert article.status == Article.Status.DRAFT
    assert set(article.topics.all()) == {defense, scams, cepa}
    expect(page.locator("#topic_suggestions-group")).to_have_count(0)

    # The photo desk's part: the picture for the caption that came with the copy.
    page.get_by_role("link", name="Photos", exact=True).first.click()
    expect(page.get_by_role("link", name="Awaiting image")).to_have_count(2)  # one a file
    page.locator("#searchbar").fill("Park Yoon-joo")
    page.locator("#searchbar").press("Enter")
    page.get_by_role("link", name="Awaiting image").click()
    expect(page.get_by_label("Caption")).to_have_value(re.compile(r"^First Vice Foreign Minister"))
    page.get_by_label("Image").set_input_files(picture)
    page.get_by_label("Alt text").fill(
        "Two diplomats shake hands in front of the Korean and Thai flags."
    )
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist .success")).to_contain_text("was changed successfully")

    page.get_by_role("link", name="Articles", exact=True).first.click()
    page.get_by_role("link", name=HEADLINE).click()
    page.get_by_role("button", name="Publish", exact=True).first.click()
    expect(page.locator(".messagelist .success")).to_contain_text("published")
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED

    reader = open_page()
    reader.goto(article.get_absolute_url())
    expect(reader.get_by_role("heading", level=1)).to_have_text(HEADLINE)
    expect(reader.locator(".story__meta")).to_contain_text("Yonhap")
    caption = reader.locator("figure.figure--lead figcaption")
    expect(caption).to_contain_text("First Vice Foreign Minister Park Yoon-joo")
    expect(caption.locator(".figure__credit")).to_have_text("Yonhap")
    photo = reader.locator("figure.figure--lead img")
    assert photo.evaluate("img => img.complete && img.naturalWidth > 0"), "the photo did not load"
    chips = reader.locator(".story__topics a")
    expect(chips).to_have_count(3)
    assert set(chips.all_inner_texts()) == {"defense", "online scams", "CEPA"}
