"""Browser fixtures: Debian's Chromium driven by Playwright, against a live server."""

import os
import re
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from advocacy.extensions import db as _db
from tests.conftest import make_app

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str | None:
    return (
        os.environ.get("CHROMIUM")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )


def pytest_collection_modifyitems(config, items):
    path = chromium_path()
    for item in items:
        if "tests/browser" not in str(item.fspath):
            continue
        item.add_marker(pytest.mark.browser)
        if path is None and os.environ.get("CI") != "true":
            item.add_marker(
                pytest.mark.skip(reason="no Chromium found (install Debian's chromium)")
            )


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        pytest.fail("CI=true but no Chromium found: install Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def live_server(app, tmp_path, app_config):
    """The app, with CSRF on, served on a free local port; shares the test database."""
    served = make_app(
        app.config["SQLALCHEMY_DATABASE_URI"],
        tmp_path,
        **{**app_config, "WTF_CSRF_ENABLED": True},
    )
    server = make_server("127.0.0.1", 0, served, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    served.config["SITE_URL"] = f"http://127.0.0.1:{server.server_port}"
    yield served
    server.shutdown()
    thread.join(timeout=5)
    served.extensions["page_cache"].stamp.close()
    with served.app_context():
        _db.engine.dispose()


@pytest.fixture
def base_url(live_server):
    return live_server.config["SITE_URL"]


class Watched:
    """A page whose console errors (CSP violations among them) and dialogs are recorded."""

    def __init__(self, page):
        self.page = page
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("dialog", self._dialog)

    def _console(self, message):
        # A 4xx answer is expected when a test sends bad input; anything else is not.
        expected = re.match(
            r"Failed to load resource: .* status of 4\d\d", message.text
        )
        if message.type == "error" and not expected:
            self.errors.append(message.text)

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()


@pytest.fixture
def context(browser):
    context = browser.new_context(locale="fr-FR")
    yield context
    context.close()


@pytest.fixture
def page(context):
    watched = Watched(context.new_page())
    yield watched.page
    assert watched.errors == [], watched.errors
    assert watched.dialogs == [], watched.dialogs


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def check_a11y(axe):
    """Run axe-core on the page as it is now; fail on any violation."""

    from playwright.sync_api import Error as PlaywrightError

    def check(page):
        # a click that navigates may still be leaving the old page: axe then finds
        # no document; wait for the new one to load and look again
        page.wait_for_load_state("load")
        try:
            results = axe.run(page)
        except PlaywrightError:
            page.wait_for_load_state("load")
            results = axe.run(page)
        assert results.violations_count == 0, results.generate_report()

    return check
