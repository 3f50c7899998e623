"""How the pages look: screenshots at a phone's and a laptop's width, and no page wider than
the screen at either (the phone is what matters most; the laptop check caught the desk's photo
table running off the page)."""

import pytest
from playwright.sync_api import Page

from articles.demo.newsroom import load_demo
from articles.models import Article
from tests.support.browser import DESKTOP, PHONE

pytestmark = pytest.mark.e2e

WIDTHS = {390: PHONE, 1280: DESKTOP}

SHOW_EVERY_PICTURE = """async () => {
    // A full-page screenshot should show the pictures a reader would scroll to.
    const images = [...document.images];
    images.forEach(img => { img.loading = "eager"; });
    await Promise.all(images.map(img => img.decode().catch(() => null)));
}"""

OVERFLOW = """() => {
    const root = document.documentElement;
    if (root.scrollWidth <= root.clientWidth) return null;
    const wide = [...document.body.querySelectorAll("*")]
        .filter(el => el.getBoundingClientRect().right > root.clientWidth + 1)
        .slice(0, 5)
        .map(el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
             + (el.className && typeof el.className === "string"
                ? "." + el.className.trim().split(/\\s+/).join(".") : ""));
    return `${root.scrollWidth}px wide on a ${root.clientWidth}px screen: ${wide.join(", ")}`;
}"""


def capture(page: Page, path: str, folder, name: str, width: int) -> str | None:
    """Open `path`, save a full-page screenshot; return how it overflows, if it does."""
    response = page.goto(path)
    assert response.ok, f"{name}: {path} answered {response.status}"
    page.evaluate(SHOW_EVERY_PICTURE)
    page.screenshot(path=folder / f"{name}-{width}.png", full_page=True)
    return page.evaluate(OVERFLOW)


def test_pages_fit_phone_and_laptop_screens_and_are_captured_at_both(
    open_page, desk, make_user, screenshots
):
    load_demo()
    article = (
        Article.objects.published().filter(photo_placements__isnull=False).newest_first().first()
    )
    public = {"home": "/", "article": article.get_absolute_url(), "topic": "/topics/defense/"}
    desk_pages = {"admin-article-form": f"/admin/articles/article/{article.pk}/change/"}
    editor = make_user("Editor", username="hana")
    overflowing = []
    for width, options in WIDTHS.items():
        reader, editor_page = open_page(**options), desk(editor, **options)
        for pages, page in [(public, reader), (desk_pages, editor_page)]:
            for name, path in pages.items():
                overflow = capture(page, path, screenshots, name, width)
                if overflow:
                    overflowing.append(f"{name} at {width} px: {overflow}")
    assert not overflowing, "\n".join(overflowing)
