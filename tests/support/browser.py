"""Debian's chromium, driven by Playwright, for the browser checks and the end-to-end journeys.

Playwright's own browser downloads are not used: the tests drive the system chromium, and
fail (never skip) with a clear message on a machine without it.
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django refuses database access
# from a thread with a running loop unless told the access is deliberate.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# The two widths every page is checked at: a common phone, and a laptop.
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


@contextmanager
def chromium(purpose: str) -> Iterator:
    """A headless chromium for the length of the block; fails the test if there is none."""
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"No chromium at {CHROMIUM}: install it (`apt-get install -y chromium`) or set "
            f"CHROMIUM_PATH. {purpose} need a real browser, so they did not run."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
