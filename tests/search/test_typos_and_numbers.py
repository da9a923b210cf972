"""Misspellings, numbers and units, read alike by the search panel, the search
page and the glossary filter, in both editions; and the search conventions
(issue 27, items 1, 2 and 5), in Chromium.

Each query is tried in the three places a reader types, and the intended entry
must come first in each: the panel's first entry, the search page's first
result, the filter's first visible entry. Expected entries are named from the
figures data, never by a hard-coded anchor.
"""

from __future__ import annotations

import contextlib
import posixpath
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

import pytest
from helpers import ROOT, axe_in_both_schemes, page_soup

from macrohard_docs.figures.data import Dataset, load
from macrohard_docs.site.search import vocabulary

ARTICLE = "article/colossus.html"
BOX = "input.sidebar-search"


@pytest.fixture(scope="module")
def data() -> Dataset:
    return load(ROOT / "docs" / "data" / "figures.toml", languages=("en", "fr"))


def name(label: str) -> Callable[[Dataset], str]:
    return lambda data: next(n for n in data.names.values() if n.label == label).anchor


def unit(symbol: str) -> Callable[[Dataset], str]:
    return lambda data: data.units[symbol].anchor


def valued(value: str) -> Callable[[Dataset], str]:
    """The one figure of this value."""
    def anchor(data: Dataset) -> str:
        found = [f for f in data.figures.values() if isinstance(f.value, Decimal) and f.value == Decimal(value)]
        assert len(found) == 1, f"the data holds {len(found)} figures of {value}"
        return found[0].anchor
    return anchor


# --- Looking in the three places -------------------------------------------------------------

def in_panel(page: Any, typed: str) -> dict[str, Any]:
    """Type into the sidebar's box, key by key; the panel's entries and its suggestion line."""
    box = page.locator(BOX)
    box.focus()
    box.fill("")
    box.press_sequentially(typed)
    page.wait_for_function(
        """text => { const box = document.querySelector('input.sidebar-search');
        return box.value === text && box.getAttribute('aria-expanded') === 'true'
          && document.querySelector('.search-panel-all') !== null; }""", arg=typed)
    return page.evaluate("""() => {
        const line = document.querySelector('.search-panel-suggestion');
        const note = document.querySelector('.search-panel-note');
        return {
          entries: [...document.querySelectorAll('.search-panel-entry')]
            .map(o => o.dataset.href.split('#')[1]),
          suggestion: line && line.checkVisibility() ? line.innerText : null,
          suggested: line && line.checkVisibility() ? line.querySelector('a').textContent : null,
          none: note && note.checkVisibility() ? note.innerText : null,
        };
    }""")


def on_search_page(visit: Any, typed: str) -> dict[str, Any]:
    page = visit.open(f"search.html?q={quote_plus(typed)}")
    page.wait_for_selector("#search-results .search-summary:not(:empty)")
    return page.evaluate("""() => {
        const line = document.querySelector('#search-results .search-suggestion');
        return {
          results: [...document.querySelectorAll('ul.search > li > a')].map(a => a.getAttribute('href')),
          suggestion: line && line.checkVisibility() ? line.innerText : null,
          suggested: line && line.checkVisibility() ? line.querySelector('a').textContent : null,
          summary: document.querySelector('#search-results .search-summary').innerText,
        };
    }""")


def in_filter(visit: Any, typed: str, *, kept: bool = False) -> dict[str, Any]:
    """Type into the glossary's filter: on a fresh load, or (*kept*) on the page as it is."""
    page = visit.page if kept else visit.open("glossary.html")
    page.locator("#glossary-filter-input").fill(typed)
    return page.evaluate("""() => {
        const line = document.querySelector('.glossary-filter-suggestion');
        return {
          shown: [...document.querySelectorAll('dl.figures-glossary > dt')]
            .filter(dt => dt.checkVisibility()).map(dt => dt.id),
          suggestion: line && line.checkVisibility() ? line.innerText : null,
          suggested: line && line.checkVisibility() ? line.querySelector('a').textContent : null,
        };
    }""")


def site(kept: Any, html_dir: Path, fr_html_dir: Path, language: str) -> Any:
    """The edition's page to load the search page in, kept for the module."""
    return contextlib.nullcontext(kept(fr_html_dir if language == "fr" else html_dir, None))


def everywhere(kept: Callable[[Path, str], Any], html_dir: Path, fr_html_dir: Path,
               language: str) -> tuple[Any, Any]:
    """The edition's article (its panel) and glossary (its filter), kept for the module:
    each query is typed into the box as it was left, which the helpers empty first."""
    folder = fr_html_dir if language == "fr" else html_dir
    return kept(folder, ARTICLE), kept(folder, "glossary.html")


def assert_all_clean(*visits: Any) -> None:
    for visit in visits:
        visit.assert_clean()


# --- 1. A misspelt word finds its entry, with "Did you mean …?" -----------------------------

MISSPELT = [
    ("en", "colosus", name("Colossus"), "colossus"),
    ("en", "tenesee", name("Tennessee"), "tennessee"),
    ("en", "nvidai", name("NVIDIA"), "nvidia"),  # two letters swapped
    ("en", "microsfot", name("Microsoft"), "microsoft"),
    ("en", "gigawats", unit("GW"), "gigawatt"),  # or "gigawatts": as far, as frequent
    ("fr", "colosus", name("Colossus"), "colossus"),
    ("fr", "tenesee", name("Tennessee"), "tennessee"),
    ("fr", "megawats", unit("MW"), "mégawatt"),  # the accent comes back in the suggestion
]


@pytest.mark.parametrize(("language", "typed", "expected", "correction"), MISSPELT,
                         ids=[f"{lang}-{typed}" for lang, typed, *_ in MISSPELT])
def test_a_misspelt_word_finds_its_entry_first_everywhere(
        html_dir: Path, fr_html_dir: Path, data: Dataset,
        kept: Any, language: str, typed: str, expected: Callable[[Dataset], str], correction: str) -> None:
    anchor = expected(data)
    article, glossary = everywhere(kept, html_dir, fr_html_dir, language)
    with site(kept, html_dir, fr_html_dir, language) as visit:
        panel = in_panel(article.page, typed)
        assert panel["entries"][:1] == [anchor], panel
        assert correction in panel["suggested"].lower(), panel
        searched = on_search_page(visit, typed)
        assert searched["results"][0] == f"glossary.html#{anchor}", searched["results"][:3]
        assert correction in searched["suggested"].lower(), searched
        filtered = in_filter(glossary, typed, kept=True)
        assert filtered["shown"][:1] == [anchor], filtered
        assert correction in filtered["suggested"].lower(), filtered
        # The line is in the edition's language.
        question = "Vouliez-vous dire" if language == "fr" else "Did you mean"
        assert panel["suggestion"].startswith(question)
        assert searched["suggestion"].startswith(question)
        assert filtered["suggestion"].startswith(question)
        assert_all_clean(visit, article, glossary)


def test_a_word_spelt_right_gets_no_suggestion(visit: Any, data: Dataset, kept: Any, html_dir: Path,
                                                fr_html_dir: Path) -> None:
    article, glossary = everywhere(kept, html_dir, fr_html_dir, "en")
    panel = in_panel(article.page, "colossus")
    assert panel["suggestion"] is None and panel["entries"][0] == name("Colossus")(data)
    # Nor a word still being typed: "coloss" is the start of "colossus".
    assert in_panel(article.page, "coloss")["suggestion"] is None
    assert on_search_page(visit, "Colossus")["suggestion"] is None
    assert in_filter(glossary, "Colossus", kept=True)["suggestion"] is None


def test_choosing_the_suggestion_searches_for_it(visit: Any, data: Dataset) -> None:
    page = visit.open("glossary.html")
    page.locator("#glossary-filter-input").fill("tenesee")
    page.locator(".glossary-filter-suggestion a").click()
    assert page.locator("#glossary-filter-input").input_value() == "Tennessee"
    assert page.locator(".glossary-filter-suggestion").is_hidden()
    page = visit.open(ARTICLE)
    in_panel(page, "tenesee")
    page.locator(".search-panel-suggestion a").click()
    assert page.locator(BOX).input_value() == "Tennessee"
    page.wait_for_function("() => !document.querySelector('.search-panel-suggestion').checkVisibility()")
    assert in_panel_entries(page)[0] == name("Tennessee")(data)
    visit.assert_clean()


def in_panel_entries(page: Any) -> list[str]:
    return page.eval_on_selector_all(".search-panel-entry", "os => os.map(o => o.dataset.href.split('#')[1])")


def test_no_results_is_said_where_it_is_seen(visit: Any, kept: Any, html_dir: Path) -> None:
    panel = in_panel(kept(html_dir, ARTICLE).page, "zzzzqq")
    assert panel["none"] and panel["none"].startswith("No results"), panel
    searched = on_search_page(visit, "zzzzqq")
    assert searched["results"] == [] and searched["summary"] == "No results."


# --- 1 and 2. Numbers: any spelling, never fuzzy, never a number sharing digits ----------------

NUMBERS = [
    ("en", "200000"), ("en", "200,000"), ("en", "200 000"), ("en", "200 k"),
    ("fr", "200000"), ("fr", "200 000"), ("fr", "200 k"),
]


@pytest.mark.parametrize(("language", "typed"), NUMBERS, ids=[f"{lang}-{typed}" for lang, typed in NUMBERS])
def test_every_spelling_of_a_number_finds_its_figure_alone(
        html_dir: Path, fr_html_dir: Path, data: Dataset, kept: Any, language: str,
        typed: str) -> None:
    anchor = valued("200000")(data)
    article, glossary = everywhere(kept, html_dir, fr_html_dir, language)
    with site(kept, html_dir, fr_html_dir, language) as visit:
        panel = in_panel(article.page, typed)
        assert panel["entries"] == [anchor] and panel["suggestion"] is None, panel
        searched = on_search_page(visit, typed)
        assert searched["results"][0] == f"glossary.html#{anchor}"
        assert [r for r in searched["results"] if r.startswith("glossary.html#")] == [searched["results"][0]]
        # The filter as the search: not $200 million, nor the entries whose formula holds 200,000.
        filtered = in_filter(glossary, typed, kept=True)
        assert filtered["shown"] == [anchor], filtered
        assert_all_clean(visit, article, glossary)


def test_numbers_are_never_corrected(visit: Any, data: Dataset, kept: Any, html_dir: Path,
                                    fr_html_dir: Path) -> None:
    """20000 is one digit from 200000: nothing, and no "Did you mean"."""
    article, glossary = everywhere(kept, html_dir, fr_html_dir, "en")
    assert in_filter(glossary, "20000", kept=True) == {"shown": [], "suggestion": None, "suggested": None}
    panel = in_panel(article.page, "20000")
    assert panel["entries"] == [] and panel["suggestion"] is None
    assert valued("200000")(data) not in on_search_page(visit, "20000")["results"]


# --- 2. A unit's word finds its multiples -------------------------------------------------------

UNITS = [
    ("en", "watt", ("kW", "MW", "GW")), ("en", "watts", ("kW", "MW", "GW")),
    ("en", "byte", ("PB/s", "EB")), ("en", "octet", ("PB/s", "EB")),
    ("fr", "watt", ("kW", "MW", "GW")), ("fr", "octet", ("PB/s", "EB")), ("fr", "octets", ("PB/s", "EB")),
]


@pytest.mark.parametrize(("language", "typed", "symbols"), UNITS,
                         ids=[f"{lang}-{typed}" for lang, typed, _ in UNITS])
def test_a_unit_word_finds_its_multiples(html_dir: Path, fr_html_dir: Path, data: Dataset,
                                         kept: Any, language: str, typed: str, symbols: tuple[str, ...]) -> None:
    anchors = {data.units[symbol].anchor for symbol in symbols}
    article, glossary = everywhere(kept, html_dir, fr_html_dir, language)
    with site(kept, html_dir, fr_html_dir, language) as visit:
        panel = in_panel(article.page, typed)
        assert set(panel["entries"][:len(anchors)]) == anchors, panel
        searched = on_search_page(visit, typed)
        assert {r.split("#")[1] for r in searched["results"][:len(anchors)]} == anchors, searched["results"]
        filtered = in_filter(glossary, typed, kept=True)
        assert set(filtered["shown"][:len(anchors)]) == anchors, filtered


# --- 5. Search conventions -----------------------------------------------------------------------

@pytest.mark.parametrize("key", ["Control+k", "Meta+k", "/"])
def test_a_shortcut_focuses_the_search_box(visit: Any, key: str) -> None:
    page = visit.open(ARTICLE)
    assert not page.evaluate("document.activeElement.matches('input[name=q]')")
    page.keyboard.press(key)
    assert page.evaluate("document.activeElement.matches('input.sidebar-search')")
    # Escape closes the panel it opened.
    page.keyboard.type("colossus")
    page.wait_for_selector(".search-panel:not([hidden])")
    page.keyboard.press("Escape")
    assert page.locator(".search-panel").is_hidden()
    visit.assert_clean()


def test_the_search_page_has_one_heading_and_counts_pages_and_entries_apart(visit: Any) -> None:
    searched = on_search_page(visit, "Colossus")
    page = visit.page
    assert page.locator("h1, h2, h3, h4, h5, h6").count() == 1
    entries = [r for r in searched["results"] if r.startswith("glossary.html#")]
    pages = {r.split("#")[0] for r in searched["results"] if r not in entries}
    assert entries and len(pages) > 1
    assert searched["summary"] == f"{len(pages)} pages, {len(entries)} glossary entries"


def test_the_french_count_is_french(new_visit: Any, fr_html_dir: Path) -> None:
    with new_visit(fr_html_dir) as visit:
        summary = on_search_page(visit, "Grok")["summary"]
        assert summary.endswith("1 entrée du glossaire") and " pages, " in summary, summary


def test_snippets_do_not_repeat_the_title(visit: Any) -> None:
    visit.search("Colossus")
    results = visit.page.eval_on_selector_all("ul.search > li", """items => items.map(li => ({
        title: li.querySelector('a').textContent,
        snippet: (li.querySelector('p.context') || {}).textContent || ''}))""")
    quoted = [r for r in results if r["snippet"]]
    assert len(quoted) > 5
    for result in quoted:
        heading = result["title"].split(" › ")[-1]
        assert not result["snippet"].lstrip("…").startswith(heading), result


def test_the_single_page_searches_its_edition(edition: Any) -> None:
    single = edition.html_dir / "single" / "index.html"
    forms = page_soup(single).select("form[role=search]")
    assert len(forms) == 1
    target = posixpath.normpath(posixpath.join("single", forms[0]["action"]))
    assert target == "search.html" and (edition.html_dir / target).is_file()
    assert forms[0].select_one("input[name=q]")


def test_the_single_page_box_opens_the_search(new_visit: Any, html_dir: Path) -> None:
    with new_visit(html_dir) as visit:
        page = visit.open("single/index.html")
        box = page.locator("input[name=q]")
        box.fill("tenesee")
        box.press("Enter")
        page.wait_for_url("**/search.html?q=tenesee*")
        page.wait_for_selector("#search-results .search-suggestion")
        visit.assert_clean()


# --- The vocabulary the corrections come from ---------------------------------------------------

def test_the_vocabulary_folds_accents_and_keeps_the_spelling_to_show() -> None:
    words = vocabulary(["Énergie et énergie, énergie.", "Colossus 200000 GW Grok"])
    assert words["energie"] == [3, "énergie"]
    assert words["colossus"] == [1, "Colossus"]
    assert words["grok"] == [1, "Grok"]
    # No numbers, and no word too short to correct to.
    assert "200000" not in words and "gw" not in words and "et" not in words


# --- Accessible, light and dark -------------------------------------------------------------------

def test_axe_finds_nothing_where_a_correction_is_offered(new_visit: Any, html_dir: Path) -> None:
    """In light and dark mode, each state reached once (helpers.axe_in_both_schemes)."""
    with new_visit(html_dir, color_scheme="light", axe=True) as visit:
        page = visit.open(ARTICLE)
        assert in_panel(page, "tenesee")["suggestion"]
        assert axe_in_both_schemes(page, ARTICLE, [["form.sidebar-search-container"]]) == []
        assert on_search_page(visit, "colosus")["suggestion"]
        assert axe_in_both_schemes(visit.page, "search.html", [["#search-results"]]) == []
        assert in_filter(visit, "tenesee")["suggestion"]
        assert axe_in_both_schemes(visit.page, "glossary.html", [[".glossary-filter"]]) == []


def test_the_filter_ranks_while_filtering_and_restores_the_order(visit: Any, data: Dataset) -> None:
    page = visit.open("glossary.html")
    order = "() => [...document.querySelectorAll('dl.figures-glossary > dt')].map(dt => dt.id)"
    sections = "() => [...document.querySelectorAll('section:has(> dl.figures-glossary)')].map(s => s.id)"
    built, built_sections = page.evaluate(order), page.evaluate(sections)
    box = page.locator("#glossary-filter-input")
    box.fill("colossus")
    # The name first, though the figures' section, whose definitions name Colossus, comes first as built.
    shown = [a for a in page.evaluate(order) if page.locator(f"dt#{a}").is_visible()]
    assert shown[0] == name("Colossus")(data) and len(shown) > 2
    box.fill("")
    assert page.evaluate(order) == built and page.evaluate(sections) == built_sections
    visit.assert_clean()
