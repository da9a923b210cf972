"""The site layer: what only the HTML site (and its offline twins) needs on top
of the figures: editions side by side, the content security policy, search,
page metadata, assets, links, freshness of incremental builds, the citation
block and the downloads page. It reads the figures layer, never the reverse."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__all__ = ["setup_site"]


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
    from .epub import setup_epub
    from .freshness import setup_freshness
    from .links import setup_links
    from .metadata import setup_metadata
    from .offline import setup_offline
    from .search import setup_search
    from .search_fr import setup_search_fr
    from .template_cache import setup_template_cache

    # The CSP's setup first: its script comes before the others on every page.
    setup_csp(app)
    setup_epub(app)
    setup_offline(app)
    setup_book(app)
    setup_editions(app)
    setup_search(app)
    setup_search_fr(app)
    setup_citation(app)
    setup_corrections(app)
    setup_metadata(app)
    setup_links(app)
    setup_freshness(app)
    setup_dating(app)
    setup_catalogs(app)
    setup_template_cache(app)
