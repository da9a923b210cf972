"""Corrections: where a reader reports an error, and what has been corrected.

* ``dossier_corrections_to`` (conf.py): a web or an e-mail address; ``{report-errors}``
  links to it, or with none says so, rather than send readers to a repository it cannot name.
* ``dossier_corrections`` (conf.py): the log, one ``[[correction]]`` table (``date``,
  ``page``, ``text`` in English) per change; ``{corrections-log}`` lists it, newest
  first, each text a paragraph of the page, so that it is translated with the page.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.locale import get_translation
from sphinx.util.docutils import SphinxDirective

from ..figures.data import format_date_value
from ..figures.reporting import BadInput

if TYPE_CHECKING:
    from sphinx.application import Sphinx

_ = get_translation("macrohard_docs")

FIELDS = {"date": dt.date, "page": str, "text": str}
EMAIL = re.compile(r"[^@\s/:]+@[^@\s/:]+\.[^@\s/:]+")


class CorrectionsError(BadInput):
    category = "Corrections error"


def load_corrections(path: Path, pages: set[str]) -> list[dict[str, Any]]:
    """The log's entries, newest first."""
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except OSError as error:
        raise CorrectionsError(f"{path}: cannot read the corrections log ({error.strerror}). Fix: "
                               "create it, or point dossier_corrections in conf.py to it.") from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise CorrectionsError(f"{path}: not a TOML file ({error}). Fix: write each entry as a "
                               "[[correction]] table with date, page and text.") from None
    entries = data.pop("correction", [])
    lines = [number for number, line in enumerate(text.splitlines(), start=1)
             if line.strip().startswith("[[correction]]")]
    if data or not isinstance(entries, list):
        raise CorrectionsError(f"{path}:1: only [[correction]] tables belong in the corrections log "
                               f"(found {', '.join(data) or 'correction = …'}). Fix: write each entry "
                               "as a [[correction]] table with date, page and text.")
    for index, entry in enumerate(entries):
        where = f"{path}:{lines[index] if index < len(lines) else 1}"
        for name, kind in FIELDS.items():
            value = entry.get(name)
            if not isinstance(value, kind) or isinstance(value, dt.datetime) or value == "":
                raise CorrectionsError(
                    f"{where}: correction field {name!r} is {value!r}. Fix: give each correction "
                    "date = 2026-12-07 (a date, unquoted), page = \"article/money\" (a page of the "
                    "site) and text = \"what changed\".")
        if extra := set(entry) - set(FIELDS):
            raise CorrectionsError(f"{where}: correction field {sorted(extra)[0]!r} is unknown. Fix: "
                                   "a correction has only date, page and text.")
        if entry["page"] not in pages:
            raise CorrectionsError(f"{where}: correction page {entry['page']!r} is not a page of the "
                                   "site. Fix: write the page's path from docs/source, without .md "
                                   "(such as \"article/money\").")
    return sorted(entries, key=lambda entry: entry["date"], reverse=True)


class CorrectionsLogDirective(SphinxDirective):
    confdir = Path()  # set by setup_corrections: the settings' paths are relative to conf.py

    def run(self) -> list[nodes.Node]:
        path = Path(self.confdir, self.config.dossier_corrections)
        self.env.note_dependency(str(path))
        entries = load_corrections(path, set(self.env.found_docs))
        source, line = self.get_source_info()
        if not entries:
            text = str(_("Nothing has been corrected so far."))
            return [nodes.paragraph(text, text)]
        log = nodes.bullet_list(classes=["corrections-log"])
        for entry in entries:
            date = format_date_value(entry["date"], self.config.language or "en")
            page = addnodes.pending_xref("", nodes.inline("", ""), refdomain="std", reftype="doc",
                                         reftarget="/" + entry["page"], refexplicit=False,
                                         refdoc=self.env.docname, refwarn=True)
            head = nodes.paragraph("", "", nodes.strong(date, date), nodes.Text(str(_(", page "))), page,
                                   classes=["correction-head"])
            # The text as its own paragraph: a message of this page's catalog.
            what = nodes.paragraph(entry["text"], entry["text"])
            what.source, what.line = source, line  # the date line is ours, translated here
            log += nodes.list_item("", head, what)
        return [log]


class ReportErrorsDirective(SphinxDirective):
    confdir = Path()  # set by setup_corrections, to name conf.py in an error

    def run(self) -> list[nodes.Node]:
        return [report_paragraph(self.config.dossier_corrections_to, self.confdir / "conf.py")]


def report_paragraph(address: str, conf: Path) -> nodes.paragraph:
    """A link to *address* (web or e-mail), or with none a sentence that says so."""
    address = address.strip()
    # Our own words, translated by our catalog: not a message of the page's.
    para = nodes.paragraph(classes=["report-errors"], translatable=False)
    if not address:
        para += nodes.Text(str(_("This copy of the dossier gives no address for reports: "
                                 "ask whoever gave it to you where to send one.")))
        return para
    if address.startswith(("https://", "http://")):
        uri = address
    elif EMAIL.fullmatch(address.removeprefix("mailto:")):
        address = address.removeprefix("mailto:")
        uri = "mailto:" + address
    else:
        raise CorrectionsError(
            f"{conf}: dossier_corrections_to is {address!r}, neither a web address nor an "
            "e-mail address. Fix: write the address reports go to, such as "
            "\"https://github.com/owner/repository/issues\" or \"team@example.org\", or leave it empty.")
    before, _sep, after = str(_("Send your report to {address}.")).partition("{address}")
    para += [nodes.Text(before), nodes.reference(address, address, refuri=uri), nodes.Text(after)]
    return para


def setup_corrections(app: Sphinx) -> None:
    app.add_config_value("dossier_corrections_to", "", "env", types=frozenset({str}))
    app.add_config_value("dossier_corrections", "data/corrections.toml", "env", types=frozenset({str}))
    CorrectionsLogDirective.confdir = ReportErrorsDirective.confdir = Path(app.confdir)
    app.add_directive("corrections-log", CorrectionsLogDirective)
    app.add_directive("report-errors", ReportErrorsDirective)
