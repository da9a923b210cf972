"""Reading the site (issue 27): the language switcher keeps the reader's place,
a link's target is marked and shown with its heading, lines keep a readable
measure, and the landing page's first screen names the source and shows
figures. In Chromium, from file://, at 1280x800 and 390x844."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from helpers import DESKTOP, PHONE, settle

# Characters on each rendered line of running text: every character's box, by line.
LINE_LENGTHS = """() => {
  const lengths = [];
  for (const block of document.querySelectorAll('article[role=main] :is(p, li, dd)')) {
    if (!block.getClientRects().length) continue;
    const lines = new Map();
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode;
      for (let i = 0; i < node.data.length; i++) {
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const box = range.getClientRects()[0];
        if (box && box.width) lines.set(Math.round(box.bottom / 4), (lines.get(Math.round(box.bottom / 4)) || 0) + 1);
      }
    }
    lengths.push(...lines.values());
  }
  return lengths;
}"""

# WCAG contrast of an element's text against its own background, and that background.
CONTRAST = """(element) => {
  // rgb(…) in 0-255, or color(srgb …) in 0-1 (what color-mix() computes to).
  const rgb = (c) => c.match(/[\\d.]+/g).slice(0, 3).map((v) => Number(v) * (c.startsWith("color(") ? 255 : 1));
  const lum = ([r, g, b]) => [r, g, b].map((c) => (c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)
    .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
  const style = getComputedStyle(element);
  const text = lum(rgb(style.color)), ground = lum(rgb(style.backgroundColor));
  const page = rgb(getComputedStyle(document.body).backgroundColor);
  return {
    ratio: (Math.max(text, ground) + 0.05) / (Math.min(text, ground) + 0.05),
    background: style.backgroundColor,
    // How far the mark's colour is from the page's (RGB distance; 0 = the same colour,
    // as a transparent background is).
    distance: /rgba\\(.*,\\s*0\\)$/.test(style.backgroundColor) ? 0
      : Math.hypot(...rgb(style.backgroundColor).map((c, i) => c - page[i])),
  };
}"""

# Where an element and the heading of its section are, in the viewport.
IN_VIEW = """(element) => {
  const heading = element.closest('section').querySelector(':scope > :is(h1, h2, h3, h4, h5, h6)');
  const header = document.querySelector('.mobile-header');
  const covered = header && getComputedStyle(header).display !== 'none' ? header.getBoundingClientRect().bottom : 0;
  const box = (e) => { const r = e.getBoundingClientRect(); return [r.top, r.bottom]; };
  return { target: box(element), heading: box(heading), top: covered, bottom: innerHeight };
}"""

SCREENS = {"desktop": DESKTOP, "phone": PHONE}


def visible(where: dict) -> bool:
    """Both the target and its heading wholly between the header and the window's bottom."""
    return all(where["top"] <= top and bottom <= where["bottom"] for top, bottom in (where["target"], where["heading"]))


# --- The switcher keeps the place ----------------------------------------------------------

# Every kind of page, with the place a reader may be at: (English page, query, fragment).
PLACES = [
    ("article/colossus.html", "", "#memory-storage-and-power"),
    ("article/colossus.html", "", "#article-colossus-fig-colossus-power"),
    ("glossary.html", "", "#fig-colossus-power"),
    ("search.html", "?q=Colossus", ""),
    ("single/index.html", "", "#the-price-tag"),
    ("about.html", "", "#how-to-cite-it"),
    ("data.html", "?q=x", "#the-data-files"),
    ("downloads.html", "", "#printing"),
    ("implications.html", "", ""),
    ("index.html", "?q=GPU", "#at-a-glance"),
]


@pytest.mark.parametrize(("direction", "screen"), [("en-fr", "desktop"), ("fr-en", "phone")])
def test_the_switcher_keeps_query_and_fragment(tabs: Any, html_dir: Path, direction: str, screen: str) -> None:
    tab = tabs(html_dir, viewport=SCREENS[screen])
    start, end = ("", "fr/") if direction == "en-fr" else ("fr/", "")
    for page, query, fragment in PLACES:
        tab.open(start + page + query + fragment)
        assert not fragment or tab.page.evaluate("(id) => !!document.getElementById(id)", fragment[1:]), (
            f"{start}{page} has no {fragment}: the test's place is out of date")
        with tab.page.expect_navigation():
            tab.page.locator(".edition-switcher a").click()
        url = urlsplit(tab.page.url)
        expected = (html_dir / (end + page)).resolve()
        assert Path(unquote(url.path)) == expected, f"{start}{page}: the switcher opened {tab.page.url}"
        assert (f"?{url.query}" if url.query else "") == query, f"{start}{page}: query {url.query!r}, not {query!r}"
        assert ("#" + url.fragment if url.fragment else "") == fragment, f"{start}{page}: fragment {url.fragment!r}"
        if fragment:
            target = tab.page.locator(f"[id='{fragment[1:]}']")
            target.wait_for()
            assert target.is_visible() and tab.page.evaluate(
                "(e) => { const r = e.getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight; }",
                target.element_handle()), f"{end}{page}{fragment} is not on screen"
        assert not tab.watch.problems(tab.page), tab.watch.problems(tab.page)


def test_the_french_search_page_runs_the_query_it_was_given(tabs: Any, html_dir: Path) -> None:
    tab = tabs(html_dir, viewport=DESKTOP)
    tab.open("search.html?q=Colossus")
    with tab.page.expect_navigation():
        tab.page.locator(".edition-switcher a").click()
    assert tab.page.locator("form input[name=q]").first.input_value() == "Colossus"
    tab.page.locator("#search-results li").first.wait_for()
    assert "/fr/" in tab.page.locator("#search-results li a").first.evaluate("(a) => a.href")


# --- A visible landing ------------------------------------------------------------------


@pytest.mark.parametrize(("screen", "scheme"), [("desktop", "light"), ("phone", "dark")])
def test_a_mentioned_in_link_lands_on_the_mention_marked_under_its_heading(
        tabs: Any, html_dir: Path, screen: str, scheme: str) -> None:
    tab = tabs(html_dir, viewport=SCREENS[screen], theme=scheme, color_scheme=scheme)
    # A short section (the mention and its heading fit), long ones (the heading is pinned).
    for entry in ("fig-colossus-power", "fig-colossus-hardware-cost"):
        tab.open(f"glossary.html#{entry}")
        links = tab.page.locator(f"[id='{entry}'] + dd .mentioned-in a")
        hrefs = [link.evaluate("(a) => a.href") for link in links.all()]
        assert len(hrefs) >= 2, f"{entry}: {hrefs}"
        with tab.page.expect_navigation():
            links.first.click()  # as a reader does; the others load their address alike
        for index, href in enumerate(hrefs):
            if index:
                tab.open(href)
            settle(tab.page)
            handle = tab.page.locator(f"[id='{unquote(urlsplit(href).fragment)}']").element_handle()
            where = f"{entry} -> {href} ({screen}, {scheme})"
            place = tab.page.evaluate(IN_VIEW, handle)
            assert visible(place), f"{where}: the mention or its heading is off screen: {place}"
            colours = tab.page.evaluate(CONTRAST, handle)
            assert colours["distance"] > 60, f"{where}: the mention is not marked ({colours})"
            assert colours["ratio"] >= 4.5, f"{where}: the marked mention's contrast is {colours['ratio']:.1f}"
    assert not tab.watch.problems(tab.page), tab.watch.problems(tab.page)


@pytest.mark.parametrize("screen", SCREENS)
def test_a_search_hit_for_a_figure_lands_on_the_mention(tabs: Any, html_dir: Path, screen: str) -> None:
    """Search links a figure's hit to "<page>#<mention id>" (macrohard-search.js): the same landing."""
    tab = tabs(html_dir, viewport=SCREENS[screen])
    tab.open("search.html?q=300%20MW")
    hit = tab.page.locator("#search-results a[href*='#article-']").first
    hit.wait_for()
    target_id = unquote(urlsplit(hit.get_attribute("href")).fragment)
    with tab.page.expect_navigation():
        hit.click()
    settle(tab.page)
    handle = tab.page.locator(f"[id='{target_id}']").element_handle()
    assert visible(tab.page.evaluate(IN_VIEW, handle)), f"{tab.page.url}: the mention or its heading is off screen"
    assert tab.page.evaluate(CONTRAST, handle)["distance"] > 60


def test_the_mark_does_not_print(tabs: Any, html_dir: Path) -> None:
    tab = tabs(html_dir, viewport=DESKTOP)
    tab.open("article/colossus.html#article-colossus-fig-colossus-power")
    tab.page.emulate_media(media="print")
    handle = tab.page.locator("#article-colossus-fig-colossus-power").element_handle()
    assert tab.page.evaluate(CONTRAST, handle)["background"] in ("rgba(0, 0, 0, 0)", "transparent")


# --- Reading comfort -------------------------------------------------------------------

MEASURED = ["article/colossus.html", "fr/article/money.html", "fr/glossary.html", "index.html", "about.html"]


@pytest.mark.parametrize("width", [1280, 1920])
def test_lines_keep_a_readable_measure(tabs: Any, html_dir: Path, width: int) -> None:
    tab = tabs(html_dir, viewport={"width": width, "height": 900})
    for page in MEASURED:
        tab.open(page)
        settle(tab.page)
        lengths = sorted(tab.page.evaluate(LINE_LENGTHS))
        assert len(lengths) > 10, f"{page}: no running text measured"
        assert lengths[-1] <= 80, f"{page} at {width} px: lines of up to {lengths[-1]} characters"
        # A measure, not a squeeze: the fuller lines still carry 55 characters or more.
        assert lengths[len(lengths) * 3 // 4] >= 55, f"{page} at {width} px: lines too short ({lengths})"


def test_headings_suit_short_sections(tabs: Any, html_dir: Path) -> None:
    tab = tabs(html_dir, viewport=DESKTOP)
    for page in ("article/colossus.html", "fr/article/colossus.html", "glossary.html"):
        tab.open(page)
        sizes = tab.page.evaluate("""() => Object.fromEntries(['h1', 'h2', 'p'].map(t =>
            [t, parseFloat(getComputedStyle(document.querySelector(`article[role=main] section ${t}`)).fontSize)]))""")
        assert sizes["h2"] <= 1.6 * sizes["p"], f"{page}: h2 {sizes['h2']} px over body {sizes['p']} px"
        assert sizes["p"] < sizes["h2"] < sizes["h1"], f"{page}: {sizes}"


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_first_screen_names_the_source_and_shows_figures(
        tabs: Any, html_dir: Path, screen: str, language: str) -> None:
    tab = tabs(html_dir, viewport=SCREENS[screen])
    requested: list[str] = []
    tab.page.on("request", lambda r: requested.append(r.url))
    prefix = "" if language == "en" else "fr/"
    tab.open(f"{prefix}index.html")
    settle(tab.page)
    height = SCREENS[screen]["height"]
    source = tab.page.locator(".source-line")
    assert "Macrohard" in source.inner_text() and "juste avec l’IA" in source.inner_text()
    assert source.bounding_box()["y"] + source.bounding_box()["height"] <= height, "the source is below the first screen"
    cards = tab.page.locator(".figure-cards li")
    assert cards.count() >= 4
    glossary = tab.page.context.new_page()
    glossary.goto((html_dir / f"{prefix}glossary.html").as_uri())
    for index in range(cards.count()):
        card = cards.nth(index)
        box = card.bounding_box()
        assert box["y"] + box["height"] <= height, f"figure card {index} is below the first screen ({screen})"
        value = card.locator(".figure-value")
        # Each card shows the figure as its glossary entry states it, and links there.
        anchor = urlsplit(value.locator("xpath=..").get_attribute("href")).fragment
        stated = glossary.locator(f"[id='{anchor}'] + dd .fact-value .figure-value").inner_text()
        assert value.inner_text() == stated, f"card {index}: {value.inner_text()!r}, the glossary says {stated!r}"
        # The value is the card's headline: larger than its caption, on a line of its own.
        assert tab.page.evaluate("(e) => getComputedStyle(e).display", value.element_handle()) == "block"
        assert card.evaluate("(c) => c.scrollWidth <= c.clientWidth"), f"card {index} overflows ({screen})"
    glossary.close()
    weight = sum(Path(unquote(urlsplit(u).path)).stat().st_size for u in requested if u.startswith("file:"))
    assert weight <= 120 * 1024, f"the landing page loads {weight} bytes"
