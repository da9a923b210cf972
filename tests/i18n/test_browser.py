"""French search and the language switcher in a real browser, from file://."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

@pytest.fixture(scope="module")
def browser_page(browser) -> Iterator:
    """A page in the session's Chromium (tests/conftest.py), recording its requests."""
    context = browser.new_context()
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    page.network_requests = requests  # type: ignore[attr-defined]
    yield page
    context.close()


def search(page, html_dir: Path, query: str) -> list[str]:
    """Result links (page paths) for *query* on the edition's search page."""
    page.goto((html_dir / "search.html").as_uri() + f"?q={query}")
    page.wait_for_selector("#search-results .search-summary, #search-results p", timeout=15000)
    page.wait_for_function("!document.querySelector('#search-progress')?.textContent", timeout=15000)
    return [link.get_attribute("href") for link in page.query_selector_all("#search-results ul.search li a")]


def test_french_stemmer_finds_plural_from_singular(browser_page, editions):
    french = next(e for e in editions if e.language == "fr")
    results = search(browser_page, french.html_dir, "turbine")
    assert any("article/shadow.html" in href for href in results), results


def test_query_without_accents_finds_accented_words(browser_page, editions):
    french = next(e for e in editions if e.language == "fr")
    results = search(browser_page, french.html_dir, "energie")
    assert results, "no result for 'energie'"
    # Each page found really contains the accented word the reader meant.
    for href in {h.split("#")[0].split("?")[0] for h in results}:
        text = (french.html_dir / href).read_text("utf-8").lower()
        assert "énergie" in text or "énergétique" in text, href
    assert any("article/colossus.html" in href for href in results), results


def test_switcher_round_trip_from_file_url(browser_page, editions):
    english, french = editions
    start = french.html_dir / "article" / "money.html"
    browser_page.goto(start.as_uri())
    browser_page.click("nav.edition-switcher a[lang=en]")
    assert browser_page.url == (english.html_dir / "article" / "money.html").as_uri()
    assert browser_page.get_attribute("html", "lang") == "en"
    browser_page.click("nav.edition-switcher a[lang=fr]")
    assert browser_page.url == start.as_uri()
    assert not [u for u in browser_page.network_requests if u.startswith(("http:", "https:"))]
