"""A translation catalog that cannot be used stops the build, naming its line.

Babel's .po reader is lenient: a string missing its closing quote loses its last
character, a stray line is skipped, another encoding is read as mojibake, and the build
published the damage without a word. So before Sphinx compiles anything, every page must
be UTF-8 text, and every catalog of the build's language UTF-8, declared so, PO syntax
line by line, with no bidirectional control and no ``{placeholder}`` its msgid lacks. A
translated edition needs a catalog for every page, and a ``.mo`` whose ``.po`` is gone
is refused. Each ``.mo`` is written whole or not at all, never left empty among the sources.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from sphinx.util.i18n import CatalogRepository

from ..figures.data import BIDI_CONTROLS, placeholders
from ..figures.editions import is_source_build
from ..figures.i18n import LOCALES, page_catalog, page_catalog_places
from ..figures.reporting import BadInput

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from babel.messages.catalog import Catalog
    from sphinx.util.i18n import CatalogInfo

STRING = r'"(?:[^"\\]|\\.)*"'
KEYWORD = r"(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)"
PO_LINE = re.compile(rf"^\s*(?:#.*|{KEYWORD}\s+{STRING}|{STRING})?\s*$")
UNCLOSED = re.compile(rf'^\s*(?:{KEYWORD}\s+)?"(?:[^"\\]|\\.)*$')
CHARSET = re.compile(r'^"Content-Type:[^"]*charset=([^"\\;\s]+)', re.IGNORECASE | re.MULTILINE)
# In a page's catalog, a {word} not followed by a backtick (a role is {fig}`id`, checked
# against the msgid's by macrohard_docs.figures.i18n, with its own message).
PAGE_PLACEHOLDER = re.compile(r"(?<!\{)\{([A-Za-z_][\w.-]*)\}(?!`)")


class CatalogError(BadInput):
    category = "Translation catalog error"


def readable_text(path: Path, what: str) -> str:
    """The file's text: UTF-8 with no bidirectional control, else one line naming the file and line."""
    content = path.read_bytes()
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = content[: exc.start].count(b"\n") + 1
        raise CatalogError(f"{path.resolve()}:{line}: the {what} is not UTF-8 text (byte "
                           f"{content[exc.start]:#04x} at offset {exc.start}; saved as Latin-1?). Fix: save "
                           "the file as UTF-8 (most editors: \"Save with encoding\"), then rebuild.") from None
    if found := BIDI_CONTROLS.search(text):
        raise CatalogError(f"{path.resolve()}:{text.count(chr(10), 0, found.start()) + 1}: the {what} holds a "
                           f"bidirectional control character (U+{ord(found.group()):04X}), which shows text in "
                           "another order than it is read. Fix: delete it.")
    return text


def check_catalog(path: Path, formatted: bool = False, language: str | None = None) -> Catalog:
    """The catalog as Babel reads it, once it passed every check."""
    text = readable_text(path, "catalog")
    if (declared := CHARSET.search(text)) and declared.group(1).lower() not in {"utf-8", "utf8"}:
        raise CatalogError(f"{path.resolve()}:{text.count(chr(10), 0, declared.start()) + 1}: the catalog declares "
                           f"charset={declared.group(1)}, but the project's catalogs are UTF-8. Fix: write "
                           "charset=UTF-8 in its Content-Type header (and save it as UTF-8).")
    lines = text.splitlines()
    for number, line in enumerate(lines, 1):
        if PO_LINE.match(line):
            continue
        if UNCLOSED.match(line):
            raise CatalogError(f"{path.resolve()}:{number}: the string is not closed. Fix: end it with a "
                               'double quote (a quote inside a string is written \\").')
        raise CatalogError(f"{path.resolve()}:{number}: this is not a PO line (a comment, a keyword with a "
                           "quoted string, or a quoted string). Fix: fix or remove it; `msgfmt --check` "
                           "shows the same.")
    try:
        catalog = read_po(io.StringIO(text), language)
    except Exception as exc:  # Babel's reader raises whatever it meets
        raise CatalogError(f"{path.resolve()}: the catalog cannot be read ({type(exc).__name__}: {exc}). "
                           f"Fix: check it with `msgfmt --check {path.name}`.") from None
    # No msgstr may use a placeholder its msgid lacks (*formatted*: the extension's, for str.format).
    for message in (m for m in catalog if m.id):
        ids = " ".join(map(str, message.id if isinstance(message.id, (tuple, list)) else (message.id,)))
        wanted = (placeholders(ids) or []) if formatted else PAGE_PLACEHOLDER.findall(ids)
        for msgstr in message.string if isinstance(message.string, (tuple, list)) else (message.string,):
            used = placeholders(str(msgstr)) if formatted else PAGE_PLACEHOLDER.findall(str(msgstr))
            if used is None:
                problem = "the msgstr has a brace that opens no placeholder"
            elif found := next((name for name in used if name not in wanted), None):
                problem = f"the msgstr uses {{{found}}}, which its msgid does not have"
            else:
                continue
            # Babel gives the msgid's line: the msgstr's is the next one that starts so.
            line = next((n for n in range(message.lineno, len(lines) + 1)
                         if lines[n - 1].lstrip().startswith("msgstr")), message.lineno)
            known = ", ".join(f"{{{name}}}" for name in sorted(set(wanted))) or "none"
            raise CatalogError(f"{path.resolve()}:{line}: {problem}. Fix: use only the msgid's placeholders "
                               f"({known}), spelt as there; a literal brace is written {{{{ or }}}}.")
    return catalog


def compile_catalog(catalog: CatalogInfo, messages: Catalog, use_fuzzy: bool) -> None:
    po_path, mo_path = Path(catalog.po_path), Path(catalog.mo_path)
    try:
        handle, temporary = tempfile.mkstemp(dir=mo_path.parent, prefix=f".{mo_path.name}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as mo_file:
                write_mo(mo_file, messages, use_fuzzy)
            os.replace(temporary, mo_path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise CatalogError(f"{mo_path.resolve()}: cannot write the compiled catalog ({exc.strerror}). "
                           "Fix: make the locales folder writable.") from None
    except Exception as exc:  # Babel's writer raises whatever it meets
        raise CatalogError(f"{po_path.resolve()}: the catalog cannot be compiled ({type(exc).__name__}: "
                           f"{exc}). Fix: check it with `msgfmt --check {po_path.name}`.") from None


def check_catalogs(app: Sphinx) -> None:
    """Before Sphinx reads anything: the pages' text, every catalog of this language, and
    in a translated edition a catalog for every page."""
    pages = sorted(app.project.discover())
    for docname in pages:
        readable_text(Path(app.project.doc2path(docname, absolute=True)), "page")
    extension_po = LOCALES / f"{app.config.language}/LC_MESSAGES/macrohard_docs.po"
    if app.config.language and extension_po.is_file():
        check_catalog(extension_po, formatted=True)
    repo = CatalogRepository(app.srcdir, app.config.locale_dirs, app.config.language, app.config.source_encoding)
    for folder in repo.locale_dirs:
        for mo in sorted(Path(folder, repo.language, "LC_MESSAGES").rglob("*.mo")):
            if not mo.with_suffix(".po").is_file():
                raise CatalogError(
                    f"{mo.resolve()}: a compiled catalog with no {mo.with_suffix('.po').name} beside it "
                    "(left from a deleted translation, it would still translate its page). Fix: delete "
                    "the .mo, or restore its .po.")
    for catalog in repo.catalogs:
        messages = check_catalog(Path(catalog.po_path), language=app.config.language)
        if catalog.is_outdated():
            compile_catalog(catalog, messages, app.config.gettext_allow_fuzzy_translations)
    # A translated edition is one with a catalog folder for its language.
    if is_source_build(app.config) or not app.config.catalogs_required or not list(repo.locale_dirs):
        return
    for docname in pages:
        if page_catalog(app.env, docname) is None:
            expected = page_catalog_places(app.env, docname)[0].resolve()
            raise CatalogError(
                f"{app.project.doc2path(docname, absolute=True)}: the {app.config.language!r} edition has no "
                f"catalog for this page (expected {expected}), so it would appear in English. Fix: run "
                "`nox -s translation` to create it, then translate its messages.")


def setup_catalogs(app: Sphinx) -> None:
    # Off for test projects that translate only some pages on purpose.
    app.add_config_value("catalogs_required", True, "env", types=frozenset({bool}))
    # Before Sphinx compiles the catalogs into .mo files (which it does after builder-inited).
    app.connect("builder-inited", check_catalogs, priority=100)
