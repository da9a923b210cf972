"""A small Playwright fixture for the search tests: Debian's Chromium, pages
opened from file://, every console error and every non-file request recorded
so that a test can assert there were none."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest



@dataclass
class Visit:
    """A browser tab on the built site, with what went wrong in it."""

    page: Any
    html_dir: Path
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # responses of 400 and above

    def url(self, path: str) -> str:
        path, _, rest = path.partition("?")
        url = (self.html_dir / path).as_uri()
        return f"{url}?{rest}" if rest else url

    def open(self, path: str) -> Any:
        self.page.goto(self.url(path))
        return self.page

    def search(self, query: str) -> list[dict[str, str]]:
        """Open search.html?q=... and return the results as a reader sees them."""
        from urllib.parse import quote_plus

        self.open(f"search.html?q={quote_plus(query)}")
        self.page.wait_for_selector("#search-results .search-summary:not(:empty)", timeout=10_000)
        return self.page.eval_on_selector_all("ul.search > li", """items => items.map(li => {
            const a = li.querySelector('a');
            const p = li.querySelector('p.context');
            return {title: a.textContent, href: a.getAttribute('href'),
                    snippet: p ? p.textContent : null, kind: li.className};
        })""")

    def assert_clean(self) -> None:
        assert self.errors == [], f"console errors: {self.errors}"
        assert self.requests == [], f"requests outside file://: {self.requests}"


# `browser`: the session's one Chromium, from tests/conftest.py.


def _visit(browser: Any, html_dir: Path, **options: Any) -> Iterator[Visit]:
    context = browser.new_context(**options)
    page = context.new_page()
    visit = Visit(page, html_dir)
    page.on("console", lambda m: m.type in ("error", "warning") and visit.errors.append(
        f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: visit.errors.append(f"uncaught: {e}"))
    page.on("request", lambda r: r.url.startswith(("file:", "data:", "about:")) or
            visit.requests.append(r.url))
    page.on("response", lambda r: r.status >= 400 and visit.failed.append(r.url))
    try:
        yield visit
    finally:
        context.close()


@pytest.fixture
def new_visit(browser: Any) -> Any:
    """new_visit(html_dir, **context_options): a context manager giving a Visit."""
    return contextmanager(lambda html_dir, **options: _visit(browser, html_dir, **options))


@pytest.fixture
def visit(browser: Any, html_dir: Path) -> Iterator[Visit]:
    yield from _visit(browser, html_dir)


@pytest.fixture
def touch_visit(browser: Any, html_dir: Path) -> Iterator[Visit]:
    yield from _visit(browser, html_dir, has_touch=True, is_mobile=True,
                      viewport={"width": 390, "height": 800})


@pytest.fixture
def no_js_visit(browser: Any, html_dir: Path) -> Iterator[Visit]:
    yield from _visit(browser, html_dir, java_script_enabled=False)
