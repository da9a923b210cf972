"""Charts and a timeline drawn at build time from the figures data.

    ```{figure-chart} gpus
    ```

draws the ``[[chart]]`` of that id from the data file (see
:mod:`macrohard_docs.figures.chartdefs`: which figures, its title, subtitle, what to
notice and its source line are data, not code) as a ``<figure>``:

* a caption on top: the title, and a subtitle with the unit and scope;
* an inline SVG as wide as the column whose labels are real text, values
  formatted by :func:`~macrohard_docs.figures.formatting.format_figure` in the
  build's language, with one row of round ticks in the chart's own unit (laid
  out for a phone and, when it differs, for a desktop: one image for
  assistive technology, ``div.chart-plot``);
* the source line, and a key that says in words what each bar style means;
* what to notice, in words, without the numbers again;
* the numbers as a table collapsed in ``<details>`` ("The numbers"), its
  figures as plain text; the image names it as its description;
* links to the chart's rows as CSV and to the chart as an SVG file, written
  next to the pages by the HTML writer (HTML editions only: an e-book has no
  loose files).

In an EPUB, every content document with an inline SVG is declared so in the
package (:class:`DeclareInlineSvg`, a mixin of the EPUB builder).

The data's texts are translated like the rest of the data's text
(:func:`~macrohard_docs.figures.i18n.data_text`): each is written into the page as a
paragraph or a table cell, so gettext puts it in the page's catalog.

``figures_charts = False`` in conf.py (or ``-D figures_charts=0``) builds the
same pages without charts, for the size and build-time budgets measured by
``scripts/bench_charts.py``.
"""

from __future__ import annotations

import datetime as dt
import html
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
from .chartdefs import ChartDef, ChartRow
from .csvfile import csv_text
from .data import Dataset, Derived, Figure
from .domain import dataset_of
from .formatting import apply_unit, first_of_month, format_figure, format_number
from .i18n import data_text, message_paragraph
from .kinds import STATUS, STATUSES

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.writers.html5 import HTML5Translator

logger = logging.getLogger(__name__)
_ = get_translation("macrohard_docs")

FILES_DIR = "charts"  # below each HTML edition's root
CSV_COLUMNS = ["chart", "figure", "label", "status", "place", "value", "unit", "text"]


class Chart:
    """One chart definition, drawn in one language."""

    def __init__(self, definition: ChartDef, data: Dataset, language: str,
                 translate: Any = lambda text: text) -> None:
        self.definition = definition
        self.data = data
        self.language = language
        self.translate = translate  # data text -> the build's language

    def item(self, figure_id: str) -> Figure | Derived:
        item = self.data.figure_or_derived(figure_id)
        assert item is not None, figure_id  # chartdefs checked it
        return item

    def text(self, figure_id: str) -> str:
        return format_figure(self.item(figure_id), self.data, self.language)

    def label(self, row: ChartRow) -> str:
        return self.translate(row.label)

    def base(self, figure_id: str) -> float:
        item = self.item(figure_id)
        value = self.data.derived_value(item) if isinstance(item, Derived) else item.value
        assert isinstance(value, Decimal)
        return float(value * self.data.units[item.unit].scale)

    def is_date(self, row: ChartRow) -> bool:
        return isinstance(getattr(self.item(row.figure), "value", None), dt.date)

    def mark(self, row: ChartRow) -> str:
        """The bar style: a "less than" figure is drawn as an upper bound."""
        if self.is_date(row):
            return "event"
        if getattr(self.item(row.figure), "qualifier", None) == "less_than" and row.status == "stated":
            return "bound"
        return row.status

    def table_status(self, row: ChartRow) -> str:
        return str(STATUS[self.mark(row)].label())

    def bar_text(self, figure_id: str) -> str:
        """A bar's value in the axis unit when the figure converts to it exactly
        ("1,550 MW" on a MW axis, not "1.55 GW"): one unit per axis and label.
        Otherwise the article's words ("under 3 months" stays so on a day axis)."""
        item = self.item(figure_id)
        axis = self.data.units[self.definition.unit]
        if item.unit == self.definition.unit or getattr(item, "qualifier", None) or isinstance(item, Derived):
            return self.text(figure_id)
        value = item.value * Decimal(self.data.units[item.unit].scale) / Decimal(axis.scale)
        if value != value.quantize(Decimal("0.01")):
            return self.text(figure_id)
        value = value.to_integral_value() if value == value.to_integral_value() else value.normalize()
        return apply_unit(format_number(value, axis, self.language), value, axis, self.language)

    def bars(self) -> list[svgchart.Bar]:
        return [svgchart.Bar(self.label(row), self.base(row.figure), self.bar_text(row.figure), self.mark(row))
                for row in self.definition.rows if row.place == "bar" and not self.is_date(row)]

    def asides(self) -> list[svgchart.Aside]:
        return [svgchart.Aside(self.label(row), self.text(row.figure))
                for row in self.definition.rows if row.place == "aside"]

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

    def body(self, width: float = svgchart.DESIGN_WIDTH) -> tuple[list[str], float]:
        """The SVG's content (without its root element) laid out for *width*, and its height."""
        scale = float(self.data.units[self.definition.unit].scale)
        body: list[str] = []
        y = 0.0
        if self.definition.kind == "timeline":
            events = [svgchart.Event(self.text(row.figure), self.label(row), self.item(row.figure).value.toordinal())
                      for row in self.definition.rows if self.is_date(row)]
            if events:
                days = [e.day for e in events]
                ticks = svgchart.date_ticks(min(days), max(days), self.date_label, width)
                part, y = svgchart.event_panel(events, ticks, str(_("On the calendar")), y, width)
                body += part
                y += 14
            bars = self.bars()
            if bars:
                line, y = svgchart.heading(str(_("Durations given without a date")), y)
                body.append(line)
                part, y = svgchart.bar_panel(bars, self.tick_label, scale, y + 6, width, self.last_tick_label)
                body += part
        else:
            part, y = svgchart.bar_panel(self.bars(), self.tick_label, scale, y, width, self.last_tick_label)
            body += part
        part, y = svgchart.asides(self.asides(), y, width)
        return body + part, y + 4

    def keys(self) -> list[str]:
        marks = {self.mark(row) for row in self.definition.rows}
        return [str(status.key()) for status in STATUSES if status.name in marks]

    def key_line(self) -> str:
        return str(_("How to read it: {keys}.")).format(keys=str(_("; ")).join(self.keys()))

    def svg(self, labelledby: str, describedby: str) -> str:
        """The chart laid out for a phone's column and, if it differs, for a desktop's."""
        narrow, wide = self.body(svgchart.DESIGN_WIDTH), self.body(svgchart.WIDE_WIDTH)
        layouts = [("", narrow)] if narrow == wide else [("narrow", narrow), ("wide", wide)]
        return svgchart.plot([svgchart.svg(body, height, layout=layout)
                              for layout, (body, height) in layouts], labelledby=labelledby, describedby=describedby)

    def svg_file(self) -> str:
        body, height = self.body(svgchart.FILE_WIDTH)
        return svgchart.standalone(
            body, height, name=self.definition.id, title=self.translate(self.definition.title),
            subtitle=self.translate(self.definition.subtitle),
            footer=[self.translate(self.definition.source), self.key_line()])

    def csv_file(self) -> str:
        """The chart's numbers, through the site's one CSV writer (its formula guard included)."""
        rows = []
        for row in self.definition.rows:
            item = self.item(row.figure)
            value = self.data.derived_value(item) if isinstance(item, Derived) else item.value
            rows.append([self.definition.id, row.figure, self.label(row), self.mark(row), row.place,
                         value.isoformat() if isinstance(value, dt.date) else str(value),
                         item.unit, self.text(row.figure)])
        return csv_text(CSV_COLUMNS, rows, frozenset({"value"}))


# --- Nodes --------------------------------------------------------------------

class chart_figure(nodes.General, nodes.Element):  # noqa: N801 - docutils node naming
    """A chart: <figure> in HTML; its children alone elsewhere."""


class chart_caption(nodes.Part, nodes.Element):  # noqa: N801
    """The chart's title and subtitle: <figcaption> in HTML."""


class chart_details(nodes.General, nodes.Element):  # noqa: N801
    """The numbers, collapsed: <details> in HTML."""


class chart_summary(nodes.Part, nodes.TextElement):  # noqa: N801
    """<summary> in HTML; a paragraph elsewhere."""


class chart_downloads(nodes.General, nodes.Element):  # noqa: N801
    """Links to the chart's CSV and SVG files, and their texts ("files": name -> text),
    which the HTML writer puts next to the page: HTML editions only (the files live there)."""


def visit_chart_figure_html(self: HTML5Translator, node: chart_figure) -> None:
    self.body.append(self.starttag(node, "figure", CLASS="chart"))


def depart_chart_figure_html(self: HTML5Translator, node: chart_figure) -> None:
    self.body.append("</figure>\n")


def visit_chart_caption_html(self: HTML5Translator, node: chart_caption) -> None:
    self.body.append(self.starttag(node, "figcaption", ""))


def depart_chart_caption_html(self: HTML5Translator, node: chart_caption) -> None:
    self.body.append("</figcaption>\n")


def visit_chart_details_html(self: HTML5Translator, node: chart_details) -> None:
    self.body.append(self.starttag(node, "details", ""))


def depart_chart_details_html(self: HTML5Translator, node: chart_details) -> None:
    self.body.append("</details>\n")


def visit_chart_summary_html(self: HTML5Translator, node: chart_summary) -> None:
    self.body.append(self.starttag(node, "summary", ""))


def depart_chart_summary_html(self: HTML5Translator, node: chart_summary) -> None:
    self.body.append("</summary>\n")


def visit_chart_downloads_html(self: HTML5Translator, node: chart_downloads) -> None:
    if self.builder.embedded:
        raise nodes.SkipNode  # an embedded build (an e-book) carries no loose files to link to
    write_chart_files(Path(self.builder.outdir, FILES_DIR), node["files"])
    here = self.builder.get_target_uri(self.builder.current_docname)
    links = [f'<a href="{relative_uri(here, path)}" type="{kind}">{self.encode(text)}</a>'
             for path, kind, text in node["links"]]
    self.body.append(self.starttag(node, "p", "", CLASS="chart-downloads")
                     + self.encode(node["lead"]) + " " + " · ".join(links) + "</p>\n")
    raise nodes.SkipNode


def visit_passthrough(self: Any, node: nodes.Element) -> None:
    pass


def depart_passthrough(self: Any, node: nodes.Element) -> None:
    pass


def visit_skip(self: Any, node: nodes.Element) -> None:
    raise nodes.SkipNode


def visit_caption_as_paragraph(self: Any, node: nodes.Element) -> None:
    self.visit_paragraph(node)


def depart_caption_as_paragraph(self: Any, node: nodes.Element) -> None:
    self.depart_paragraph(node)


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

        figure = chart_figure("", ids=[figure_id], classes=[f"chart-{name}"], chart=name)
        caption = chart_caption()
        caption += self.message(definition.title, "chart-title", ids["title"])
        caption += self.message(definition.subtitle, "chart-subtitle", ids["subtitle"])
        figure += caption
        figure += nodes.raw("", chart.svg(f"{ids['title']} {ids['subtitle']}",
                                          f"{ids['notice']} {ids['numbers']}"), format="html",
                            generated=True)  # the extension's own markup: no allow-list for it
        figure += self.message(definition.source, "chart-source", ids["source"])
        key = chart.key_line()
        figure += nodes.paragraph(key, key, classes=["chart-key"])
        figure += self.message(definition.notice, "chart-notice", ids["notice"])
        details = chart_details(classes=["chart-numbers"])
        summary = str(_("The numbers"))
        details += chart_summary(summary, summary)
        details += self.numbers_table(chart, ids["numbers"])
        figure += details

        figure += chart_downloads(
            "", lead=str(_("Download:")), links=[
                (f"{FILES_DIR}/{name}.csv", "text/csv", str(_("the numbers (CSV)"))),
                (f"{FILES_DIR}/{name}.svg", "image/svg+xml", str(_("the chart (SVG)")))],
            files={f"{name}.csv": chart.csv_file(), f"{name}.svg": chart.svg_file()})
        return [figure]

    def message(self, text: str, cls: str | None = None, node_id: str | None = None) -> nodes.paragraph:
        return message_paragraph(self, text, classes=[cls] if cls else [], ids=[node_id] if node_id else [])

    def numbers_table(self, chart: Chart, table_id: str) -> nodes.table:
        table = nodes.table(classes=["chart-table"], ids=[table_id])
        caption = str(_("The numbers in this chart"))
        table += nodes.title(caption, caption)
        group = nodes.tgroup(cols=3)
        table += group
        for width, stub in ((5, 1), (3, 0), (3, 0)):
            group += nodes.colspec(colwidth=width, stub=stub)
        head = nodes.thead()
        group += head
        head += self.row([nodes.paragraph("", "", nodes.Text(str(_("What")))),
                          nodes.paragraph("", "", nodes.Text(str(_("Figure")))),
                          nodes.paragraph("", "", nodes.Text(str(_("Source"))))])
        body = nodes.tbody()
        group += body
        for row in chart.definition.rows:
            # Plain text, every one: the table restates the chart, and the page
            # links each figure to its glossary entry where its text first names it.
            text = chart.text(row.figure)
            value = nodes.inline(text, text, classes=["figure-value"])
            body += self.row([self.message(row.label),
                              nodes.paragraph("", "", value),
                              nodes.paragraph("", "", nodes.Text(chart.table_status(row)))])
        return table

    @staticmethod
    def row(cells: list[nodes.paragraph]) -> nodes.row:
        row = nodes.row()
        for cell in cells:
            entry = nodes.entry()
            entry += cell
            row += entry
        return row


# --- The chart files, next to the pages -----------------------------------------

def write_chart_files(folder: Path, files: dict[str, str]) -> None:
    """Each chart's CSV and SVG, in the edition's language, as the page that links them is
    written (as sphinx.ext.graphviz writes its images); a file already so is left alone."""
    folder.mkdir(exist_ok=True)
    for file_name, text in files.items():
        target = folder / file_name
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")


class UnwrapTableIds(SphinxPostTransform):
    """Keep a chart table's id on the table only.

    furo's table wrapper (a post-transform at priority 500) copies a table's
    ids onto the <div> it wraps it in, which gives the page the same id twice
    (invalid HTML).
    """

    default_priority = 510

    def run(self, **kwargs: Any) -> None:
        for figure in self.document.findall(chart_figure):
            for wrapper in figure.findall(nodes.container):
                if "table-wrapper" in wrapper["classes"]:
                    wrapper["ids"] = []


# --- EPUB: declare inline SVG -------------------------------------------------

class DeclareInlineSvg(Epub3Builder):
    """EPUB 3 wants `properties="svg"` on each content document holding inline SVG
    (a chart), and epubcheck fails a book without it.

    A mixin for the EPUB builder the site registers (site/epub.py), whose
    package template writes the properties content_metadata() gives by href.
    """

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
    elsewhere = {writer: (visit_passthrough, depart_passthrough)
                 for writer in ("latex", "text", "man", "texinfo")}
    as_paragraph = {writer: (visit_caption_as_paragraph, depart_caption_as_paragraph)
                    for writer in ("latex", "text", "man", "texinfo")}
    skipped = {writer: (visit_skip, None) for writer in ("latex", "text", "man", "texinfo")}
    app.add_node(chart_figure, html=(visit_chart_figure_html, depart_chart_figure_html), **elsewhere)
    app.add_node(chart_caption, html=(visit_chart_caption_html, depart_chart_caption_html), **elsewhere)
    app.add_node(chart_details, html=(visit_chart_details_html, depart_chart_details_html), **elsewhere)
    app.add_node(chart_summary, html=(visit_chart_summary_html, depart_chart_summary_html), **as_paragraph)
    app.add_node(chart_downloads, html=(visit_chart_downloads_html, None), **skipped)
    app.add_directive("figure-chart", ChartDirective)
    app.add_post_transform(UnwrapTableIds)
    app.connect("config-inited", add_chart_css)
