"""The charts as Chromium lays them out, on a phone (390 px) and a desktop
(1280 px), in both editions: titled, legible, nothing overlapping or cut off
in the page's own fonts and in four faces forced on it, labels wrapped only
where the width requires it, the largest bar across the plot, nothing over a
chart's title, the numbers table legible, and no accessibility violation in
light or dark mode (on a phone here; on a desktop with every page, in tests/browser)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from charts_helpers import CHART_PAGES
from helpers import Browsing, Edition, axe_light_then_dark

WIDTHS = (390, 1280)
# Faces a reader may have, forced on the whole page: Liberation Sans (Arial's
# metric twin, what Helvetica and Arial resolve to on most Linux desktops),
# Liberation Sans Narrow (narrower), DejaVu Sans (the wide Linux fallback) and
# DejaVu Serif (wider still: an e-reader imposing its serif face). Debian's
# fonts-liberation and fonts-dejavu-core hold them (.ci/run installs both);
# a missing face fails the test.
FACES = ("Liberation Sans", "Liberation Sans Narrow", "DejaVu Sans", "DejaVu Serif")
# Smallest rendered text size allowed, by viewport width (issue 17).
MIN_TEXT_PX = {390: 12, 1280: 13}

# Everything about one chart that the checks below need, measured in the page.
MEASURE = """(figure) => {
  // The layout on show at this width (the phone's or the desktop's).
  const shown = [...figure.querySelectorAll('svg.chart-svg')].filter(s => s.getClientRects().length);
  const svg = shown[0];
  const box = r => ({left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height});
  const svgBox = box(svg.getBoundingClientRect());
  const texts = [...svg.querySelectorAll('text')].map(t => {
    const ctm = t.getScreenCTM();
    return {text: t.textContent, box: box(t.getBoundingClientRect()),
            px: parseFloat(getComputedStyle(t).fontSize) * Math.hypot(ctm.a, ctm.b)};
  });
  const html = [...figure.querySelectorAll('p, summary, a, caption, th, td')]
    .filter(e => e.getClientRects().length && e.textContent.trim())
    .map(e => ({text: e.textContent.trim().slice(0, 40), px: parseFloat(getComputedStyle(e).fontSize),
                cls: e.className}));
  // Bars grouped by panel: bars that share a tick row (the next axis below them).
  const bars = [...svg.querySelectorAll('rect.bar')].map(r => box(r.getBoundingClientRect()));
  const axes = [...svg.querySelectorAll('.chart-tick text')].map(t => t.getBoundingClientRect().top);
  const part = sel => { const e = figure.querySelector(sel); return e ? e.textContent.trim() : ''; };
  return {svg: svgBox, texts, html, bars, axes, shown: shown.length,
          title: part('.chart-title'), subtitle: part('.chart-subtitle'),
          source: part('.chart-source'), key: part('.chart-key')};
}"""


@pytest.fixture(scope="module", params=WIDTHS, ids=[f"{w}px" for w in WIDTHS])
def width(request: pytest.FixtureRequest) -> int:
    return request.param


@pytest.fixture(scope="module")
def pages(browsing: Browsing) -> Iterator[dict[int, Any]]:
    """The module's pages, one per width, kept while tests of either width alternate."""
    kept: dict[int, Any] = {}
    yield kept
    for page in kept.values():
        page.close()


@pytest.fixture
def page(browsing: Browsing, pages: dict[int, Any], width: int) -> Any:
    """The page of this width, reused by the module's tests (see `show`)."""
    if width not in pages:
        pages[width] = browsing.new_tab(keep=True, viewport={"width": width, "height": 900}, bypass_csp=True).page
    return pages[width]


def show(page, edition: Edition, name: str, open_numbers: bool = False):
    """The chart *name* in *page*, its numbers table open or closed; returns its figure.

    The page is loaded unless it shows that chart already, in its own fonts: the
    tests of one chart run one after another (their `name` is module-scoped) and
    share one load, as a reader who reads a chart, then opens its numbers."""
    url = (edition.html_dir / CHART_PAGES[name]).as_uri()
    if page.url != url or page.evaluate("!!document.getElementById('forced-face')"):
        page.goto(url, wait_until="load")
    figure = page.locator(f"figure#chart-{name}")
    figure.evaluate("(f, open) => { f.querySelector('details').open = open; }", open_numbers)
    return figure


def measure(page, edition: Edition, name: str, open_numbers: bool = True) -> dict:
    # open_numbers: the table's text is checked too, as a reader who opens it sees it.
    return show(page, edition, name, open_numbers).evaluate(MEASURE)


def force_face(page, face: str) -> None:
    """Draw the whole page in *face*, as a reader whose machine has that face would see it."""
    page.evaluate("""(face) => {
      let style = document.getElementById('forced-face');
      if (!style) { style = document.createElement('style'); style.id = 'forced-face'; document.head.append(style); }
      style.textContent = `html, body, svg text { font-family: "${face}" !important }`;
    }""", face)
    # The face is installed (a missing one would fall back to the same generic twice) and in use.
    found = page.evaluate("""(face) => {
      const c = document.createElement('canvas').getContext('2d');
      const width = (font) => { c.font = font; return c.measureText('Wimpy 1,550 MW').width; };
      const shown = [...document.querySelectorAll('svg.chart-svg .chart-label text, svg.chart-svg text.chart-label')]
        .find(t => t.getClientRects().length);
      return {installed: width(`14px "${face}", monospace`) !== width('14px monospace'),
              drawn: shown.getComputedTextLength(),
              expected: (c.font = `14px "${face}"`, c.measureText(shown.textContent).width)};
    }""", face)
    assert found["installed"], f"the face {face!r} is not installed (Debian: fonts-liberation, fonts-dejavu-core)"
    assert found["drawn"] == pytest.approx(found["expected"], abs=0.5), (face, found)


def collisions(found: dict) -> tuple[list, list]:
    """Pairs of texts that overlap, and texts cut off by the SVG's box."""
    texts, svg = found["texts"], found["svg"]
    clashes = [(a["text"], b["text"]) for i, a in enumerate(texts) for b in texts[i + 1:]
               if overlap(a["box"], b["box"]) > 1]
    clipped = [t["text"] for t in texts
               if t["box"]["left"] < svg["left"] - 0.5 or t["box"]["right"] > svg["right"] + 0.5
               or t["box"]["top"] < svg["top"] - 0.5 or t["box"]["bottom"] > svg["bottom"] + 0.5]
    return clashes, clipped


def overlap(a: dict, b: dict) -> float:
    w = min(a["right"], b["right"]) - max(a["left"], b["left"])
    h = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
    return max(w, 0) * max(h, 0)


@pytest.mark.parametrize("name", sorted(CHART_PAGES), scope="module")
def test_chart_is_titled_legible_and_nothing_collides(page, edition: Edition, width: int, name: str) -> None:
    found = measure(page, edition, name)
    assert found["title"] and found["subtitle"] and found["source"] and found["key"]
    smallest = MIN_TEXT_PX[width]
    # Every text, in the SVG and around it, at or above the size readers need.
    small = [(t["text"], round(t["px"], 1)) for t in found["texts"] if t["px"] < smallest - 0.01]
    small += [(t["text"], t["px"]) for t in found["html"] if t["px"] < smallest - 0.01]
    assert not small, f"{name} at {width}px: text below {smallest}px: {small}"
    assert len(found["texts"]) >= 5 and len(found["html"]) >= 5
    assert found["shown"] == 1, f"{name} at {width}px: {found['shown']} layouts on show"
    # No two text boxes of the chart overlap, and none is cut off by the SVG's box.
    clashes, clipped = collisions(found)
    assert not clashes, f"{name} at {width}px: overlapping text: {clashes}"
    assert not clipped, f"{name} at {width}px: text outside the chart: {clipped}"


def test_charts_hold_in_any_face(page, edition: Edition, width: int) -> None:
    """Each chart drawn in each face forced on the page: nothing overlaps, nothing is cut off."""
    problems = []
    for name in sorted(CHART_PAGES):
        show(page, edition, name)
        for face in FACES:
            force_face(page, face)
            found = page.locator(f"figure#chart-{name}").evaluate(MEASURE)
            clashes, clipped = collisions(found)
            problems += ([f"{face}, {name}: {a!r} over {b!r}" for a, b in clashes]
                         + [f"{face}, {name}: {t!r} cut off" for t in clipped])
    assert not problems, f"at {width}px: {problems}"


# The label lines of a chart, grouped by label: consecutive lines of one class
# at one x, a line apart. Each group with the room it had: the plot's width
# for a label at the left edge, half of it for an event's label on the calendar.
LABEL_LINES = """(figure) => {
  const svg = [...figure.querySelectorAll('svg.chart-svg')].find(s => s.getClientRects().length);
  const width = svg.getBoundingClientRect().width;
  const groups = [];
  let last = null;
  const kind = t => t.getAttribute('class') || t.parentNode.getAttribute('class');
  for (const t of svg.querySelectorAll('text')) {
    if (!['chart-label', 'chart-aside'].includes(kind(t))) { last = null; continue; }
    const same = last && kind(last) === kind(t)
      && last.getAttribute('x') === t.getAttribute('x')
      && Math.abs(parseFloat(t.getAttribute('y')) - parseFloat(last.getAttribute('y')) - 18) < 0.1;
    if (!same) groups.push({room: t.getAttribute('x') === '1' ? width : width / 2, lines: []});
    groups[groups.length - 1].lines.push(t.textContent);
    last = t;
  }
  const c = document.createElement('canvas').getContext('2d');
  const font = getComputedStyle(svg.querySelector('.chart-label text, text.chart-label'));
  c.font = `${font.fontSize} ${font.fontFamily}`;
  // For each break: how wide the line would be with the next line's first word.
  return groups.flatMap(g => g.lines.slice(1).map((next, i) => ({
    line: g.lines[i], room: g.room, joined: c.measureText(g.lines[i] + ' ' + next.split(' ')[0]).width})));
}"""


@pytest.mark.parametrize("name", sorted(CHART_PAGES), scope="module")
def test_labels_wrap_only_where_the_width_requires_it(page, edition: Edition, width: int, name: str) -> None:
    """A label breaks only where its next word would not fit. The layout plans
    for the widest face in a 340 px column, so in a narrower face a break may
    come early, by up to three tenths of the room (Liberation Sans is about an
    eighth narrower than DejaVu Sans, the plan a tenth wider than it)."""
    breaks = show(page, edition, name).evaluate(LABEL_LINES)
    needless = [b["line"] for b in breaks if b["joined"] < 0.7 * b["room"]]
    assert not needless, f"{name} at {width}px: lines broken with room to spare: {needless}"


def test_back_to_top_covers_no_chart_title_on_a_phone(tabs, edition: Edition) -> None:
    """furo shows its "Back to top" pill as one scrolls up; a chart title just
    under the phone's header stays in view, the pill sits in the header."""
    tab = tabs(viewport={"width": 390, "height": 844})
    for name, chart_page in sorted(CHART_PAGES.items()):
        tab.open(edition.html_dir / chart_page)
        found = tab.page.evaluate("""(name) => {
          document.documentElement.classList.add('show-back-to-top');  // furo's state while one scrolls up
          const header = document.querySelector('.mobile-header').getBoundingClientRect();
          const title = document.querySelector(`#chart-${name} .chart-title`);
          const top = window.scrollY + title.getBoundingClientRect().top - header.bottom - 2;
          window.scrollTo({top, behavior: 'instant'});
          const box = title.getBoundingClientRect();
          const pill = document.querySelector('.back-to-top').getBoundingClientRect();
          const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
          return {onTitle: title.contains(hit), pillShown: pill.height > 0, pillBottom: pill.bottom,
                  headerBottom: header.bottom, hit: hit && hit.className};
        }""", name)
        assert found["pillShown"], name
        assert found["onTitle"], f"{name}: the title is covered by {found['hit']!r}"
        assert found["pillBottom"] <= found["headerBottom"] + 0.5, (name, found)


def test_numbers_table_is_legible_on_a_phone(page, edition: Edition, width: int) -> None:
    """Opened, each row's label reads in at most two lines (on a phone, its figure and source go below it)."""
    for name, chart_page in sorted(CHART_PAGES.items()):
        found = measure(page, edition, name)
        assert found["shown"] == 1
        lines, spilled = page.locator(f"figure#chart-{name}").evaluate("""(figure) => [
          [...figure.querySelectorAll('tbody th')].map(th => {
            const p = th.querySelector('p') || th;
            const lines = p.getBoundingClientRect().height / parseFloat(getComputedStyle(p).lineHeight);
            return [th.textContent.trim(), Math.round(lines)];
          }),
          // A cell's text that runs out of its cell, over the next one.
          [...figure.querySelectorAll('tbody td p')].filter(p => p.scrollWidth > p.clientWidth + 1)
            .map(p => p.textContent.trim())]""")
        assert lines
        long = [(label, count) for label, count in lines if count > 2]
        assert not long, f"{name} at {width}px: labels of the numbers table over two lines: {long}"
        assert not spilled, f"{name} at {width}px: figures running out of their cells: {spilled}"


@pytest.mark.parametrize("name", sorted(CHART_PAGES), scope="module")
def test_largest_bar_spans_the_plot(page, edition: Edition, width: int, name: str) -> None:
    found = measure(page, edition, name, open_numbers=False)
    svg, bars = found["svg"], found["bars"]
    assert bars, name
    # The chart is as wide as the column (running text keeps a narrower measure).
    column = page.evaluate("document.querySelector('article section').getBoundingClientRect().width")
    assert svg["width"] == pytest.approx(column, abs=1)
    # Bars of one panel share the first tick row below them; each panel's largest spans the plot.
    panels: dict[float, list[dict]] = {}
    for bar in bars:
        axis = min(a for a in found["axes"] if a > bar["bottom"])
        panels.setdefault(axis, []).append(bar)
    for panel in panels.values():
        largest = max(b["width"] for b in panel)
        assert largest >= 0.9 * svg["width"], (name, width, largest, svg["width"])


@pytest.fixture(scope="module")
def phone_axe(browsing: Browsing) -> Iterator[Callable[[Edition], dict[str, list[str]]]]:
    """phone_axe(edition) -> axe's violations on its chart pages at a phone's
    width, the chart's numbers open, by mode: each page loaded once and checked
    in light then dark mode (helpers.axe_light_then_dark), once per edition."""
    tab = browsing.new_tab(theme="light", axe=True, keep=True, color_scheme="light",
                           viewport={"width": 390, "height": 900})
    reports: dict[str, dict[str, list[str]]] = {}

    def report(edition: Edition) -> dict[str, list[str]]:
        if edition.language not in reports:
            reports[edition.language] = {"light": [], "dark": []}
            for name, chart_page in sorted(CHART_PAGES.items()):
                tab.open(edition.html_dir / chart_page)
                tab.page.locator(f"figure#chart-{name}").evaluate("f => f.querySelector('details').open = true")
                for scheme, lines in axe_light_then_dark(tab, chart_page).items():
                    reports[edition.language][scheme] += lines
        return reports[edition.language]

    yield report
    tab.page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_chart_pages_have_no_axe_violation_on_a_phone(phone_axe, edition: Edition, scheme: str) -> None:
    """At a phone's width, the numbers open, in light and dark mode. (At a
    desktop's width every page is checked so: tests/browser/test_browser_axe.py.)"""
    report = phone_axe(edition)[scheme]
    assert not report, "\n".join(f"{scheme} {line}" for line in report)


def test_chart_pages_stay_within_the_page_budget(edition: Edition) -> None:
    """Each chart page, with everything it loads, at most 120 KB (both editions)."""
    from test_epub_and_budget import bench

    measure_bytes = bench()
    for chart_page in CHART_PAGES.values():
        weight = measure_bytes.page_transfer(edition.html_dir / chart_page)
        assert weight <= 120 * 1024, f"{edition.language} {chart_page}: {weight} bytes"
