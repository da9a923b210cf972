"""The charts as Chromium lays them out, on a phone (390 px) and a desktop
(1280 px), in both editions: titled, legible, nothing overlapping or cut off,
the largest bar across the plot, and no accessibility violation in light or
dark mode (on a phone here; on a desktop with every page, in tests/browser)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from charts_helpers import CHART_PAGES
from helpers import Browsing, Edition, describe_violations, run_axe

WIDTHS = (390, 1280)
# Smallest rendered text size allowed, by viewport width (issue 17).
MIN_TEXT_PX = {390: 12, 1280: 13}

# Everything about one chart that the checks below need, measured in the page.
MEASURE = """(figure) => {
  const svg = figure.querySelector('svg.chart-svg');
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
  return {svg: svgBox, texts, html, bars, axes,
          title: part('.chart-title'), subtitle: part('.chart-subtitle'),
          source: part('.chart-source'), key: part('.chart-key')};
}"""


@pytest.fixture(scope="module", params=WIDTHS, ids=[f"{w}px" for w in WIDTHS])
def width(request: pytest.FixtureRequest) -> int:
    return request.param


@pytest.fixture(scope="module")
def page(browsing: Browsing, width: int) -> Iterator:
    """One page per width, reused by the module's tests."""
    tab = browsing.new_tab(keep=True, viewport={"width": width, "height": 900}, bypass_csp=True)
    yield tab.page
    tab.page.close()


def measure(page, edition: Edition, name: str, open_numbers: bool = True) -> dict:
    page.goto((edition.html_dir / CHART_PAGES[name]).as_uri(), wait_until="load")
    figure = page.locator(f"figure#chart-{name}")
    if open_numbers:  # the table's text is checked too, as a reader who opens it sees it
        figure.evaluate("f => f.querySelector('details').open = true")
    return figure.evaluate(MEASURE)


def overlap(a: dict, b: dict) -> float:
    w = min(a["right"], b["right"]) - max(a["left"], b["left"])
    h = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
    return max(w, 0) * max(h, 0)


@pytest.mark.parametrize("name", sorted(CHART_PAGES))
def test_chart_is_titled_legible_and_nothing_collides(page, edition: Edition, width: int, name: str) -> None:
    found = measure(page, edition, name)
    assert found["title"] and found["subtitle"] and found["source"] and found["key"]
    smallest = MIN_TEXT_PX[width]
    # Every text, in the SVG and around it, at or above the size readers need.
    small = [(t["text"], round(t["px"], 1)) for t in found["texts"] if t["px"] < smallest - 0.01]
    small += [(t["text"], t["px"]) for t in found["html"] if t["px"] < smallest - 0.01]
    assert not small, f"{name} at {width}px: text below {smallest}px: {small}"
    assert len(found["texts"]) >= 5 and len(found["html"]) >= 5
    # No two text boxes of the chart overlap.
    texts = found["texts"]
    clashes = [(a["text"], b["text"]) for i, a in enumerate(texts) for b in texts[i + 1:]
               if overlap(a["box"], b["box"]) > 1]
    assert not clashes, f"{name} at {width}px: overlapping text: {clashes}"
    # None is cut off by the SVG's box.
    svg = found["svg"]
    clipped = [t["text"] for t in texts
               if t["box"]["left"] < svg["left"] - 0.5 or t["box"]["right"] > svg["right"] + 0.5
               or t["box"]["top"] < svg["top"] - 0.5 or t["box"]["bottom"] > svg["bottom"] + 0.5]
    assert not clipped, f"{name} at {width}px: text outside the chart: {clipped}"


@pytest.mark.parametrize("name", sorted(CHART_PAGES))
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


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_chart_pages_have_no_axe_violation_on_a_phone(tabs, edition: Edition, scheme: str) -> None:
    """At a phone's width, the numbers open, in light and dark mode. (At a
    desktop's width every page is checked so: tests/browser/test_browser_axe.py.)"""
    tab = tabs(theme=scheme, axe=True, color_scheme=scheme, viewport={"width": 390, "height": 900})
    report = []
    for name, chart_page in sorted(CHART_PAGES.items()):
        tab.open(edition.html_dir / chart_page)
        assert tab.page.evaluate("document.body.dataset.theme") == scheme
        tab.page.locator(f"figure#chart-{name}").evaluate("f => f.querySelector('details').open = true")
        result = run_axe(tab.page)
        assert result["passes"] > 10
        report += describe_violations(f"{scheme} {chart_page}", result["violations"])
    assert not report, "\n".join(report)


def test_chart_pages_stay_within_the_page_budget(edition: Edition) -> None:
    """Each chart page, with everything it loads, at most 120 KB (both editions)."""
    from test_epub_and_budget import bench

    measure_bytes = bench()
    for chart_page in CHART_PAGES.values():
        weight = measure_bytes.page_transfer(edition.html_dir / chart_page)
        assert weight <= 120 * 1024, f"{edition.language} {chart_page}: {weight} bytes"
