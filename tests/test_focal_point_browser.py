"""Setting a photo's focal point with a click on the desk's preview, in a real browser."""

import os

import pytest
from django.core.files.base import ContentFile

from tests.support.factories import PhotoFactory, jpeg_bytes
from tests.test_csp_browser import signed_in_context

# See tests/test_browser.py: Playwright's event loop runs in the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.browser


def test_a_click_on_the_preview_sets_the_focal_point_shows_the_marker_and_saves(
    transactional_db, live_server, browser, client
):
    photo = PhotoFactory(image=ContentFile(jpeg_bytes((1200, 600)), name="wide.jpg"))
    context = signed_in_context(browser, client, live_server)
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/articles/photo/{photo.pk}/change/")

    preview = page.locator("[data-focal-picker] img")
    box = preview.bounding_box()
    assert page.locator(".nr-focal__marker").is_visible()  # at the centre to begin with
    preview.click(position={"x": box["width"] * 0.25, "y": box["height"] * 0.75})

    assert float(page.input_value("#id_focal_x")) == pytest.approx(0.25, abs=0.01)
    assert float(page.input_value("#id_focal_y")) == pytest.approx(0.75, abs=0.01)
    marker = page.locator(".nr-focal__marker").bounding_box()
    assert marker["x"] + marker["width"] / 2 == pytest.approx(box["x"] + box["width"] * 0.25, abs=2)
    assert marker["y"] + marker["height"] / 2 == pytest.approx(
        box["y"] + box["height"] * 0.75, abs=2
    )

    # Typed values move the marker too (the keyboard's way).
    page.fill("#id_focal_x", "0.9")
    marker = page.locator(".nr-focal__marker").bounding_box()
    assert marker["x"] + marker["width"] / 2 == pytest.approx(box["x"] + box["width"] * 0.9, abs=2)

    assert page.evaluate("window.cspViolations") == []
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/articles/photo/")
    context.close()

    photo.refresh_from_db()
    assert photo.focal_x == pytest.approx(0.9)
    assert photo.focal_y == pytest.approx(0.75, abs=0.01)
