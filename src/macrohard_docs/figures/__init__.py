"""The figures layer: the data file, its formatting, the `figures` domain (roles,
glossary, links both ways), the charts and the data files, all rendered from
``docs/data/figures.toml``. It knows nothing of the site around it."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup_figures(app: Sphinx) -> None:
    # Imported here: the build command imports this package for a few helpers,
    # and a build with nothing to do must not load every module.
    from .charts import setup_charts
    from .datafiles import setup_datafiles
    from .domain import setup_domain
    from .editions import setup_editions_record
    from .i18n import setup_i18n
    from .implications import setup_implications
    from .roles import setup_roles

    setup_editions_record(app)
    setup_domain(app)
    setup_i18n(app)
    setup_charts(app)
    setup_datafiles(app)
    setup_implications(app)
    setup_roles(app)
