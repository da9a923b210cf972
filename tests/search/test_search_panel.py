"""Search as you type in furo's search box, and numbers that find their pages
(issue 15, items 2, 3 and 5; issue 14, item 8), in Chromium.

Expected entries come from the figures data; expected pages from the built
glossary's "Mentioned in" lists (each links to a mention in a section). No
timing is asserted here: `nox -s bench` measures speed.
"""

from __future__ import annotations

import functools
import http.server
import posixpath
import threading
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus, unquote, urljoin, urlsplit

import pytest
from helpers import ROOT, axe_in_both_schemes, page_soup, settle

from macrohard_docs.figures.data import Dataset, load

pytestmark = pytest.mark.browser

ARTICLE = "article/colossus.html"
BOX = "input.sidebar-search"
PANEL_OPTIONS = "[role=listbox] [role=option]"


@pytest.fixture(scope="module")
def data() -> Dataset:
    return load(ROOT / "docs" / "data" / "figures.toml", languages=("en", "fr"))


def anchor_of(data: Dataset, figure_id: str) -> str:
    return data.figures[figure_id].anchor


def holding(data: Dataset, value: str, unit: str | None = None) -> str:
    """The one figure with this value (and unit): the test names data, not an anchor."""
    found = [f for f in data.figures.values() if isinstance(f.value, Decimal)
             and f.value == Decimal(value) and (unit is None or f.unit == unit)]
    assert len(found) == 1, f"the data holds {len(found)} figures of {value} {unit or ''}"
    return found[0].anchor


def mention_targets(html_dir: Path, anchor: str) -> list[str]:
    """Where the glossary's "Mentioned in" for *anchor* leads: page.html#mention, in order."""
    glossary = page_soup(html_dir / "glossary.html")
    dd = glossary.find(id=anchor).find_next_sibling("dd")
    return [link["href"] for link in dd.select("p.mentioned-in a")]


def normalised(html_dir: Path, page_path: str, href: str) -> str:
    """An option's address as a path below the site root, with its fragment."""
    parts = urlsplit(href)
    if parts.scheme in ("file", "http"):
        path = unquote(parts.path)
        root = html_dir.as_posix() if parts.scheme == "file" else ""
        path = path[len(root):].lstrip("/") if root and path.startswith(root) else path.lstrip("/")
    else:
        path = posixpath.normpath(posixpath.join(posixpath.dirname(page_path), parts.path))
    return f"{path}#{parts.fragment}" if parts.fragment else path


def type_in_box(page: Any, text: str) -> None:
    box = page.locator(BOX)
    box.focus()
    box.fill("")
    box.press_sequentially(text)
    # The panel answers each keystroke; wait until it answered the last one.
    page.wait_for_function(
        """text => { const box = document.querySelector('input.sidebar-search');
        // On a fresh page the panel (and the box's aria-controls) may not be there yet.
        const list = box && document.getElementById(box.getAttribute('aria-controls') || '');
        return !!list && box.value === text && box.getAttribute('aria-expanded') === 'true'
          && list.querySelector('[role=option]') !== null; }""", arg=text)


def panel_options(page: Any) -> list[dict[str, str]]:
    return page.eval_on_selector_all(PANEL_OPTIONS, """os => os.map(o => ({
        href: o.dataset.href, text: o.innerText, id: o.id,
        entry: o.classList.contains('search-panel-entry'),
        all: o.classList.contains('search-panel-all'),
        marks: [...o.querySelectorAll('.highlighted')].map(m => m.textContent)}))""")


def panel_targets(visit: Any, options: list[dict[str, str]], page_path: str = ARTICLE) -> list[str]:
    return [normalised(visit.html_dir, page_path, o["href"]) for o in options if not o["all"]]


# --- Typed queries and their first results -----------------------------------------

FIGURE_FORMS = [
    ("550 000", ("550000", None)), ("550000", ("550000", None)), ("550,000", ("550000", None)),
    ("1.55 GW", ("1.55", "GW")), ("$7 billion", ("7000000000", "USD")),
    ("122 days", ("122", "day")), ("200,000", ("200000", None)),
]


@pytest.mark.parametrize(("typed", "figure"), FIGURE_FORMS, ids=[t for t, _ in FIGURE_FORMS])
def test_a_typed_figure_lists_its_entry_then_every_page_that_mentions_it(
        visit: Any, data: Dataset, typed: str, figure: tuple[str, str | None]) -> None:
    anchor = holding(data, *figure)
    page = visit.open(ARTICLE)
    type_in_box(page, typed)
    targets = panel_targets(visit, panel_options(page))
    assert targets[0] == f"glossary.html#{anchor}", targets[:3]
    mentions = mention_targets(visit.html_dir, anchor)
    assert mentions, f"{anchor} is mentioned nowhere"
    # Right after the entry (and any other entry), every mention, in the glossary's order.
    pages = [t for t in targets if not t.startswith("glossary.html#")]
    assert pages[:len(mentions)] == mentions, (pages, mentions)
    visit.assert_clean()


@pytest.mark.parametrize(("typed", "figure"), FIGURE_FORMS, ids=[t for t, _ in FIGURE_FORMS])
def test_the_search_page_lists_the_same(visit: Any, data: Dataset, typed: str,
                                        figure: tuple[str, str | None]) -> None:
    anchor = holding(data, *figure)
    results = visit.search(typed)
    hrefs = [r["href"] for r in results]
    assert hrefs[0] == f"glossary.html#{anchor}", hrefs[:3]
    mentions = mention_targets(visit.html_dir, anchor)
    pages = [h for h in hrefs if not h.startswith("glossary.html#")]
    assert pages[:len(mentions)] == mentions
    visit.assert_clean()


@pytest.mark.parametrize("typed", ["Colossus", "Grok", "megawatt"])
def test_a_word_lists_glossary_entries_then_pages_with_snippets(visit: Any, data: Dataset,
                                                                  typed: str) -> None:
    page = visit.open(ARTICLE)
    type_in_box(page, typed)
    options = panel_options(page)
    kinds = [o["entry"] for o in options if not o["all"]]
    assert kinds[0] is True and False in kinds, options
    # Entries first: no entry after the first page.
    assert kinds == sorted(kinds, reverse=True)
    for option in options:
        if not option["entry"] and not option["all"]:
            assert typed.lower() in option["text"].lower(), option
    assert options[-1]["all"] and options[-1]["href"].endswith(f"search.html?q={quote_plus(typed)}")
    visit.assert_clean()


def test_200000_does_not_find_200_million(visit: Any, data: Dataset) -> None:
    contract = data.figures["military-contract"].anchor  # $200 million
    assert data.figures["military-contract"].value == Decimal(200000000)
    page = visit.open(ARTICLE)
    type_in_box(page, "200,000")
    targets = panel_targets(visit, panel_options(page))
    assert f"glossary.html#{contract}" not in targets
    assert f"glossary.html#{contract}" not in [r["href"] for r in visit.search("200,000")]


def page_text(html_dir: Path, target: str) -> str:
    path = target.partition("#")[0]
    soup = page_soup(html_dir / path)
    return soup.select_one("[role=main]").get_text(" ").replace("\u00a0", " ")


def test_pages_with_122_days_rank_above_pages_with_days_alone(visit: Any) -> None:
    for results in (visit.search("122 days"), None):
        if results is None:
            page = visit.open(ARTICLE)
            type_in_box(page, "122 days")
            targets = panel_targets(visit, panel_options(page))
        else:
            targets = [r["href"] for r in results]
        pages = [t for t in targets if not t.startswith("glossary.html#")]
        has = [" 122 days" in page_text(visit.html_dir, t) for t in pages]
        assert True in has and False in has, (pages, has)
        assert has == sorted(has, reverse=True), list(zip(pages, has, strict=True))


@pytest.mark.parametrize(("typed", "shown"), [("1.55 GW", "1.55 GW"), ("550000", "550,000 GPUs"),
                                              ("$7 billion", "$7 billion")])
def test_the_figure_is_highlighted_whole(visit: Any, typed: str, shown: str) -> None:
    page = visit.open(ARTICLE)
    type_in_box(page, typed)
    pages = [o for o in panel_options(page) if not o["entry"] and not o["all"]]
    snippets_with_figure = [o for o in pages if shown in o["text"].replace("\u00a0", " ")]
    assert snippets_with_figure
    for option in snippets_with_figure:
        marks = [m.replace("\u00a0", " ") for m in option["marks"]]
        assert shown in marks, option
    # And on the search page: never a piece of the figure on its own.
    visit.search(typed)
    marks = visit.page.eval_on_selector_all("ul.search p.context .highlighted",
                                            "ms => ms.map(m => m.textContent.replace(/\\u00a0/g, ' '))")
    assert shown in marks
    assert "55 GW" not in marks and "55" not in marks


def test_highlights_inside_links_keep_the_link_colour(visit: Any) -> None:
    """Sphinx marks the searched words on the page a result opens, links included."""
    page = visit.open("glossary.html")
    page.evaluate("localStorage.setItem('sphinx_highlight_terms', 'colossus')")
    page.reload()
    page.wait_for_selector("[role=main] a .highlighted")
    pairs = page.eval_on_selector_all("[role=main] a .highlighted", """ms => ms.map(m =>
        [getComputedStyle(m).color, getComputedStyle(m.closest('a')).color])""")
    assert pairs and all(mark == link for mark, link in pairs), pairs[:3]


# --- The French edition --------------------------------------------------------------

FRENCH = [("1,55 GW", ("1.55", "GW")), ("7 milliards", ("7000000000", "USD")),
          ("550 000", ("550000", None))]


@pytest.mark.parametrize(("typed", "figure"), FRENCH, ids=[t for t, _ in FRENCH])
def test_the_french_panel_finds_french_forms(new_visit: Any, fr_html_dir: Path, data: Dataset,
                                             typed: str, figure: tuple[str, str | None]) -> None:
    french = fr_html_dir
    anchor = holding(data, *figure)
    with new_visit(french) as visit:
        page = visit.open(ARTICLE)
        assert page.evaluate("document.documentElement.lang") == "fr"
        type_in_box(page, typed)
        targets = panel_targets(visit, panel_options(page))
        assert targets[0] == f"glossary.html#{anchor}"
        mentions = mention_targets(french, anchor)
        pages = [t for t in targets if not t.startswith("glossary.html#")]
        assert pages[:len(mentions)] == mentions
        assert "résultat" in page.locator(".search-panel-status").text_content()
        visit.assert_clean()


# --- Keyboard, focus and what is announced -------------------------------------------

def test_keyboard_only_from_tab_to_the_entry(visit: Any, data: Dataset) -> None:
    page = visit.open(ARTICLE)
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('input.sidebar-search')"):
            break
    else:
        pytest.fail("Tab never reaches the search box")
    page.keyboard.type("grok")
    page.wait_for_selector(f"{PANEL_OPTIONS}.search-panel-entry")
    box = page.locator(BOX)
    assert box.get_attribute("role") == "combobox"
    assert box.get_attribute("aria-expanded") == "true"
    page.keyboard.press("ArrowDown")
    first = page.locator(PANEL_OPTIONS).first
    assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
    assert first.get_attribute("aria-selected") == "true"
    # Focus never leaves the box while choosing.
    assert page.evaluate("document.activeElement.matches('input.sidebar-search')")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
    page.keyboard.press("Enter")
    anchor = data.names["grok"].anchor
    page.wait_for_url(f"**/glossary.html#{anchor}")
    assert page.evaluate("document.querySelector(':target')?.id") == anchor
    visit.assert_clean()


def test_keys_typed_while_searchtools_starts_are_kept(visit: Any) -> None:
    """searchtools.js empties every search box when it starts, which it does on the
    box's first focus: a fast typist's next key must add to what was typed."""
    page = visit.open(ARTICLE)
    box = page.locator(BOX)
    box.focus()
    box.press_sequentially("gr")
    page.evaluate("document.querySelector('input.sidebar-search').value = ''")  # what Search.init does
    box.press_sequentially("ok")
    page.wait_for_selector(f"{PANEL_OPTIONS}.search-panel-entry")
    assert box.input_value() == "grok"
    visit.assert_clean()


def test_up_from_the_box_wraps_to_the_last_option(visit: Any) -> None:
    page = visit.open(ARTICLE)
    type_in_box(page, "colossus")
    page.keyboard.press("ArrowUp")
    last = page.locator(PANEL_OPTIONS).last
    assert page.locator(BOX).get_attribute("aria-activedescendant") == last.get_attribute("id")
    assert "search-panel-all" in last.get_attribute("class")


def test_enter_with_nothing_chosen_opens_the_search_page(visit: Any) -> None:
    page = visit.open(ARTICLE)
    type_in_box(page, "megawatt")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search.html?q=megawatt*")
    page.wait_for_selector("ul.search > li")
    visit.assert_clean()


def test_escape_closes_then_clears(visit: Any) -> None:
    page = visit.open(ARTICLE)
    type_in_box(page, "colossus")
    box = page.locator(BOX)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    assert box.get_attribute("aria-activedescendant") is None
    assert page.locator(".search-panel").is_hidden()
    assert box.input_value() == "colossus"
    page.keyboard.press("Escape")
    assert box.input_value() == ""
    assert page.evaluate("document.activeElement.matches('input.sidebar-search')")


def test_leaving_the_box_closes_the_panel(visit: Any) -> None:
    page = visit.open(ARTICLE)
    type_in_box(page, "colossus")
    page.keyboard.press("Tab")
    assert page.locator(".search-panel").is_hidden()
    assert page.locator(BOX).get_attribute("aria-expanded") == "false"


def test_the_count_is_announced(visit: Any) -> None:
    page = visit.open(ARTICLE)
    status = page.locator(".search-panel-status")
    assert status.get_attribute("role") == "status"
    assert status.get_attribute("aria-live") == "polite"
    type_in_box(page, "colossus")
    count = len([o for o in panel_options(page) if not o["all"]])
    assert status.text_content().startswith(f"{count} results"), status.text_content()
    type_in_box(page, "zzzzqq")
    assert status.text_content().startswith("No results")
    # The status is read, never seen: it takes no room.
    box = status.bounding_box()
    assert box is None or box["width"] <= 1 and box["height"] <= 1


# --- Loading, layout, offline -------------------------------------------------------------

def test_the_index_loads_on_first_focus_not_with_the_page(visit: Any) -> None:
    requested: list[str] = []
    visit.page.on("request", lambda r: requested.append(r.url))
    page = visit.open(ARTICLE)
    page.wait_for_load_state("load")
    assert not [u for u in requested if u.endswith(("searchindex.js", "searchtools.js", "snippets.js"))]
    assert page.evaluate("typeof Search") == "undefined"
    # What the page weighs before focus: every file it loaded.
    weight = sum(Path(unquote(urlsplit(u).path)).stat().st_size for u in requested
                 if u.startswith("file:"))
    assert weight <= 120 * 1024, f"the article page loads {weight} bytes before focus"
    page.locator(BOX).focus()
    page.evaluate("() => window.MacrohardSearchLoading")  # the loader's promise: index ready
    assert [u for u in requested if u.endswith("searchindex.js")]
    visit.assert_clean()


def test_opening_the_panel_moves_nothing(visit: Any) -> None:
    page = visit.open(ARTICLE)
    # Watch from a page at rest (fonts, images, first frames), so that only what
    # typing does is seen; each shift is kept with what moved, to name it.
    settle(page)
    page.evaluate("""() => { window.__shifts = []; new PerformanceObserver(list => {
        for (const e of list.getEntries()) window.__shifts.push({value: e.value, moved: e.sources.map(s =>
          `${s.node ? (s.node.id || s.node.className || s.node.nodeName) : '?'}: `
          + `${JSON.stringify(s.previousRect)} -> ${JSON.stringify(s.currentRect)}`)}); })
        .observe({type: 'layout-shift', buffered: false}); }""")
    boxes = "() => ['article', '.sidebar-tree', 'input.sidebar-search'].map(s => { const r = document.querySelector(s).getBoundingClientRect(); return [r.x, r.y, r.width, r.height]; })"
    before = page.evaluate(boxes)
    type_in_box(page, "colossus")
    assert page.locator(".search-panel").is_visible()
    assert page.evaluate(boxes) == before
    assert page.evaluate("window.__shifts") == []


def test_the_panel_works_in_the_mobile_menu(touch_visit: Any) -> None:
    page = touch_visit.open(ARTICLE)
    page.set_viewport_size({"width": 390, "height": 844})
    page.locator("label.nav-overlay-icon").click()
    page.locator(BOX).wait_for(state="visible")
    type_in_box(page, "colossus")
    # The menu slides in (Furo's transition): measure where it comes to rest,
    # as a reader sees it, not a frame of the slide.
    page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")
    panel = page.locator(".search-panel").bounding_box()
    assert panel and panel["x"] >= 0 and panel["x"] + panel["width"] <= 390
    assert panel_options(page)[0]["entry"]
    touch_visit.assert_clean()


def test_without_javascript_the_box_opens_the_search_page(no_js_visit: Any) -> None:
    page = no_js_visit.open(ARTICLE)
    box = page.locator(BOX)
    assert box.get_attribute("role") is None  # nothing half-built
    box.fill("colossus")
    box.press("Enter")
    page.wait_for_url("**/search.html?q=colossus*")


@pytest.fixture(scope="module")
def http_root(html_dir: Path) -> Iterator[str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(Quiet, directory=str(html_dir)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_the_panel_works_over_http(new_visit: Any, html_dir: Path, http_root: str,
                                   data: Dataset) -> None:
    with new_visit(html_dir) as visit:
        visit.page.goto(f"{http_root}/{ARTICLE}")
        type_in_box(visit.page, "550 000")
        targets = [urlsplit(urljoin(visit.page.url, o["href"]))
                   for o in panel_options(visit.page) if not o["all"]]
        assert (targets[0].path, targets[0].fragment) == ("/glossary.html", holding(data, "550000"))
        assert [e for e in visit.errors if "favicon" not in e] == []
        assert all(u.startswith(http_root) for u in visit.requests)


# --- A query no one should type ------------------------------------------------------------

# Words that made the search page throw "Invalid regular expression: ... too large"
# and stay on "Searching" before queries were capped.
HUGE_WORDS = ["ab" * 20_000, "é" * 40_000]


@pytest.mark.parametrize("word", HUGE_WORDS, ids=["ab", "accented"])
def test_a_40000_character_word_cannot_hang_the_search_page(visit: Any, word: str) -> None:
    assert len(word) == 40_000
    page = visit.open(f"search.html?q={quote_plus(word)}")
    page.wait_for_selector("#search-results .search-summary:not(:empty)")
    assert page.locator("#search-results .search-title").text_content() != "Searching"
    visit.assert_clean()


def test_a_40000_character_word_in_the_box(visit: Any) -> None:
    page = visit.open(ARTICLE)
    box = page.locator(BOX)
    box.focus()
    page.evaluate("() => window.MacrohardSearchLoading")  # the loader's promise: index ready
    page.evaluate("""() => { const box = document.querySelector('input.sidebar-search');
        box.value = 'ab'.repeat(20000); box.dispatchEvent(new Event('input')); }""")
    page.wait_for_selector(".search-panel-status:not(:empty)")
    assert int(box.get_attribute("maxlength")) <= 200
    visit.assert_clean()


# --- Accessibility ------------------------------------------------------------------------

def test_axe_finds_nothing_with_the_panel_open(new_visit: Any, html_dir: Path) -> None:
    """In light and dark mode, the panel opened once (helpers.axe_in_both_schemes)."""
    with new_visit(html_dir, color_scheme="light", axe=True) as visit:
        page = visit.open(ARTICLE)
        type_in_box(page, "550 000")
        page.keyboard.press("ArrowDown")
        assert axe_in_both_schemes(page, ARTICLE, [["form.sidebar-search-container"]]) == []
