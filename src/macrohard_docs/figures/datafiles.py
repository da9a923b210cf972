"""The figures as downloadable data: figures.csv and figures.json, and every CSV the site publishes.

Written from the data file into ``data/`` as each web build finishes (the
builders call :func:`write_data_files`, site/pages.py), so they never disagree
with the pages; ```{figure-downloads}``` links them and documents each column.
A spreadsheet reads a cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return as a formula (OWASP, "CSV Injection"): :func:`csv_text` writes
such a text cell after a single quote; numeric columns stay numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

from docutils import nodes
from sphinx.locale import get_translation
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective
from sphinx.util.osutil import relative_uri

from .data import Dataset, Derived, format_figure
from .domain import dataset_of, domain_of
from .i18n import data_catalog

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder

_ = get_translation("macrohard_docs")

FOLDER = "data"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class DataFile(NamedTuple):
    path: str  # from the root of the HTML output, with "/" separators
    title: str
    description: str


def download_files() -> list[DataFile]:
    return [
        DataFile(f"{FOLDER}/figures.csv", str(_("Figures as CSV")),
                 str(_("Every figure and derived figure, one per row, UTF-8 with a header row."))),
        DataFile(f"{FOLDER}/figures.json", str(_("Figures as JSON")),
                 str(_("The same rows as the CSV, as a JSON object with a \"figures\" list."))),
    ]


# The columns, in order, with what each holds. The same names are the keys of
# each object in figures.json.
COLUMNS: list[tuple[str, Any]] = [
    ("id", lambda: _("Stable identifier of the figure, as in the glossary's anchors.")),
    ("kind", lambda: _("\"figure\" for a figure the source states; \"derived\" for our "
                       "arithmetic, computed from two of them.")),
    ("value", lambda: _("The value as a plain number in the unit of the unit column, with a "
                        "dot for decimals and no grouping; a date as YYYY-MM-DD.")),
    ("unit", lambda: _("The unit of the value, by its id in the data file: {units}.")),
    ("unit_scale", lambda: _("How many base units one unit is (watts for MW, GW and kW; bytes "
                             "per second for PB/s; bytes for EB; seconds for day and month; "
                             "1 otherwise), so value times unit_scale compares across units.")),
    ("qualifier", lambda: _("Empty, or \"less_than\" / \"more_than\" when the source gives "
                            "the value as a bound.")),
    ("text", lambda: _("The figure as this edition of the site writes it, in its language.")),
    ("measures", lambda: _("What the figure measures.")),
    ("section", lambda: _("The page of the story the figure belongs to.")),
    ("numerator", lambda: _("For derived figures, the id of the figure divided; empty otherwise.")),
    ("denominator", lambda: _("For derived figures, the id of the figure divided by; empty "
                              "otherwise.")),
    ("glossary", lambda: _("Address of the figure's glossary entry, relative to the site's root.")),
]
COLUMN_NAMES = [name for name, _doc in COLUMNS]


def plain(value: Decimal | dt.date) -> str:
    return value.isoformat() if isinstance(value, dt.date) else format(value.normalize(), "f")


def rows(data: Dataset, language: str, glossary_uri: dict[str, str],
         translated: dict[str, str] | None = None) -> list[dict[str, str]]:
    """One dict per figure then per derived figure, keyed by COLUMN_NAMES;
    the data file's sentences in the edition's language (*translated*: the
    edition's catalogs, English text to translation)."""
    translated = translated or {}
    out: list[dict[str, str]] = []
    for item in [*data.figures.values(), *data.derived.values()]:
        derived = isinstance(item, Derived)
        out.append({
            "id": item.id,
            "kind": item.kind,
            "value": plain(data.value(item)),
            "unit": item.unit,
            "unit_scale": plain(data.units[item.unit].scale),
            "qualifier": "" if derived else (item.qualifier or ""),
            "text": format_figure(item, data, language),
            "measures": translated.get(item.measures) or item.measures,
            "section": item.section,
            "numerator": item.numerator if derived else "",
            "denominator": item.denominator if derived else "",
            "glossary": glossary_uri.get(item.anchor, ""),
        })
    return out


def csv_text(columns: Sequence[str], rows: Iterable[Sequence[str]], numeric: frozenset[str]) -> str:
    """A header row and *rows* (cells in the order of *columns*), UTF-8 text with "\\n" line ends;
    the *numeric* columns hold numbers (or ISO dates)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    # The csv module quotes a cell holding "\n" but not one holding a bare "\r" (it looks
    # only for its own line terminator): such a row is written fully quoted, or it would split.
    quoting_all = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(columns)
    for row in rows:
        safe = [cell if name in numeric or not cell.startswith(FORMULA_STARTS) else "'" + cell
                for name, cell in zip(columns, row, strict=True)]
        (quoting_all if any("\r" in cell for cell in safe) else writer).writerow(safe)
    return buffer.getvalue()


def to_csv(table: list[dict[str, str]]) -> str:
    return csv_text(COLUMN_NAMES, ([row[name] for name in COLUMN_NAMES] for row in table),
                    frozenset({"value", "unit_scale"}))


def to_json(table: list[dict[str, str]], language: str, about: dict[str, str] | None = None) -> str:
    def number(text: str) -> int | float:
        value = Decimal(text)
        return int(value) if value == value.to_integral_value() else float(value)

    figures = [{**row, "unit_scale": number(row["unit_scale"]),
                **({} if row["unit"] == "date" else {"value": number(row["value"])})} for row in table]
    document = {"language": language, **(about or {}), "columns": COLUMN_NAMES, "figures": figures}
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def write_data_files(builder: Builder) -> None:
    """figures.csv and figures.json in the output folder: the web builders (the
    site's, macrohard_docs.site.pages) call it as they finish."""
    config, language = builder.config, builder.config.language
    uris = {anchor: f"{builder.get_target_uri(entry.docname)}#{anchor}"
            for anchor, entry in domain_of(builder.env).entries.items()}
    table = rows(dataset_of(builder.env), language, uris, data_catalog(builder.env))
    folder = Path(builder.outdir, FOLDER)
    folder.mkdir(parents=True, exist_ok=True)
    name, url = config.dossier_content_license or ("", "")
    # Who may reuse the data, and on what terms; where its facts come from.
    about = {key: value for key, value in (("license", name), ("license_url", url),
                                           ("source", getattr(config, "dossier_source_title", ""))) if value}
    for name, text in {"figures.csv": to_csv(table), "figures.json": to_json(table, language, about)}.items():
        target = folder / name
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")


# --- The links, and the columns explained --------------------------------------

class downloads_links(nodes.General, nodes.Element):  # noqa: N801 - docutils node naming
    """Placeholder: links for web builders, a note for the others (EPUB, PDF)."""


class DownloadsDirective(SphinxDirective):
    """```{figure-downloads}```: links to the data files and what their columns hold."""

    option_spec: ClassVar[dict[str, Any]] = {}

    def run(self) -> list[nodes.Node]:
        self.env.note_dependency(str(dataset_of(self.env).path))
        intro = str(_("Both files hold the same columns, in this order:"))
        columns = nodes.definition_list(classes=["data-columns"])
        for name, doc in COLUMNS:
            term = nodes.term("", "", nodes.literal(name, name))
            text = str(doc()).replace("{units}", ", ".join(dataset_of(self.env).units))
            columns += nodes.definition_list_item("", term, nodes.definition("", nodes.paragraph(text, text)))
        return [downloads_links(), nodes.paragraph(intro, intro), columns]


class LinkDownloads(SphinxPostTransform):
    """In the web editions, the placeholder becomes links to the files."""

    default_priority = 20
    builders = ("html", "singlehtml")
    page_is_folder = False  # dirhtml writes page/index.html for page

    def run(self, **kwargs: Any) -> None:
        docname = self.env.docname
        # The page's own address, as the builder writes it.
        here = docname + "/" if self.page_is_folder and docname != "index" else docname
        for placeholder in list(self.document.findall(downloads_links)):
            items = nodes.bullet_list(classes=["data-downloads"])
            for file in download_files():
                name = Path(file.path).name
                ref = nodes.reference(file.title, "", nodes.literal(name, name), internal=False,
                                      refuri=relative_uri(here, file.path))
                about = nodes.Text(f" — {file.title}. {file.description}")
                items += nodes.list_item("", nodes.paragraph("", "", ref, about))
            placeholder.replace_self(items)


class LinkDownloadsInFolders(LinkDownloads):
    """The same in dirhtml's pages, one folder each: `builders` is how a transform
    learns its builder through Sphinx's public API."""

    builders = ("dirhtml",)
    page_is_folder = True


class NoteDownloads(SphinxPostTransform):
    """Elsewhere (EPUB, PDF) there are no files beside the pages: say where they are."""

    default_priority = 21

    def run(self, **kwargs: Any) -> None:
        text = str(_("The data files, figures.csv and figures.json, come with the "
                     "web edition of this site, in its data folder."))
        for placeholder in list(self.document.findall(downloads_links)):
            placeholder.replace_self(nodes.paragraph(text, text))


def setup_datafiles(app: Sphinx) -> None:
    # The data's licence: (name, address), written into figures.json.
    app.add_config_value("dossier_content_license", (), "html", types=frozenset({tuple, list}))
    app.add_node(downloads_links)
    app.add_directive("figure-downloads", DownloadsDirective)
    app.add_post_transform(LinkDownloads)
    app.add_post_transform(LinkDownloadsInFolders)
    app.add_post_transform(NoteDownloads)
