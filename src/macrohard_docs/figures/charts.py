"""Charts and a timeline drawn at build time from the figures data.

    ```{figure-chart} gpus
    ```

draws the ``[[chart]]`` of that id from the data file (see
:mod:`macrohard_docs.figures.data`: which figures, its title, subtitle, what to
notice and its source line are data, not code) as a ``<figure>``:

* a caption on top: the title, and a subtitle with the unit and scope;
* an inline SVG as wide as the column whose labels are real text, values
  formatted by :func:`~macrohard_docs.figures.data.format_figure` in the
  build's language, with one row of round ticks in the chart's own unit (laid
  out for a phone and, when it differs, for a desktop: one image for
  assistive technology, ``div.chart-plot``);
* the source line, a key that says in words what each bar style means, and
  what to notice, in words, without the numbers again;
* the numbers as a table collapsed in ``<details>``, which the image names as
  its description;
* links to the chart's CSV and SVG files, written next to the pages by the
  HTML writer (an e-book has no loose files).

The data's texts are messages of the page (paragraphs, the table's labels), so
gettext puts them in the page's catalog (:func:`~macrohard_docs.figures.i18n.data_text`).

``figures_charts = False`` in conf.py (or ``-D figures_charts=0``) builds the
same pages without charts, for the budgets measured by ``scripts/bench_charts.py``.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from babel.dates import format_skeleton
from babel.numbers import format_compact_decimal
from docutils import nodes
from sphinx.builders.epub3 import Epub3Builder
from sphinx.locale import get_translation
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.osutil import relative_uri

from . import svgchart
from .data import (
    ChartDef, ChartRow, Dataset, Derived, Figure, apply_unit, first_of_month, format_figure, format_number,
)
from .datafiles import csv_text, plain
from .domain import as_message, dataset_of, prepared, smart_quotes
from .i18n import data_text, message_paragraph
from .kinds import STATUS, STATUSES

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.writers.html5 import HTML5Translator

logger = logging.getLogger(__name__)
_ = get_translation("macrohard_docs")

FILES_DIR = "charts"  # below each HTML edition's root


@dataclass
class Chart:
    """One chart definition, drawn in one language."""

    definition: ChartDef
    data: Dataset
    language: str
    translate: Callable[[str], str] = lambda text: text  # data text -> the build's language

    def item(self, figure_id: str) -> Figure | Derived:
        item = self.data.figure_or_derived(figure_id)
        assert item is not None, figure_id  # the data file's reader checked it
        return item

    def value(self, figure_id: str) -> Decimal | dt.date:
        return self.data.value(self.item(figure_id))

    def base(self, figure_id: str) -> float:
        value = self.value(figure_id)
        assert isinstance(value, Decimal)
        return float(value * self.data.units[self.item(figure_id).unit].scale)

    def text(self, figure_id: str) -> str:
        return format_figure(self.item(figure_id), self.data, self.language)

    def is_date(self, row: ChartRow) -> bool:
        return isinstance(self.value(row.figure), dt.date)

    def mark(self, row: ChartRow) -> str:
        """The bar style: a "less than" figure is drawn as an upper bound."""
        if self.is_date(row):
            return "event"
        if getattr(self.item(row.figure), "qualifier", None) == "less_than" and row.status == "stated":
            return "bound"
        return row.status

    def bar_text(self, figure_id: str) -> str:
        """A bar's value in the axis unit when the figure converts to it exactly ("1,550 MW" on a MW axis,
        not "1.55 GW"): one unit per axis and label. Else the article's words ("under 3 months" on a day axis)."""
        item = self.item(figure_id)
        axis = self.data.units[self.definition.unit]
        if item.unit == self.definition.unit or getattr(item, "qualifier", None) or isinstance(item, Derived):
            return self.text(figure_id)
        value = item.value * Decimal(self.data.units[item.unit].scale) / Decimal(axis.scale)
        if value != value.quantize(Decimal("0.01")):
            return self.text(figure_id)
        value = value.to_integral_value() if value == value.to_integral_value() else value.normalize()
        return apply_unit(format_number(value, axis, self.language), value, axis, self.language)

    def tick_label(self, base: float) -> str:
        unit = self.data.units[self.definition.unit]
        value = base / float(unit.scale)
        number = Decimal(int(round(value))) if abs(value - round(value)) < 1e-9 else Decimal(repr(round(value, 6)))
        if number >= 10_000:
            # "250K", "20 Md": long numbers would crowd one row of ticks on a phone.
            return format_compact_decimal(number, format_type="short", locale=self.language, fraction_digits=1)
        return format_number(number, unit, self.language)

    def last_tick_label(self, base: float) -> str:
        """The axis's last tick names its unit: "1,500 MW", "100 days"."""
        unit = self.data.units[self.definition.unit]
        return apply_unit(self.tick_label(base), Decimal(repr(base / float(unit.scale))), unit, self.language)

    def date_label(self, day: int) -> str:
        date = dt.date.fromordinal(day)
        return first_of_month(format_skeleton("MMMd", date, locale=self.language), date.day, self.language)

    def body(self, width: float) -> tuple[list[str], float]:
        """The SVG's content (without its root element) laid out for *width*, and its height."""
        rows = self.definition.rows
        scale = float(self.data.units[self.definition.unit].scale)
        bars = [svgchart.Bar(self.translate(row.label), self.base(row.figure), self.bar_text(row.figure),
                             self.mark(row)) for row in rows if row.place == "bar" and not self.is_date(row)]
        body: list[str] = []
        y = 0.0
        if self.definition.kind == "timeline":
            events = [svgchart.Event(self.text(row.figure), self.translate(row.label), value.toordinal())
                      for row in rows if isinstance(value := self.value(row.figure), dt.date)]
            if events:
                body, y = svgchart.event_panel(events, self.date_label, str(_("On the calendar")), y, width)
                y += 14
            if bars:
                line, y = svgchart.heading(str(_("Durations given without a date")), y)
                body.append(line)
                y += 6
        if bars:
            part, y = svgchart.bar_panel(bars, self.tick_label, self.last_tick_label, scale, y, width)
            body += part
        part, y = svgchart.asides([(self.translate(row.label), self.text(row.figure))
                                   for row in rows if row.place == "aside"], y, width)
        return body + part, y + 4

    def key_line(self) -> str:
        marks = {self.mark(row) for row in self.definition.rows}
        keys = [str(status.key()) for status in STATUSES if status.name in marks]
        return str(_("How to read it: {keys}.")).format(keys=str(_("; ")).join(keys))

    def svg(self, labelledby: str, describedby: str) -> str:
        """The chart laid out for a phone's column and, if it differs, for a desktop's."""
        narrow, wide = self.body(svgchart.DESIGN_WIDTH), self.body(svgchart.WIDE_WIDTH)
        layouts = [("", *narrow)] if narrow == wide else [("narrow", *narrow), ("wide", *wide)]
        return svgchart.plot(layouts, labelledby=labelledby, describedby=describedby)

    def svg_file(self) -> str:
        body, height = self.body(svgchart.WIDE_WIDTH)
        return svgchart.standalone(
            body, height, name=self.definition.id, title=self.translate(self.definition.title),
            subtitle=self.translate(self.definition.subtitle),
            footer=[self.translate(self.definition.source), self.key_line()])

    def csv_file(self) -> str:
        """The chart's numbers, through the site's one CSV writer (its formula guard included)."""
        rows = []
        for row in self.definition.rows:
            value = self.value(row.figure)
            rows.append([self.definition.id, row.figure, self.translate(row.label), self.mark(row), row.place,
                         plain(value),
                         self.item(row.figure).unit, self.text(row.figure)])
        return csv_text(["chart", "figure", "label", "status", "place", "value", "unit", "text"], rows,
                        frozenset({"value"}))


# --- Nodes ----------------------------------------------------------------------

class chart_downloads(nodes.General, nodes.Element):  # noqa: N801 - docutils node naming
    """Links to the chart's CSV and SVG files, and their texts ("files": name -> text), which the HTML
    writer puts next to the page: HTML editions only (the files live there)."""


def visit_chart_downloads_html(self: HTML5Translator, node: chart_downloads) -> None:
    if self.builder.embedded:
        raise nodes.SkipNode  # an embedded build (an e-book) carries no loose files to link to
    # Written as the page that links them is (as sphinx.ext.graphviz writes its images);
    # a file already so is left alone.
    folder = Path(self.builder.outdir, FILES_DIR)
    folder.mkdir(exist_ok=True)
    for file_name, text in node["files"].items():
        target = folder / file_name
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
    here = self.builder.get_target_uri(self.builder.current_docname)
    links = [f'<a href="{relative_uri(here, path)}" type="{kind}">{self.encode(text)}</a>'
             for path, kind, text in node["links"]]
    self.body.append(self.starttag(node, "p", "", CLASS="chart-downloads")
                     + self.encode(node["lead"]) + " " + " · ".join(links) + "</p>\n")
    raise nodes.SkipNode


def visit_skip(self: Any, node: nodes.Element) -> None:
    raise nodes.SkipNode


def lines(cells: list[tuple[str, str, str]]) -> list[str | tuple[str, str, str]]:
    """Each cell followed by a line break, as text."""
    return [part for cell in cells for part in (cell, "\n")]


class numbers_table(nodes.table):  # noqa: N801 - docutils node naming
    """A chart's numbers: a table to the HTML writer (its caption, a title, is listed by the search), its
    rows' markup prepared; to other writers, the caption and the rows' text, each a paragraph."""


# --- Directive ----------------------------------------------------------------

class ChartDirective(SphinxDirective):
    """```{figure-chart} gpus```: the [[chart]] of that id, drawn from the figures data."""

    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0]
        data = dataset_of(self.env)
        self.env.note_dependency(str(data.path))
        definition = data.charts.get(name)
        if definition is None:
            logger.warning(
                "unknown chart %r. Fix: use one of %s, or add a [[chart]] table with id = %r to %s.",
                name, ", ".join(data.charts) or "(none defined)", name, data.path,
                location=self.get_location(), type="figures", subtype="chart")
            return []
        if not self.config.figures_charts:
            return []
        chart = Chart(definition, data, self.config.language or "en",
                      lambda text: data_text(self.env, text))
        serial = self.env.new_serialno("figure-chart")
        figure_id = f"chart-{name}" + (f"-{serial}" if serial else "")
        ids = {part: f"{figure_id}-{part}" for part in ("title", "subtitle", "source", "notice", "numbers")}

        key, summary = chart.key_line(), str(_("The numbers"))
        # <figure> around a <figcaption> and the rest, the table collapsed in <details>.
        return [prepared(
            (f'<figure class="chart-{name} chart" id="{figure_id}">\n<figcaption>', "", ""),
            self.message(definition.title, "chart-title", ids["title"]),
            self.message(definition.subtitle, "chart-subtitle", ids["subtitle"]),
            ("</figcaption>\n", "", ""),
            nodes.raw("", chart.svg(f"{ids['title']} {ids['subtitle']}", f"{ids['notice']} {ids['numbers']}"),
                      format="html", generated=True),  # the extension's own markup: no allow-list for it
            self.message(definition.source, "chart-source", ids["source"]),
            prepared(('<p class="chart-key">', key, "</p>\n"), paragraph=True, quotes=smart_quotes(self.config)),
            self.message(definition.notice, "chart-notice", ids["notice"]),
            ('<details class="chart-numbers">', "", ""),
            # Its line break is text too: in the page's text, it ends the words as a block does.
            prepared(("<summary>", summary, "</summary>"), "\n", paragraph=True, quotes=smart_quotes(self.config)),
            self.numbers_table(chart, ids["numbers"]),
            ("</details>\n", "", ""),
            chart_downloads(
                "", lead=str(_("Download:")), links=[
                    (f"{FILES_DIR}/{name}.csv", "text/csv", str(_("the numbers (CSV)"))),
                    (f"{FILES_DIR}/{name}.svg", "image/svg+xml", str(_("the chart (SVG)")))],
                files={f"{name}.csv": chart.csv_file(), f"{name}.svg": chart.svg_file()}),
            ("</figure>\n", "", ""))]

    def message(self, text: str, cls: str | None = None, node_id: str | None = None) -> nodes.paragraph:
        return message_paragraph(self, text, classes=[cls] if cls else [], ids=[node_id] if node_id else [])

    def numbers_table(self, chart: Chart, table_id: str) -> numbers_table:
        """Its rows as Sphinx writes a table's, prepared (a cell was an entry, a paragraph and a text); a row
        is a paragraph to other writers, and line breaks, as text, part its cells' words in the page's text."""
        quotes = smart_quotes(self.config)
        heads = [(f'<th class="head{"" if column else " stub"}"><p>', title, "</p></th>") for column, title
                 in enumerate((_("What"), _("Figure"), _("Source")))]
        rows: list[str | tuple[str, str, str] | nodes.Node] = [("<thead>\n", "", ""), prepared(
            ('<tr class="row-odd">', "", ""), *lines(heads), ("", "", "</tr>\n"), paragraph=True),
            ("</thead>\n<tbody>\n", "", "")]
        for number, chart_row in enumerate(chart.definition.rows):
            # Its label, a message of the page, beside its other cells (inside them, smart quotes
            # would take it for text). Plain text: the page links each figure where it first names it.
            label = prepared((f'<tr class="row-{"odd" if number % 2 else "even"}"><th class="stub"><p>',
                              data_text(self.env, chart_row.label), "</p></th>"), paragraph=True, quotes=quotes)
            rows += [as_message(label, self, chart_row.label), prepared("\n", *lines([
                ('<td><p><span class="figure-value">', chart.text(chart_row.figure), "</span></p></td>"),
                ("<td><p>", STATUS[chart.mark(chart_row)].label(), "</p></td>")]), ("", "", "</tr>\n"),
                paragraph=True, quotes=quotes)]
        rows.append(("</tbody>\n", "", ""))
        caption = str(_("The numbers in this chart"))
        return numbers_table("", nodes.title(caption, caption), prepared(*rows),
                             classes=["chart-table"], ids=[table_id])


class UnwrapTableIds(SphinxPostTransform):
    """Keep a chart table's id on the table only: furo's table wrapper (a post-transform at priority
    500) copies a table's ids onto the <div> it wraps it in, which gives the page the same id twice."""

    default_priority = 510

    def run(self, **kwargs: Any) -> None:
        for wrapper in self.document.findall(nodes.container):
            if {"table-wrapper", "chart-table"} <= set(wrapper["classes"]):
                wrapper["ids"] = []


# --- EPUB: declare inline SVG -------------------------------------------------

class DeclareInlineSvg(Epub3Builder):
    """EPUB 3 wants `properties="svg"` on each content document holding inline SVG (a chart), and
    epubcheck fails a book without it. A mixin for the EPUB builder the site registers (site/book.py),
    whose package template writes the properties content_metadata() gives by href."""

    def content_metadata(self) -> dict[str, Any]:
        metadata = super().content_metadata()
        # The pages are written by now; the manifest names them as href="{{ item.href }}".
        properties = metadata.setdefault("item_properties", {})
        for page in Path(self.outdir).rglob(f"*{self.out_suffix}"):
            if "<svg" in page.read_text(encoding="utf-8"):
                properties[html.escape(quote(page.relative_to(self.outdir).as_posix()))] = "svg"
        return metadata


def add_chart_css(app: Sphinx, config: Any) -> None:
    # Only when charts are drawn: the no-charts build of the budget carries none of their weight.
    if config.figures_charts:
        app.add_css_file("charts.css")


def setup_charts(app: Sphinx) -> None:
    app.add_config_value("figures_charts", True, "env", types=frozenset({bool}))
    app.add_node(chart_downloads, html=(visit_chart_downloads_html, None),
                 **dict.fromkeys(("latex", "text", "man", "texinfo"), (visit_skip, None)))
    # A table to HTML; other writers write its children, each a paragraph.
    app.add_node(numbers_table, html=(lambda self, node: self.visit_table(node),
                                      lambda self, node: self.depart_table(node)),
                 text=(lambda self, node: None, lambda self, node: None),
                 **dict.fromkeys(("latex", "man", "texinfo"), (visit_skip, None)))
    app.add_directive("figure-chart", ChartDirective)
    app.add_post_transform(UnwrapTableIds)
    app.connect("config-inited", add_chart_css)
