"""Journey 5: two editors open the same story; the second to save is refused and shown, field by
field, what changed in the meantime."""

import pytest
from playwright.sync_api import expect

from articles.models import Article
from tests.support.admin_forms import change_url
from tests.support.factories import ArticleFactory

pytestmark = pytest.mark.e2e


def test_second_editor_to_save_is_refused_with_the_changed_fields_shown(desk, make_user):
    story = ArticleFactory(
        headline="Parliament passes the budget", dek="The vote was 180 to 95.", bylined=True
    )
    url = change_url(story)
    first = desk(make_user("Editor", username="hana", first_name="Hana", last_name="Cho"))
    second = desk(make_user("Editor", username="minho", first_name="Min-ho", last_name="Yoon"))
    first.goto(url)
    second.goto(url)

    first.get_by_label("Headline").fill("Parliament passes a record budget")
    first.get_by_role("button", name="Save and continue editing").first.click()
    expect(first.locator(".messagelist .success")).to_contain_text("was changed successfully")

    second.get_by_label("Headline").fill("Budget passes after all-night session")
    second.get_by_label("Dek").fill("Lawmakers voted at dawn.")
    second.get_by_role("button", name="Save and continue editing").first.click()

    errors = second.locator(".errornote + ul.errorlist, ul.errorlist.nonfield")
    expect(errors).to_contain_text("Hana Cho saved this story at")
    expect(errors).to_contain_text("Nothing you entered was saved")
    expect(errors).to_contain_text(
        "Headline: your value “Budget passes after all-night session”; "
        "current value “Parliament passes a record budget”."
    )
    expect(errors).to_contain_text(
        "Dek: your value “Lawmakers voted at dawn.”; current value “The vote was 180 to 95.”."
    )
    # What the second editor typed is still in the form, to copy from.
    expect(second.get_by_label("Dek")).to_have_value("Lawmakers voted at dawn.")

    story.refresh_from_db()
    assert story.headline == "Parliament passes a record budget"
    assert story.dek == "The vote was 180 to 95."
    assert story.updated_by.username == "hana"
    assert Article.objects.count() == 1
