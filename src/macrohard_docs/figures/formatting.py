"""Write figures the way readers of each language expect, through Babel."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_compact_decimal, format_decimal

from .records import Dataset, Derived, Figure, Unit

NBSP = "\u00a0"
# Below this, "compact" money is written in full ("$35,000", not "$35K").
COMPACT_FROM = Decimal(1_000_000)


# The first of a month, where a language writes it otherwise than Babel's "1":
# French as an ordinal, "1er août 2025".
FIRST_OF_MONTH = {"fr": "1er"}


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


def apply_unit(number: str, value: Decimal | dt.date, unit: Unit, language: str) -> str:
    templates = unit.templates.get(language) or unit.templates[language.split("_")[0]]
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
        data.texts[key] = write_figure(item, data, language)
    return data.texts[key]


def write_figure(item: Figure | Derived, data: Dataset, language: str) -> str:
    unit = data.units[item.unit]
    value = data.derived_value(item) if item.kind == "derived" else item.value
    if isinstance(value, dt.date):
        text = apply_unit(format_date_value(value, language), value, unit, language)
    else:
        text = apply_unit(format_number(value, unit, language), value, unit, language)
    qualifier = getattr(item, "qualifier", None)
    if qualifier:
        templates = data.qualifiers[qualifier]
        text = (templates.get(language) or templates[language.split("_")[0]]).format(value=text)
    return text
