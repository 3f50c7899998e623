"""The public pages in a real browser and the Nu HTML checker, on the demo newsroom.

axe-core (from `npm ci`) runs in Debian's chromium, driven by Playwright, against the live
test server: zero WCAG 2.2 AA violations in light and dark mode, on a desktop and a phone.
The Nu checker (vnu-jar from `npm ci`, run on the system Java) finds no HTML errors.
A missing chromium, axe-core or Java fails these tests: they never pass by being skipped.
"""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from articles.demo.blocks import SLUG as BLOCK_STORY
from articles.demo.live import SLUG as LIVE_STORY
from articles.demo.newsroom import load_demo
from articles.models import Article
from tests.support.browser import DESKTOP, PHONE

pytestmark = pytest.mark.browser

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
LAYOUTS = {
    "light, desktop": {"color_scheme": "light", **DESKTOP},
    "dark, phone": {"color_scheme": "dark", **PHONE},
}


def demo_pages() -> dict[str, str]:
    """Load the demo newsroom; return the path of each kind of public page."""
    load_demo()
    article = (
        Article.objects.published().filter(photo_placements__isnull=False).newest_first().first()
    )
    return {
        "home": "/",
        "article": article.get_absolute_url(),
        "topic": "/topics/defense/",
        "topic index": "/topics/",
        "section": "/sections/diplomacy/",
        "contributor": "/contributors/kim-min-ji/",
        "search": "/search/?q=defense",
        "search, no results": "/search/?q=zzzzqqq",
        "story with every block": Article.objects.get(slug=BLOCK_STORY).get_absolute_url(),
        "live story": Article.objects.get(slug=LIVE_STORY).get_absolute_url(),
    }


@pytest.fixture
def axe_script():
    if not AXE.exists():
        pytest.fail(f"No axe-core at {AXE}: run `npm ci` in the project folder.")
    return AXE.read_text()


def describe(violation) -> str:
    targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
    return f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}"


def test_public_pages_have_no_wcag_violations_in_chromium(
    transactional_db, live_server, browser, axe_script
):
    pages = demo_pages()
    failures = []
    for layout, options in LAYOUTS.items():
        context = browser.new_context(**options)
        page = context.new_page()
        for name, path in pages.items():
            response = page.goto(f"{live_server.url}{path}", wait_until="load")
            assert response.status == 200, f"{name}: {path} answered {response.status}"
            # Evaluated by the test driver, not added as an inline <script>: the pages'
            # Content-Security-Policy rightly refuses inline scripts.
            page.evaluate(axe_script)
            result = page.evaluate(
                "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
            )
            failures += [f"{name} [{layout}]: {describe(v)}" for v in result["violations"]]
        context.close()
    assert not failures, "\n".join(failures)


def test_public_pages_have_no_html_errors_in_the_nu_checker(db, client, tmp_path):
    vnu = Path(__file__).resolve().parents[1] / "node_modules/vnu-jar/build/dist/vnu.jar"
    if shutil.which("java") is None:
        pytest.fail("No `java` on PATH: the Nu HTML checker needs a Java runtime.")
    if not vnu.exists():
        pytest.fail(f"No Nu HTML checker at {vnu}: run `npm ci` in the project folder.")
    pages = []
    for name, path in demo_pages().items():
        response = client.get(path)
        assert response.status_code == 200, f"{name}: {path}"
        page = tmp_path / f"{name.replace(' ', '-').replace(',', '')}.html"
        page.write_bytes(response.content)
        pages.append(str(page))
    result = subprocess.run(
        ["java", "-jar", str(vnu), "--errors-only", "--format", "text", *pages],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
