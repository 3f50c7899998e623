"""A reader's open page of a live file picks up new updates without reloading."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import LiveUpdate
from tests.support.factories import ArticleFactory

pytestmark = pytest.mark.e2e


def test_an_open_live_page_picks_up_three_new_updates(open_page):
    story = ArticleFactory(
        published=True,
        headline="Live: storm comes ashore",
        live_started_at=timezone.now() - timedelta(hours=1),
    )
    approved = LiveUpdate.Status.APPROVED
    LiveUpdate.objects.create(
        article=story, headline="Shelters open", body="<p>First.</p>", status=approved
    )
    reader = open_page()
    reader.goto(story.get_absolute_url())
    expect(reader.locator(".live-update")).to_have_count(1)
    # A mark on this page's window: a reload would lose it.
    reader.evaluate("() => { window.notReloaded = true; }")
    for n, headline in enumerate(["Flights cancelled", "Landfall near Geoje", "Ferries halted"]):
        LiveUpdate.objects.create(
            article=story, headline=headline, body="<p>More.</p>",
            posted_at=timezone.now() + timedelta(seconds=n), status=approved,
        )  # fmt: skip
    # A reporter's update still waiting for an editor never reaches the open page.
    LiveUpdate.objects.create(article=story, headline="Unchecked rumour", body="<p>No.</p>")
    # The page asks again every 30 seconds.
    expect(reader.locator(".live-update")).to_have_count(4, timeout=45_000)
    expect(reader.locator(".live-update").first).to_contain_text("Ferries halted")
    expect(reader.locator(".live__status")).to_have_text("4 updates")
    expect(reader.get_by_text("Unchecked rumour")).to_have_count(0)
    # Announced once, politely, to screen readers.
    announcer = reader.locator("[data-live-announcer]")
    expect(announcer).to_have_attribute("role", "status")
    expect(announcer).to_have_text("3 new updates: Ferries halted")
    assert reader.evaluate("() => window.notReloaded === true")
