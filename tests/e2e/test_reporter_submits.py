"""Journey 2: a reporter writes a draft and submits it for review, and no button, list action
or hand-made request of theirs publishes it."""

import pytest
from playwright.sync_api import expect

from articles.models import Article
from tests.e2e.widgets import add_inline_row, choose, write_body
from tests.support.factories import ContributorFactory

pytestmark = pytest.mark.e2e

HEADLINE = "Night buses return to Busan after two years"


def test_reporter_submits_a_draft_and_cannot_publish_it_by_any_means(desk, make_user):
    reporter = make_user("Reporter", username="junho", first_name="Jun-ho", last_name="Park")
    ContributorFactory(name="Park Jun-ho", slug="park-jun-ho", user=reporter)
    page = desk(reporter)

    page.get_by_role("link", name="Articles", exact=True).first.click()
    page.get_by_role("link", name="Add article").click()
    publish_buttons = page.locator("button[name=_transition][value=publish]")
    expect(page.get_by_role("button", name="Save and submit for review").first).to_be_visible()
    expect(publish_buttons).to_have_count(0)

    page.get_by_label("Headline").press_sequentially(HEADLINE)
    page.get_by_label("Dateline").fill("BUSAN")
    write_body(page, ["Busan will run night buses on six routes from Monday, the city said."])
    add_inline_row(page, "bylines")
    choose(page, "id_bylines-0-contributor", "Park", "Park Jun-ho")
    page.get_by_role("button", name="Save and continue editing").first.click()
    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")
    article = Article.objects.get(headline=HEADLINE)
    assert article.status == Article.Status.DRAFT
    assert article.created_by == reporter

    page.get_by_role("button", name="Submit for review").first.click()
    expect(page.locator(".messagelist .success")).to_contain_text("submitted for review")
    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW

    # No button: the change form offers no transition to a reporter once the story is in review.
    expect(page.locator(".nr-workflow")).to_have_count(0)
    expect(publish_buttons).to_have_count(0)
    change_url = page.url

    # A hand-made request: the form as the reporter's browser would post it, plus a Publish.
    post_form = """async (extra) => {
        const form = document.querySelector("#article_form");
        const data = new FormData(form);
        for (const [name, value] of Object.entries(extra)) data.set(name, value);
        const response = await fetch(form.action, {method: "POST", body: data});
        return [response.status, await response.text()];
    }"""
    status, text = page.evaluate(post_form, {"_transition": "publish"})
    assert status == 403
    assert "CSRF" not in text  # refused for the reporter's permissions, not for the request

    # No list action: the list does not offer it, and posting it anyway changes nothing.
    page.get_by_role("link", name="Articles", exact=True).first.click()
    actions = page.locator("select[name=action] option")
    expect(actions.filter(has_text="Submit selected stories for review")).to_have_count(1)
    expect(actions.filter(has_text="Publish")).to_have_count(0)
    token = page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    response = page.request.post(
        page.url,
        form={
            "csrfmiddlewaretoken": token,
            "action": "publish_selected",
            "_selected_action": str(article.pk),
            "index": "0",
        },
        headers={"Referer": page.url},
    )
    assert response.ok
    assert "No action selected." in response.text()

    # Nor does a transition name the form never offered, through Playwright's own request.
    page.goto(change_url)
    form = page.evaluate(
        "() => Object.fromEntries(new FormData(document.querySelector('#article_form')))"
    )
    response = page.request.post(
        change_url, form={**form, "_transition": "publish"}, headers={"Referer": change_url}
    )
    assert response.status == 403
    assert "CSRF" not in response.text()

    # The same hand-made request without the Publish is an ordinary save, which the reporter
    # may still make while the story is in review: the refusals above were for publishing.
    response = page.request.post(
        change_url, form={**form, "_continue": "1"}, headers={"Referer": change_url}
    )
    assert response.ok
    assert "was changed successfully" in response.text()

    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW
    assert article.first_published_at is None
    assert not article.transitions.filter(to_status=Article.Status.PUBLISHED).exists()
    assert not Article.objects.published().exists()
