"""The one writer of every CSV file the site publishes (figures.csv, each chart's CSV).

A spreadsheet reads a cell starting with ``=``, ``+``, ``-``, ``@``, a tab or
a carriage return as a formula (OWASP, "CSV Injection"): such a text cell is
written with a leading single quote, so it shows as the text it is. Columns
named numeric hold numbers (or ISO dates) and are written as they are, so a
negative value stays a number.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(text: str) -> str:
    """A text cell a spreadsheet shows as text: a leading single quote before a formula start."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(columns: Sequence[str], rows: Iterable[Sequence[str]], numeric: frozenset[str]) -> str:
    """A header row and *rows* (cells in the order of *columns*), UTF-8 text with "\\n" line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    # The csv module quotes a cell holding "\n" but not one holding a bare "\r" (it looks
    # only for its own line terminator): such a row is written fully quoted, or it would split.
    quoting_all = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(columns)
    for row in rows:
        safe = [cell if name in numeric else neutralised(cell) for name, cell in zip(columns, row, strict=True)]
        (quoting_all if any("\r" in cell for cell in safe) else writer).writerow(safe)
    return buffer.getvalue()
