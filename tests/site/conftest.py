"""Fixtures for the tests that read the built HTML site (no browser)."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import page_soup


@pytest.fixture(scope="session")
def soups(html_dir: Path, html_pages: list[Path]) -> dict[str, BeautifulSoup]:
    """Each page parsed once, keyed by its path below html/ ("article/colossus.html")."""
    return {
        page.relative_to(html_dir).as_posix(): page_soup(page)
        for page in html_pages
    }
