"""Fixtures for the end-to-end journeys: one chromium, the live site, pages signed in to the desk.

The live server commits each request for real, so journeys run on transactional databases,
emptied after each test. The role groups come from data migrations, so they are made again
before each journey by those migrations' own functions.
"""

import re
from importlib import import_module
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from playwright.sync_api import expect

from tests.support.browser import DESKTOP
from tests.support.factories import PASSWORD

# Git-ignored; CI keeps the folder, and the end of the run names each one written.
ARTIFACTS = Path(settings.BASE_DIR) / "artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
FAILURE_SCREENSHOTS = ARTIFACTS / "e2e-failures"

# Generous for a busy 2-core CI machine making photo renditions; a broken step still fails fast.
TIMEOUT_MS = 10_000
expect.set_options(timeout=TIMEOUT_MS)

# The data migrations that create the role groups and hand them permissions, in order.
ROLE_MIGRATIONS = [
    ("articles.migrations.0004_create_roles", "create_roles"),
    ("articles.migrations.0008_editors_decide_topic_suggestions", "grant_suggestion_permissions"),
    ("articles.migrations.0011_wire_desk", "open_the_wire_desk"),
    ("articles.migrations.0015_fronts", "grant_front_permissions_and_create_home"),
]

CALL_REPORT = pytest.StashKey()
WRITTEN_FOLDERS = pytest.StashKey()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.stash[CALL_REPORT] = report
    return report


def pytest_terminal_summary(terminalreporter, config):
    """Name the folders of screenshots written in this run, so a CI log leads to them."""
    for label, folder in config.stash.get(WRITTEN_FOLDERS, {}).items():
        terminalreporter.write_line(f"{label}: {folder}")


def note_folder(config, label: str, folder: Path) -> None:
    config.stash.setdefault(WRITTEN_FOLDERS, {})[label] = folder


@pytest.fixture(scope="session")
def migrated_apps(django_db_setup, django_db_blocker):
    """The models as the migrations define them, for running data migrations' functions."""
    with django_db_blocker.unblock():
        return MigrationLoader(connection).project_state().apps


@pytest.fixture(autouse=True)
def _roles(transactional_db, migrated_apps):
    """The Reporter, Editor, Photo editor and Administrator groups, as the migrations make them.

    A transactional test's flush empties the groups table; the permissions themselves come
    back with the flush (post_migrate), the groups do not. `serialized_rollback` cannot put
    them back here: while Playwright's event loop runs, asgiref hands this thread a new
    database connection object, which lacks the data serialized after migrating.
    """
    for module, function in ROLE_MIGRATIONS:
        getattr(import_module(module), function)(migrated_apps, None)


@pytest.fixture
def screenshots(request) -> Path:
    """The folder for screenshots of how pages look; the end of the run names it."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    note_folder(request.config, "Screenshots of the pages", SCREENSHOTS)
    return SCREENSHOTS


@pytest.fixture
def site(live_server, settings):
    """The live site's address, with the admin's styles and uploaded photos served."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.ROOT_URLCONF = "tests.e2e.urls"
    return live_server.url


@pytest.fixture
def open_page(browser, site, request):
    """open_page(**context options) -> a new page with its own cookies, at desktop size.

    If the journey fails, every page it opened is saved as a screenshot first.
    """
    contexts = []

    def open_page(**options):
        context = browser.new_context(base_url=site, **{**DESKTOP, **options})
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page
    report = request.node.stash.get(CALL_REPORT, None)
    failed = report is not None and report.failed
    for n, context in enumerate(contexts):
        if failed:
            FAILURE_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            for m, page in enumerate(context.pages):
                page.screenshot(
                    path=FAILURE_SCREENSHOTS / f"{request.node.name}-{n}-{m}.png", full_page=True
                )
            note_folder(request.config, "Screenshots of failed journeys", FAILURE_SCREENSHOTS)
        context.close()


def sign_in(page, user) -> None:
    """Log in to the desk through its login form, as a user made by the factories."""
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(user.get_username())
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


@pytest.fixture
def desk(open_page):
    """desk(user) -> a new page signed in to the desk as `user` (see `make_user` for roles)."""

    def desk(user, **options):
        page = open_page(**options)
        sign_in(page, user)
        return page

    return desk
