"""One headless Chromium (Debian's /usr/bin/chromium) for the whole session,
driven by Playwright's sync API. Pages are opened from file:// URLs.

No `playwright install`: the browser is the system one. When it is missing
the tests fail, they do not skip.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Request

TESTS = Path(__file__).resolve().parents[1]
AXE_JS = TESTS / "node_modules" / "axe-core" / "axe.min.js"
# Anything but the file system: recorded by the tests, then refused here, so
# that a page that regresses never reaches out to the network.
NOT_LOCAL = re.compile(r"^(?!file:|data:|blob:|about:)")


# `browser`: the session's one Chromium, from tests/conftest.py.


@dataclass
class Recorder:
    """What one browser page did: every request and every error it reported."""

    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def attach(self, page: Page) -> None:
        page.on("request", self.on_request)
        page.on("console", self.on_console)
        page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))

    def on_request(self, request: Request) -> None:
        self.requests.append(request.url)

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(f"console.error: {message.text}")

    def clear(self) -> None:
        self.requests.clear()
        self.errors.clear()


@dataclass
class Tab:
    """A page that is reused from test to test, with its recorder."""

    page: Page
    recorder: Recorder

    def open(self, path: Path, query: str = "") -> None:
        """Load a built file (from a fresh recorder) and wait for it to settle."""
        self.recorder.clear()
        self.page.goto(path.as_uri() + query, wait_until="load")


def new_context(browser: Browser, scheme: str) -> BrowserContext:
    # The pages' Content-Security-Policy would refuse the axe-core script these
    # tests inject; the policy itself is checked, page by page, in tests/offline.
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 800},
                                  bypass_csp=True)
    context.route(NOT_LOCAL, lambda route: route.abort("blockedbyclient"))
    # furo's stored choice of theme, which it applies to body[data-theme].
    context.add_init_script(f"localStorage.setItem('theme', {scheme!r});")
    return context


def make_tab(context: BrowserContext) -> Tab:
    page = context.new_page()
    recorder = Recorder()
    recorder.attach(page)
    return Tab(page, recorder)


@pytest.fixture(scope="session")
def light_context(browser: Browser) -> Iterator[BrowserContext]:
    context = new_context(browser, "light")
    yield context
    context.close()


@pytest.fixture(scope="session")
def dark_context(browser: Browser) -> Iterator[BrowserContext]:
    """Dark twice over: the OS preference and furo's stored choice."""
    context = new_context(browser, "dark")
    yield context
    context.close()


@pytest.fixture(scope="session")
def tab(light_context: BrowserContext) -> Tab:
    return make_tab(light_context)


@pytest.fixture(scope="session")
def dark_tab(dark_context: BrowserContext) -> Tab:
    return make_tab(dark_context)


@pytest.fixture(scope="session")
def axe_source() -> str:
    assert AXE_JS.is_file(), f"{AXE_JS} is missing: run `npm ci --prefix tests`"
    return AXE_JS.read_text(encoding="utf-8")
