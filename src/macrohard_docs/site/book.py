"""The offline editions as books: chapters at the top, and a printed book's front.

Sphinx nests each page where its toctree stands: the article's chapters sit
under the section of the article's index that holds the toctree, and every
page under the landing page's last section ("Cite this dossier"). On a
website that is only navigation; in a book it makes chapter titles h5. Here:

* the single page (and so the PDF printed from it): the landing page's text
  is the front matter, and every page it includes, at any depth, becomes a
  chapter at the top of the document, in reading order: its title is an h1,
  its sections h2, their subsections h3;
* the EPUB: each page is its own XHTML file already (h1, h2, h3); its table
  of contents (nav.xhtml and toc.ncx) lists every page at the top level with
  its sections beneath, instead of nesting pages under sections;
* the single page, printed: a title page (title, subtitle, the source it
  retells, author, the edition's date) and a table of contents, shown on
  paper only; ``book.css`` (single page only) numbers the pages, puts the
  book's title at the head of each page after the first, starts each
  chapter on a new page and prints links as plain text.

The single page's builder (:class:`BookSingleFileHTMLBuilder`) does all of
its part in its own methods, and offers no way to the search and index pages
it does not write; the EPUB builder is macrohard_docs.site.epub's.
"""

from __future__ import annotations

import html
import posixpath
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.builders.singlehtml import SingleFileHTMLBuilder
from sphinx.locale import _ as sphinx_text
from sphinx.locale import get_translation

from .csp import PolicyPages
from .dating import utc_date
from .pages import BookPages
from ..figures.editions import build_edition
from ..figures.data import format_date_value

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

_ = get_translation("macrohard_docs")
CHAPTER = "book-chapter"  # class of each chapter's top section in the single page


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
                section["classes"].append(CHAPTER)
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


def book_levels(refnodes: list[dict[str, Any]]) -> None:
    """An EPUB's table of contents, pages at the top: a page (no #fragment) is at
    level 1, and each of its sections one level below its page, however deep
    the page sat in the toctree."""
    page_level = 1
    for node in refnodes:
        if "#" not in node["refuri"]:
            page_level = node["level"]
            node["level"] = 1
        else:
            node["level"] = max(2, node["level"] - page_level + 1)


def chapter_list(tree: nodes.document) -> list[tuple[str, str]]:
    """(anchor, title) of the front matter and each chapter, in reading order."""
    found = []
    for section in tree.children:
        if isinstance(section, addnodes.start_of_file):
            section = next((s for s in section.children if isinstance(s, nodes.section)), None)
        if isinstance(section, nodes.section) and section["ids"]:
            title = next(iter(section.findall(nodes.title)), None)
            if title is not None:
                found.append((section["ids"][0], title.astext()))
    return found


def front_html(config: Config, tree: nodes.document) -> str:
    """The title page and the table of contents, for paper (book.css hides them on screen)."""
    from .citation import author_in, language_name

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
    lines.append(f'<p class="book-author">{html.escape(author_in(config, language))}</p>')
    date = format_date_value(utc_date(config.edition_epoch), language)
    lines.append(f'<p class="book-date"><time datetime="{utc_date(config.edition_epoch).isoformat()}">'
                 f'{html.escape(date)}</time></p>')
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
# no use for the website's offline app (publish/webapp.py).
NOT_IN_EPUB = ["_static/book.css", "_static/offline-app.js", "_static/offline-app-ui.js",
               "_static/offline-app.css", "_static/app-icon.svg", "_static/app-icon-192.png",
               "_static/app-icon-512.png"]

NO_SINGLE_PAGE = {"genindex", "search", "py-modindex"}  # pages the singlehtml builder does not write


def plain_index_links(tree: nodes.document) -> None:
    """Links to the index or search page become plain text: the single page has neither."""
    for ref in list(tree.findall(nodes.reference)):
        target = ref.get("refuri", "").split("#")[0]
        if posixpath.splitext(target)[0] in NO_SINGLE_PAGE:
            ref.replace_self(nodes.inline("", "", *ref.children))


def single_anchors(tree: nodes.Node, root_doc: str) -> None:
    """Sphinx 9's singlehtml writes a section of another page as
    "#document-glossary#names", which is no valid URL. Everything is on the one
    page, so the anchor alone is the address; and the landing page opens the
    single page: it has no "#document-index" of its own."""
    top = f"#document-{root_doc}"
    for ref in tree.findall(nodes.reference):
        uri = ref.get("refuri", "")
        if uri.startswith("#document-") and "#" in uri[1:]:
            ref["refuri"] = uri[uri.index("#", 1):]
        elif uri == top:
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
        plain_index_links(tree)
        single_anchors(tree, self.config.root_doc)
        return tree

    def render_partial(self, node: nodes.Node | None) -> dict[str, str]:
        """The tables of contents (the page's and furo's navigation) with the same anchors as the body."""
        if node is not None:
            single_anchors(node, self.config.root_doc)
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


def setup_book(app: Sphinx) -> None:
    app.add_builder(BookSingleFileHTMLBuilder, override=True)
