"""The offline editions as books: chapters at the top, and a printed book's front.

Sphinx nests each page where its toctree stands (the article's chapters under
a section of the article's index, every page under the landing page's last
section): on a website only navigation, in a book chapter titles in h5. Here:

* the single page (and so the PDF printed from it,
  :class:`BookSingleFileHTMLBuilder`): the landing page's text is the front
  matter, and every page it includes, at any depth, becomes a chapter at the top
  of the document, in reading order; on paper only, a title page, a table of
  contents and link notes (``book.css`` numbers the pages, starts each chapter
  on a new page and prints links as plain text); no way to the search and index
  pages it does not write;
* the EPUB (:class:`DossierEpub3Builder`): each page is its own XHTML file
  already; its table of contents lists every page at the top level with its
  sections beneath.
"""

from __future__ import annotations

import html
import posixpath
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.builders.singlehtml import SingleFileHTMLBuilder
from sphinx.locale import _ as sphinx_text
from sphinx.locale import get_translation

from .. import PACKAGE
from ..figures.charts import DeclareInlineSvg
from ..figures.data import format_date_value
from ..figures.editions import build_edition
from .citation import author_in, language_name
from .csp import PolicyPages
from .dating import utc_date
from .pages import BookPages, CompiledTemplates, FreshFolder, SitePages

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

_ = get_translation("macrohard_docs")


def chapters_to_top(tree: nodes.document) -> None:
    """Move every included page (a start_of_file node, at any depth) to the top
    of *tree*, in reading order, after the root page, which becomes the front matter."""
    included = list(tree.findall(addnodes.start_of_file))
    for part in included:
        part.parent.remove(part)
    # The toctrees' wrappers, now empty.
    for wrapper in list(tree.findall(nodes.compound)):
        if "toctree-wrapper" in wrapper["classes"] and not wrapper.children:
            wrapper.parent.remove(wrapper)
    for part in included:
        for section in part.children:
            if isinstance(section, nodes.section):
                section["classes"].append("book-chapter")
        tree += part


NOTE_MARK = "book-note-mark"
NOTES = "book-link-notes"


def chapter_sections(tree: nodes.document) -> list[nodes.section]:
    """The front matter's section and each chapter's, in reading order."""
    found = []
    for part in tree.children:
        children = part.children if isinstance(part, addnodes.start_of_file) else [part]
        found += [child for child in children if isinstance(child, nodes.section)]
    return found


def link_notes(tree: nodes.document) -> None:
    """On paper, where an outside link leads goes in a note: a number after the
    link, and the chapter's numbered addresses at its end (book.css shows both
    on paper only; the screen keeps the plain link)."""
    for section in chapter_sections(tree):
        addresses: list[str] = []
        for ref in list(section.findall(nodes.reference)):
            uri = ref.get("refuri", "")
            if not uri.startswith(("http://", "https://")):
                continue
            addresses.append(uri)
            mark = nodes.inline("", str(len(addresses)), classes=[NOTE_MARK])
            ref.parent.insert(ref.parent.index(ref) + 1, mark)
        if addresses:
            listing = nodes.enumerated_list(enumtype="arabic", prefix="", suffix=".")
            for uri in addresses:
                listing += nodes.list_item("", nodes.paragraph(uri, uri))
            section += nodes.container("", listing, classes=[NOTES])


def chapter_list(tree: nodes.document) -> list[tuple[str, str]]:
    """(anchor, title) of the front matter and each chapter, in reading order."""
    return [(section["ids"][0], title.astext()) for section in chapter_sections(tree)
            if section["ids"] and (title := next(iter(section.findall(nodes.title)), None)) is not None]


def front_html(config: Config, tree: nodes.document) -> str:
    """The title page and the table of contents, for paper (book.css hides them on screen)."""
    language = config.language or "en"
    edition = build_edition(config)
    title = (edition and edition.title) or config.html_title or config.project
    lines = [f'<p class="book-title">{html.escape(title)}</p>']
    if edition and edition.subtitle:
        lines.append(f'<p class="book-subtitle">{html.escape(edition.subtitle)}</p>')
    if config.dossier_source_title:
        retold = str(_("Retold from the {source_language} article « {source} ».")).format(
            source_language=language_name(config.dossier_source_language, language),
            source=config.dossier_source_title)
        lines.append(f'<p class="book-source">{html.escape(retold)}</p>')
    lines.append(f'<p class="book-author">{html.escape(author_in(config))}</p>')
    date = utc_date(config.edition_epoch)
    lines.append(f'<p class="book-date"><time datetime="{date.isoformat()}">'
                 f'{html.escape(format_date_value(date, language))}</time></p>')
    if config.epub_copyright:
        # The terms of reuse, on paper as on a book's title page; the PDF's
        # /Rights is this line (macrohard_docs.publish.packaging).
        lines.append(f'<p class="book-rights">{html.escape(config.epub_copyright)}</p>')
    entries = "".join(
        f'<li><a href="#{html.escape(anchor)}"><span class="book-toc-title">{html.escape(text)}</span>'
        f'<span class="book-toc-page" data-for="{html.escape(anchor)}"></span></a></li>'
        for anchor, text in chapter_list(tree))
    contents_title = sphinx_text("Table of Contents")
    return (f'<div class="book-front book-title-page">{"".join(lines)}</div>\n'
            f'<nav class="book-front book-contents" aria-label="{html.escape(contents_title)}">'
            f'<h1 class="book-contents-title">{html.escape(contents_title)}</h1>'
            f'<ol>{entries}</ol></nav>\n')


# The static folder is shared by every builder. An e-book has no pages to
# number (and epubcheck's CSS parser does not know @page's margin boxes), and
# no use for the website's offline app (publish/webapp.py). Nor for Sphinx's
# copy of an older configuration's record: the folder is kept between builds.
NOT_IN_EPUB = [".buildinfo.bak", "_static/book.css", "_static/offline-app.js", "_static/offline-app-ui.js",
               "_static/offline-app.css", "_static/app-icon.svg", "_static/app-icon-192.png",
               "_static/app-icon-512.png"]

NO_SINGLE_PAGE = {"genindex", "search", "py-modindex"}  # pages the singlehtml builder does not write


def single_page_links(tree: nodes.Node, root_doc: str) -> None:
    """Links to the index or search page become plain text: the single page has neither.
    Sphinx 9's singlehtml writes a section of another page as "#document-glossary#names",
    which is no valid URL: everything is on the one page, so the anchor alone is the
    address; and the landing page opens the single page: it has no "#document-index"."""
    for ref in list(tree.findall(nodes.reference)):
        uri = ref.get("refuri", "")
        if posixpath.splitext(uri.split("#")[0])[0] in NO_SINGLE_PAGE:
            ref.replace_self(nodes.inline("", "", *ref.children))
        elif uri.startswith("#document-") and "#" in uri[1:]:
            ref["refuri"] = uri[uri.index("#", 1):]
        elif uri == f"#document-{root_doc}":
            ref["refuri"] = "#"


class BookSingleFileHTMLBuilder(BookPages, PolicyPages, SingleFileHTMLBuilder):
    """Sphinx's single page, with every page a chapter at the top level, a
    printed book's front, and no way to the search and index pages it lacks."""

    def init_css_files(self) -> None:
        super().init_css_files()
        self.add_css_file("book.css")  # the book's print styles: the single page only

    def assemble_doctree(self) -> nodes.document:
        tree = super().assemble_doctree()
        chapters_to_top(tree)
        link_notes(tree)
        single_page_links(tree, self.config.root_doc)
        return tree

    def render_partial(self, node: nodes.Node | None) -> dict[str, str]:
        """The tables of contents (the page's and furo's navigation) with the same links as the body."""
        if node is not None:
            single_page_links(node, self.config.root_doc)
        return super().render_partial(node)

    def update_page_context(self, pagename: str, templatename: str, ctx: dict[str, Any],
                            event_arg: Any) -> None:
        """No way to the search or index pages, but a search box that opens its
        edition's search page; the title page and contents before the text."""
        hasdoc = ctx["hasdoc"]
        ctx["hasdoc"] = lambda name: name not in NO_SINGLE_PAGE and hasdoc(name)
        ctx["sidebars"] = ["sidebar/edition-search.html" if "search" in s else s
                           for s in ctx.get("sidebars", [])]
        if isinstance(event_arg, nodes.document) and isinstance(ctx.get("body"), str):
            ctx["body"] = front_html(self.config, event_arg) + ctx["body"]
        super().update_page_context(pagename, templatename, ctx, event_arg)


class DossierEpub3Builder(SitePages, FreshFolder, DeclareInlineSvg):
    """Sphinx's EPUB 3 builder, with the site's parts that fit a book; its folder
    kept between builds, so that it writes again only the pages that changed."""

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

    def build_content(self) -> None:
        # Sphinx writes the cover page here, and would list one already in the folder twice.
        Path(self.outdir, self.coverpage_name).unlink(missing_ok=True)
        super().build_content()

    def content_metadata(self) -> dict[str, Any]:
        metadata = super().content_metadata()
        metadata["source"] = html.escape(self.config.epub_source)  # <dc:source>: the article retold
        return metadata

    def toc_metadata(self, level: int, navpoints: list[Any]) -> dict[str, Any]:
        metadata = super().toc_metadata(level, navpoints)
        # epubcheck wants the book's identifier as the NCX's uid, where Sphinx writes epub_uid (an XML id).
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
        """Pages at the top of the contents: a page (no #fragment) at level 1, each of
        its sections one level below its page, however deep the page sat in the toctree."""
        super().get_toc()
        page_level = 1
        for node in self.refnodes:
            if "#" not in node["refuri"]:
                page_level, node["level"] = node["level"], 1
            else:
                node["level"] = max(2, node["level"] - page_level + 1)


def exclude_from_epub(app: Sphinx, config: Config) -> None:
    config.epub_exclude_files = [*config.epub_exclude_files, *NOT_IN_EPUB]


def setup_book(app: Sphinx) -> None:
    app.add_config_value("epub_source", "", "epub", types=frozenset({str}))
    app.add_builder(BookSingleFileHTMLBuilder, override=True)
    app.add_builder(DossierEpub3Builder, override=True)
    app.connect("config-inited", exclude_from_epub)
