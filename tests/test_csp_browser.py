"""The Content-Security-Policy in a real browser: nothing the site needs is blocked.

Headless chromium records every `securitypolicyviolation` on readers' pages and on the desk's
story form, where the rich-text editor must load (its import map needs the request's nonce).
"""

import os

import pytest
from django.conf import settings

from tests.support.factories import UserFactory
from tests.test_browser import demo_pages

# See tests/test_browser.py: Playwright's event loop runs in the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.browser

RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
});
"""


def open_and_collect(page, url) -> list[str]:
    console = []
    page.on("console", lambda message: console.append(message.text))
    response = page.goto(url, wait_until="networkidle")
    assert response.status == 200, f"{url} answered {response.status}"
    violations = page.evaluate("window.cspViolations")
    return violations + [text for text in console if "Content Security Policy" in text]


def test_readers_pages_run_under_the_policy_without_violations(
    transactional_db, live_server, browser
):
    pages = demo_pages()
    context = browser.new_context()
    context.add_init_script(RECORD_VIOLATIONS)
    failures = {}
    for name, path in pages.items():
        page = context.new_page()
        if violations := open_and_collect(page, f"{live_server.url}{path}"):
            failures[name] = violations
        page.close()
    context.close()
    assert not failures


def signed_in_context(browser, client, live_server):
    editor = UserFactory(username="csp-editor", is_staff=True, is_superuser=True)
    client.force_login(editor)
    context = browser.new_context()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    context.add_init_script(RECORD_VIOLATIONS)
    return context


def test_story_form_editor_loads_under_the_desks_policy(
    transactional_db,
    live_server,
    browser,
    client,
):
    from articles.models import Article

    demo_pages()
    article = Article.objects.published().first()
    context = signed_in_context(browser, client, live_server)
    page = context.new_page()
    url = f"{live_server.url}/admin/articles/article/{article.pk}/change/"
    assert open_and_collect(page, url) == []
    editable = page.wait_for_selector(".ProseMirror[contenteditable='true']", timeout=10_000)
    assert editable.inner_text().strip()
    # Topic autocomplete (select2) builds its dropdown in the page: still within the policy.
    page.click(".field-topics .select2-selection")
    page.wait_for_selector(".select2-results__option", timeout=10_000)
    editable.click()
    page.keyboard.type(" More.")
    assert page.evaluate("window.cspViolations") == []
    context.close()


DESK_PAGES = [
    "/admin/",
    "/admin/articles/article/",
    "/admin/articles/article/add/",
    "/admin/articles/article/calendar/",
    "/admin/articles/photo/add/",
    "/admin/articles/topic/",
    "/admin/otp_totp/totpdevice/add/",
]


def test_desk_pages_run_under_the_desks_policy(transactional_db, live_server, browser, client):
    demo_pages()
    context = signed_in_context(browser, client, live_server)
    failures = {}
    for path in DESK_PAGES:
        page = context.new_page()
        if violations := open_and_collect(page, f"{live_server.url}{path}"):
            failures[path] = violations
        page.close()
    context.close()
    assert not failures
