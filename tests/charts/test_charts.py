"""Each chart, as a reader gets it: a titled SVG with real text that says what
the data says, a source line and key in words, what to notice, and the
numbers once more only in a collapsed table for those who want them."""

from __future__ import annotations

import datetime as dt
import itertools
import pickle
import re
from decimal import Decimal
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from charts_helpers import CHART_PAGES
from docutils import nodes
from helpers import Edition

from macrohard_docs.figures.data import Dataset, Derived, format_figure
from sphinx.util.nodes import extract_messages

# The bars of each chart, in story order, as the issue asks them drawn: the
# money chart holds one-off sums only (Azure's yearly revenue is off its axis).
BARS = {
    "gpus": ["colossus-gpus-initial", "colossus-gpus-doubled", "colossus-2-gpus", "projection-gpus"],
    "power": ["colossus-power", "projection-power"],
    "money": ["xai-funding-raised", "xai-funding-promised", "xai-valuation", "military-contract",
              "colossus-hardware-cost"],
}
# Figures said under the plot, off its axis.
ASIDES = {"power": ["colossus-power-homes", "projection-power-ratio"], "money": ["azure-revenue"]}
THE_NUMBERS = {"en": "The numbers", "fr": "Les chiffres"}
# A bar says its value in the axis unit when the article's converts exactly:
# one unit per axis and label (the numbers table keeps the article's "1.55 GW").
IN_AXIS_UNIT = {"en": {"projection-power": "1,550\u00a0MW"}, "fr": {"projection-power": "1\u202f550\u00a0MW"}}
# The last tick of each axis names its unit (French money: no room for it, the subtitle says dollars).
LAST_TICK_UNIT = {"en": {"gpus": "GPUs", "power": "MW", "money": "$", "timeline": "days"},
                  "fr": {"gpus": "GPU", "power": "MW", "timeline": "jours"}}


def text_of(data: Dataset, figure_id: str, language: str) -> str:
    item = data.figure_or_derived(figure_id)
    assert item is not None, figure_id
    return format_figure(item, data, language)


def bar_text_of(data: Dataset, figure_id: str, language: str) -> str:
    return IN_AXIS_UNIT[language].get(figure_id) or text_of(data, figure_id, language)


def base_value(data: Dataset, figure_id: str) -> Decimal:
    item = data.figure_or_derived(figure_id)
    value = data.derived_value(item) if isinstance(item, Derived) else item.value
    assert isinstance(value, Decimal)
    return value * data.units[item.unit].scale


def chart(soup: BeautifulSoup, name: str) -> Tag:
    figure = soup.select_one(f"figure#chart-{name}")
    assert figure is not None, f"no chart {name!r} on the page"
    return figure


def plot(figure: Tag, layout: str = "narrow") -> Tag:
    """The chart's SVG laid out for a phone ("narrow") or a desktop ("wide"), or its only one."""
    svgs = figure.select("div.chart-plot > svg")
    assert svgs and len(svgs) <= 2
    return next((s for s in svgs if layout in s["class"]), svgs[0])


def svg_texts(figure: Tag, cls: str, layout: str = "narrow") -> list[str]:
    """The texts of one class, on the text or on its group."""
    return [t.get_text() for t in plot(figure, layout).select("text")
            if cls in (t.get("class") or t.parent.get("class") or [])]


def percent(value: str) -> float:
    assert value.endswith("%"), value
    return float(value[:-1])


@pytest.mark.parametrize("name", sorted(CHART_PAGES))
def test_chart_is_a_titled_accessible_svg_with_real_text(edition: Edition, name: str) -> None:
    figure = chart(edition.soup(CHART_PAGES[name]), name)
    # Title and subtitle on top, in the figure's caption.
    caption = figure.find("figcaption")
    assert caption is not None and figure.find(True) is caption
    title, subtitle = caption.select_one("p.chart-title"), caption.select_one("p.chart-subtitle")
    assert title.get_text().strip() and subtitle.get_text().strip()
    # One image for assistive technology, named by the caption, whatever the layouts inside.
    plot_box = figure.find("div", class_="chart-plot", recursive=False)
    assert plot_box is not None and plot_box.get("role") == "img"
    assert plot_box["aria-labelledby"].split() == [title["id"], subtitle["id"]]
    # Described by what to notice and by the numbers table.
    notice_id, numbers_id = plot_box["aria-describedby"].split()
    assert figure.find("p", id=notice_id).get_text().strip()
    assert figure.find("table", id=numbers_id) is not None
    for svg in plot_box.find_all("svg", recursive=False):
        check_plot(svg)
    # The source line and a key in words follow the chart.
    assert figure.select_one("p.chart-source").get_text().strip()
    assert figure.select_one("p.chart-key").get_text().strip()


def check_plot(svg: Tag) -> None:
    # As wide as the column, and no viewBox: text keeps its size at every width.
    assert svg["width"] == "100%" and not svg.get("viewBox")
    # Labels are text, not outlines: one label and one value per bar at least.
    assert len(svg.find_all("text")) >= 2 * len(svg.find_all("rect"))
    assert all(t.get_text().strip() for t in svg.find_all("text"))
    # Colours follow the page (light, dark, print): nothing hard-coded.
    markup = str(svg)
    assert re.search(r'(fill|stroke|color)="(?!currentColor|none)', markup) is None
    assert "currentColor" in markup and "style=" not in markup
    assert all("currentColor" in (line.get("stroke"), line.parent.get("stroke")) for line in svg.find_all("line"))


def test_the_key_names_every_mark_in_words(edition: Edition) -> None:
    solid, dashed, dotted, ours, dot, bound = {
        "en": ("solid bar", "dashed outline", "dotted", "our arithmetic", "dot on the calendar", "less than"),
        "fr": ("barre pleine", "tirets", "pointillés", "notre calcul", "point sur le calendrier", "moins de"),
    }[edition.language]
    expected = {"gpus": [solid, dashed, dotted], "power": [solid, dotted, ours],
                "money": [solid, dashed], "timeline": [dot, solid, bound]}
    for name, words in expected.items():
        key = chart(edition.soup(CHART_PAGES[name]), name).select_one("p.chart-key").get_text()
        for word in words:
            assert word in key, (name, word, key)


@pytest.mark.parametrize("name", sorted(BARS))
def test_bar_values_match_the_data_in_story_order(edition: Edition, data: Dataset, name: str) -> None:
    figure = chart(edition.soup(CHART_PAGES[name]), name)
    expected = [bar_text_of(data, i, edition.language) for i in BARS[name]]
    assert svg_texts(figure, "chart-value") == expected == svg_texts(figure, "chart-value", "wide")
    asides = [text_of(data, i, edition.language) for i in ASIDES.get(name, [])]
    assert svg_texts(figure, "chart-aside-value") == asides


@pytest.mark.parametrize("name", sorted(BARS))
def test_bar_lengths_are_proportional_and_the_largest_fills_the_plot(
        edition: Edition, data: Dataset, name: str) -> None:
    figure = chart(edition.soup(CHART_PAGES[name]), name)
    widths = [percent(r["width"]) for r in plot(figure).select("rect.bar")]
    assert all(r["x"] == "0" for r in plot(figure).select("rect.bar"))
    values = [base_value(data, i) for i in BARS[name]]
    assert max(widths) == pytest.approx(100)
    for width, value in zip(widths, values, strict=True):
        expected = 100 * float(value / max(values))
        # A sliver is drawn at least 0.4 % wide to stay visible.
        assert width == pytest.approx(max(expected, 0.4), rel=0.01, abs=0.01)


@pytest.mark.parametrize("name", sorted(BARS))
def test_one_row_of_round_ticks_in_the_charts_unit(edition: Edition, name: str) -> None:
    figure = chart(edition.soup(CHART_PAGES[name]), name)
    ticks = plot(figure).select(".chart-tick text")
    assert len(ticks) >= 3
    assert len({t["y"] for t in ticks}) == 1, "tick labels on more than one row"
    assert ticks[0].get_text() == "0"
    # Evenly spaced: round steps of the axis unit.
    xs = [percent(t["x"]) for t in ticks]
    steps = [b - a for a, b in itertools.pairwise(xs)]
    assert max(steps) - min(steps) < 0.05 and xs[-1] <= 100
    unit = LAST_TICK_UNIT[edition.language].get(name)
    assert not unit or unit in ticks[-1].get_text(), (name, ticks[-1].get_text())
    if name == "power":  # the yardstick is watts (MW), not homes
        assert all(re.fullmatch(r"[\d\u202f\u00a0,.]+", t.get_text()) for t in ticks[:-1])
        assert figure.select_one("p.chart-subtitle").get_text().count("MW") == 1


@pytest.mark.parametrize("name", sorted(CHART_PAGES))
def test_each_number_once_and_the_table_collapsed(edition: Edition, data: Dataset, name: str) -> None:
    figure = chart(edition.soup(CHART_PAGES[name]), name)
    definition = data.charts[name]
    details = figure.select_one("details.chart-numbers")
    assert details is not None and not details.has_attr("open")
    assert details.find("summary").get_text().strip() == THE_NUMBERS[edition.language]
    table = details.find("table")
    assert table is not None and table.find("caption") is not None
    rows = table.select("tbody tr")
    cells = [r.find_all("td")[0].get_text() for r in rows]
    assert cells == [text_of(data, row.figure, edition.language) for row in definition.rows]
    assert all(r.find("th") and r.find("th").get_text().strip() for r in rows)
    # Outside the table, each number appears once: in the chart, not in the words.
    words = " ".join(figure.select_one(f"p.chart-{part}").get_text()
                     for part in ("title", "subtitle", "notice", "source", "key"))
    shown = " ".join(t.get_text() for t in plot(figure).select("text"))
    texts = [bar_text_of(data, row.figure, edition.language) for row in definition.rows]
    for text in texts:
        assert text not in words, (name, text)
        assert shown.count(text) == texts.count(text), (name, text)


def test_a_charts_numbers_are_few_nodes_and_their_labels_messages(site_dir: Path, data: Dataset) -> None:
    """Every transform, the search and the writer visit each node: a row of the numbers is its label and
    its other cells, each one node around its text (their HTML prepared), not cells of paragraphs of
    texts. Its label is still a message of the page, for gettext."""
    doctree = pickle.loads((site_dir / ".doctrees" / "en" / "article" / "colossus.doctree").read_bytes())
    table = next(node for node in doctree.findall(nodes.Element) if "chart-table" in node["classes"])
    rows = data.charts["gpus"].rows
    assert len(list(table.findall())) <= 8 + 4 * len(rows), table.pformat()
    messages = {message for _node, message in extract_messages(doctree)}
    assert {row.label for row in rows} <= messages


def test_no_axis_mixes_a_yearly_flow_with_one_off_sums(data: Dataset) -> None:
    for definition in data.charts.values():
        periods = {getattr(data.figure_or_derived(r.figure), "period", None)
                   for r in definition.rows if r.place == "bar"}
        assert len(periods) == 1, definition.id
    assert "azure-revenue" not in [r.figure for r in data.charts["money"].rows if r.place == "bar"]


def test_timeline_dates_on_a_real_axis_and_durations_undated(edition: Edition, data: Dataset) -> None:
    figure = chart(edition.soup(CHART_PAGES["timeline"]), "timeline")
    dated = sorted((f for f in data.figures.values() if isinstance(f.value, dt.date)), key=lambda f: f.value)
    assert len(dated) >= 2
    assert svg_texts(figure, "chart-date") == [format_figure(f, data, edition.language) for f in dated]
    # Dots placed in proportion to the days between them, on one axis.
    dots = [percent(c["cx"]) for c in plot(figure).select("circle.chart-dot")]
    assert len(dots) == len(dated) and len({c["cy"] for c in plot(figure).select("circle.chart-dot")}) == 1
    days = [f.value.toordinal() for f in dated]
    per_day = (dots[-1] - dots[0]) / (days[-1] - days[0])
    for dot, day in zip(dots, days, strict=True):
        assert dot == pytest.approx(dots[0] + per_day * (day - days[0]), abs=0.05)
    # Date ticks at whole days, in the same proportion.
    ticks = [t.get_text() for t in plot(figure).select(".chart-tick text")]
    date_ticks = [t for t in ticks if not re.fullmatch(r"[\d\u202f\u00a0,.]+(\u00a0\w+)?", t)]
    assert len(date_ticks) >= 2
    # The duration axis says its unit.
    assert ticks[-1].endswith("\u00a0" + LAST_TICK_UNIT[edition.language]["timeline"]), ticks
    # Durations: bars of their own from zero, never chained, never on the calendar.
    durations = ["colossus-build-time", "colossus-doubling-time"]
    assert svg_texts(figure, "chart-value") == [text_of(data, i, edition.language) for i in durations]
    build, doubling = plot(figure).select("rect.bar")
    assert build["x"] == doubling["x"] == "0"
    assert "bar-bound" in doubling["class"]  # "less than": an outline, not a solid bar
    assert float(build["y"]) > max(float(c["cy"]) for c in plot(figure).select("circle.chart-dot"))
    if edition.language == "en":
        headings = svg_texts(figure, "chart-heading")
        assert headings == ["On the calendar", "Durations given without a date"]


def test_charts_are_searchable_text(edition: Edition) -> None:
    index = (edition.html_dir / "searchindex.js").read_text(encoding="utf-8")
    figure = chart(edition.soup(CHART_PAGES["gpus"]), "gpus")
    # A word of a bar label that the page's prose does not use.
    page = BeautifulSoup(str(edition.soup(CHART_PAGES["gpus"])), "html.parser")  # a copy to cut
    prose = page.select_one("article")
    for bad in prose.select("figure"):
        bad.decompose()
    words = {w.lower().strip(",.'’") for t in svg_texts(figure, "chart-label") for w in t.split()}
    only_in_chart = sorted(w for w in words if w.isalpha() and len(w) > 3
                           and w not in prose.get_text().lower())
    assert only_in_chart, "expected a word found only in the chart"
    assert any(f'"{w}"' in index for w in only_in_chart)


def test_french_charts_use_french_formatting_and_text(fr_html_dir: Path, data: Dataset) -> None:
    """The French edition, built from the same pages and data."""
    for name, ids in BARS.items():
        soup = BeautifulSoup((fr_html_dir / CHART_PAGES[name]).read_text(encoding="utf-8"), "html.parser")
        figure = chart(soup, name)
        values = svg_texts(figure, "chart-value")
        assert values == [bar_text_of(data, i, "fr") for i in ids]
        # The data's chart texts come through the page's French catalog.
        definition = data.charts[name]
        assert figure.select_one("p.chart-title").get_text() != definition.title
        labels = " ".join(svg_texts(figure, "chart-label"))
        assert not any(row.label in labels for row in definition.rows if len(row.label) > 20)
    assert text_of(data, "colossus-gpus-initial", "fr") != text_of(data, "colossus-gpus-initial", "en")
