"""Journey 1: an editor files a photo and a story on the desk, previews and publishes it, and a
reader finds it everywhere it should be."""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Article
from tests.e2e.widgets import add_inline_row, choose, write_body
from tests.support.factories import ContributorFactory, SectionFactory, TopicFactory
from tests.support.pictures import jpeg_file

pytestmark = pytest.mark.e2e

HEADLINE = "Korea and Thailand agree to train coast guards together"
CAPTION = "Coast guard officers from both countries meet in Incheon on Nov. 27."
CREDIT = "Cho Hana / The Newsroom"
ALT_TEXT = "Two coast guard officers shake hands on the deck of a patrol ship."


@pytest.fixture
def photo_file(tmp_path):
    return jpeg_file(tmp_path, "coast-guard.jpg", size=(1600, 1000))


def test_editor_files_previews_and_publishes_a_story_readers_then_find(
    desk, open_page, make_user, photo_file
):
    SectionFactory(name="Diplomacy", slug="diplomacy")
    kim = ContributorFactory(name="Kim Min-ji", slug="kim-min-ji")
    lee = ContributorFactory(name="Lee Seo-yeon", slug="lee-seo-yeon")
    topics = [
        TopicFactory(name="defense", slug="defense"),
        TopicFactory(name="Thailand", slug="thailand"),
        TopicFactory(name="maritime security", slug="maritime-security"),
    ]
    page = desk(make_user("Editor", username="hana", first_name="Hana", last_name="Cho"))

    # The photo first, into the library.
    page.get_by_role("link", name="Photos", exact=True).first.click()
    page.get_by_role("link", name="Add photo").click()
    page.get_by_label("Image").set_input_files(photo_file)
    page.get_by_label("Caption").fill(CAPTION)
    page.get_by_label("Credit").fill(CREDIT)
    page.get_by_label("Alt text").fill(ALT_TEXT)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")

    # Then the story.
    page.get_by_role("link", name="Articles", exact=True).first.click()
    page.get_by_role("link", name="Add article").click()
    page.get_by_label("Kicker").fill("Security")
    page.get_by_label("Headline").press_sequentially(HEADLINE)
    expect(page.get_by_label("Slug")).to_have_value(re.compile(r"^korea-and-thailand-agree"))
    page.get_by_label("Dek").fill("The two navies' coast guards will patrol the Andaman Sea.")
    page.get_by_label("Dateline").fill("INCHEON")
    write_body(
        page,
        [
            "Korea and Thailand agreed on Thursday to train their coast guards together.",
            "The first joint exercise is planned for March in the Andaman Sea.",
        ],
    )
    choose(page, "id_section", "Dipl", "Diplomacy")
    choose(page, "id_topics", "defe", "defense")
    choose(page, "id_topics", "Thai", "Thailand")
    choose(page, "id_topics", "mari", "maritime security")

    # Two bylines, added Kim then Lee, but Lee is to be credited first.
    first = add_inline_row(page, "bylines")
    choose(page, "id_bylines-0-contributor", "Kim", "Kim Min-ji")
    first.locator("input[name$='-position']").fill("2")
    second = add_inline_row(page, "bylines")
    choose(page, "id_bylines-1-contributor", "Lee", "Lee Seo-yeon")
    second.locator("input[name$='-position']").fill("1")

    add_inline_row(page, "photo_placements")
    choose(page, "id_photo_placements-0-photo", "Coast guard", CAPTION)

    page.get_by_role("button", name="Save and continue editing").first.click()
    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")
    article = Article.objects.get(headline=HEADLINE)
    assert article.status == Article.Status.DRAFT
    assert [b.contributor for b in article.bylines.all()] == [lee, kim]
    assert sorted(article.topics.all(), key=str) == sorted(topics, key=str)
    assert "<p>The first joint exercise is planned" in article.body

    # The preview opens in a new tab, for anyone with the link.
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="Open preview").click()
    preview = opened.value
    expect(preview.get_by_role("heading", level=1)).to_have_text(HEADLINE)
    preview.close()

    page.get_by_role("button", name="Publish", exact=True).first.click()
    expect(page.locator(".messagelist .success")).to_contain_text("published")
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article in Article.objects.published()

    # A reader, not signed in.
    reader = open_page()
    reader.goto("/")
    reader.get_by_role("link", name=HEADLINE).first.click()
    expect(reader.get_by_role("heading", level=1)).to_have_text(HEADLINE)
    meta = reader.locator(".story__meta")
    expect(meta).to_contain_text(re.compile(r"By Lee Seo-yeon and Kim Min-ji"))
    expect(reader.locator(".dateline")).to_have_text(re.compile(r"^INCHEON"))
    photo = reader.locator("figure.figure--lead img")
    caption = reader.locator("figure.figure--lead figcaption")
    expect(caption).to_contain_text(CAPTION)
    expect(caption).to_contain_text(CREDIT)
    expect(photo).to_have_attribute("alt", ALT_TEXT)
    assert photo.evaluate("img => img.complete && img.naturalWidth > 0"), "the photo did not load"
    assert caption.bounding_box()["y"] >= photo.bounding_box()["y"] + photo.bounding_box()["height"]

    story_url = reader.url
    for topic in topics:
        reader.goto(story_url)
        reader.locator(".story__topics").get_by_role("link", name=topic.name).click()
        expect(reader.get_by_role("heading", level=1)).to_have_text(topic.name)
        expect(reader.get_by_role("link", name=HEADLINE)).to_be_visible()
    for contributor in [lee, kim]:
        reader.goto(story_url)
        meta.get_by_role("link", name=contributor.name).click()
        expect(reader.get_by_role("heading", level=1)).to_have_text(contributor.name)
        expect(reader.get_by_role("link", name=HEADLINE)).to_be_visible()
