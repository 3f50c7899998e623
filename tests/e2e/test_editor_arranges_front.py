"""An editor arranges the home front on the desk, previews it, and a reader sees it."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.demo.newsroom import load_demo
from articles.models import Arrangement, Article, Front
from tests.e2e.widgets import add_inline_row, choose
from tests.support.browser import DESKTOP, PHONE
from tests.support.factories import ArticleFactory

pytestmark = pytest.mark.e2e


def test_editor_puts_a_story_on_the_lead_and_readers_see_it(open_page, desk, make_user):
    Front.objects.get_or_create(slug="home", defaults={"name": "Home page"})
    ArticleFactory.create_batch(3, published=True)
    # Two days old: only an editor's choice puts it on the lead.
    chosen = ArticleFactory(
        published=True,
        headline="Typhoon Mawar nears Jeju",
        publish_at=timezone.now() - timedelta(days=2),
    )
    page = desk(make_user("Editor", username="hana"))
    page.goto("/admin/articles/arrangement/add/")
    choose(page, "id_front", "Home")
    page.get_by_label("Name").fill("Storm front")
    row = add_inline_row(page, "slots")
    row.locator("select[name$='-zone']").select_option("lead")
    choose(page, "id_slots-0-article", "Typhoon")
    # Before saving: the form as it stands, previewed in a new tab, saves nothing.
    with page.context.expect_page() as opened:
        page.get_by_role("button", name="Preview unsaved changes").first.click()
    unsaved = opened.value
    expect(unsaved.locator(".preview-banner")).to_contain_text("Preview of unsaved changes")
    expect(unsaved.locator(".card--lead")).to_contain_text("Typhoon Mawar nears Jeju")
    unsaved.close()
    assert not Arrangement.objects.exists()
    page.get_by_role("button", name="Save and continue editing").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    # A draft: the desk previews it, readers do not see it yet.
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="Preview as readers see it").click()
    preview = opened.value
    expect(preview.locator(".card--lead")).to_contain_text("Typhoon Mawar nears Jeju")
    reader = open_page()
    reader.goto("/")
    expect(reader.locator(".card--lead")).not_to_contain_text("Typhoon Mawar")

    page.locator("#id_starts_at_0").fill("2020-01-01")
    page.locator("#id_starts_at_1").fill("00:00:00")
    page.get_by_role("button", name="Save and continue editing").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    reader.goto("/")
    expect(reader.locator(".card--lead")).to_contain_text(chosen.headline)


def test_the_demo_home_front_at_a_laptop_and_a_phone(open_page, screenshots):
    """Screenshots of the curated demo front (FRONTS_SHOTS names another folder for them)."""
    load_demo()
    folder = Path(os.environ.get("FRONTS_SHOTS", screenshots))
    folder.mkdir(parents=True, exist_ok=True)
    lead = Article.objects.get(slug="north-korea-fires-short-range-missiles-east-sea")
    for name, options in {"desktop-1280": DESKTOP, "phone-390": PHONE}.items():
        page = open_page(**options)
        # The first visit makes every photo's renditions: give a busy machine time for that.
        page.goto("/", timeout=120_000)
        expect(page.locator(".card--lead")).to_contain_text(lead.headline)
        expect(page.locator(".banner")).to_be_visible()
        page.evaluate(
            "async () => { for (const img of document.images) { img.loading = 'eager'; }"
            " await Promise.all([...document.images].map(i => i.decode().catch(() => null))); }"
        )
        page.screenshot(path=folder / f"home-front-{name}.png", full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= options["viewport"]["width"], f"{name}: {width}px wide"
