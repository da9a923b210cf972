"""What the site adds to the pages it writes, done by the builders that write them.

Each module keeps its own page work as a function (editions.py: the switcher
and alternates; metadata.py: the icon, description and Open Graph fields;
search.py: the glossary and search files; assets.py: code assets only where
code is shown); the builder classes call the set that fits their output from
their own methods, so no function asks which builder runs it:

* :class:`SitePages`, every site builder (dirhtml's and the e-book's set as it
  stands): per page, in ``update_page_context`` (before any
  ``html-page-context`` handler, as the handlers it replaces were: the Open
  Graph library reads the fields written here); before writing, the search
  data; once written, the data files beside the pages.
* :class:`WebSitePages`, the multi-page site (html): the Open Graph tags, the
  editions' switcher with the reading position, the glossary's filter box,
  the sitemap.
* :class:`BookPages`, the single page (singlehtml): its switcher to the other
  languages' single pages; no search files, and its date is the edition's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..figures.datafiles import write_data_files
from .assets import drop_unused_code_assets
from .editions import add_alternates, write_sitemap
from .freshness import drop_emptied_words
from .metadata import add_description
from .search import add_filter_box, add_page_assets, write_search_data

if TYPE_CHECKING:
    from collections.abc import Set

    from docutils import nodes
    from sphinx.environment import BuildEnvironment


class SitePages:
    """Mixin of the site's HTML builders (before Sphinx's class in the bases)."""

    env: BuildEnvironment

    # What the builder's output holds: properties of the builder class, which
    # the functions of the other modules (and dating.py's handler) never ask for by name.
    ships_search_data = True  # the glossary and search files and scripts (search.py)
    ships_data_files = True  # figures.csv and figures.json beside the pages (figures/datafiles.py)
    dates_each_page = True  # "Last updated on" from each page's own history (dating.py)

    def add_site_parts(self, pagename: str, context: dict[str, Any], doctree: Any) -> None:
        """A page's share of the site: its head, its search files, its code assets."""
        add_description(self, pagename, context, doctree)  # type: ignore[arg-type]
        add_page_assets(self, pagename)  # type: ignore[arg-type]
        drop_unused_code_assets(context, doctree)

    def update_page_context(self, pagename: str, templatename: str, ctx: dict[str, Any],
                            event_arg: Any) -> None:
        super().update_page_context(pagename, templatename, ctx, event_arg)  # type: ignore[misc]
        self.add_site_parts(pagename, ctx, event_arg)

    def prepare_writing(self, docnames: Set[str]) -> None:
        if self.ships_search_data:
            write_search_data(self)  # type: ignore[arg-type]
        super().prepare_writing(docnames)  # type: ignore[misc]
        # Sphinx has loaded and pruned the previous index: drop its emptied words.
        drop_emptied_words(getattr(self, "indexer", None))

    def finish(self) -> None:
        super().finish()  # type: ignore[misc]
        if self.ships_data_files:
            write_data_files(self)  # type: ignore[arg-type]


class WebSitePages(SitePages):
    """The multi-page site's builder: each page with its link previews, its
    editions and its reading position; the glossary's filter; the sitemap."""

    def add_site_parts(self, pagename: str, context: dict[str, Any], doctree: Any) -> None:
        add_description(self, pagename, context, doctree, open_graph=True)  # type: ignore[arg-type]
        add_alternates(self, pagename, context)  # type: ignore[arg-type]
        add_page_assets(self, pagename)  # type: ignore[arg-type]
        drop_unused_code_assets(context, doctree)

    def write_doc_serialized(self, docname: str, doctree: nodes.document) -> None:
        # Before Sphinx indexes the page: the box's words are searched as they were.
        add_filter_box(self.env, doctree, docname)
        super().write_doc_serialized(docname, doctree)  # type: ignore[misc]

    def finish(self) -> None:
        super().finish()
        write_sitemap(self)  # type: ignore[arg-type]


class BookPages(SitePages):
    """The single page's builder: the whole edition on one page, with its code,
    no search files, the edition's date, and the other languages' single pages."""

    ships_search_data = False
    dates_each_page = False

    def add_site_parts(self, pagename: str, context: dict[str, Any], doctree: Any) -> None:
        add_description(self, pagename, context, doctree)  # type: ignore[arg-type]
        add_alternates(self, pagename, context, single_page=True)  # type: ignore[arg-type]
