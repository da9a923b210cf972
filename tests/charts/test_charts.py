"""Each chart, as a reader gets it: an SVG with real text that says what the
data says, a text alternative, and the numbers as a table."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from macrohard_docs.figures.data import Dataset, Derived
from macrohard_docs.figures.formatting import format_figure

from charts_helpers import CHART_PAGES, DOCS, HtmlEdition, sphinx_build

# The bars of each chart, in story order (the timeline is tested on its own).
BARS = {
    "gpus": ["colossus-gpus-initial", "colossus-gpus-doubled", "colossus-2-gpus", "projection-gpus"],
    "power": ["colossus-power", "projection-power"],
    "money": ["xai-funding-raised", "xai-funding-promised", "xai-valuation", "military-contract",
              "colossus-hardware-cost", "azure-revenue"],
}
# Figures the table of numbers holds besides the bars.
TABLE_EXTRA = {"power": ["colossus-power-homes", "projection-power-ratio"]}


def text_of(data: Dataset, figure_id: str, language: str) -> str:
    item = data.figure_or_derived(figure_id)
    assert item is not None, figure_id
    return format_figure(item, data, language)


def base_value(data: Dataset, figure_id: str) -> Decimal:
    item = data.figure_or_derived(figure_id)
    value = data.derived_value(item) if isinstance(item, Derived) else item.value
    assert isinstance(value, Decimal)
    return value * data.units[item.unit].scale


def chart(soup: BeautifulSoup, name: str) -> Tag:
    figure = soup.select_one(f"figure#chart-{name}")
    assert figure is not None, f"no chart {name!r} on the page"
    return figure


def svg_texts(figure: Tag, cls: str) -> list[str]:
    return [t.get_text() for t in figure.select(f"svg text.{cls}")]


@pytest.mark.parametrize("name", sorted(CHART_PAGES))
def test_chart_is_an_accessible_svg_with_real_text(edition: HtmlEdition, name: str) -> None:
    figure = chart(edition.soup(CHART_PAGES[name]), name)
    svg = figure.find("svg", recursive=False)
    assert svg is not None and svg.get("role") == "img"
    title = svg.find("title", id=svg["aria-labelledby"])
    assert title is not None and title.get_text().strip()
    # The text alternative: a caption the SVG points to, saying it in words.
    caption = figure.find("figcaption", id=svg["aria-describedby"])
    assert caption is not None and len(caption.get_text()) > 80
    # Labels are text, not outlines: one label and one value per bar at least.
    assert len(svg.find_all("text")) >= 2 * len(svg.find_all("rect"))
    assert all(t.get_text().strip() for t in svg.find_all("text"))
    # Colours follow the page (light, dark, print): nothing hard-coded.
    markup = str(svg)
    assert re.search(r'(fill|stroke|color)="(?!currentColor|none)', markup) is None
    assert "currentColor" in markup and "style=" not in markup
    # Lines are strokes: a path left to inherit the SVG's fill would draw a wedge.
    assert all(p.get("fill") == "none" for p in svg.find_all("path"))


@pytest.mark.parametrize("name", sorted(BARS))
def test_bar_values_match_the_data_in_story_order(edition: HtmlEdition, data: Dataset, name: str) -> None:
    figure = chart(edition.soup(CHART_PAGES[name]), name)
    expected = [text_of(data, i, edition.language) for i in BARS[name]]
    assert svg_texts(figure, "chart-value") == expected


@pytest.mark.parametrize("name", sorted(BARS))
def test_bar_lengths_are_proportional_to_the_values(edition: HtmlEdition, data: Dataset, name: str) -> None:
    figure = chart(edition.soup(CHART_PAGES[name]), name)
    widths = [float(r["width"]) for r in figure.select("svg rect.bar")]
    values = [base_value(data, i) for i in BARS[name]]
    largest = values.index(max(values))
    for width, value in zip(widths, values, strict=True):
        expected = widths[largest] * float(value / values[largest])
        if expected >= 2:  # a sliver is drawn at least 1.5 wide to stay visible
            assert width == pytest.approx(expected, rel=0.01, abs=0.1)


@pytest.mark.parametrize("name", sorted(BARS))
def test_table_and_caption_give_the_same_numbers(edition: HtmlEdition, data: Dataset, name: str) -> None:
    figure = chart(edition.soup(CHART_PAGES[name]), name)
    table = figure.find("table")
    assert table is not None and table.find("caption") is not None
    rows = table.select("tbody tr")
    ids = BARS[name] + TABLE_EXTRA.get(name, [])
    cells = [r.find_all("td")[0].get_text() for r in rows]
    assert sorted(cells) == sorted(text_of(data, i, edition.language) for i in ids)
    # Each row is headed by what it is, for screen readers.
    assert all(r.find("th") and r.find("th").get_text().strip() for r in rows)
    caption = figure.find("figcaption").get_text()
    for figure_id in ids:
        assert text_of(data, figure_id, edition.language) in caption


def test_timeline_dates_in_order_and_durations_without_a_date(edition: HtmlEdition, data: Dataset) -> None:
    figure = chart(edition.soup(CHART_PAGES["timeline"]), "timeline")
    dated = sorted((f for f in data.figures.values() if isinstance(f.value, dt.date)), key=lambda f: f.value)
    assert len(dated) >= 2
    assert svg_texts(figure, "chart-date") == [format_figure(f, data, edition.language) for f in dated]
    dots = [float(c["cy"]) for c in figure.select("svg circle.chart-dot")]
    assert dots == sorted(dots) and len(dots) == len(dated)
    # Durations: drawn one after the other from an undated origin, never on the calendar.
    durations = ["colossus-build-time", "colossus-doubling-time"]
    assert svg_texts(figure, "chart-value") == [text_of(data, i, edition.language) for i in durations]
    build, doubling = figure.select("svg rect.bar")
    assert float(doubling["x"]) == pytest.approx(float(build["x"]) + float(build["width"]), abs=0.2)
    assert "bar-bound" in doubling["class"]  # "less than": an outline, not a solid bar
    assert svg_texts(figure, "chart-note"), "the chart must say the durations have no start date"
    if edition.language == "en":
        assert "no start date" in " ".join(svg_texts(figure, "chart-note"))
        assert "no start date" in figure.find("figcaption").get_text()


def test_power_chart_measures_with_homes(edition: HtmlEdition, data: Dataset) -> None:
    figure = chart(edition.soup(CHART_PAGES["power"]), "power")
    homes = data.figures["colossus-power-homes"]
    ticks = svg_texts(figure, "chart-tick")
    # The first step of the yardstick is the article's own comparison.
    from macrohard_docs.figures.formatting import format_number

    assert ticks[0] == format_number(homes.value, data.units[homes.unit], edition.language)
    assert len(ticks) == int(base_value(data, "projection-power") // base_value(data, "colossus-power"))


def test_charts_are_searchable_text(edition: HtmlEdition) -> None:
    index = (edition.root / "searchindex.js").read_text(encoding="utf-8")
    figure = chart(edition.soup(CHART_PAGES["gpus"]), "gpus")
    # A word of a bar label that the page's prose does not use.
    prose = edition.soup(CHART_PAGES["gpus"]).select_one("article")
    for bad in prose.select("figure"):
        bad.decompose()
    words = {w.lower().strip(",.'’") for t in svg_texts(figure, "chart-label") for w in t.split()}
    only_in_chart = sorted(w for w in words if w.isalpha() and len(w) > 3
                           and w not in prose.get_text().lower())
    assert only_in_chart, "expected a word found only in the chart"
    assert any(f'"{w}"' in index for w in only_in_chart)


@pytest.fixture(scope="module")
def french_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The French edition, built from the same pages and data."""
    return sphinx_build(tmp_path_factory.mktemp("fr"), "html", DOCS, "language=fr")


def test_french_charts_use_french_formatting(french_site: Path, data: Dataset) -> None:
    for name, ids in BARS.items():
        soup = BeautifulSoup((french_site / CHART_PAGES[name]).read_text(encoding="utf-8"), "html.parser")
        values = svg_texts(chart(soup, name), "chart-value")
        assert values == [text_of(data, i, "fr") for i in ids]
    assert text_of(data, "colossus-gpus-initial", "fr") != text_of(data, "colossus-gpus-initial", "en")
