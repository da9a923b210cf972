"""Charts and a timeline drawn at build time from the figures data.

    ```{figure-chart} gpus
    ```

draws one of :data:`CHARTS` (``gpus``, ``power``, ``money``, ``timeline``) as
an inline SVG whose labels are real text, formatted by
:func:`~macrohard_docs.figures.formatting.format_figure` in the build's language and
worded by translatable messages. Each chart is a ``<figure>`` holding the
SVG (its accessible name is its title, its description the caption), the
numbers as a table whose figures link to the glossary, and a caption that
says in words what the chart shows.

``figures_charts = False`` in conf.py (or ``-D figures_charts=0``) builds the
same pages without charts, for the size and build-time budgets measured by
``scripts/bench_charts.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from sphinx.locale import get_translation
from sphinx.util import logging
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective

from . import svgchart
from .data import Dataset, Derived, Figure
from .domain import dataset_of, mention_node
from .formatting import format_figure, format_number

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.writers.html5 import HTML5Translator

logger = logging.getLogger(__name__)
_ = get_translation("macrohard_docs")


# --- What each chart shows ----------------------------------------------------
# A row: the figure id, how the article presents it (a bar kind of svgchart),
# and a lazily translated label that may name entries of the data by id.

@dataclass(frozen=True)
class Row:
    figure: str
    kind: str
    label: Callable[[], str]


def status_text(kind: str) -> str:
    return {
        "stated": _("stated by the article"),
        "promised": _("promised, as the article reports"),
        "projection": _("the article's projection"),
        "flow": _("stated by the article, per year"),
        "bound": _("stated by the article, as an upper bound"),
        "derived": _("our arithmetic"),
    }[kind]


GPU_ROWS = (
    Row("colossus-gpus-initial", "stated", lambda: _("{colossus}, when it came online")),
    Row("colossus-gpus-doubled", "stated", lambda: _("{colossus}, after its GPU count doubled")),
    Row("colossus-2-gpus", "promised", lambda: _("{colossus-2}, as promised")),
    Row("projection-gpus", "projection", lambda: _("A future machine, in the article's projection")),
)
POWER_ROWS = (
    Row("colossus-power", "stated", lambda: _("{colossus} today")),
    Row("projection-power", "projection", lambda: _("A one-million-GPU machine, in the article's projection")),
)
MONEY_ROWS = (
    Row("xai-funding-raised", "stated", lambda: _("Raised by {xai}")),
    Row("xai-funding-promised", "promised", lambda: _("Further funds promised to {xai}")),
    Row("xai-valuation", "stated", lambda: _("Valuation of {xai} after it absorbed {x}")),
    Row("military-contract", "stated", lambda: _("Military contract")),
    Row("colossus-hardware-cost", "stated", lambda: _("Hardware of {colossus}")),
    Row("azure-revenue", "flow", lambda: _("{azure}'s revenue, every year")),
)
EVENT_LABELS: dict[str, Callable[[], str]] = {
    "trademark-filing": lambda: _("Trademark filed for {macrohard}"),
    "musk-post": lambda: _("{elon-musk} announces {macrohard} on {x}"),
}
DURATION_ROWS = (
    Row("colossus-build-time", "stated", lambda: _("{colossus} built")),
    Row("colossus-doubling-time", "bound", lambda: _("Its GPU count doubled")),
)


class Chart:
    """One chart: its SVG, its summary in words and the rows of its table."""

    name: ClassVar[str]
    needs: ClassVar[tuple[str, ...]]  # figure and derived ids it draws from

    def __init__(self, data: Dataset, language: str) -> None:
        self.data = data
        self.language = language

    def text(self, figure_id: str) -> str:
        item = self.data.figure_or_derived(figure_id)
        assert item is not None, figure_id
        return format_figure(item, self.data, self.language)

    def names(self, message: str) -> str:
        """Fill {name-id} placeholders with the names' labels from the data."""
        for name in self.data.names.values():
            message = message.replace("{" + name.id + "}", name.label)
        return message

    def base(self, figure_id: str) -> float:
        item = self.data.figure_or_derived(figure_id)
        value = self.data.derived_value(item) if isinstance(item, Derived) else item.value
        assert isinstance(value, Decimal)
        return float(value * self.data.units[item.unit].scale)

    def bars(self, rows: tuple[Row, ...]) -> list[svgchart.Bar]:
        return [svgchart.Bar(self.names(str(row.label())), self.base(row.figure),
                             self.text(row.figure), row.kind) for row in rows]

    def title(self) -> str:
        raise NotImplementedError

    def summary(self) -> str:
        raise NotImplementedError

    def table(self) -> list[tuple[str, str, str]]:
        """(label, figure id, kind) for each row of the numbers table."""
        raise NotImplementedError

    def svg(self, title_id: str, desc_id: str) -> str:
        raise NotImplementedError

    def row_table(self, rows: tuple[Row, ...]) -> list[tuple[str, str, str]]:
        return [(self.names(str(row.label())), row.figure, row.kind) for row in rows]


class GpuChart(Chart):
    name = "gpus"
    needs = tuple(row.figure for row in GPU_ROWS)

    def title(self) -> str:
        return str(_("GPUs over the story, in bars"))

    def summary(self) -> str:
        return self.names(str(_(
            "{colossus} came online with {initial} and doubled to {doubled}; "
            "{colossus-2} is promised {promised}; the article's projection imagines a machine "
            "with {projection}. Solid bars are stated, the dashed outline is a promise, "
            "the dotted one a projection."))).format(
            initial=self.text("colossus-gpus-initial"), doubled=self.text("colossus-gpus-doubled"),
            promised=self.text("colossus-2-gpus"), projection=self.text("projection-gpus"))

    def table(self) -> list[tuple[str, str, str]]:
        return self.row_table(GPU_ROWS)

    def svg(self, title_id: str, desc_id: str) -> str:
        return svgchart.bar_chart(self.bars(GPU_ROWS), title=self.title(), title_id=title_id,
                                  desc_id=desc_id, name=self.name)


class PowerChart(Chart):
    name = "power"
    needs = (*(row.figure for row in POWER_ROWS), "colossus-power-homes", "projection-gpus",
             "projection-power-ratio")

    def title(self) -> str:
        return str(_("Power today and in the projection, with homes as the yardstick"))

    def summary(self) -> str:
        return self.names(str(_(
            "{colossus} needs {power}, as much as {homes} by the article's comparison. "
            "The article's projected machine with {gpus} would need {projection}: "
            "{ratio} as much (our arithmetic)."))).format(
            power=self.text("colossus-power"), homes=self.text("colossus-power-homes"),
            gpus=self.text("projection-gpus"), projection=self.text("projection-power"),
            ratio=self.text("projection-power-ratio"))

    def table(self) -> list[tuple[str, str, str]]:
        return [
            *self.row_table(POWER_ROWS[:1]),
            (self.names(str(_("American homes using as much power as {colossus}"))),
             "colossus-power-homes", "stated"),
            *self.row_table(POWER_ROWS[1:]),
            (self.names(str(_("The projection against {colossus} today"))),
             "projection-power-ratio", "derived"),
        ]

    def svg(self, title_id: str, desc_id: str) -> str:
        bars = self.bars(POWER_ROWS)
        step = self.base("colossus-power")
        homes = self.data.figures["colossus-power-homes"]
        assert isinstance(homes.value, Decimal)
        count = svgchart.nice_ticks(max(bar.value for bar in bars), step)
        ticks = [format_number(homes.value * k, self.data.units[homes.unit], self.language)
                 for k in range(1, count + 1)]
        caption = self.names(str(_(
            "Yardstick: American homes. The article equates {power} with {homes}; "
            "each further step adds as many (our arithmetic)."))).format(
            power=self.text("colossus-power"), homes=self.text("colossus-power-homes"))
        return svgchart.bar_chart(bars, title=self.title(), title_id=title_id, desc_id=desc_id,
                                  name=self.name, ruler=(step, ticks, caption))


class MoneyChart(Chart):
    name = "money"
    needs = tuple(row.figure for row in MONEY_ROWS)

    def title(self) -> str:
        return str(_("The money in the story, against Azure's yearly revenue"))

    def summary(self) -> str:
        return self.names(str(_(
            "{xai} has raised {raised} and been promised {promised}; after absorbing {x} it is "
            "valued at {valuation}. Its military contract is worth {contract}; the hardware of "
            "{colossus} cost {hardware}. For scale, {azure} alone brings in {azure_revenue}: "
            "a yearly revenue, drawn lighter, where the other bars are sums."))).format(
            raised=self.text("xai-funding-raised"), promised=self.text("xai-funding-promised"),
            valuation=self.text("xai-valuation"), contract=self.text("military-contract"),
            hardware=self.text("colossus-hardware-cost"), azure_revenue=self.text("azure-revenue"))

    def table(self) -> list[tuple[str, str, str]]:
        return self.row_table(MONEY_ROWS)

    def svg(self, title_id: str, desc_id: str) -> str:
        return svgchart.bar_chart(self.bars(MONEY_ROWS), title=self.title(), title_id=title_id,
                                  desc_id=desc_id, name=self.name)


class TimelineChart(Chart):
    name = "timeline"
    needs = tuple(row.figure for row in DURATION_ROWS)

    def dated(self) -> list[Figure]:
        """Every figure of the data that is a date, in time order."""
        return sorted((f for f in self.data.figures.values() if isinstance(f.value, dt.date)),
                      key=lambda f: f.value)

    def event_label(self, figure: Figure) -> str:
        label = EVENT_LABELS.get(figure.id)
        return self.names(str(label())) if label else figure.measures

    def title(self) -> str:
        return str(_("Timeline: the dated events, then the durations"))

    def summary(self) -> str:
        # Punctuation differs by language ("22 août 2025 : …"): both are messages.
        events = str(_("; ")).join(
            str(_("{date}: {event}")).format(date=self.text(f.id), event=self.event_label(f))
            for f in self.dated())
        return self.names(str(_(
            "Dated events: {events}. Durations: {colossus} was built in {build} and its GPU count "
            "doubled in {doubling}. The article gives no start date for either, so they are drawn "
            "from a common origin, not placed on the calendar."))).format(
            events=events, build=self.text("colossus-build-time"),
            doubling=self.text("colossus-doubling-time"))

    def table(self) -> list[tuple[str, str, str]]:
        rows = [(self.event_label(f), f.id, "stated") for f in self.dated()]
        return rows + self.row_table(DURATION_ROWS)

    def svg(self, title_id: str, desc_id: str) -> str:
        events = [svgchart.Event(self.text(f.id), self.event_label(f), f.value.toordinal())
                  for f in self.dated()]
        build, doubling = self.bars(DURATION_ROWS)
        durations = [build, svgchart.Bar(doubling.label, doubling.value, doubling.text,
                                         doubling.kind, start=build.value)]
        return svgchart.timeline(
            events, durations, title=self.title(), title_id=title_id, desc_id=desc_id,
            dated_heading=str(_("Dated events")),
            durations_heading=str(_("Durations, one after the other")),
            origin_label=str(_("The article gives no start date: durations are drawn "
                               "from an undated origin.")))


CHARTS: dict[str, type[Chart]] = {c.name: c for c in (GpuChart, PowerChart, MoneyChart, TimelineChart)}


# --- Nodes --------------------------------------------------------------------

class chart_figure(nodes.General, nodes.Element):  # noqa: N801 - docutils node naming
    """A chart: <figure> in HTML; its children alone elsewhere."""


class chart_caption(nodes.Part, nodes.TextElement):  # noqa: N801
    """The chart in words: <figcaption> in HTML; a paragraph elsewhere."""


def visit_chart_figure_html(self: HTML5Translator, node: chart_figure) -> None:
    self.body.append(self.starttag(node, "figure", CLASS="chart"))


def depart_chart_figure_html(self: HTML5Translator, node: chart_figure) -> None:
    self.body.append("</figure>\n")


def visit_chart_caption_html(self: HTML5Translator, node: chart_caption) -> None:
    self.body.append(self.starttag(node, "figcaption", ""))


def depart_chart_caption_html(self: HTML5Translator, node: chart_caption) -> None:
    self.body.append("</figcaption>\n")


def visit_passthrough(self: Any, node: nodes.Element) -> None:
    pass


def depart_passthrough(self: Any, node: nodes.Element) -> None:
    pass


def visit_caption_as_paragraph(self: Any, node: nodes.Element) -> None:
    self.visit_paragraph(node)


def depart_caption_as_paragraph(self: Any, node: nodes.Element) -> None:
    self.depart_paragraph(node)


# --- Directive ----------------------------------------------------------------

class ChartDirective(SphinxDirective):
    """```{figure-chart} gpus```: a chart drawn from the figures data."""

    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0]
        if name not in CHARTS:
            logger.warning("unknown chart %r. Fix: use one of %s.", name, ", ".join(CHARTS),
                           location=self.get_location(), type="figures", subtype="chart")
            return []
        if not self.config.figures_charts:
            return []
        data = dataset_of(self.env)
        self.env.note_dependency(str(data.path))
        missing = [i for i in CHARTS[name].needs if data.figure_or_derived(i) is None]
        missing += [n for n in ("colossus", "colossus-2", "xai", "x", "azure", "macrohard",
                                "elon-musk") if n not in data.names]
        if missing:
            logger.warning(
                "chart %r draws from %s, which %s does not hold. Fix: add %s to the data file, "
                "or leave this chart out.", name, ", ".join(map(repr, missing)), data.path,
                "them" if len(missing) > 1 else "it",
                location=self.get_location(), type="figures", subtype="chart")
            return []
        chart = CHARTS[name](data, self.config.language)
        serial = self.env.new_serialno("figure-chart")
        figure_id = f"chart-{name}" + (f"-{serial}" if serial else "")
        title_id, desc_id = f"{figure_id}-title", f"{figure_id}-text"

        figure = chart_figure("", ids=[figure_id], classes=[f"chart-{name}"], chart=name)
        figure += nodes.raw("", chart.svg(title_id, desc_id), format="html")
        figure += self.numbers_table(chart, f"{figure_id}-numbers")
        summary = chart.summary()
        figure += chart_caption(summary, summary, ids=[desc_id], classes=["chart-text"])
        return [figure]

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
        head += self.row([nodes.Text(str(_("What"))), nodes.Text(str(_("Figure"))),
                          nodes.Text(str(_("Source")))])
        body = nodes.tbody()
        group += body
        for label, figure_id, kind in chart.table():
            item = chart.data.figure_or_derived(figure_id)
            assert item is not None
            kind_name = "derived" if isinstance(item, Derived) else "figure"
            value = mention_node(self.env, kind_name, item, chart.text(figure_id), self.env.docname)
            body += self.row([nodes.Text(label), value, nodes.Text(str(status_text(kind)))])
        return table

    @staticmethod
    def row(cells: list[nodes.Node]) -> nodes.row:
        row = nodes.row()
        for cell in cells:
            entry = nodes.entry()
            entry += nodes.paragraph("", "", cell)
            row += entry
        return row


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

def declare_svg_in_epub(app: Sphinx) -> None:
    """EPUB 3 wants `properties="svg"` on content documents with inline SVG.

    Sphinx's EPUB builder never writes it, so we post-process content.opf
    right after the builder writes it, before it is zipped.
    """
    builder = app.builder
    if builder.name != "epub":
        return
    original = builder.build_content

    def build_content() -> None:
        original()
        opf = Path(builder.outdir, "content.opf")
        text = opf.read_text(encoding="utf-8")
        import re

        def add(match: re.Match[str]) -> str:
            href = match.group(1)
            page = Path(builder.outdir, href)
            if page.suffix == ".xhtml" and page.is_file() and "<svg" in page.read_text(encoding="utf-8"):
                return match.group(0).replace(" />", ' properties="svg" />')
            return match.group(0)

        opf.write_text(re.sub(r'<item id="[^"]+" href="([^"]+)" media-type="application/xhtml\+xml" />',
                              add, text), encoding="utf-8")

    builder.build_content = build_content  # type: ignore[method-assign]


def add_chart_css(app: Sphinx, config: Any) -> None:
    # Only when charts are drawn: the no-charts build of the budget carries none of their weight.
    if config.figures_charts:
        app.add_css_file("charts.css")


def setup_charts(app: Sphinx) -> None:
    app.add_config_value("figures_charts", True, "env", types=frozenset({bool}))
    app.add_node(
        chart_figure,
        html=(visit_chart_figure_html, depart_chart_figure_html),
        latex=(visit_passthrough, depart_passthrough),
        text=(visit_passthrough, depart_passthrough),
        man=(visit_passthrough, depart_passthrough),
        texinfo=(visit_passthrough, depart_passthrough),
    )
    app.add_node(
        chart_caption,
        html=(visit_chart_caption_html, depart_chart_caption_html),
        latex=(visit_caption_as_paragraph, depart_caption_as_paragraph),
        text=(visit_caption_as_paragraph, depart_caption_as_paragraph),
        man=(visit_caption_as_paragraph, depart_caption_as_paragraph),
        texinfo=(visit_caption_as_paragraph, depart_caption_as_paragraph),
    )
    app.add_directive("figure-chart", ChartDirective)
    app.add_post_transform(UnwrapTableIds)
    app.connect("config-inited", add_chart_css)
    app.connect("builder-inited", declare_svg_in_epub)
