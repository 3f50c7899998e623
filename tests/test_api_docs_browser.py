"""The API's documentation page in a real browser: Swagger UI renders the schema under the
public Content-Security-Policy (nonces, 'self' only) without a single violation."""

import os

import pytest

from tests.support.browser import chromium
from tests.test_csp_browser import RECORD_VIOLATIONS, open_and_collect

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.browser


def test_swagger_ui_renders_the_schema_within_the_policy(transactional_db, live_server):
    with chromium("The API documentation page") as browser:
        context = browser.new_context()
        context.add_init_script(RECORD_VIOLATIONS)
        page = context.new_page()
        requests = []
        page.on("request", lambda request: requests.append(request.url))
        assert open_and_collect(page, f"{live_server.url}/api/v1/docs/") == []
        page.wait_for_selector(".opblock-summary-path", timeout=15_000)
        paths = page.locator(".opblock-summary-path").all_inner_texts()
        assert "/api/v1/stories/" in paths
        assert page.evaluate("window.cspViolations") == []
        assert all(url.startswith(live_server.url) or url.startswith("data:") for url in requests)
        context.close()
