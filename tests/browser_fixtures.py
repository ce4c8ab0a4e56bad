"""Browser fixtures: Playwright drives Debian's chromium (Playwright's own download is not used).

Registered once for the whole suite from tests/conftest.py, so every test module shares one
session-wide browser: a second sync Playwright in the same process fails.
"""

import os
import shutil

import pytest

from tests.conftest import require_service

CHROMIUM = os.environ.get("HAMKOR_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():
    require_service(
        os.path.exists(CHROMIUM), f"no chromium at {CHROMIUM} (apt-get install chromium)"
    )
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # between browser steps are ordinary synchronous code.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.base_url = live_server.url
    yield page
    context.close()
