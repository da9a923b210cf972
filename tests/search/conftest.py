"""The search tests' pages: a helpers.Tab on the built site (fresh page, shared
context: see `tabs` in tests/conftest.py) with the search page's own helper,
every console error or warning and every request past the file system
recorded, so that a test can assert there were none.

`kept(html_dir, path)` is the module's one page on *path*, loaded once and
reused: for a list of queries typed into the same box (the panel's, the
glossary filter's), as a reader types one query after another, instead of a
page load per query."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from helpers import Browsing, Tab


@dataclass
class Visit(Tab):
    """A browser tab on the built site, with what went wrong in it."""

    @property
    def errors(self) -> list[str]:
        """Console errors and warnings, and uncaught errors."""
        return ([f"error: {m}" for m in self.watch.console_errors]
                + [f"warning: {m}" for m in self.watch.console_warnings]
                + [f"uncaught: {e}" for e in self.watch.page_errors])

    @property
    def requests(self) -> list[str]:
        """Requests past the file system (file:, data:, about:)."""
        return self.watch.remote(("file:", "data:", "about:"))

    @property
    def failed(self) -> list[str]:
        """Responses of 400 and above."""
        return self.watch.bad_responses

    def search(self, query: str) -> list[dict[str, str]]:
        """Open search.html?q=... and return the results as a reader sees them."""
        from urllib.parse import quote_plus

        self.open(f"search.html?q={quote_plus(query)}")
        self.page.wait_for_selector("#search-results .search-summary:not(:empty)")
        return self.page.eval_on_selector_all("ul.search > li", """items => items.map(li => {
            const a = li.querySelector('a');
            const p = li.querySelector('p.context');
            return {title: a.textContent, href: a.getAttribute('href'),
                    snippet: p ? p.textContent : null, kind: li.className};
        })""")

    def assert_clean(self) -> None:
        assert self.errors == [], f"console errors: {self.errors}"
        assert self.requests == [], f"requests outside file://: {self.requests}"


@pytest.fixture
def new_visit(tabs) -> Callable[..., Any]:
    """new_visit(html_dir, **context options): a context manager giving a Visit."""
    @contextmanager
    def visiting(html_dir: Path, **options: Any) -> Iterator[Visit]:
        tab = tabs(html_dir, **options)
        yield Visit(tab.page, tab.watch, html_dir)

    return visiting


@pytest.fixture(scope="module")
def kept_visits(browsing: Browsing) -> Iterator[dict[tuple[Path, str | None], Visit]]:
    """The module's kept pages, by (edition folder, page): see `kept`."""
    visits: dict[tuple[Path, str | None], Visit] = {}
    yield visits
    for visit in visits.values():
        if not visit.page.is_closed():
            visit.page.close()


@pytest.fixture
def kept(kept_visits: dict[tuple[Path, str | None], Visit],
         browsing: Browsing) -> Iterator[Callable[[Path, str | None], Visit]]:
    """kept(html_dir, path) -> the module's Visit on *path*, loaded on first use.

    A later test gets the same page as it was left, its watch cleared: for
    queries typed into a box that the helper empties first. A page that a
    test navigated away from (or closed) is loaded again. What the site
    stored is cleared when the test ends, as for a fresh page.
    kept(html_dir, None): the module's page to open search.html?q=... in (each
    test loads its own; the page is not made anew for each)."""
    def get(html_dir: Path, path: str | None = None) -> Visit:
        visit = kept_visits.get((html_dir, path))
        if visit is None or visit.page.is_closed() or (path is not None and visit.page.url != visit.url(path)):
            if visit is not None and not visit.page.is_closed():
                visit.page.close()
            tab = browsing.new_tab(html_dir, keep=True)
            visit = kept_visits[html_dir, path] = Visit(tab.page, tab.watch, html_dir)
            if path is not None:
                visit.open(path)
        visit.watch.clear()
        browsing.use(visit.page)
        return visit

    yield get
    browsing.end_test()


@pytest.fixture
def searched(kept: Callable[[Path, str | None], Visit], html_dir: Path) -> Visit:
    """The module's page to load search.html?q=... in (English): each test loads its own search."""
    return kept(html_dir, None)


@pytest.fixture
def visit(new_visit, html_dir: Path) -> Iterator[Visit]:
    with new_visit(html_dir) as visit:
        yield visit


@pytest.fixture
def touch_visit(new_visit, html_dir: Path) -> Iterator[Visit]:
    with new_visit(html_dir, has_touch=True, is_mobile=True, viewport={"width": 390, "height": 800}) as visit:
        yield visit


@pytest.fixture
def no_js_visit(new_visit, html_dir: Path) -> Iterator[Visit]:
    with new_visit(html_dir, java_script_enabled=False) as visit:
        yield visit

