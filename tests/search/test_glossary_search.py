"""Searching the glossary, in Chromium, from file:// (issue 3).

Expected entries come from the figures data file, never from a list typed
here: a test names what a reader types and which data the answer must hold.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import re
import threading
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from helpers import ROOT, axe_in_both_schemes

from macrohard_docs.figures.data import Dataset, load

pytestmark = pytest.mark.browser



@pytest.fixture(scope="module")
def data() -> Dataset:
    return load(ROOT / "docs" / "data" / "figures.toml", languages=("en",))


def anchor_of(href: str) -> str:
    return href.partition("#")[2]


def glossary_prefix(results: list[dict[str, str]]) -> list[str]:
    """Anchors of the leading results that are glossary entries."""
    anchors = []
    for result in results:
        if not result["href"].startswith("glossary.html#"):
            break
        anchors.append(anchor_of(result["href"]))
    return anchors


# --- 1. Glossary entries first for terms and names ---------------------------------

def by_label(label: str) -> Callable[[Dataset], str]:
    return lambda data: next(n for n in data.names.values() if n.label == label).anchor


def unit_named(word: str) -> Callable[[Dataset], str]:
    """The unit whose glossary text opens with its long name ("Megawatt: ...")."""
    return lambda data: next(u for u in data.units.values()
                             if u.about and u.about.lower().startswith(word + ":")).anchor


@pytest.mark.parametrize(("query", "expected"), [
    ("Colossus", by_label("Colossus")),
    ("Grok", by_label("Grok")),
    ("H100", by_label("H100")),
    ("megawatt", unit_named("megawatt")),
])
def test_a_term_lists_its_glossary_entry_first(searched: Any, data: Dataset, query: str,
                                               expected: Callable[[Dataset], str]) -> None:
    results = searched.search(query)
    anchor = expected(data)
    assert results, f"no result for {query!r}"
    assert results[0]["href"] == f"glossary.html#{anchor}", results[:3]
    # The link lands on the entry itself.
    searched.page.click("ul.search > li:first-child > a")
    searched.page.wait_for_url(f"**/glossary.html#{anchor}")
    assert searched.page.evaluate("document.querySelector(':target')?.id") == anchor
    searched.assert_clean()


@pytest.mark.parametrize(("query", "labels"), [
    ("NVIDIA H100", ["H100", "NVIDIA"]),
    ("Elon Musk Tesla", ["Elon Musk", "Tesla"]),
    ("the supercomputer in Memphis", ["Memphis"]),
])
def test_words_naming_entries_side_by_side_list_each_entry_first(searched: Any, data: Dataset, query: str,
                                                                 labels: list[str]) -> None:
    """No entry is named by the whole query: each run of words that is an entry's whole
    name finds that entry, ahead of the pages, and no word that only starts a name
    ("a year", "more than ...") brings another."""
    leading = glossary_prefix(searched.search(query))
    assert sorted(leading) == sorted(by_label(label)(data) for label in labels), (query, leading)
    searched.assert_clean()


def test_the_french_edition_lists_entries_named_side_by_side(kept: Any, fr_html_dir: Path, data: Dataset) -> None:
    visit = kept(fr_html_dir, None)
    assert glossary_prefix(visit.search("le supercalculateur de Memphis")) == [by_label("Memphis")(data)]
    visit.assert_clean()


def test_every_glossary_result_links_to_an_existing_anchor(searched: Any, html_dir: Path) -> None:
    """Sphinx's own object results and ours: no link to a missing #id."""
    from bs4 import BeautifulSoup

    ids = {tag["id"] for tag in BeautifulSoup((html_dir / "glossary.html").read_text(),
                                              "html.parser").find_all(id=True)}
    for query in ("Colossus", "GPU", "billion", "H100"):
        for result in searched.search(query):
            if result["href"].startswith("glossary.html#"):
                assert anchor_of(result["href"]) in ids, (query, result)


# --- 2. Figures as people type them --------------------------------------------------

def figures_valued(value: str, unit: str | None = None) -> Callable[[Dataset], set[str]]:
    wanted = Decimal(value)

    def pick(data: Dataset) -> set[str]:
        return {f.anchor for f in data.figures.values()
                if isinstance(f.value, Decimal) and f.value == wanted
                and (unit is None or f.unit == unit)}
    return pick


def figures_in_year(year: int) -> Callable[[Dataset], set[str]]:
    return lambda data: {f.anchor for f in data.figures.values()
                         if isinstance(f.value, dt.date) and f.value.year == year}


NUMBER_QUERIES = [
    ("300 MW", figures_valued("300", "MW")),
    ("300", figures_valued("300")),
    ("550000", figures_valued("550000")),
    ("550,000", figures_valued("550000")),
    ("550 000", figures_valued("550000")),
    ("1.55 GW", figures_valued("1.55", "GW")),
    ("$7 billion", figures_valued("7000000000", "USD")),
    ("7 billion", figures_valued("7000000000", "USD")),
    ("2025", figures_in_year(2025)),
]


@pytest.mark.parametrize(("query", "expected"), NUMBER_QUERIES, ids=[q for q, _ in NUMBER_QUERIES])
def test_a_figure_typed_as_people_type_it_finds_its_entry(
        searched: Any, data: Dataset, query: str, expected: Callable[[Dataset], set[str]]) -> None:
    wanted = expected(data)
    assert wanted, "the data no longer holds this figure: update the test's query"
    results = searched.search(query)
    leading = glossary_prefix(results)
    assert set(leading[:len(wanted)]) == wanted, (query, results[:4])
    searched.assert_clean()


def test_a_number_is_not_found_inside_another(searched: Any, data: Dataset) -> None:
    """"55" is a different figure from the 55 in 1.55 GW or 550,000 GPUs."""
    holding = {f.anchor for f in data.figures.values() if isinstance(f.value, Decimal)
               and f.value == 55}
    found = {anchor_of(r["href"]) for r in searched.search("55") if r["href"].startswith("glossary")}
    assert found <= holding


FR_QUERIES = [
    ("1,55 GW", figures_valued("1.55", "GW")),
    ("7 milliards", figures_valued("7000000000", "USD")),
    ("7 milliards de dollars", figures_valued("7000000000", "USD")),
    ("550 000", figures_valued("550000")),
    ("300 mégawatts", figures_valued("300", "MW")),
    ("22 août 2025", lambda data: {data.figures["musk-post"].anchor}),
]


@pytest.mark.parametrize(("query", "expected"), FR_QUERIES, ids=[q for q, _ in FR_QUERIES])
def test_the_french_edition_finds_french_forms(kept: Any, fr_html_dir: Path, data: Dataset,
                                               query: str, expected: Callable[[Dataset], set[str]]
                                               ) -> None:
    visit = kept(fr_html_dir, None)  # the module's page for French searches
    leading = glossary_prefix(visit.search(query))
    assert visit.page.evaluate("document.documentElement.lang") == "fr"
    wanted = expected(data)
    assert set(leading[:len(wanted)]) == wanted, (query, leading)
    visit.assert_clean()


# --- 3. Snippets offline and over http, no console error -----------------------------

def check_snippets(visit: Any, results: list[dict[str, str]], word: str) -> None:
    assert len(results) > 3
    for result in results:
        assert result["snippet"], f"no snippet for {result['href']}"
        if not result["href"].startswith("glossary.html#"):
            assert word.lower() in result["snippet"].lower(), result
    # Snippets come from the page, not from fetch(): no page was requested.
    fetched = visit.page.evaluate(
        "performance.getEntriesByType('resource').map(e => e.name)"
        ".filter(n => n.endsWith('.html') || n.includes('.html#'))")
    assert fetched == []
    visit.assert_clean()


def test_results_have_snippets_from_file_urls(searched: Any) -> None:
    check_snippets(searched, searched.search("Colossus"), "Colossus")


def test_glossary_results_show_the_definition(searched: Any, html_dir: Path) -> None:
    from bs4 import BeautifulSoup

    glossary = BeautifulSoup((html_dir / "glossary.html").read_text("utf-8"), "html.parser")
    shown = glossary.find(id="name-grok").find_next_sibling("dd").select_one(".entry-definition")
    results = searched.search("Grok")
    assert results[0]["snippet"] == shown.get_text() == "xAI\u2019s chatbot."


def test_section_results_quote_their_section(searched: Any) -> None:
    """A result that links to a section quotes that section, not the page's start."""
    results = searched.search("price tag")
    section = [r for r in results if r["href"].endswith("#the-price-tag")]
    assert section, results
    assert "price tag" in section[0]["snippet"].lower()


# The elements each layout shift moved, as Chromium reports them from the start of the page.
WATCH_SHIFTS = """window.__movedBy = [];
new PerformanceObserver((list) => { for (const shift of list.getEntries())
  for (const source of shift.sources || [])
    if (source.node && source.node.nodeType === 1)
      window.__movedBy.push(source.node.tagName + "." + source.node.className);
}).observe({type: "layout-shift", buffered: true});"""


@pytest.mark.parametrize("restyle", [None, "#search-results p.search-summary { min-height: 0 !important }"],
                         ids=["as-built", "without-the-room-kept"])
def test_results_do_not_move_when_the_summary_line_comes_on_a_phone(new_visit: Any, html_dir: Path,
                                                                    http_root: str, restyle: str | None) -> None:
    """Sphinx writes "Search finished, found ..." above the results once the search
    ends; the room for it is kept from the start (glossary.css), or the results
    already shown jump down by two lines. The second case takes that room away
    and must see them jump: the observer does see it. Over http, as from a
    host (from disk, the whole list is drawn in one frame)."""
    with new_visit(html_dir, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True) as visit:
        visit.page.add_init_script(WATCH_SHIFTS)
        if restyle:
            # A constructed style sheet: the page's policy refuses a <style> element.
            visit.page.add_init_script(
                f"addEventListener('DOMContentLoaded', () => {{ const sheet = new CSSStyleSheet();"
                f" sheet.replaceSync({restyle!r});"
                f" document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet]; }});")
        visit.open(f"{http_root}/search.html?q=Colossus")
        visit.page.wait_for_selector("#search-results .search-summary:not(:empty)")
        assert visit.page.locator("ul.search > li").count() > 5
        visit.page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        moved = visit.page.evaluate("window.__movedBy")
        visit.page.close()  # its init scripts are not for the next test's page (helpers.Browsing)
        assert ("UL.search" in moved) == bool(restyle), moved


@pytest.fixture(scope="module")
def http_root(html_dir: Path) -> Iterator[str]:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(html_dir))

    class Quiet(handler.func):  # type: ignore[name-defined, misc]
        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(Quiet, directory=str(html_dir)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_results_have_snippets_over_http(new_visit: Any, html_dir: Path, http_root: str) -> None:
    with new_visit(html_dir) as visit:
        local: list[str] = []
        visit.page.on("request", lambda r: local.append(r.url))
        visit.page.goto(f"{http_root}/search.html?q=megawatt")
        visit.page.wait_for_selector("#search-results .search-summary:not(:empty)")
        results = visit.page.eval_on_selector_all("ul.search > li", """items => items.map(li => ({
            href: li.querySelector('a').getAttribute('href'),
            snippet: li.querySelector('p.context')?.textContent || null}))""")
        assert len(results) > 2
        assert all(r["snippet"] for r in results), results
        assert not [u for u in local if u.endswith(".html") and "search.html" not in u]
        # The browser's own favicon.ico look-up is no part of the site.
        assert [e for e in visit.errors if "404" not in e] == []
        assert visit.failed == [f"{http_root}/favicon.ico"] or visit.failed == []
        assert all(u.startswith(http_root) for u in local)


# --- 4. The glossary filter -------------------------------------------------------

def visible_terms(page: Any) -> list[str]:
    return page.eval_on_selector_all("dl.figures-glossary > dt", """dts => dts
        .filter(dt => dt.checkVisibility()).map(dt => dt.id)""")


def test_the_glossary_reads_whole_without_javascript(no_js_visit: Any, data: Dataset) -> None:
    page = no_js_visit.open("glossary.html")
    # The box is in the page as built, but a box that filters nothing is not shown.
    assert not page.locator("#glossary-filter-input").is_visible()
    assert not page.get_by_text("Filter the glossary").is_visible()
    shown = set(visible_terms(page))
    for item in [*data.figures.values(), *data.derived.values(), *data.names.values()]:
        assert item.anchor in shown


def test_the_filter_narrows_as_one_types(visit: Any, data: Dataset) -> None:
    page = visit.open("glossary.html")
    box = page.get_by_label("Filter the glossary")
    total = len(visible_terms(page))
    assert total == page.locator("dl.figures-glossary > dt").count()
    count = page.locator("#glossary-filter-count")
    assert count.get_attribute("role") == "status"
    assert count.get_attribute("aria-live") == "polite"
    assert count.text_content() == f"{total} of {total} entries"

    box.press_sequentially("Colo")
    partial = visible_terms(page)
    assert 0 < len(partial) < total
    assert data.names["colossus"].anchor in partial
    assert count.text_content() == f"{len(partial)} of {total} entries"
    box.press_sequentially("ssus 2")
    narrower = visible_terms(page)
    assert data.names["colossus-2"].anchor in narrower and len(narrower) < len(partial)

    box.fill("zzzz")
    assert visible_terms(page) == []
    assert count.text_content().startswith(f"0 of {total} entries")
    # Sections left empty are hidden with their heading.
    assert page.locator("section:has(> dl.figures-glossary) h2").evaluate_all(
        "hs => hs.filter(h => h.checkVisibility()).length") == 0
    box.fill("")
    assert len(visible_terms(page)) == total
    visit.assert_clean()


@pytest.mark.parametrize("typed", ["megawatt", "MEGAWATT", "mégawatt", "Megawatt"])
def test_the_filter_ignores_case_and_accents(kept: Any, html_dir: Path, data: Dataset, typed: str) -> None:
    # One glossary page for the module: each query replaces the last in the box.
    page = kept(html_dir, "glossary.html").page
    page.get_by_label("Filter the glossary").fill(typed)
    shown = visible_terms(page)
    assert data.units["MW"].anchor in shown
    assert data.figures["colossus-power"].anchor in shown  # its unit is the megawatt
    assert data.names["colossus"].anchor not in shown


@pytest.mark.parametrize("typed", ["550000", "550,000", "550 000", "550.000"])
def test_the_filter_finds_digits_however_grouped(kept: Any, html_dir: Path, data: Dataset, typed: str) -> None:
    page = kept(html_dir, "glossary.html").page
    page.get_by_label("Filter the glossary").fill(typed)
    shown = visible_terms(page)
    holding = figures_valued("550000")(data)
    assert holding <= set(shown)
    # Only entries that hold the figure, alone or in their formula.
    for anchor in shown:
        text = page.locator(f"dt#{anchor} + dd").text_content() + page.locator(
            f"dt#{anchor}").text_content()
        assert "550,000" in text


def test_the_filter_works_with_the_keyboard_alone(visit: Any) -> None:
    page = visit.open("glossary.html")
    total = len(visible_terms(page))
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "glossary-filter-input":
            break
    else:
        pytest.fail("Tab never reaches the filter box")
    page.keyboard.type("grok")
    assert 0 < len(visible_terms(page)) < total
    page.keyboard.press("Escape")
    assert len(visible_terms(page)) == total
    assert page.evaluate("document.activeElement.id") == "glossary-filter-input"


# --- 5. Term previews ----------------------------------------------------------------

LINK = "article/colossus.html"


def first_term_link(page: Any, anchor: str) -> Any:
    return page.locator(f"article a.reference.internal[href$='glossary.html#{anchor}']").first


def static_title(html_dir: Path, page: str, anchor: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((html_dir / page).read_text(), "html.parser")
    return soup.select_one(f"a.reference.internal[href$='glossary.html#{anchor}']")["title"]


def shown_definition(html_dir: Path, anchor: str) -> str:
    """The entry's definition as the glossary page shows it (typography included)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((html_dir / "glossary.html").read_text("utf-8"), "html.parser")
    return soup.find(id=anchor).find_next_sibling("dd").select_one(".entry-definition").get_text()


def test_hovering_a_glossary_link_shows_its_definition(visit: Any, data: Dataset,
                                                       html_dir: Path) -> None:
    page = visit.open(LINK)
    anchor = data.names["colossus"].anchor
    link = first_term_link(page, anchor)
    url = page.url
    link.hover()
    tip = page.get_by_role("tooltip")
    tip.wait_for(state="visible")
    shown = shown_definition(html_dir, anchor)
    assert shown.replace("\u2019", "'") == data.names["colossus"].about  # the data's own text
    assert shown in tip.text_content()
    assert static_title(html_dir, LINK, anchor) == shown
    assert link.get_attribute("aria-describedby") == tip.get_attribute("id")
    assert page.url == url  # the reader stays on the page
    # The pointer may move onto the preview without it closing.
    box = tip.bounding_box()
    page.mouse.move(box["x"] + 5, box["y"] + 5, steps=4)
    # A timer of the page's own, longer than its hiding delay (term-preview.js,
    # 250 ms): it fires after any hiding timer set as the pointer left the link.
    page.evaluate("() => new Promise(done => setTimeout(done, 400))")
    assert tip.is_visible()
    page.mouse.move(5, 700)
    tip.wait_for(state="hidden")
    assert link.get_attribute("aria-describedby") is None
    visit.assert_clean()


def test_keyboard_focus_shows_the_definition_and_escape_closes_it(visit: Any, data: Dataset,
                                                                  html_dir: Path) -> None:
    page = visit.open(LINK)
    for _ in range(80):
        page.keyboard.press("Tab")
        href = page.evaluate("document.activeElement.getAttribute('href') || ''")
        if re.search(r"glossary\.html#(?:fig|name|unit)-", href):
            break
    else:
        pytest.fail("Tab never reaches a glossary link")
    tip = page.get_by_role("tooltip")
    tip.wait_for(state="visible")
    described = page.evaluate("document.activeElement.getAttribute('aria-describedby')")
    assert described == tip.get_attribute("id")
    anchor = href.partition("#")[2]
    assert shown_definition(html_dir, anchor) in tip.text_content()
    page.keyboard.press("Escape")
    tip.wait_for(state="hidden")
    assert page.evaluate("document.activeElement.getAttribute('href')") == href
    # Moving on to the next glossary link shows that one.
    visit.assert_clean()


def test_a_tap_shows_the_definition_with_a_way_to_the_entry(touch_visit: Any, data: Dataset,
                                                            html_dir: Path) -> None:
    page = touch_visit.open(LINK)
    anchor = data.names["memphis"].anchor
    link = first_term_link(page, anchor)
    url = page.url
    link.tap()
    tip = page.get_by_role("tooltip")
    tip.wait_for(state="visible")
    assert shown_definition(html_dir, anchor) in tip.text_content()
    assert page.url == url
    go = tip.get_by_role("link")
    assert go.get_attribute("href").endswith(f"glossary.html#{anchor}")
    go.tap()
    page.wait_for_url(f"**/glossary.html#{anchor}")
    touch_visit.assert_clean()


def test_a_second_tap_follows_the_link(touch_visit: Any, data: Dataset) -> None:
    page = touch_visit.open(LINK)
    anchor = data.names["nvidia"].anchor
    link = first_term_link(page, anchor)
    link.tap()
    page.get_by_role("tooltip").wait_for(state="visible")
    link.tap()
    page.wait_for_url(f"**/glossary.html#{anchor}")


# --- Accessibility of the new parts ---------------------------------------------------

def axe_violations(page: Any) -> list[str]:
    """In light and dark mode, the page loaded once (helpers.axe_in_both_schemes)."""
    # The page's main landmark holds the filter, the entries and the preview;
    # furo's own frame is checked by the site-wide accessibility tests.
    return axe_in_both_schemes(page, page.url, [["[role=main]"]])


def test_axe_finds_nothing_on_the_glossary_with_the_filter(new_visit: Any, html_dir: Path) -> None:
    with new_visit(html_dir, color_scheme="light", axe=True) as visit:
        page = visit.open("glossary.html")
        page.get_by_label("Filter the glossary").fill("giga")
        assert axe_violations(page) == []


def test_axe_finds_nothing_with_a_preview_open(new_visit: Any, html_dir: Path, data: Dataset) -> None:
    with new_visit(html_dir, color_scheme="light", axe=True) as visit:
        page = visit.open(LINK)
        first_term_link(page, data.names["colossus"].anchor).hover()
        page.get_by_role("tooltip").wait_for(state="visible")
        assert axe_violations(page) == []
