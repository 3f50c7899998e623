"""Journey: the agency kills a story the newsroom has published; the desk is alerted and one
click takes the story down."""

import pytest
from playwright.sync_api import expect

from articles.models import Article, Photo
from tests.support.wire import import_data, newsml_bytes

pytestmark = pytest.mark.e2e

HEADLINE = "Busan opens new ferry terminal"


def test_kill_for_a_published_story_alerts_the_desk_and_one_click_unpublishes_it(
    desk, open_page, make_user
):
    import_data(newsml_bytes(headline=HEADLINE), name="item.xml")
    article = Article.objects.get()
    Photo.objects.update(alt_text="Passengers on a ferry ramp.")
    article.publish(by=None)
    reader = open_page()
    assert reader.goto(article.get_absolute_url()).status == 200

    import_data(
        newsml_bytes(headline=HEADLINE, version=2, status="canceled", body=()), name="kill.xml"
    )
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED  # nothing comes down by itself

    page = desk(make_user("Editor", username="mina"))
    page.get_by_role("link", name="Wire items", exact=True).first.click()
    expect(page.locator(".wire-alert").first).to_have_text("Yonhap killed a story you published")
    page.get_by_role("link", name=HEADLINE).click()
    expect(page.get_by_role("alert")).to_contain_text("Yonhap killed a story you published")
    page.get_by_role("button", name="Unpublish the story").click()

    expect(page.locator(".messagelist .success")).to_contain_text("is unpublished")
    article.refresh_from_db()
    assert article.status == Article.Status.UNPUBLISHED
    assert reader.goto(article.get_absolute_url()).status == 404
