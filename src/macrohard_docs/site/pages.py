"""What the site adds to the pages it writes, done by the builders that write them.

Each module keeps its own page work as a function (editions.py: the switcher
and alternates; metadata.py: the icon, description and Open Graph fields;
search.py: the glossary and search files; assets.py: code assets only where
code is shown); the builder classes call the set that fits their output from
their own methods, so no function asks which builder runs it:

* :class:`SitePages`, every site builder (dirhtml's and the e-book's set as it
  stands): per page, in ``update_page_context`` (before any
  ``html-page-context`` handler, as the handlers it replaces were: the Open
  Graph library reads the fields written here).
* :class:`WebSitePages`, the multi-page site (html): the Open Graph tags, the
  editions' switcher with the reading position.
* :class:`BookPages`, the single page (singlehtml): its switcher to the other
  languages' single pages; its date is the edition's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .assets import drop_unused_code_assets
from .editions import add_alternates
from .metadata import add_description
from .search import add_page_assets

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment


class SitePages:
    """Mixin of the site's HTML builders (before Sphinx's class in the bases)."""

    env: BuildEnvironment

    # What the builder's output holds: properties of the builder class, which
    # the functions of the other modules (and dating.py's handler) never ask for by name.
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


class WebSitePages(SitePages):
    """The multi-page site's builder: each page with its link previews, its
    editions and its reading position."""

    def add_site_parts(self, pagename: str, context: dict[str, Any], doctree: Any) -> None:
        add_description(self, pagename, context, doctree, open_graph=True)  # type: ignore[arg-type]
        add_alternates(self, pagename, context)  # type: ignore[arg-type]
        add_page_assets(self, pagename)  # type: ignore[arg-type]
        drop_unused_code_assets(context, doctree)


class BookPages(SitePages):
    """The single page's builder: the whole edition on one page, with its code,
    the edition's date, and the other languages' single pages."""

    dates_each_page = False

    def add_site_parts(self, pagename: str, context: dict[str, Any], doctree: Any) -> None:
        add_description(self, pagename, context, doctree)  # type: ignore[arg-type]
        add_alternates(self, pagename, context, single_page=True)  # type: ignore[arg-type]
