"""A translation catalog that does not parse stops the build, naming its line.

Sphinx compiles each edition's .po files with Babel, whose reader is lenient:
a string missing its closing quote loses its last character, a stray line is
skipped, and the build publishes the damage without a word. Here, before
Sphinx compiles anything, every catalog of the build's language is checked
line by line against the PO syntax (comments, keywords, quoted strings), and
the first bad line stops the build with the file, the line and the fix.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.util.i18n import CatalogRepository

from .reporting import BadInput

if TYPE_CHECKING:
    from sphinx.application import Sphinx

STRING = r'"(?:[^"\\]|\\.)*"'
KEYWORD = r"(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)"
PO_LINE = re.compile(rf"^\s*(?:#.*|{KEYWORD}\s+{STRING}|{STRING})?\s*$")
UNCLOSED = re.compile(rf'^\s*(?:{KEYWORD}\s+)?"(?:[^"\\]|\\.)*$')


class CatalogError(BadInput):
    category = "Translation catalog error"


def problem_with(line: str) -> tuple[str, str]:
    if UNCLOSED.match(line.rstrip("\n")):
        return "the string is not closed", 'end it with a double quote (a quote inside a string is written \\")'
    return ("this is not a PO line (a comment, a keyword with a quoted string, or a quoted string)",
            "fix or remove it; `msgfmt --check` shows the same")


def check_catalog(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), 1):
        if not PO_LINE.match(line):
            problem, fix = problem_with(line)
            raise CatalogError(f"{path.resolve()}:{number}: {problem}. Fix: {fix}.")


def check_catalogs(app: Sphinx) -> None:
    repository = CatalogRepository(app.srcdir, app.config.locale_dirs, app.config.language,
                                   app.config.source_encoding)
    for catalog in repository.catalogs:
        check_catalog(Path(catalog.po_path))


def setup(app: Sphinx) -> dict[str, Any]:
    # Before Sphinx compiles the catalogs into .mo files (which it does after builder-inited).
    app.connect("builder-inited", check_catalogs, priority=100)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
