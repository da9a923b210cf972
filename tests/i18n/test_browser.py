"""French search and the language switcher in a real browser, from file://."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_page(tabs):
    """A fresh page in the worker's Chromium (tests/conftest.py)."""
    return tabs().page


def search(page, html_dir: Path, query: str) -> list[str]:
    """Result links (page paths) for *query* on the edition's search page."""
    page.goto((html_dir / "search.html").as_uri() + f"?q={query}")
    page.wait_for_selector("#search-results .search-summary, #search-results p")
    page.wait_for_function("!document.querySelector('#search-progress')?.textContent")
    return [link.get_attribute("href") for link in page.query_selector_all("#search-results ul.search li a")]


def test_french_stemmer_finds_plural_from_singular(browser_page, fr_html_dir):
    results = search(browser_page, fr_html_dir, "turbine")
    assert any("article/shadow.html" in href for href in results), results


def test_query_without_accents_finds_accented_words(browser_page, fr_html_dir):
    results = search(browser_page, fr_html_dir, "energie")
    assert results, "no result for 'energie'"
    # Each page found really contains the accented word the reader meant.
    for href in {h.split("#")[0].split("?")[0] for h in results}:
        text = (fr_html_dir / href).read_text("utf-8").lower()
        assert "énergie" in text or "énergétique" in text, href
    assert any("article/colossus.html" in href for href in results), results


def test_switcher_round_trip_from_file_url(browser_page, editions):
    english, french = editions
    requests: list[str] = []
    browser_page.on("request", lambda request: requests.append(request.url))
    start = french.html_dir / "article" / "money.html"
    browser_page.goto(start.as_uri())
    browser_page.click("nav.edition-switcher a[lang=en]")
    assert browser_page.url == (english.html_dir / "article" / "money.html").as_uri()
    assert browser_page.get_attribute("html", "lang") == "en"
    browser_page.click("nav.edition-switcher a[lang=fr]")
    assert browser_page.url == start.as_uri()
    assert not [u for u in requests if u.startswith(("http:", "https:"))]
