"""A translation catalog that cannot be used stops the build, naming its line.

Sphinx compiles each edition's .po files with Babel, whose reader is lenient:
a string missing its closing quote loses its last character, a stray line is
skipped, a file in another encoding is read as mojibake or not at all, and the
build publishes the damage (or English text under lang="fr") without a word.
Here, before Sphinx compiles anything:

* every catalog of the build's language must be UTF-8, declare UTF-8, and
  pass a line-by-line check against the PO syntax (comments, keywords,
  quoted strings); the first bad line stops the build with the file, the
  line and the fix;
* no msgstr may use a ``{placeholder}`` its msgid lacks (in the
  extension's own catalog, whose strings are filled by ``str.format``, a
  misspelt one ended the build in ``KeyError``), and no catalog may hold a
  bidirectional control character; the extension's own catalog (and its
  compiled ``.mo``) is checked too;
* every page must be UTF-8 text (else Sphinx's reader crashed, naming no file);
* every page of a translated edition must have its catalog
  (``catalogs_required``), else the edition would show it in English;
* a compiled ``.mo`` whose ``.po`` is gone is refused: Sphinx would still
  use it, translating the page from a source nobody can see or update;
* catalogs are compiled here, each into a temporary file renamed over the
  ``.mo`` (so a failed or killed compile never leaves a 0-byte ``.mo`` among
  the sources); Sphinx then finds them up to date and leaves them alone.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po
from sphinx.util.i18n import CatalogRepository, docname_to_domain

from ..figures.data import BIDI_CONTROLS, placeholders
from ..figures.editions import is_source_build
from ..figures.i18n import LOCALES
from ..figures.reporting import BadInput

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.util.i18n import CatalogInfo

STRING = r'"(?:[^"\\]|\\.)*"'
KEYWORD = r"(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)"
PO_LINE = re.compile(rf"^\s*(?:#.*|{KEYWORD}\s+{STRING}|{STRING})?\s*$")
UNCLOSED = re.compile(rf'^\s*(?:{KEYWORD}\s+)?"(?:[^"\\]|\\.)*$')
CHARSET = re.compile(r'^"Content-Type:[^"]*charset=([^"\\;\s]+)', re.IGNORECASE | re.MULTILINE)
UTF8_NAMES = {"utf-8", "utf8"}
FIX_ENCODING = "save the file as UTF-8 (most editors: \"Save with encoding\"), then rebuild"


class CatalogError(BadInput):
    category = "Translation catalog error"


def problem_with(line: str) -> tuple[str, str]:
    if UNCLOSED.match(line.rstrip("\n")):
        return "the string is not closed", 'end it with a double quote (a quote inside a string is written \\")'
    return ("this is not a PO line (a comment, a keyword with a quoted string, or a quoted string)",
            "fix or remove it; `msgfmt --check` shows the same")


# In a page's catalog, a {word} not followed by a backtick (a role is {fig}`id`, checked
# against the msgid's by macrohard_docs.figures.i18n, with its own message).
PAGE_PLACEHOLDER = re.compile(r"(?<!\{)\{([A-Za-z_][\w.-]*)\}(?!`)")


def unknown_placeholder(msgid: str, msgstr: str, formatted: bool) -> str | None:
    """The first {placeholder} of *msgstr* its *msgid* lacks (or a broken one); else None."""
    if not msgstr:
        return None
    if formatted:  # the extension's strings go through str.format
        wanted, used = placeholders(msgid) or [], placeholders(msgstr)
        if used is None:
            return "{"
    else:
        wanted, used = PAGE_PLACEHOLDER.findall(msgid), PAGE_PLACEHOLDER.findall(msgstr)
    return next((f"{{{name}}}" for name in used if name not in wanted), None)


def msgstr_line(lines: list[str], msgid_line: int | None) -> int | None:
    """The line of the msgstr that follows the msgid on *msgid_line* (Babel gives the msgid's)."""
    if not msgid_line:
        return None
    return next((number for number in range(msgid_line, len(lines) + 1)
                 if lines[number - 1].lstrip().startswith("msgstr")), msgid_line)


def check_placeholders(path: Path, messages: list[tuple[object, object, int | None]], formatted: bool) -> None:
    for msgid, msgstr, line in messages:
        ids = msgid if isinstance(msgid, (tuple, list)) else (msgid,)
        strs = msgstr if isinstance(msgstr, (tuple, list)) else (msgstr,)
        for text in strs:
            found = unknown_placeholder(" ".join(str(i) for i in ids), str(text or ""), formatted)
            if found:
                where = f"{path.resolve()}:{line}" if line else str(path.resolve())
                known = ", ".join(f"{{{n}}}" for n in sorted(set(
                    (placeholders(" ".join(map(str, ids))) or []) if formatted
                    else PAGE_PLACEHOLDER.findall(" ".join(map(str, ids)))))) or "none"
                problem = ("the msgstr has a brace that opens no placeholder" if found == "{"
                           else f"the msgstr uses {found}, which its msgid does not have")
                raise CatalogError(f"{where}: {problem}. "
                                   f"Fix: use only the msgid's placeholders ({known}), spelt as there; "
                                   "a literal brace is written {{ or }}.")


def readable_text(path: Path, what: str) -> str:
    """The file's text: UTF-8 with no bidirectional control, else one line naming the file and line."""
    content = path.read_bytes()
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = content[: exc.start].count(b"\n") + 1
        raise CatalogError(f"{path.resolve()}:{line}: the {what} is not UTF-8 text (byte "
                           f"{content[exc.start]:#04x} at offset {exc.start}; saved as Latin-1?). "
                           f"Fix: {FIX_ENCODING}.") from None
    if found := BIDI_CONTROLS.search(text):
        raise CatalogError(f"{path.resolve()}:{text.count(chr(10), 0, found.start()) + 1}: the {what} holds a "
                           f"bidirectional control character (U+{ord(found.group()):04X}), which shows text in "
                           "another order than it is read. Fix: delete it.")
    return text


def check_catalog(path: Path, formatted: bool = False) -> None:
    text = readable_text(path, "catalog")
    if declared := CHARSET.search(text):
        if declared.group(1).lower() not in UTF8_NAMES:
            line = text[: declared.start()].count("\n") + 1
            raise CatalogError(f"{path.resolve()}:{line}: the catalog declares charset={declared.group(1)}, "
                               "but the project's catalogs are UTF-8. Fix: write "
                               "charset=UTF-8 in its Content-Type header (and save it as UTF-8).")
    for number, line in enumerate(text.splitlines(), 1):
        if not PO_LINE.match(line):
            problem, fix = problem_with(line)
            raise CatalogError(f"{path.resolve()}:{number}: {problem}. Fix: {fix}.")
    try:
        catalog = read_po(io.StringIO(text))
    except Exception as exc:  # Babel's reader raises whatever it meets
        raise CatalogError(f"{path.resolve()}: the catalog cannot be read ({type(exc).__name__}: {exc}). "
                           f"Fix: check it with `msgfmt --check {path.name}`.") from None
    lines = text.splitlines()
    check_placeholders(path, [(m.id, m.string, msgstr_line(lines, m.lineno)) for m in catalog if m.id], formatted)


def check_extension_catalog(language: str) -> None:
    """The extension's own catalog for *language*, and the compiled .mo the build reads."""
    po = LOCALES / language / "LC_MESSAGES" / "macrohard_docs.po"
    if not po.is_file():
        return
    check_catalog(po, formatted=True)
    mo = po.with_suffix(".mo")
    if mo.is_file():
        with mo.open("rb") as handle:
            compiled = read_mo(handle)
        check_placeholders(mo, [(m.id, m.string, None) for m in compiled if m.id], formatted=True)


def check_page_text(app: Sphinx) -> None:
    """Every page is UTF-8 text with no bidirectional control: else name the page and its line."""
    for docname in sorted(app.project.discover()):
        readable_text(Path(app.project.doc2path(docname, absolute=True)), "page")


def repository(app: Sphinx) -> CatalogRepository:
    return CatalogRepository(app.srcdir, app.config.locale_dirs, app.config.language,
                             app.config.source_encoding)


def refuse_orphan_mo(repo: CatalogRepository) -> None:
    for folder in repo.locale_dirs:
        messages = Path(folder, repo.language, "LC_MESSAGES")
        for mo in sorted(messages.rglob("*.mo")):
            if not mo.with_suffix(".po").is_file():
                raise CatalogError(
                    f"{mo.resolve()}: a compiled catalog with no {mo.with_suffix('.po').name} beside it "
                    "(left from a deleted translation, it would still translate its page). Fix: delete "
                    "the .mo, or restore its .po.")


def compile_catalog(catalog: CatalogInfo, language: str, use_fuzzy: bool) -> None:
    """Compile one .po into its .mo through a temporary file: the .mo is whole or untouched."""
    po_path, mo_path = Path(catalog.po_path), Path(catalog.mo_path)
    try:
        with po_path.open(encoding="utf-8") as po_file:
            messages = read_po(po_file, language)
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
    except Exception as exc:  # Babel's reader and writer raise whatever they meet
        raise CatalogError(f"{po_path.resolve()}: the catalog cannot be compiled ({type(exc).__name__}: "
                           f"{exc}). Fix: check it with `msgfmt --check {po_path.name}`.") from None


def check_catalogs(app: Sphinx) -> None:
    """Before Sphinx reads anything: the pages' text, then every catalog of this language."""
    check_page_text(app)
    if app.config.language:
        check_extension_catalog(app.config.language)
    repo = repository(app)
    refuse_orphan_mo(repo)
    for catalog in repo.catalogs:
        check_catalog(Path(catalog.po_path))
    for catalog in repo.catalogs:
        if catalog.is_outdated():
            compile_catalog(catalog, app.config.language, app.config.gettext_allow_fuzzy_translations)


def require_catalogs(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """In a translated edition (one with a catalog folder), every page needs its catalog."""
    if is_source_build(app.config) or not app.config.catalogs_required:
        return
    repo = repository(app)
    if not list(repo.locale_dirs):
        return  # no catalog folder for this language at all: not a translated edition
    have = {Path(catalog.po_path).resolve() for catalog in repo.catalogs}
    dirs = [Path(app.srcdir, d, app.config.language, "LC_MESSAGES") for d in app.config.locale_dirs]
    for docname in sorted(env.found_docs):
        domain = docname_to_domain(docname, app.config.gettext_compact)
        expected = [(folder / f"{domain}.po").resolve() for folder in dirs]
        if not any(path in have for path in expected):
            raise CatalogError(
                f"{env.doc2path(docname)}: the {app.config.language!r} edition has no catalog for this "
                f"page (expected {expected[0] if expected else f'{domain}.po'}), so it would appear in "
                "English. Fix: run `nox -s translation` to create it, then translate its messages.")


def setup_catalogs(app: Sphinx) -> None:
    # Every page of a translated edition must have a catalog (off for test projects that
    # translate only some pages on purpose).
    app.add_config_value("catalogs_required", True, "env", types=frozenset({bool}))
    # Before Sphinx compiles the catalogs into .mo files (which it does after builder-inited).
    app.connect("builder-inited", check_catalogs, priority=100)
    app.connect("env-before-read-docs", require_catalogs)
