"""Shared fixtures.

`site_dir` is the built site that readers get: the one `nox -s tests` builds
(SITE_DIR=docs/_build), or, when pytest runs on its own, a fresh strict build
into a temporary folder.
"""

from __future__ import annotations

import os
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


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The output root: html/ (and later the other formats) below it."""
    if os.environ.get("SITE_DIR"):
        out = Path(os.environ["SITE_DIR"])
        if not out.is_absolute():
            out = ROOT / out
        assert (out / "html" / "index.html").is_file(), f"no built site in {out}"
        return out
    from macrohard_docs.build import build

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
