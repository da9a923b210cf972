"""Fixtures for the tests that read the built HTML site (no browser)."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

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


@pytest.fixture(scope="session")
def soups(html_dir: Path, html_pages: list[Path]) -> dict[str, BeautifulSoup]:
    """Each page parsed once, keyed by its path below html/ ("article/colossus.html")."""
    return {
        page.relative_to(html_dir).as_posix(): BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for page in html_pages
    }
