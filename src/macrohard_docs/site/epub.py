"""The e-book: Sphinx's EPUB 3 builder, with what the dossier's book needs.

* Each edition's e-book carries its own title, description and identifier
  (the ``epub`` settings of its record in ``site_editions``, applied by
  macrohard_docs.site.editions).
* ``<dc:source>`` (``epub_source``): the article the book retells, written by
  the package template (``templates/epub3``, Sphinx's with that element added)
  from the builder's ``content_metadata()``.
* An NCX whose uid is the book's identifier, as epubcheck requires (Sphinx
  writes ``epub_uid`` there, which is only the XML id of the identifier).
* The book's contents and cover named in its language; chapter link notes
  headed in its language, and only over notes; every page a chapter at the top
  of the book's contents (macrohard_docs.site.book).
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.locale import get_translation

from .. import PACKAGE
from ..figures.charts import DeclareInlineSvg
from .book import NOT_IN_EPUB, book_levels
from .pages import SitePages
from .template_cache import CompiledTemplates

if TYPE_CHECKING:
    from sphinx.application import Sphinx

_ = get_translation("macrohard_docs")


class DossierEpub3Builder(SitePages, DeclareInlineSvg):
    """Sphinx's EPUB 3 builder, plus the source the e-book retells (dc:source),
    and an NCX whose uid is the book's identifier; its pages get the site's
    parts that fit a book (macrohard_docs.site.pages)."""

    ships_data_files = False  # no folder beside the book: its pages say where the files are

    # Sphinx's templates for the package files, content.opf's with <dc:source>
    # and a manifest item's properties (tests/offline/test_builders.py holds them to Sphinx's).
    template_dir = PACKAGE / "templates" / "epub3"  # type: ignore[assignment]

    def create_template_bridge(self) -> None:
        self.templates = CompiledTemplates()

    def init(self) -> None:
        super().init()
        # Sphinx names the book's contents and cover in English whatever the
        # book's language (its own code says they should follow it).
        self.guide_titles = {"toc": str(_("Table of Contents")), "cover": str(_("Cover"))}

    def content_metadata(self) -> dict[str, Any]:
        metadata = super().content_metadata()
        metadata["source"] = html.escape(self.config.epub_source)
        # EPUB 3 properties of a content document ("svg"), by its href: what a
        # mixin before this class in the builder's bases found; none of this module's.
        metadata.setdefault("item_properties", {})
        return metadata

    def toc_metadata(self, level: int, navpoints: list[Any]) -> dict[str, Any]:
        metadata = super().toc_metadata(level, navpoints)
        metadata["uid"] = html.escape(self.config.epub_identifier)
        return metadata

    def add_visible_links(self, tree: nodes.document, show_urls: str = "inline") -> None:
        """Sphinx heads each chapter's link addresses with a "Footnotes" rubric,
        in English, and adds it to a chapter with no outside link too: an empty
        heading at its end. Keep it only over notes, in the book's language."""
        super().add_visible_links(tree, show_urls)
        for rubric in list(tree.findall(nodes.rubric)):
            if rubric.astext() != "Footnotes" or rubric.parent is None:
                continue
            after = rubric.parent.children[rubric.parent.index(rubric) + 1:]
            if any(isinstance(node, nodes.footnote) for node in after):
                rubric.children = [nodes.Text(str(_("Links in this chapter")))]
            else:
                rubric.parent.remove(rubric)

    def get_toc(self) -> None:
        """Every page a chapter at the top of the book's contents (macrohard_docs.site.book)."""
        super().get_toc()
        book_levels(self.refnodes)


def epub_config(app: Sphinx, config: Any) -> None:
    """No e-book carries the website's print styles or offline app (NOT_IN_EPUB)."""
    config.epub_exclude_files = [*config.epub_exclude_files, *NOT_IN_EPUB]


def setup_epub(app: Sphinx) -> None:
    app.add_config_value("epub_source", "", "epub", types=frozenset({str}))
    app.add_builder(DossierEpub3Builder, override=True)
    app.connect("config-inited", epub_config)
