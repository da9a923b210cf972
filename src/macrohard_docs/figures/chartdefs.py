"""The ``[[chart]]`` tables of the figures data file: what each chart shows.

A chart definition is data, like the figures it draws::

    [[chart]]
    id = "gpus"
    kind = "bars"                  # or "timeline"
    unit = "GPU"                   # the axis unit (a [units.ID])
    title = "..."                  # what the chart shows
    subtitle = "..."               # its unit and scope
    notice = "..."                 # what to notice, in words (no digits)
    source = "..."                 # where the numbers come from

    [[chart.row]]
    figure = "colossus-gpus-initial"
    label = "Colossus, when it came online"
    status = "stated"              # stated | promised | projection (derived ids: derived)
    place = "bar"                  # bar | aside (a note under the plot, off the axis)

Its texts are translated like the rest of the data's text (see
:func:`macrohard_docs.figures.i18n.data_text`): the chart writes each of them into
the page as a paragraph or a table cell, so gettext extracts it into the
page's catalog.

Checked here, with the rest of the data: a bad definition stops the build
with the file, the line, the field and the fix. Honesty rules are checked
too: one axis never carries a yearly flow and a one-off sum together, a bar
is a number, and the caption says what to notice without repeating numbers
(the chart and its table show them).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .records import Dataset, Reader
from .kinds import CHART_STATUSES
from .reporting import closest

KINDS = ("bars", "timeline")
PLACES = ("bar", "aside")
TEXT_FIELDS = ("title", "subtitle", "notice", "source")


@dataclass(frozen=True)
class ChartRow:
    figure: str
    label: str
    status: str  # stated | promised | projection | derived
    place: str  # bar | aside
    line: int


@dataclass(frozen=True)
class ChartDef:
    id: str
    kind: str
    unit: str
    title: str
    subtitle: str
    notice: str
    source: str
    rows: tuple[ChartRow, ...]
    line: int

    @property
    def figure_ids(self) -> tuple[str, ...]:
        return tuple(row.figure for row in self.rows)


def _row_lines(reader: Reader, chart_line: int | None) -> list[int]:
    """Line of each [[chart.row]] header of the chart starting at *chart_line*."""
    if chart_line is None:
        return []
    lines: list[int] = []
    for number, text in enumerate(reader.lines[chart_line:], start=chart_line + 1):
        if re.match(r"^\s*\[\[\s*chart\s*\]\]", text):
            break
        if re.match(r"^\s*\[\[\s*chart\.row\s*\]\]", text):
            lines.append(number)
    return lines


def read_charts(reader: Reader, raw: Any, data: Dataset) -> dict[str, ChartDef]:
    if not isinstance(raw, list):
        raise reader.fail(reader.line_of(r"^\s*chart\s*="), "'chart' must be an array of tables",
                          "declare each chart as a [[chart]] table")
    charts: dict[str, ChartDef] = {}
    for index, entry in enumerate(raw):
        line = reader.entry_line("chart", entry.get("id"), index)
        what = f"chart {entry.get('id', f'#{index + 1}')!r}"
        reader.require(entry, {"id": str, "kind": str, "unit": str, **dict.fromkeys(TEXT_FIELDS, str),
                               "row": list}, {}, what, line)
        chart_id = entry["id"]
        if not re.match(r"^[a-z0-9]+(?:-[a-z0-9]+)*$", chart_id):
            raise reader.fail(line, f"{what} id is not a valid id",
                              "use lower-case letters, digits and single hyphens (e.g. 'gpus')")
        if chart_id in charts:
            raise reader.fail(line, f"duplicate chart id {chart_id!r} (already used on line "
                              f"{charts[chart_id].line})", "give each [[chart]] its own id")
        if entry["kind"] not in KINDS:
            raise reader.fail(reader.field_line(line, "kind"), f"{what} has unknown kind {entry['kind']!r}",
                              f"use one of {', '.join(KINDS)}")
        unit = data.units.get(entry["unit"])
        if unit is None or unit.style == "date":
            raise reader.fail(reader.field_line(line, "unit"),
                              f"{what} has axis unit {entry['unit']!r}, which is not a numeric unit",
                              f"use one of {', '.join(u for u in data.units if data.units[u].style != 'date')}")
        for key in TEXT_FIELDS:
            if not entry[key].strip():
                raise reader.fail(reader.field_line(line, key), f"{what} field {key!r} is empty",
                                  f"write the chart's {key} in words")
        # Names may hold digits ("Colossus 2"); numbers may not.
        notice = entry["notice"]
        for name in sorted(data.names.values(), key=lambda n: -len(n.label)):
            notice = notice.replace(name.label, "")
        digit = re.search(r"\d+", notice)
        if digit:
            raise reader.fail(reader.field_line(line, "notice"),
                              f"{what} field 'notice' repeats a number ({digit.group(0)!r})",
                              "say in words what to notice; the chart and its table show the numbers")
        row_lines = _row_lines(reader, line)
        rows = tuple(_read_row(reader, data, what, raw_row, row_lines[i] if i < len(row_lines) else line)
                     for i, raw_row in enumerate(entry["row"]))
        if not rows:
            raise reader.fail(line, f"{what} has no rows", "add a [[chart.row]] table for each figure it shows")
        _check_axis(reader, data, what, entry["kind"], rows, line)
        charts[chart_id] = ChartDef(
            id=chart_id, kind=entry["kind"], unit=entry["unit"], title=entry["title"],
            subtitle=entry["subtitle"], notice=entry["notice"], source=entry["source"], rows=rows,
            line=line or 0)
    return charts


def _read_row(reader: Reader, data: Dataset, what: str, entry: Any, line: int | None) -> ChartRow:
    if not isinstance(entry, dict):
        raise reader.fail(line, f"{what} has a row that is not a table", "write each row as [[chart.row]]")
    reader.require(entry, {"figure": str, "label": str}, {"status": str, "place": str},
                   f"{what} row", line)
    figure_id = entry["figure"]
    item = data.figure_or_derived(figure_id)
    if item is None:
        raise reader.fail(reader.field_line(line, "figure"),
                          f"{what} row names figure {figure_id!r}, which the data file does not hold"
                          f"{closest(figure_id, [*data.figures, *data.derived])}",
                          "name the id of a [[figure]] or [[derived]] entry")
    derived = item.kind == "derived"
    status = entry.get("status", "derived" if derived else "stated")
    if status not in CHART_STATUSES:
        raise reader.fail(reader.field_line(line, "status"), f"{what} row {figure_id!r} has unknown "
                          f"status {status!r}", f"use one of {', '.join(CHART_STATUSES)}")
    if derived != (status == "derived"):
        raise reader.fail(reader.field_line(line, "status"),
                          f"{what} row {figure_id!r} has status {status!r}, but the figure is "
                          f"{'our arithmetic' if derived else 'stated by the article'}",
                          "leave `status` out for a [[derived]] figure, and never mark a [[figure]] 'derived'")
    place = entry.get("place", "bar")
    if place not in PLACES:
        raise reader.fail(reader.field_line(line, "place"), f"{what} row {figure_id!r} has unknown "
                          f"place {place!r}", f"use one of {', '.join(PLACES)}")
    if not entry["label"].strip():
        raise reader.fail(reader.field_line(line, "label"), f"{what} row {figure_id!r} has an empty label",
                          "say in words what the row is")
    return ChartRow(figure=figure_id, label=entry["label"], status=status, place=place, line=line or 0)


def _check_axis(reader: Reader, data: Dataset, what: str, kind: str, rows: tuple[ChartRow, ...],
                line: int | None) -> None:
    """One axis, one kind of quantity: no yearly flow beside a one-off sum."""
    drawn = [row for row in rows if row.place == "bar"]
    if kind == "timeline":
        drawn = [row for row in drawn if not isinstance(getattr(data.figures.get(row.figure), "value", None),
                                                        dt.date)]
    periods: dict[str | None, ChartRow] = {}
    for row in drawn:
        item = data.figure_or_derived(row.figure)
        assert item is not None
        if isinstance(getattr(item, "value", None), dt.date):
            raise reader.fail(row.line, f"{what} draws the date {row.figure!r} as a bar",
                              "draw dates in a 'timeline' chart, or give the row `place = \"aside\"`")
        periods.setdefault(getattr(item, "period", None), row)
    if len(periods) > 1:
        (p1, r1), (p2, r2) = list(periods.items())[:2]
        def name(period: str | None, row: ChartRow) -> str:
            return f"{row.figure!r} ({f'a flow, {period}' if period else 'a one-off amount'})"
        raise reader.fail(r2.line, f"{what} puts {name(p1, r1)} and {name(p2, r2)} on one axis",
                          "draw the flow in a chart of its own, or give its row `place = \"aside\"`")
    if kind == "bars" and not drawn:
        raise reader.fail(line, f"{what} draws no bar", "give at least one row `place = \"bar\"`")
    for row in drawn:
        item = data.figure_or_derived(row.figure)
        value = data.derived_value(item) if item.kind == "derived" else item.value
        if isinstance(value, Decimal) and value < 0:
            raise reader.fail(row.line, f"{what} row {row.figure!r} is negative", "draw only amounts of zero or more")
