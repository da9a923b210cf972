"""The figures data file: its records, read and checked, and each figure written in a language.

Every problem is one :class:`FiguresDataError` naming the file, the line and
the fix. Charts are data too (the Charts section of docs/data/figures.toml),
checked for honesty with the rest: one axis never carries a yearly flow and a
one-off sum together, a bar is a number, and the caption says what to notice
without repeating numbers (the chart and its table show them).
"""

from __future__ import annotations

import datetime as dt
import re
import string
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar

from babel import Locale, localedata
from babel.dates import format_date
from babel.numbers import format_compact_decimal, format_decimal, list_currencies
from babel.units import UnknownUnitError, get_unit_name

from .kinds import CHART_STATUSES, FIGURE_STATUSES, KIND
from .reporting import BadInput, closest

# fullmatch: "$" would also accept an id ending in a newline.
ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
ID_LINE = re.compile(r"""^\s*id\s*=\s*["']([^"']*)["']""")
HEADER_LINE = re.compile(r"^\s*(\[\[?[^\[\]]*\]\]?)")  # [units.mw], [[figure]]
# A language as Babel and Sphinx name it: "de", "pt_BR" (a unit's templates in it).
LANGUAGE_KEY = re.compile(r"[a-z]{2,3}(?:_[A-Za-z0-9]{2,8})*")
# What str.splitlines() breaks on.
LINE_BREAK = re.compile("[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")
# Bidirectional controls (embeddings, overrides, isolates) make text read in a
# different order from the one it is stored in ("Trojan Source", CVE-2021-42574).
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
# A byte that is not UTF-8 (decoded with surrogateescape), or a NUL, which TOML
# forbids: a binary file, or UTF-16.
NOT_UTF8 = re.compile("[\x00\udc80-\udcff]")
STYLES = ("number", "compact", "date")
CHART_KINDS = ("bars", "timeline")
PLACES = ("bar", "aside")
CHART_TEXTS = ("title", "subtitle", "notice", "source")
# The top-level tables, and whether each is a table of tables or a list of them.
TABLES = {"units": dict, "qualifiers": dict, "figure": list, "derived": list, "name": list, "chart": list}
# Babel writes numbers through a 28-digit decimal context: far above this it
# fails; a thousand trillion is more than any figure of this dossier needs.
LARGEST = Decimal("1e15")
# Longest text each field may hold, in characters: a label is a line, a measure or
# a note a few sentences. The dossier's longest are about half these; a longer one
# is a paste gone wrong, and every page, both search indexes and the glossary
# would carry it. Fields not named here (ids, units, templates) get 100.
TEXT_LIMITS = {"measures": 400, "about": 400, "notice": 400, "subtitle": 200, "source": 200,
               "title": 120, "label": 120, "context": 120}
TYPE_NAMES = {int: "number", float: "number", dt.date: "date", str: "quoted text",
              bool: "true or false", list: "list", dict: "table"}
NBSP = "\u00a0"
# Below this, "compact" money is written in full ("$35,000", not "$35K").
COMPACT_FROM = Decimal(1_000_000)
# The first of a month, where a language writes it otherwise than Babel's "1":
# French as an ordinal, "1er août 2025".
FIRST_OF_MONTH = {"fr": "1er"}


def placeholders(template: str) -> list[str] | None:
    """The {fields} of a str.format template (nested ones too), or None if it is not valid."""
    fields: list[str] = []
    pending = [template]
    try:
        while pending:
            for _, name, spec, _conversion in string.Formatter().parse(pending.pop()):
                if name is not None:
                    fields.append(name)
                if spec:
                    pending.append(spec)
    except ValueError:
        return None
    return fields


class FiguresDataError(BadInput):
    category = "Figures data error"

    def __init__(self, path: Path | str, line: int | None, problem: str, fix: str) -> None:
        self.path, self.line, self.problem, self.fix = str(path), line, problem, fix
        where = f"{self.path}:{line}" if line else self.path
        # One line, whatever the file holds: a line break quoted from it (a key
        # such as [units."\n"]) is shown escaped, as Python writes it.
        super().__init__(LINE_BREAK.sub(lambda found: found.group().encode("unicode_escape").decode("ascii"),
                                        f"{where}: {problem}. Fix: {fix}."))


# --- The records ----------------------------------------------------------------

@dataclass(frozen=True)
class GlossaryItem:
    """A unit, figure, derived figure or name: a kind (kinds.py), whose rule makes its entry's anchor."""

    kind: ClassVar[str]
    id: str
    line: int  # of its entry in the data file

    @property
    def anchor(self) -> str:
        return KIND[self.kind].anchor(self.id)


@dataclass(frozen=True)
class Unit(GlossaryItem):
    symbol: str
    style: str
    scale: Decimal
    templates: dict[str, dict[str, str]]  # language -> plural category -> template
    about: str | None = None
    signed: bool = False  # `signed = true`: the quantity can be below zero
    cldr: str | None = None  # its CLDR unit ("power-megawatt"): the names search knows it by
    currency: str | None = None  # its ISO 4217 currency ("USD"), likewise

    kind = "unit"


@dataclass(frozen=True)
class Figure(GlossaryItem):
    value: Decimal | dt.date
    unit: str
    measures: str
    section: str
    qualifier: str | None = None
    period: str | None = None
    status: str = "stated"

    kind = "figure"


@dataclass(frozen=True)
class Derived(GlossaryItem):
    numerator: str
    denominator: str
    unit: str
    measures: str
    section: str

    kind = "derived"


@dataclass(frozen=True)
class Name(GlossaryItem):
    label: str
    about: str
    # What a reader may need from outside the article; the glossary labels it so.
    context: str | None = None

    kind = "name"


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


@dataclass
class Dataset:
    path: Path
    units: dict[str, Unit] = field(default_factory=dict)
    qualifiers: dict[str, dict[str, str]] = field(default_factory=dict)
    figures: dict[str, Figure] = field(default_factory=dict)
    derived: dict[str, Derived] = field(default_factory=dict)
    names: dict[str, Name] = field(default_factory=dict)
    charts: dict[str, ChartDef] = field(default_factory=dict)
    # Each figure's text per language, once written (format_figure): a page,
    # the glossary and the search data each write the same figures.
    texts: dict[tuple[str, str, str], str] = field(default_factory=dict, repr=False, compare=False)

    def figure_or_derived(self, figure_id: str) -> Figure | Derived | None:
        return self.figures.get(figure_id) or self.derived.get(figure_id)

    def value(self, item: Figure | Derived) -> Decimal | dt.date:
        """The figure's value as the data gives it; a derived figure's, computed."""
        return self.derived_value(item) if isinstance(item, Derived) else item.value

    def derived_value(self, derived: Derived) -> Decimal:
        """numerator / denominator, in the derived figure's unit."""
        num = self.figures[derived.numerator]
        den = self.figures[derived.denominator]
        assert isinstance(num.value, Decimal) and isinstance(den.value, Decimal)
        base = (num.value * self.units[num.unit].scale) / (den.value * self.units[den.unit].scale)
        # Two decimals are as precise as figures this round deserve.
        return (base / self.units[derived.unit].scale).quantize(Decimal("0.01")).normalize()


# --- The reader -----------------------------------------------------------------

class Reader:
    """Walks the parsed TOML, turns each table into a record, and finds the line
    each problem is on."""

    def __init__(self, path: Path, text: str, languages: tuple[str, ...]) -> None:
        self.path = path
        self.lines = text.splitlines()
        self.languages = languages
        # Where each `id = "..."` and each table header is, found in one pass:
        # every entry looks its line up (searching the file per entry was a
        # tenth of our share of a build).
        self.id_lines: dict[str, list[int]] = {}
        self.headers: dict[str, list[int]] = {}
        self.table_starts: list[int] = []
        for number, line in enumerate(self.lines, start=1):
            if found := ID_LINE.match(line):
                self.id_lines.setdefault(found.group(1), []).append(number)
            elif line.lstrip().startswith("["):  # a table's header (or a line of an array)
                self.table_starts.append(number)
                if found := HEADER_LINE.match(line):
                    self.headers.setdefault(found.group(1).replace(" ", ""), []).append(number)

    def line_of(self, pattern: str, start: int = 0) -> int | None:
        regex = re.compile(pattern)
        return next((number for number, line in enumerate(self.lines[start:], start=start + 1)
                     if regex.search(line)), None)

    def fail(self, line: int | None, problem: str, fix: str) -> FiguresDataError:
        return FiguresDataError(self.path, line, problem, fix)

    def entries(self, raw: dict[str, Any], table: str,
                label: str) -> Iterator[tuple[dict[str, Any], int | None, str]]:
        """(entry, line, what) of each [[table]]: the line of its `id = "..."`, else of its header."""
        headers = self.headers.get(f"[[{table}]]", [])
        for index, entry in enumerate(raw.get(table, [])):
            entry_id = entry.get("id")
            line = self.id_lines.get(entry_id, [None])[0] if isinstance(entry_id, str) else None
            yield (entry, line or (headers[index] if index < len(headers) else None),
                   f"{label} {entry.get('id', f'#{index + 1}')!r}")

    def header_line(self, *headers: str) -> int | None:
        """Line of the first of *headers* (as written, spaces aside) the file has."""
        return next((self.headers[header][0] for header in headers if header in self.headers), None)

    def field_line(self, entry_line: int | None, key: str) -> int | None:
        """The line of *key* in the entry at *entry_line*; else the entry's own."""
        if entry_line is None:
            return None
        found = self.line_of(rf"^\s*{re.escape(key)}\s*=", entry_line - 1)
        next_entry = next((number for number in self.table_starts if number > entry_line), None)
        return found if found and (next_entry is None or found < next_entry) else entry_line

    def require(self, entry: dict[str, Any], keys: dict[str, Any], optional: dict[str, Any],
                what: str, line: int | None) -> None:
        for key in keys:
            if key not in entry:
                raise self.fail(line, f"{what} has no {key!r}", f"add `{key} = ...` to it")
        for key, value in entry.items():
            expected = keys.get(key) or optional.get(key)
            if expected is None:
                raise self.fail(self.field_line(line, key),
                                f"{what} has an unknown field {key!r}{closest(key, [*keys, *optional])}",
                                f"use only {', '.join(sorted({*keys, *optional}))}")
            if not isinstance(value, expected) or (isinstance(value, bool) and expected is not bool):
                kinds = expected if isinstance(expected, tuple) else (expected,)
                names = " or ".join(dict.fromkeys(TYPE_NAMES[kind] for kind in kinds))
                raise self.fail(self.field_line(line, key), f"{what} field {key!r} is {value!r}, not a {names}",
                                f"write {key!r} as a {names}")

    def check_choice(self, value: Any, choices: Any, what: str, key: str, line: int | None) -> None:
        if value not in choices:
            raise self.fail(self.field_line(line, key), f"{what} has unknown {key} {value!r}",
                            f"use one of {', '.join(choices)}")

    def check_template(self, template: Any, field: str, what: str, line: int | None) -> None:
        """A template must be valid str.format text whose only placeholder is {field}, written so."""
        fields = placeholders(template) if isinstance(template, str) else None
        if fields is None or set(fields) != {field} or f"{{{field}}}" not in template:
            raise self.fail(line, f"{what} template {template!r} is not a valid template with {{{field}}}",
                            f"write {{{field}}} where the text goes, with no other braces "
                            "(a literal brace is written {{ or }})")

    def check_id(self, entry_id: str, what: str, line: int | None, seen: dict[str, str]) -> None:
        if not ID_PATTERN.fullmatch(entry_id):
            raise self.fail(line, f"{what} id {entry_id!r} is not a valid id",
                            "use lower-case letters, digits and single hyphens (e.g. 'colossus-power')")
        if entry_id in seen:
            lines = self.id_lines.get(entry_id) or [line]
            raise self.fail(lines[-1], f"duplicate id {entry_id!r} (already used by the "
                            f"{seen[entry_id]} on line {lines[0]})",
                            "give each figure, derived figure and name its own id")
        seen[entry_id] = what

    def check_number(self, number: Decimal, what: str, line: int | None, unit: Unit) -> None:
        if not number.is_finite():
            raise self.fail(line, f"{what} field 'value' is {number}, not a finite number",
                            "write 'value' as an ordinary number")
        if abs(number) >= LARGEST:
            raise self.fail(line, f"{what} field 'value' is {number:E}, too large to print",
                            f"keep 'value' below {LARGEST:E} in absolute value, with a larger unit if need be")
        if number < 0 and not unit.signed:
            raise self.fail(line, f"{what} field 'value' is negative ({number}) but unit {unit.id!r} "
                            "cannot be negative", f"correct the value, or add `signed = true` to "
                            f"[units.{unit.id}] if this quantity can be below zero")

    def units(self, raw: dict[str, Any]) -> dict[str, Unit]:
        units = {}
        for unit_id, entry in raw.items():
            line = self.header_line(f"[units.{unit_id}]", f'[units."{unit_id}"]')
            what = f"unit {unit_id!r}"
            if not isinstance(entry, dict):
                raise self.fail(line, f"{what} is not a table", f"write it as [units.{unit_id}]")
            # A language's templates: any key that names a language as Babel knows
            # them, so that a new edition needs no list here (CONTRIBUTING.md).
            languages = {key: dict for key in entry if LANGUAGE_KEY.fullmatch(key) and localedata.exists(key)}
            self.require(entry, {"symbol": str, "style": str, "scale": (int, float)},
                         {"about": str, "signed": bool, "cldr": str, "currency": str, **languages}, what, line)
            # `cldr` and `currency` name a unit as Babel knows it, or the search
            # would silently lose the unit's spelled-out names.
            if "cldr" in entry:
                try:
                    get_unit_name(entry["cldr"], locale="en")
                except UnknownUnitError:
                    raise self.fail(self.field_line(line, "cldr"),
                                    f"{what} field 'cldr' is {entry['cldr']!r}, not a CLDR unit",
                                    "write a CLDR unit id such as \"power-megawatt\" or "
                                    "\"duration-day\", or remove the field") from None
            if "currency" in entry and entry["currency"] not in list_currencies():
                raise self.fail(self.field_line(line, "currency"),
                                f"{what} field 'currency' is {entry['currency']!r}, not an ISO 4217 code",
                                "write the currency's three-letter code, such as \"USD\", or remove the field")
            scale = Decimal(str(entry["scale"]))
            if not scale.is_finite() or scale <= 0 or abs(scale) >= Decimal("1e100"):
                raise self.fail(self.field_line(line, "scale"),
                                f"{what} field 'scale' is {entry['scale']!r}, not a positive number",
                                "write the unit's size in base units, a positive number (MW: 1e6)")
            self.check_choice(entry["style"], STYLES, what, "style", line)
            for lang in self.languages:
                table = entry.get(lang)
                if not isinstance(table, dict) or "other" not in table:
                    raise self.fail(line, f"{what} has no {lang!r} template (a missing translation)",
                                    f'add `{lang} = {{ other = "{{n}} {entry["symbol"]}" }}` under [units.{unit_id}]')
                for template in table.values():
                    self.check_template(template, "n", f"{what} {lang}", self.field_line(line, lang))
            optional = {key: entry[key] for key in ("about", "signed", "cldr", "currency") if key in entry}
            units[unit_id] = Unit(id=unit_id, line=line or 0, symbol=entry["symbol"], style=entry["style"], scale=scale,
                                  templates={lang: dict(entry[lang]) for lang in self.languages}, **optional)
        return units

    def qualifiers(self, raw: dict[str, Any]) -> dict[str, dict[str, str]]:
        for qualifier_id, entry in raw.items():
            line = self.header_line(f"[qualifiers.{qualifier_id}]")
            for lang in self.languages:
                template = entry.get(lang) if isinstance(entry, dict) else None
                if template is None:
                    raise self.fail(line, f"qualifier {qualifier_id!r} has no {lang!r} template with {{value}}",
                                    f'add `{lang} = "... {{value}}"` under [qualifiers.{qualifier_id}]')
                self.check_template(template, "value", f"qualifier {qualifier_id!r} {lang}",
                                    self.field_line(line, lang))
        return {qualifier_id: dict(entry) for qualifier_id, entry in raw.items()}

    def figures(self, raw: dict[str, Any], data: Dataset, seen: dict[str, str]) -> None:
        for entry, line, what in self.entries(raw, "figure", "figure"):
            self.require(entry, {"id": str, "value": (int, float, dt.date), "unit": str,
                                 "measures": str, "section": str},
                         {"qualifier": str, "period": str, "status": str}, what, line)
            self.check_id(entry["id"], what, line, seen)
            self.check_choice(entry.get("status", "stated"), FIGURE_STATUSES, what, "status", line)
            unit = data.units.get(entry["unit"])
            if unit is None:
                raise self.fail(self.field_line(line, "unit"),
                                f"{what} has unknown unit {entry['unit']!r}{closest(entry['unit'], list(data.units))}",
                                f"use one of {', '.join(data.units)}, or declare [units.{entry['unit']}]")
            value = entry["value"]
            if isinstance(value, dt.date) != (unit.style == "date"):
                raise self.fail(self.field_line(line, "value"), f"{what} value {value!r} does not fit unit {unit.id!r}",
                                "give dates (YYYY-MM-DD) the 'date' unit and numbers a numeric unit")
            if entry.get("qualifier"):
                self.check_choice(entry["qualifier"], data.qualifiers, what, "qualifier", line)
            if not isinstance(value, dt.date):
                value = Decimal(str(value))
                self.check_number(value, what, self.field_line(line, "value"), unit)
            data.figures[entry["id"]] = Figure(**{**entry, "value": value, "line": line or 0})

    def derived(self, raw: dict[str, Any], data: Dataset, seen: dict[str, str]) -> None:
        for entry, line, what in self.entries(raw, "derived", "derived figure"):
            self.require(entry, {"id": str, "numerator": str, "denominator": str, "unit": str,
                                 "measures": str, "section": str}, {}, what, line)
            self.check_id(entry["id"], what, line, seen)
            for role in ("numerator", "denominator"):
                source = data.figures.get(entry[role])
                if source is None or not isinstance(source.value, Decimal):
                    raise self.fail(self.field_line(line, role),
                                    f"{what} {role} {entry[role]!r} is not a numeric figure"
                                    f"{closest(entry[role], list(data.figures))}",
                                    "name the id of a [[figure]] with a number as its value")
            self.check_choice(entry["unit"], data.units, what, "unit", line)
            unit = data.units[entry["unit"]]
            derived = Derived(line=line or 0, **entry)
            if data.figures[derived.denominator].value == 0:
                raise self.fail(self.field_line(line, "denominator"), f"{what} divides by zero",
                                "choose a denominator whose value is not zero")
            try:
                quotient = data.derived_value(derived)
            except ArithmeticError:  # the quotient has more digits than Decimal keeps
                quotient = Decimal("Infinity")
            if not quotient.is_finite() or abs(quotient) >= LARGEST:
                raise self.fail(self.field_line(line, "denominator"),
                                f"{what} is too large to print ({entry['numerator']} / {entry['denominator']} "
                                f"in {unit.id})", "choose a larger unit or a larger denominator "
                                f"(the result must stay below {LARGEST:E})")
            if quotient < 0 and not unit.signed:
                raise self.fail(line, f"{what} comes out negative ({quotient}) but unit {unit.id!r} "
                                "cannot be negative", f"check the signs of {entry['numerator']!r} and "
                                f"{entry['denominator']!r}, or add `signed = true` to [units.{unit.id}]")
            data.derived[derived.id] = derived

    def names(self, raw: dict[str, Any], data: Dataset, seen: dict[str, str]) -> None:
        for entry, line, what in self.entries(raw, "name", "name"):
            self.require(entry, {"id": str, "label": str, "about": str}, {"context": str}, what, line)
            self.check_id(entry["id"], what, line, seen)
            data.names[entry["id"]] = Name(line=line or 0, **entry)

    def charts(self, raw: dict[str, Any], data: Dataset) -> None:
        chart_lines = self.headers.get("[[chart]]", [])
        row_headers = self.headers.get("[[chart.row]]", [])
        for entry, line, what in self.entries(raw, "chart", "chart"):
            self.require(entry, {"id": str, "kind": str, "unit": str, **dict.fromkeys(CHART_TEXTS, str),
                                 "row": list}, {}, what, line)
            chart_id = entry["id"]
            if not ID_PATTERN.fullmatch(chart_id):
                raise self.fail(line, f"{what} id is not a valid id",
                                "use lower-case letters, digits and single hyphens (e.g. 'gpus')")
            if chart_id in data.charts:
                raise self.fail(line, f"duplicate chart id {chart_id!r} (already used on line "
                                f"{data.charts[chart_id].line})", "give each [[chart]] its own id")
            self.check_choice(entry["kind"], CHART_KINDS, what, "kind", line)
            numeric = [unit_id for unit_id, unit in data.units.items() if unit.style != "date"]
            if entry["unit"] not in numeric:
                raise self.fail(self.field_line(line, "unit"),
                                f"{what} has axis unit {entry['unit']!r}, which is not a numeric unit",
                                f"use one of {', '.join(numeric)}")
            for key in CHART_TEXTS:
                if not entry[key].strip():
                    raise self.fail(self.field_line(line, key), f"{what} field {key!r} is empty",
                                    f"write the chart's {key} in words")
            # Names may hold digits ("Colossus 2"); numbers may not.
            notice = entry["notice"]
            for name in sorted(data.names.values(), key=lambda n: -len(n.label)):
                notice = notice.replace(name.label, "")
            if digit := re.search(r"\d+", notice):
                raise self.fail(self.field_line(line, "notice"),
                                f"{what} field 'notice' repeats a number ({digit.group(0)!r})",
                                "say in words what to notice; the chart and its table show the numbers")
            # The [[chart.row]] headers between this chart's and the next chart's.
            end = next((number for number in chart_lines if line is not None and number > line), None)
            row_lines = [number for number in row_headers
                         if line is not None and line < number and (end is None or number < end)]
            rows = tuple(self.chart_row(data, what, raw_row, row_lines[i] if i < len(row_lines) else line)
                         for i, raw_row in enumerate(entry["row"]))
            if not rows:
                raise self.fail(line, f"{what} has no rows", "add a [[chart.row]] table for each figure it shows")
            self.check_axis(data, what, entry["kind"], rows, line)
            data.charts[chart_id] = ChartDef(id=chart_id, kind=entry["kind"], unit=entry["unit"], rows=rows,
                                             line=line or 0, **{key: entry[key] for key in CHART_TEXTS})

    def chart_row(self, data: Dataset, what: str, entry: Any, line: int | None) -> ChartRow:
        if not isinstance(entry, dict):
            raise self.fail(line, f"{what} has a row that is not a table", "write each row as [[chart.row]]")
        self.require(entry, {"figure": str, "label": str}, {"status": str, "place": str}, f"{what} row", line)
        figure_id = entry["figure"]
        item = data.figure_or_derived(figure_id)
        if item is None:
            raise self.fail(self.field_line(line, "figure"),
                            f"{what} row names figure {figure_id!r}, which the data file does not hold"
                            f"{closest(figure_id, [*data.figures, *data.derived])}",
                            "name the id of a [[figure]] or [[derived]] entry")
        derived = item.kind == "derived"
        row = ChartRow(figure_id, entry["label"], entry.get("status", "derived" if derived else "stated"),
                       entry.get("place", "bar"), line or 0)
        what = f"{what} row {figure_id!r}"
        self.check_choice(row.status, CHART_STATUSES, what, "status", line)
        if derived != (row.status == "derived"):
            raise self.fail(self.field_line(line, "status"),
                            f"{what} has status {row.status!r}, but the figure is "
                            f"{'our arithmetic' if derived else 'stated by the article'}",
                            "leave `status` out for a [[derived]] figure, and never mark a [[figure]] 'derived'")
        self.check_choice(row.place, PLACES, what, "place", line)
        if not row.label.strip():
            raise self.fail(self.field_line(line, "label"), f"{what} has an empty label",
                            "say in words what the row is")
        return row

    def check_axis(self, data: Dataset, what: str, kind: str, rows: tuple[ChartRow, ...],
                   line: int | None) -> None:
        """One axis, one kind of quantity: no yearly flow beside a one-off sum; bars of numbers,
        none below zero (a timeline places its dates on the calendar, not as bars)."""
        periods: dict[str | None, ChartRow] = {}  # the first drawn row of each period
        for row in rows:
            item = data.figure_or_derived(row.figure)
            value = data.value(item)
            if row.place != "bar" or (kind == "timeline" and isinstance(value, dt.date)):
                continue
            if isinstance(value, dt.date):
                raise self.fail(row.line, f"{what} draws the date {row.figure!r} as a bar",
                                "draw dates in a 'timeline' chart, or give the row `place = \"aside\"`")
            if value < 0:
                raise self.fail(row.line, f"{what} row {row.figure!r} is negative", "draw only amounts of zero or more")
            periods.setdefault(getattr(item, "period", None), row)
        if len(periods) > 1:
            (p1, r1), (p2, r2) = list(periods.items())[:2]

            def name(period: str | None, row: ChartRow) -> str:
                return f"{row.figure!r} ({f'a flow, {period}' if period else 'a one-off amount'})"
            raise self.fail(r2.line, f"{what} puts {name(p1, r1)} and {name(p2, r2)} on one axis",
                            "draw the flow in a chart of its own, or give its row `place = \"aside\"`")
        if kind == "bars" and not periods:
            raise self.fail(line, f"{what} draws no bar", "give at least one row `place = \"bar\"`")


def check_lengths(reader: Reader, raw: Any, key: str = "") -> None:
    """Every text of the parsed file within its field's limit (TEXT_LIMITS)."""
    if isinstance(raw, dict):
        for name, value in raw.items():
            check_lengths(reader, value, name)
    elif isinstance(raw, list):
        for value in raw:
            check_lengths(reader, value, key)
    elif isinstance(raw, str) and len(raw) > (limit := TEXT_LIMITS.get(key, 100)):
        line = reader.line_of(re.escape(raw[:40])) or reader.line_of(rf"^\s*{re.escape(key)}\s*=")
        raise reader.fail(line, f"field {key!r} is {len(raw):,} characters long, more than the "
                          f"{limit:,} it may hold", f"shorten it to at most {limit:,} characters "
                          "(the page says the rest)")


def load(path: Path | str, languages: tuple[str, ...] = ("en",)) -> Dataset:
    path = Path(path)
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise FiguresDataError(path, None, f"cannot read the figures data file ({exc.strerror})",
                               "check the `figures_data` setting in conf.py") from None
    try:
        text = content.decode("utf-8")
        found = NOT_UTF8.search(text) if "\x00" in text else None
    except UnicodeDecodeError:
        text = content.decode("utf-8", errors="surrogateescape")
        found = NOT_UTF8.search(text)
    if found:
        before = text[:found.start()]
        offset = len(before.encode("utf-8", "surrogateescape"))
        raise FiguresDataError(path, before.count("\n") + 1, f"the file is not UTF-8 text (byte "
                               f"{ord(found.group()) & 0xFF:#04x} at offset {offset})",
                               "save the file as UTF-8 (and check it is the data file, not a binary)")
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\s*\(at line (\d+), column \d+\)", str(exc))
        raise FiguresDataError(path, int(match.group(1)) if match else None, "the file is not valid TOML "
                               f"({str(exc).replace(match.group(), '') if match else exc})",
                               "correct the TOML syntax on that line") from None
    if found := BIDI_CONTROLS.search(text):
        raise FiguresDataError(path, text.count("\n", 0, found.start()) + 1, "the file holds a bidirectional "
                               f"control character (U+{ord(found.group()):04X}), which shows text in another "
                               "order than it is read", "delete it; to mark a right-to-left word, "
                               "write it as is: the reader's browser orders it")

    reader = Reader(path, text, languages)
    check_lengths(reader, raw)
    for key, value in raw.items():
        shape = TABLES.get(key)
        if shape is list and isinstance(value, list) and all(isinstance(e, dict) for e in value) \
                or shape is dict and isinstance(value, dict):
            continue
        line = reader.line_of(rf"^\s*\[*\s*{re.escape(key)}\b")
        if shape is None:
            raise reader.fail(line, f"unknown table {key!r}{closest(key, sorted(TABLES))}",
                              f"use only {', '.join(sorted(TABLES))}")
        if shape is dict:
            raise reader.fail(line, f"{key!r} must be a table", f"declare each as a [{key}.ID] table")
        raise reader.fail(line, f"{key!r} must be a list of tables, not {value!r}",
                          f"write each entry as a [[{key}]] table with its fields below it")

    data = Dataset(path=path, units=reader.units(raw.get("units", {})),
                   qualifiers=reader.qualifiers(raw.get("qualifiers", {})))
    seen: dict[str, str] = {}
    reader.figures(raw, data, seen)
    reader.derived(raw, data, seen)
    reader.names(raw, data, seen)
    if not data.figures:
        raise reader.fail(None, "the file holds no [[figure]] entries", "add at least one [[figure]] table")
    reader.charts(raw, data)

    # Every figure written once in each language, so that a value or template the
    # checks above let through still fails here, at its own line, not in a page.
    for item in [*data.figures.values(), *data.derived.values()]:
        for language in languages:
            try:
                format_figure(item, data, language)
            except (ArithmeticError, ValueError, LookupError, TypeError) as exc:
                raise reader.fail(item.line or None, f"{item.kind} {item.id!r} cannot be written in "
                                  f"{language!r} ({type(exc).__name__}: {exc})",
                                  "check its value and the templates of its unit and qualifier") from None
    return data


# --- Writing figures, the way readers of each language expect -------------------

def first_of_month(text: str, day: int, language: str) -> str:
    """*text*, a date Babel wrote day first, with its day as *language* writes the first."""
    first = FIRST_OF_MONTH.get(language.split("_")[0])
    return first + text[1:] if first and day == 1 else text


def format_date_value(value: dt.date, language: str) -> str:
    return first_of_month(format_date(value, format="long", locale=language), value.day, language)


def format_number(value: Decimal, unit: Unit, language: str) -> str:
    if unit.style == "compact" and abs(value) >= COMPACT_FROM:
        return format_compact_decimal(value, format_type="long", locale=language, fraction_digits=2)
    return format_decimal(value, locale=language)


def in_language(templates: dict[str, Any], language: str) -> Any:
    """*language*'s entry of *templates*, else its base language's ("pt" for "pt_BR")."""
    return templates.get(language) or templates[language.split("_")[0]]


def apply_unit(number: str, value: Decimal | dt.date, unit: Unit, language: str) -> str:
    templates = in_language(unit.templates, language)
    if isinstance(value, dt.date):
        category = "other"
    elif unit.style == "compact" and abs(value) < COMPACT_FROM and "small" in templates:
        category = "small"
    else:
        category = Locale.parse(language).plural_form(value)
    template = templates.get(category, templates["other"])
    if unit.style != "compact":
        # A number and its unit symbol never part at a line break.
        template = template.replace("{n} ", "{n}" + NBSP).replace(" {n}", NBSP + "{n}")
    return template.format(n=number)


def format_figure(item: Figure | Derived, data: Dataset, language: str) -> str:
    """The reader-facing text of a figure: "100,000 GPUs", "less than 3 months"."""
    key = (item.kind, item.id, language)
    if key not in data.texts:
        value = data.value(item)
        unit = data.units[item.unit]
        number = format_date_value(value, language) if isinstance(value, dt.date) else \
            format_number(value, unit, language)
        text = apply_unit(number, value, unit, language)
        if qualifier := getattr(item, "qualifier", None):
            text = in_language(data.qualifiers[qualifier], language).format(value=text)
        data.texts[key] = text
    return data.texts[key]
