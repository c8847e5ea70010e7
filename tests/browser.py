"""Debian's Chromium through Playwright, for the tests that need a real browser.

A test module takes the `browser` fixture by naming this module in its `pytest_plugins`;
a test that opens its own uses `chromium()`.
"""

import contextlib
import os

import pytest

from .services import CHROMIUM

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@contextlib.contextmanager
def chromium():
    # Playwright's sync API keeps an event loop in this thread; the test's own database
    # reads are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser
