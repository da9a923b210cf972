"""Fixtures for the tests that read the built HTML site (no browser)."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup


@pytest.fixture(scope="session")
def soups(html_dir: Path, html_pages: list[Path]) -> dict[str, BeautifulSoup]:
    """Each page parsed once, keyed by its path below html/ ("article/colossus.html")."""
    return {
        page.relative_to(html_dir).as_posix(): BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for page in html_pages
    }
