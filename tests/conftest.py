"""Shared fixtures.

`site_dir` is the built site that readers get: the one `nox -s tests` builds
(SITE_DIR=docs/_build), or, when pytest runs on its own, a fresh strict build
into a temporary folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

# Debian's Chromium, never a browser downloaded by Playwright.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

pytest_plugins = ("sphinx.testing.fixtures",)

ROOT = Path(__file__).resolve().parents[1]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tiers: `-m "not browser and not proof"` is the fast one.

    `browser`: every test that drives Chromium, found by the fixture it takes
    (directly or through another fixture), so no test can forget its mark.
    `proof`: tests/proof, and every test that builds a whole site of its own
    (marked so where it stands).
    """
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
        if "proof" in item.path.parts:
            item.add_marker(pytest.mark.proof)


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The output root: html/ (and later the other formats) below it."""
    if os.environ.get("SITE_DIR"):
        out = Path(os.environ["SITE_DIR"])
        if not out.is_absolute():
            out = ROOT / out
        assert (out / "html" / "index.html").is_file(), f"no built site in {out}"
        return out
    from macrohard_docs.publish.build import build

    out = tmp_path_factory.mktemp("site")
    cwd = Path.cwd()
    os.chdir(ROOT)
    try:
        assert build(out, jobs="1") == 0, "the strict site build failed"
    finally:
        os.chdir(cwd)
    return out


@pytest.fixture(scope="session")
def html_dir(site_dir: Path) -> Path:
    return site_dir / "html"


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """Tiny Sphinx projects for `@pytest.mark.sphinx(testroot=...)`."""
    return ROOT / "tests" / "roots"


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole session (Playwright's sync API allows one driver).

    A missing browser fails the tests that need it; it never skips them.
    """
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.is_file(), f"{CHROMIUM} is missing: install Debian's chromium package"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# --- Editions ----------------------------------------------------------------
# Site checks run on every HTML edition: take the `edition` fixture (one test
# per edition, ids "en", "fr") and use `edition.html_dir` where a single-edition
# test used `html_dir`; or take `editions` to look at all of them at once.


@dataclass(frozen=True)
class SiteEdition:
    """One language of the HTML site, as built."""

    language: str
    html_dir: Path  # this edition's output folder (html/ or html/fr/)
    path: str  # the same, relative to the root edition's folder ("" or "fr")

    def pages(self) -> list[Path]:
        """Every HTML page of this edition (not those of editions nested below it)."""
        nested = {e.target.removeprefix("html/") for e in HTML_EDITIONS if e.target != "html"}
        # single/ is the single-page edition, checked with the other offline formats.
        skipped = nested | {"single"}
        return sorted(
            page for page in self.html_dir.rglob("*.html")
            if page.relative_to(self.html_dir).parts[0] not in (skipped if not self.path else {"single"})
        )


def _html_editions() -> list:
    from macrohard_docs.publish.build import editions_of

    return editions_of(ROOT / "docs")


HTML_EDITIONS = _html_editions()


def _site_edition(site_dir: Path, target: str, language: str) -> SiteEdition:
    return SiteEdition(language, site_dir / target, target.removeprefix("html").strip("/"))


@pytest.fixture(scope="session")
def editions(site_dir: Path) -> list[SiteEdition]:
    """Every HTML edition, root edition first."""
    return [_site_edition(site_dir, e.target, e.language) for e in HTML_EDITIONS]


@pytest.fixture(scope="session", params=[e.language for e in HTML_EDITIONS],
                ids=[e.language for e in HTML_EDITIONS])
def edition(request: pytest.FixtureRequest, site_dir: Path) -> SiteEdition:
    """Each HTML edition in turn: parametrizes the test that uses it."""
    chosen = next(e for e in HTML_EDITIONS if e.language == request.param)
    return _site_edition(site_dir, chosen.target, chosen.language)


# The pages every site test must see: if one of these is missing, the test
# data is wrong, not the site right.
REQUIRED_PAGES = ("index.html", "glossary.html", "genindex.html", "search.html",
                  "article/index.html", "article/colossus.html")


@pytest.fixture(scope="session")
def html_pages(html_dir: Path) -> list[Path]:
    """Every built HTML page, sorted (sources and static files excluded)."""
    pages = sorted(
        path for path in html_dir.rglob("*.html")
        if not path.relative_to(html_dir).parts[0].startswith("_")
    )
    names = {page.relative_to(html_dir).as_posix() for page in pages}
    missing = [name for name in REQUIRED_PAGES if name not in names]
    assert not missing, f"the built site in {html_dir} lacks {missing}"
    return pages
