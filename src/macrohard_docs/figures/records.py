"""The figures data file's records, and the reader that makes them from its parsed TOML.

Below every other module of the figures data: chartdefs.py reads the charts
with the same reader, formatting.py writes the records, and data.py loads
the file with all three (imports go one way: records <- chartdefs, formatting <- data).
"""

from __future__ import annotations

import datetime as dt
import re
import string
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar

from babel.numbers import list_currencies
from babel.units import UnknownUnitError, get_unit_name

from .kinds import KIND
from .reporting import BadInput, closest

# fullmatch: "$" would also accept an id ending in a newline.
ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
ID_LINE = re.compile(r"""^\s*id\s*=\s*["']([^"']*)["']""")
HEADER_LINE = re.compile(r"^\s*(\[\[?[^\[\]]*\]\]?)")  # [units.mw], [[figure]]
# A language as Babel and Sphinx name it: "de", "pt_BR" (a unit's templates in it).
LANGUAGE_KEY = re.compile(r"[a-z]{2,3}(?:_[A-Za-z0-9]{2,8})*")
STYLES = ("number", "compact", "date")
# Babel writes numbers through a 28-digit decimal context: far above this it
# fails; a thousand trillion is more than any figure of this dossier needs.
LARGEST = Decimal("1e15")
# Python's names for the types a field may have, as a reader of the data file says them.
TYPE_NAMES = {"int": "whole number", "float": "number", "date": "date", "str": "quoted text",
              "bool": "true or false", "list": "list", "dict": "table"}


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
    """A figures data file that cannot be used as it is."""

    category = "Figures data error"

    def __init__(self, path: Path | str, line: int | None, problem: str, fix: str) -> None:
        self.path = str(path)
        self.line = line
        self.problem = problem
        self.fix = fix
        where = f"{self.path}:{line}" if line else self.path
        # One line, whatever the file holds: a line break quoted from it (a key
        # such as [units."\n"]) is shown escaped, as Python writes it.
        super().__init__(LINE_BREAK.sub(escaped, f"{where}: {problem}. Fix: {fix}."))


# What str.splitlines() breaks on.
LINE_BREAK = re.compile("[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")


def escaped(found: re.Match[str]) -> str:
    return found.group().encode("unicode_escape").decode("ascii")


class GlossaryItem:
    """What units, figures, derived figures and names share: a kind (kinds.py), and
    the anchor of their glossary entry, made by their kind's rule."""

    kind: ClassVar[str]
    id: str

    @property
    def anchor(self) -> str:
        return KIND[self.kind].anchor(self.id)


@dataclass(frozen=True)
class Unit(GlossaryItem):
    id: str
    symbol: str
    style: str
    scale: Decimal
    templates: dict[str, dict[str, str]]  # language -> plural category -> template
    about: str | None
    line: int
    signed: bool = False  # `signed = true`: the quantity can be below zero
    cldr: str | None = None  # its CLDR unit ("power-megawatt"): the names search knows it by
    currency: str | None = None  # its ISO 4217 currency ("USD"), likewise

    kind = "unit"


@dataclass(frozen=True)
class Figure(GlossaryItem):
    id: str
    value: Decimal | dt.date
    unit: str
    measures: str
    section: str
    line: int
    qualifier: str | None = None
    period: str | None = None
    status: str = "stated"

    kind = "figure"


@dataclass(frozen=True)
class Derived(GlossaryItem):
    id: str
    numerator: str
    denominator: str
    unit: str
    measures: str
    section: str
    line: int

    kind = "derived"


@dataclass(frozen=True)
class Name(GlossaryItem):
    id: str
    label: str
    about: str
    line: int
    # What a reader may need from outside the article; the glossary labels it so.
    context: str | None = None

    kind = "name"


@dataclass
class Dataset:
    path: Path
    units: dict[str, Unit] = field(default_factory=dict)
    qualifiers: dict[str, dict[str, str]] = field(default_factory=dict)
    figures: dict[str, Figure] = field(default_factory=dict)
    derived: dict[str, Derived] = field(default_factory=dict)
    names: dict[str, Name] = field(default_factory=dict)
    charts: dict[str, Any] = field(default_factory=dict)  # id -> chartdefs.ChartDef
    # Each figure's text per language, once written (formatting.format_figure):
    # a page, the glossary and the search data each write the same figures.
    texts: dict[tuple[str, str, str], str] = field(default_factory=dict, repr=False, compare=False)

    def figure_or_derived(self, figure_id: str) -> Figure | Derived | None:
        return self.figures.get(figure_id) or self.derived.get(figure_id)

    def derived_value(self, derived: Derived) -> Decimal:
        """numerator / denominator, in the derived figure's unit."""
        num = self.figures[derived.numerator]
        den = self.figures[derived.denominator]
        assert isinstance(num.value, Decimal) and isinstance(den.value, Decimal)
        base = (num.value * self.units[num.unit].scale) / (den.value * self.units[den.unit].scale)
        value = base / self.units[derived.unit].scale
        # Two decimals are as precise as figures this round deserve.
        return value.quantize(Decimal("0.01")).normalize()


def type_names(expected: type | tuple[type, ...]) -> str:
    """(int, float, date) -> "number or date": the types as the data file's reader knows them."""
    kinds = expected if isinstance(expected, tuple) else (expected,)
    names: list[str] = []
    for kind in kinds:
        name = "number" if kind is int and float in kinds else TYPE_NAMES.get(kind.__name__, kind.__name__)
        if name not in names:
            names.append(name)
    return " or ".join(names)


class Reader:
    """Walks the parsed TOML and turns each table into a record."""

    def __init__(self, path: Path, text: str, languages: tuple[str, ...]) -> None:
        self.path = path
        self.lines = text.splitlines()
        self.languages = languages
        # Where each `id = "..."` and each table header is, found in one pass:
        # every entry looks its line up (searching the file per entry was a
        # tenth of our share of a build).
        self.id_lines: dict[str, int] = {}
        self.headers: dict[str, list[int]] = {}
        self.table_starts: list[int] = []
        for number, line in enumerate(self.lines, start=1):
            if found := ID_LINE.match(line):
                self.id_lines.setdefault(found.group(1), number)
            elif line.lstrip().startswith("["):  # a table's header (or a line of an array)
                self.table_starts.append(number)
                if found := HEADER_LINE.match(line):
                    self.headers.setdefault(found.group(1).replace(" ", ""), []).append(number)

    def line_of(self, pattern: str, start: int = 0) -> int | None:
        regex = re.compile(pattern)
        for number, line in enumerate(self.lines[start:], start=start + 1):
            if regex.search(line):
                return number
        return None

    def fail(self, line: int | None, problem: str, fix: str) -> FiguresDataError:
        return FiguresDataError(self.path, line, problem, fix)

    def entry_line(self, table: str, entry_id: Any, index: int) -> int | None:
        """Line of the entry's `id = "..."`, else of its [[table]] header."""
        if isinstance(entry_id, str) and entry_id in self.id_lines:
            return self.id_lines[entry_id]
        headers = self.headers.get(f"[[{table}]]", [])
        return headers[index] if index < len(headers) else None

    def header_line(self, *headers: str) -> int | None:
        """Line of the first of *headers* (as written, spaces aside) the file has."""
        return next((self.headers[header][0] for header in headers if header in self.headers), None)

    def field_line(self, entry_line: int | None, key: str) -> int | None:
        if entry_line is None:
            return None
        found = self.line_of(rf"^\s*{re.escape(key)}\s*=", entry_line - 1)
        next_entry = next((number for number in self.table_starts if number > entry_line), None)
        if found and (next_entry is None or found < next_entry):
            return found
        return entry_line

    def require(
        self, entry: dict[str, Any], keys: dict[str, type | tuple[type, ...]],
        optional: dict[str, type | tuple[type, ...]], what: str, line: int | None,
    ) -> None:
        for key in keys:
            if key not in entry:
                raise self.fail(line, f"{what} has no {key!r}", f"add `{key} = ...` to it")
        for key, value in entry.items():
            expected = keys.get(key) or optional.get(key)
            if expected is None:
                allowed = ", ".join(sorted({*keys, *optional}))
                raise self.fail(
                    self.field_line(line, key),
                    f"{what} has an unknown field {key!r}{closest(key, [*keys, *optional])}",
                    f"use only {allowed}",
                )
            if not isinstance(value, expected) or (isinstance(value, bool) and expected is not bool):
                names = type_names(expected)
                raise self.fail(
                    self.field_line(line, key),
                    f"{what} field {key!r} is {value!r}, not a {names}",
                    f"write {key!r} as a {names}",
                )

    def check_template(self, template: str, field: str, what: str, line: int | None) -> None:
        """A template must be valid str.format text whose only placeholder is {field}."""
        fields = placeholders(template)
        if fields is None or any(name != field for name in fields) or field not in fields:
            raise self.fail(line, f"{what} template {template!r} is not a valid template with {{{field}}}",
                            f"write {{{field}}} where the text goes, with no other braces "
                            "(a literal brace is written {{ or }})")

    def check_number(self, number: Decimal, what: str, field: str, line: int | None,
                     signed: bool, unit_id: str) -> None:
        if not number.is_finite():
            raise self.fail(line, f"{what} field {field!r} is {number}, not a finite number",
                            f"write {field!r} as an ordinary number")
        if abs(number) >= LARGEST:
            raise self.fail(line, f"{what} field {field!r} is {number:E}, too large to print",
                            f"keep {field!r} below {LARGEST:E} in absolute value, "
                            "with a larger unit if need be")
        if number < 0 and not signed:
            raise self.fail(line, f"{what} field {field!r} is negative ({number}) but unit "
                            f"{unit_id!r} cannot be negative",
                            f"correct the value, or add `signed = true` to [units.{unit_id}] "
                            "if this quantity can be below zero")

    def check_id(self, entry_id: str, what: str, line: int | None, seen: dict[str, str]) -> None:
        if not ID_PATTERN.fullmatch(entry_id):
            raise self.fail(line, f"{what} id {entry_id!r} is not a valid id",
                            "use lower-case letters, digits and single hyphens (e.g. 'colossus-power')")
        if entry_id in seen:
            first = self.line_of(rf'^\s*id\s*=\s*["\']{re.escape(entry_id)}["\']')
            later = [n for n, text in enumerate(self.lines, start=1)
                     if re.match(rf'^\s*id\s*=\s*["\']{re.escape(entry_id)}["\']', text)]
            raise self.fail(later[-1] if later else line,
                            f"duplicate id {entry_id!r} (already used by the {seen[entry_id]} on line {first})",
                            "give each figure, derived figure and name its own id")
        seen[entry_id] = what

    def units(self, raw: Any) -> dict[str, Unit]:
        if not isinstance(raw, dict):
            raise self.fail(self.line_of(r"^\s*units\s*="), "'units' must be a table",
                            "declare units as [units.ID] tables")
        units = {}
        for unit_id, entry in raw.items():
            line = self.header_line(f"[units.{unit_id}]", f'[units."{unit_id}"]')
            what = f"unit {unit_id!r}"
            if not isinstance(entry, dict):
                raise self.fail(line, f"{what} is not a table", f"write it as [units.{unit_id}]")
            self.require(entry, {"symbol": str, "style": str, "scale": (int, float)},
                         {"about": str, "signed": bool, "cldr": str, "currency": str,
                          # A language's templates: any key that names a language, so
                          # that a new edition needs no list here (CONTRIBUTING.md).
                          **{key: dict for key in entry if is_language(key)}},
                         what, line)
            self.check_names(entry, what, line)
            scale = Decimal(str(entry["scale"]))
            if not scale.is_finite() or scale <= 0 or abs(scale) >= Decimal("1e100"):
                raise self.fail(self.field_line(line, "scale"),
                                f"{what} field 'scale' is {entry['scale']!r}, not a positive number",
                                "write the unit's size in base units, a positive number (MW: 1e6)")
            if entry["style"] not in STYLES:
                raise self.fail(self.field_line(line, "style"),
                                f"{what} has unknown style {entry['style']!r}",
                                f"use one of {', '.join(STYLES)}")
            templates = {}
            for lang in self.languages:
                table = entry.get(lang)
                if not isinstance(table, dict) or "other" not in table:
                    raise self.fail(line, f"{what} has no {lang!r} template (a missing translation)",
                                    f'add `{lang} = {{ other = "{{n}} {entry["symbol"]}" }}` under [units.{unit_id}]')
                for category, template in table.items():
                    if not isinstance(template, str) or "{n}" not in template:
                        raise self.fail(self.field_line(line, lang),
                                        f"{what} {lang} template {category!r} does not contain {{n}}",
                                        "write the template with {n} where the number goes")
                    self.check_template(template, "n", f"{what} {lang}", self.field_line(line, lang))
                templates[lang] = dict(table)
            units[unit_id] = Unit(
                id=unit_id, symbol=entry["symbol"], style=entry["style"],
                scale=scale, templates=templates, about=entry.get("about"),
                signed=entry.get("signed", False), cldr=entry.get("cldr"),
                currency=entry.get("currency"), line=line or 0)
        return units

    def check_names(self, entry: dict[str, Any], what: str, line: int | None) -> None:
        """`cldr` and `currency` name a unit as Babel knows it, or the search
        would silently lose the unit's spelled-out names."""
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

    def qualifiers(self, raw: Any) -> dict[str, dict[str, str]]:
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            raise self.fail(self.line_of(r"^\s*qualifiers\s*="), "'qualifiers' must be a table",
                            "declare qualifiers as [qualifiers.ID] tables")
        qualifiers = {}
        for qualifier_id, entry in raw.items():
            line = self.header_line(f"[qualifiers.{qualifier_id}]")
            for lang in self.languages:
                template = entry.get(lang) if isinstance(entry, dict) else None
                if not isinstance(template, str) or "{value}" not in template:
                    raise self.fail(line, f"qualifier {qualifier_id!r} has no {lang!r} template with {{value}}",
                                    f'add `{lang} = "... {{value}}"` under [qualifiers.{qualifier_id}]')
                self.check_template(template, "value", f"qualifier {qualifier_id!r} {lang}",
                                    self.field_line(line, lang))
            qualifiers[qualifier_id] = dict(entry)
        return qualifiers


def is_language(key: str) -> bool:
    """Whether a unit's key names a language ("en", "de", "pt_BR"), as Babel knows them."""
    from babel import localedata

    return bool(LANGUAGE_KEY.fullmatch(key)) and localedata.exists(key)
