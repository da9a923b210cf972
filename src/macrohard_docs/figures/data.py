"""The figures data file: load it, check it, and hand back typed records.

Every problem is raised as :class:`FiguresDataError`, whose message names the
file, the line and the fix, so that a broken data file stops the build with
one readable sentence instead of a traceback. The records and the reader of
each table are in records.py; the charts' tables are read by chartdefs.py.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

from .chartdefs import read_charts
from .formatting import format_figure
from .records import (
    LARGEST, Dataset, Derived, Figure, FiguresDataError, Name, Reader, Unit, placeholders,
)
from .reporting import closest

# What the rest of the package takes from the data: load() and the records it hands back.
__all__ = ["BIDI_CONTROLS", "Dataset", "Derived", "Figure", "FiguresDataError", "Name", "Unit", "load",
           "placeholders"]
from .kinds import FIGURE_STATUSES

LIST_TABLES = ("figure", "derived", "name")
# Longest text each field may hold, in characters: a label is a line, a measure or
# a note a few sentences. The dossier's longest are about half these; a longer one
# is a paste gone wrong, and every page, both search indexes and the glossary
# would carry it. Fields not named here (ids, units, templates) get TEXT_LIMIT.
TEXT_LIMITS = {"measures": 400, "about": 400, "notice": 400, "subtitle": 200, "source": 200,
               "title": 120, "label": 120, "context": 120}
TEXT_LIMIT = 100
# Bidirectional controls (embeddings, overrides, isolates) make text read in a
# different order from the one it is stored in ("Trojan Source", CVE-2021-42574).
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def bidi_control_at(path: Path, text: str) -> None:
    """Refuse a bidirectional control character anywhere in *text*, naming its line."""
    if found := BIDI_CONTROLS.search(text):
        line = text.count("\n", 0, found.start()) + 1
        raise FiguresDataError(path, line, f"the file holds a bidirectional control character "
                               f"(U+{ord(found.group()):04X}), which shows text in another order "
                               "than it is read", "delete it; to mark a right-to-left word, "
                               "write it as is: the reader's browser orders it")


def check_lengths(reader: Reader, raw: Any, key: str = "") -> None:
    """Every text of the parsed file within its field's limit (TEXT_LIMITS)."""
    if isinstance(raw, dict):
        for name, value in raw.items():
            check_lengths(reader, value, name)
    elif isinstance(raw, list):
        for value in raw:
            check_lengths(reader, value, key)
    elif isinstance(raw, str):
        limit = TEXT_LIMITS.get(key, TEXT_LIMIT)
        if len(raw) > limit:
            line = reader.line_of(re.escape(raw[:40])) or reader.line_of(rf"^\s*{re.escape(key)}\s*=")
            raise reader.fail(line, f"field {key!r} is {len(raw):,} characters long, more than the "
                              f"{limit:,} it may hold", f"shorten it to at most {limit:,} characters "
                              "(the page says the rest)")


def load(path: Path | str, languages: tuple[str, ...] = ("en",)) -> Dataset:
    """Read and check the data file at *path* for the given languages."""
    path = Path(path)
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise FiguresDataError(path, None, f"cannot read the figures data file ({exc.strerror})",
                               "check the `figures_data` setting in conf.py") from None
    if b"\x00" in content:  # TOML forbids NUL: this is a binary file, or UTF-16
        line = content[: content.index(b"\x00")].count(b"\n") + 1
        raise FiguresDataError(path, line, "the file is not UTF-8 text (it holds NUL bytes: a binary "
                               "file, or UTF-16)",
                               "save the file as UTF-8 (and check it is the data file, not a binary)")
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = content[: exc.start].count(b"\n") + 1
        raise FiguresDataError(path, line, f"the file is not UTF-8 text (byte {content[exc.start]:#04x} "
                               f"at offset {exc.start})",
                               "save the file as UTF-8 (and check it is the data file, not a binary)") from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line = int(match.group(1)) if match else None
        problem = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise FiguresDataError(path, line, f"the file is not valid TOML ({problem})",
                               "correct the TOML syntax on that line") from None

    bidi_control_at(path, text)
    reader = Reader(path, text, languages)
    check_lengths(reader, raw)
    known = {"units", "qualifiers", "figure", "derived", "name", "chart"}
    for key in raw:
        if key not in known:
            raise reader.fail(reader.line_of(rf"^\s*\[*\s*{re.escape(key)}\b"),
                              f"unknown table {key!r}{closest(key, sorted(known))}",
                              f"use only {', '.join(sorted(known))}")

    for table in LIST_TABLES:
        entries = raw.get(table, [])
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            raise reader.fail(reader.line_of(rf"^\s*\[*\s*{table}\b"),
                              f"'{table}' must be a list of tables, not {entries!r}",
                              f"write each entry as a [[{table}]] table with its fields below it")

    data = Dataset(path=path, units=reader.units(raw.get("units", {})),
                   qualifiers=reader.qualifiers(raw.get("qualifiers")))
    seen: dict[str, str] = {}

    for index, entry in enumerate(raw.get("figure", [])):
        line = reader.entry_line("figure", entry.get("id"), index)
        what = f"figure {entry.get('id', f'#{index + 1}')!r}"
        reader.require(entry, {"id": str, "value": (int, float, dt.date), "unit": str,
                               "measures": str, "section": str},
                       {"qualifier": str, "period": str, "status": str}, what, line)
        reader.check_id(entry["id"], what, line, seen)
        if entry.get("status", "stated") not in FIGURE_STATUSES:
            raise reader.fail(reader.field_line(line, "status"),
                              f"{what} has unknown status {entry['status']!r}",
                              f"use one of {', '.join(FIGURE_STATUSES)}")
        unit = data.units.get(entry["unit"])
        if unit is None:
            raise reader.fail(reader.field_line(line, "unit"),
                              f"{what} has unknown unit {entry['unit']!r}{closest(entry['unit'], list(data.units))}",
                              f"use one of {', '.join(data.units)}, or declare [units.{entry['unit']}]")
        is_date = isinstance(entry["value"], dt.date)
        if is_date != (unit.style == "date"):
            raise reader.fail(reader.field_line(line, "value"),
                              f"{what} value {entry['value']!r} does not fit unit {unit.id!r}",
                              "give dates (YYYY-MM-DD) the 'date' unit and numbers a numeric unit")
        if entry.get("qualifier") and entry["qualifier"] not in data.qualifiers:
            raise reader.fail(reader.field_line(line, "qualifier"),
                              f"{what} has unknown qualifier {entry['qualifier']!r}",
                              f"use one of {', '.join(data.qualifiers)}")
        value = entry["value"] if is_date else Decimal(str(entry["value"]))
        if not is_date:
            reader.check_number(value, what, "value", reader.field_line(line, "value"),
                                unit.signed, unit.id)
        data.figures[entry["id"]] = Figure(
            id=entry["id"], value=value, unit=entry["unit"], measures=entry["measures"],
            section=entry["section"], line=line or 0, qualifier=entry.get("qualifier"),
            period=entry.get("period"), status=entry.get("status", "stated"))

    for index, entry in enumerate(raw.get("derived", [])):
        line = reader.entry_line("derived", entry.get("id"), index)
        what = f"derived figure {entry.get('id', f'#{index + 1}')!r}"
        reader.require(entry, {"id": str, "numerator": str, "denominator": str, "unit": str,
                               "measures": str, "section": str}, {}, what, line)
        reader.check_id(entry["id"], what, line, seen)
        for role in ("numerator", "denominator"):
            source = data.figures.get(entry[role])
            if source is None or not isinstance(source.value, Decimal):
                raise reader.fail(reader.field_line(line, role),
                                  f"{what} {role} {entry[role]!r} is not a numeric figure"
                                  f"{closest(entry[role], list(data.figures))}",
                                  "name the id of a [[figure]] with a number as its value")
        if entry["unit"] not in data.units:
            raise reader.fail(reader.field_line(line, "unit"),
                              f"{what} has unknown unit {entry['unit']!r}",
                              f"use one of {', '.join(data.units)}")
        derived = Derived(line=line or 0, **entry)
        if data.figures[derived.denominator].value == 0:
            raise reader.fail(reader.field_line(line, "denominator"), f"{what} divides by zero",
                              "choose a denominator whose value is not zero")
        try:
            quotient = data.derived_value(derived)
        except ArithmeticError:  # the quotient has more digits than Decimal keeps
            quotient = Decimal("Infinity")
        unit = data.units[derived.unit]
        if not quotient.is_finite() or abs(quotient) >= LARGEST:
            raise reader.fail(reader.field_line(line, "denominator"),
                              f"{what} is too large to print ({entry['numerator']} / {entry['denominator']} "
                              f"in {unit.id})",
                              f"choose a larger unit or a larger denominator (the result must stay below {LARGEST:E})")
        if quotient < 0 and not unit.signed:
            raise reader.fail(line, f"{what} comes out negative ({quotient}) but unit {unit.id!r} "
                              "cannot be negative",
                              f"check the signs of {entry['numerator']!r} and {entry['denominator']!r}, "
                              f"or add `signed = true` to [units.{unit.id}]")
        data.derived[derived.id] = derived

    for index, entry in enumerate(raw.get("name", [])):
        line = reader.entry_line("name", entry.get("id"), index)
        what = f"name {entry.get('id', f'#{index + 1}')!r}"
        reader.require(entry, {"id": str, "label": str, "about": str}, {"context": str}, what, line)
        reader.check_id(entry["id"], what, line, seen)
        data.names[entry["id"]] = Name(line=line or 0, **entry)

    if not data.figures:
        raise reader.fail(None, "the file holds no [[figure]] entries", "add at least one [[figure]] table")
    data.charts = read_charts(reader, raw.get("chart", []), data)
    check_printable(data, reader, languages)
    return data


def check_printable(data: Dataset, reader: Reader, languages: tuple[str, ...]) -> None:
    """Write every figure once in each language, so a value or template the checks
    above let through still fails here, at its own line, and not in the middle of a page."""
    for item in [*data.figures.values(), *data.derived.values()]:
        for language in languages:
            try:
                format_figure(item, data, language)
            except (ArithmeticError, ValueError, LookupError, TypeError) as exc:
                raise reader.fail(item.line or None,
                                  f"{item.kind} {item.id!r} cannot be written in {language!r} "
                                  f"({type(exc).__name__}: {exc})",
                                  "check its value and the templates of its unit and qualifier") from None
