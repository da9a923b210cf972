"""Shared fixtures (the helpers behind them: tests/helpers.py).

`site_dir` is the built site that readers get: the one `nox -s tests` builds
(SITE_DIR=docs/_build), or, when pytest runs on its own, a fresh strict build
into a temporary folder. One fixture per kind of thing built:

    site_dir       the output root (html/ below it)
    html_dir       the root (English) edition's folder: html/
    fr_html_dir    the French edition's folder: html/fr/
    editions       every HTML edition (helpers.Edition), the root edition first
    edition        each HTML edition in turn (test ids "en", "fr")
    html_pages     every page of every edition, the single pages included

and for the browser (one Chromium per worker):

    browser        the Playwright Browser
    tabs           tabs(html_dir=None, theme=None, **context options) -> a fresh
                   helpers.Tab (page + watch), closed when the test ends
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from helpers import (
    HTML_EDITIONS,
    ROOT,
    ROOTS,
    Browsing,
    Edition,
    Tab,
    site_editions,
    started_browser,
    underscored,
)

pytest_plugins = ("sphinx.testing.fixtures",)


@pytest.hookimpl(tryfirst=True)  # the marks are in place before `-m` deselects
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tiers, and the order the two workers take the test files in.

    `browser`: every test that drives Chromium, found by the fixture it takes
    (directly or through another fixture), so no test can forget its mark.
    `proof`: tests/proof, and every test that builds a whole site of its own
    (marked so where it stands).

    Order: `nox -s tests` runs pytest with `--dist loadfile --no-loadscope-reorder`:
    a worker takes a test file whole (its fixtures are shared within it), in
    the order sorted here: the files that build sites of their own first, then
    those that drive the browser, then the rest (many short files), each tier
    in collection order. The long files start early and the short ones fill
    in at the end, so that the two workers finish together. (xdist's default
    order, most tests first, left a two-test file of a minute for the end.)
    """
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
        if "proof" in item.path.parts:
            item.add_marker(pytest.mark.proof)

    tier: dict[Path, int] = {}
    first: dict[Path, int] = {}
    for index, item in enumerate(items):
        mine = 0 if item.get_closest_marker("proof") else 1 if item.get_closest_marker("browser") else 2
        tier[item.path] = min(tier.get(item.path, 2), mine)
        first.setdefault(item.path, index)
    items.sort(key=lambda item: (tier[item.path], first[item.path]))


# --- The built site -----------------------------------------------------------------


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The output root: html/ (and the other formats) below it."""
    if os.environ.get("SITE_DIR"):
        out = Path(os.environ["SITE_DIR"])
        if not out.is_absolute():
            out = ROOT / out
        assert (out / "html" / "index.html").is_file(), f"no built site in {out}"
        return out
    from macrohard_docs.publish.build import Settings, build

    out = tmp_path_factory.mktemp("site")
    cwd = Path.cwd()
    os.chdir(ROOT)
    try:
        assert build(Settings(out, jobs="1")) == 0, "the strict site build failed"
    finally:
        os.chdir(cwd)
    return out


@pytest.fixture(scope="session")
def editions(site_dir: Path) -> list[Edition]:
    """Every HTML edition, root edition first."""
    return site_editions(site_dir)


@pytest.fixture(scope="session", params=[e.language for e in HTML_EDITIONS],
                ids=[e.language for e in HTML_EDITIONS])
def edition(request: pytest.FixtureRequest, editions: list[Edition]) -> Edition:
    """Each HTML edition in turn: parametrizes the test that uses it."""
    return next(e for e in editions if e.language == request.param)


@pytest.fixture(scope="session")
def html_dir(editions: list[Edition]) -> Path:
    """The root edition's folder (English): html/."""
    return editions[0].html_dir


@pytest.fixture(scope="session")
def fr_html_dir(editions: list[Edition]) -> Path:
    """The French edition's folder: html/fr/."""
    return next(e.html_dir for e in editions if e.language == "fr")


# The pages every site test must see: if one of these is missing, the test
# data is wrong, not the site right.
REQUIRED_PAGES = ("index.html", "glossary.html", "genindex.html", "search.html",
                  "article/index.html", "article/colossus.html", "single/index.html",
                  "fr/index.html", "fr/single/index.html")


@pytest.fixture(scope="session")
def html_pages(html_dir: Path) -> list[Path]:
    """Every built HTML page of every edition, the single pages included, sorted
    (sources, static and offline files excluded)."""
    pages = sorted(path for path in html_dir.rglob("*.html") if not underscored(path.relative_to(html_dir)))
    names = {page.relative_to(html_dir).as_posix() for page in pages}
    missing = [name for name in REQUIRED_PAGES if name not in names]
    assert not missing, f"the built site in {html_dir} lacks {missing}"
    return pages


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """Tiny Sphinx projects for `@pytest.mark.sphinx(testroot=...)`."""
    return ROOTS


# --- The browser ----------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """One Chromium per worker (Playwright's sync API allows one driver).

    A missing browser fails the tests that need it; it never skips them.
    """
    with started_browser() as browser:
        yield browser


@pytest.fixture(scope="session")
def browsing(browser) -> Iterator[Browsing]:
    """The worker's browser contexts, one per set of options, reused by every test."""
    pool = Browsing(browser)
    yield pool
    pool.close()


@pytest.fixture
def tabs(browsing: Browsing) -> Iterator[Callable[..., Tab]]:
    """tabs(html_dir=None, theme=None, **context options) -> a fresh Tab.

    Its pages close, and what they stored is cleared, when the test ends."""
    yield browsing.new_tab
    browsing.end_test()
