"""The downloads page: where the offline editions are and how big.

``{offline-downloads}`` lists the offline editions with their sizes in human
units (1.2 MB; « 1,2 Mo » in French); ``{offline-unpack}`` shows the commands
that unpack the zip and open the site. Both read the manifest that
``macrohard_docs.publish.build`` writes before the HTML pass
(``offline_manifest``), a dependency of the page, so an incremental build
re-reads it when a name changes. The manifest names the files and no size, so
it is the same for each builder of a language and the page is read once: the
sizes are left blank for publish to fill in once the files are made
(:func:`fill_sizes`), the zip's last since the page is in the zip.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from babel.units import format_unit
from docutils import nodes
from sphinx.locale import get_translation
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective

if TYPE_CHECKING:
    from sphinx.application import Sphinx

_ = get_translation("macrohard_docs")


class offline_downloads(nodes.General, nodes.Element):  # noqa: N801 - docutils naming
    """Placeholder, resolved once the output format is known."""


def manifest_entries(directive: SphinxDirective) -> list[dict[str, Any]]:
    """The offline files as built (macrohard_docs.publish.build writes the manifest)."""
    manifest = directive.config.offline_manifest
    if not manifest:
        return []
    path = Path(manifest)
    # Re-read this page whenever a size or a name changes.
    directive.env.note_dependency(str(path))
    if not path.is_file():
        return []
    return json.loads(path.read_text(encoding="utf-8"))["formats"]


class DownloadsDirective(SphinxDirective):
    def run(self) -> list[nodes.Node]:
        return [offline_downloads("", entries=manifest_entries(self))]


class UnpackCommandsDirective(SphinxDirective):
    def run(self) -> list[nodes.Node]:
        archive = next((e for e in manifest_entries(self) if e["id"] == "zip"), None)
        if archive is None or "index" not in archive:
            return []  # a preview without the offline files: no names to give
        # The names the build gave them: the zip's file, this edition's first page in it.
        text = f"$ unzip {posixpath.basename(archive['href'])}\n$ xdg-open {archive['index']}"
        block = nodes.literal_block(text, text, language="console", classes=["offline-unpack"])
        block.source, block.line = self.get_source_info()
        return [block]


def human_size(size: int, language: str) -> str:
    """*size* bytes as a reader reads it: "1.2 MB", "310 kB" (decimal units, as
    file managers count them); "1,2 Mo", "310 ko" in French (CLDR, by Babel)."""
    if size >= 999_950:
        return format_unit(size / 1_000_000, "digital-megabyte", length="short", format="#,##0.0",
                           locale=language)
    return format_unit(max(1, round(size / 1000)), "digital-kilobyte", length="short", locale=language)


# A row of the table (ResolveDownloads): its kind, its file's link, and its size's cell.
SIZE_ROW = re.compile(r'(<tr[^>]* id="download-(\w+)".*?href="([^"]*)".*?<span class="offline-size[^"]*">)'
                      r'[^<]*(</span>)', re.DOTALL)
HTML_LANGUAGE = re.compile(r'<html[^>]*\slang="([^"]+)"')


def fill_sizes(pages: list[Path], zip_size: int | None) -> None:
    """Write into each page that lists the files their sizes, in the page's language: each
    file's as found at its link, the zip's *zip_size* (None: nothing, as for a file not there)."""
    for page in pages:
        text = page.read_text(encoding="utf-8")
        found = HTML_LANGUAGE.search(text)

        def with_size(row: re.Match[str]) -> str:
            file = page.parent / html.unescape(row.group(3))
            size = zip_size if row.group(2) == "zip" else file.stat().st_size if file.is_file() else None
            label = human_size(size, found.group(1) if found else "en") if size is not None else ""
            return row.group(1) + html.escape(label) + row.group(4)

        new = SIZE_ROW.sub(with_size, text)
        if new != text:
            page.write_text(new, encoding="utf-8")


def pages_listing_sizes(root: Path) -> list[Path]:
    return sorted(page for page in root.rglob("*.html") if SIZE_ROW.search(page.read_text(encoding="utf-8")))


class ResolveDownloads(SphinxPostTransform):
    """On the website: a table of links to the files and their sizes."""

    builders = ("html",)
    default_priority = 200

    def run(self, **kwargs: Any) -> None:
        for node in list(self.document.findall(offline_downloads)):
            if node["entries"]:
                node.replace_self(self.table(node["entries"]))
            else:
                node.replace_self(nodes.paragraph("", _(
                    "The offline editions are made by the full build (python -m macrohard_docs.publish); "
                    "this preview was built without them.")))

    def table(self, entries: list[dict[str, Any]]) -> nodes.table:
        here = posixpath.dirname(self.env.docname)
        body = nodes.tbody()
        table = nodes.table("", nodes.tgroup(
            "", *(nodes.colspec(colwidth=width) for width in (3, 6, 2)),
            nodes.thead("", nodes.row("", *(nodes.entry("", nodes.paragraph("", title))
                                            for title in (_("Edition"), _("File"), _("Size"))))),
            body, cols=3), classes=["offline-downloads", "no-search"])
        descriptions = {
            "epub": (_("E-book (EPUB 3)"), _("For e-readers and reading apps; glossary links work inside the book.")),
            "single": (_("Single page (HTML)"), _("The whole dossier on one page, to save or print; the size is the page alone, its styles sit beside it.")),
            "pdf": (_("PDF"), _("The single page printed to PDF by Chromium.")),
            "zip": (_("The website (zip)"), _("Every page of this site; unpack it and open index.html from the folder.")),
        }
        for entry in entries:
            label, about = descriptions[entry["id"]]
            href = posixpath.relpath(entry["href"], here or ".")
            size_classes = ["offline-size", "zip-size"] if entry["id"] == "zip" else ["offline-size"]
            row = nodes.row(ids=[f"download-{entry['id']}"])
            row += nodes.entry("", nodes.paragraph("", "", nodes.strong(label, label)))
            link = nodes.reference(posixpath.basename(entry["href"]) if entry["id"] != "single"
                                   else entry["href"], "", refuri=href, classes=["offline-file"])
            link += nodes.literal(link.rawsource, link.rawsource)
            row += nodes.entry("", nodes.paragraph("", "", link), nodes.paragraph("", about))
            row += nodes.entry("", nodes.paragraph("", "", nodes.inline("", "", classes=size_classes)))
            body += row
        return table


class DownloadsElsewhere(SphinxPostTransform):
    """In the e-book and the single page, which do not carry the other files: where they are."""

    default_priority = 210  # after ResolveDownloads, which handles the website

    def run(self, **kwargs: Any) -> None:
        for node in list(self.document.findall(offline_downloads)):
            node.replace_self(nodes.paragraph("", _(
                "You are reading one of the offline editions. The website's downloads page "
                "offers the others: the e-book, the single page, the PDF and the whole site as a zip."),
                classes=["offline-elsewhere"]))


def setup_offline(app: Sphinx) -> None:
    app.add_config_value("offline_manifest", "", "env", types=frozenset({str}))
    app.add_node(offline_downloads)
    app.add_directive("offline-downloads", DownloadsDirective)
    app.add_directive("offline-unpack", UnpackCommandsDirective)
    app.add_post_transform(ResolveDownloads)
    app.add_post_transform(DownloadsElsewhere)

