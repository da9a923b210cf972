"""The site layer: what the HTML site (and its offline twins) needs on top of the
figures: editions, the content security policy, search, page metadata, the
books, dates, translations' checks. It reads the figures layer, never the reverse."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup_site(app: Sphinx) -> None:
    # Imported here: `python -m macrohard_docs.publish` imports this package for a
    # few helpers, and a build with nothing to do must not load every module.
    from .book import setup_book
    from .catalogs import setup_catalogs
    from .citation import setup_citation
    from .corrections import setup_corrections
    from .csp import setup_csp
    from .dating import setup_dating
    from .editions import setup_editions
    from .links import setup_links
    from .metadata import setup_metadata
    from .offline import setup_offline
    from .pages import bring_up_to_date
    from .search import setup_search
    from .search_fr import setup_search_fr

    # The CSP's setup first: its script comes before the others on every page.
    for setup in (setup_csp, setup_offline, setup_book, setup_editions, setup_search, setup_search_fr,
                  setup_citation, setup_corrections, setup_metadata, setup_links, setup_dating, setup_catalogs):
        setup(app)
    app.connect("env-get-updated", bring_up_to_date)
    # Where the compiled templates are kept; "": beside the environment. No page changes with it.
    app.add_config_value("templates_cache", "", "", types=frozenset({str}))
