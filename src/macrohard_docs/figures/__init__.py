"""The figures layer: the data file, its formatting, the `figures` domain (roles,
glossary, links both ways), the charts and the data files, all rendered from
``docs/data/figures.toml``. It knows nothing of the site around it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .charts import setup_charts
from .data import FiguresDataError, load
from .datafiles import setup_datafiles
from .domain import (
    MENTION_ROLES,
    FiguresDomain,
    GlossaryDirective,
    MentionedIn,
    MentionRole,
    OurArithmeticDirective,
    RecordDefinitions,
    RecordMentionPlaces,
    ResolveMentions,
    check_consistency,
    domain_of,
    glossary_docs,
)
from .i18n import setup_i18n
from .implications import setup_implications
from .roles import setup_roles

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__all__ = ["FiguresDataError", "setup_figures"]


def load_figures(app: Sphinx) -> None:
    """Read the data file afresh on every build, before any page is read."""
    path = Path(app.confdir, app.config.figures_data)
    domain_of(app.env).dataset = load(path, languages=(app.config.language,))


def setup_domain(app: Sphinx) -> None:
    # Both change what pages say, so a change re-reads every page.
    app.add_config_value("figures_data", "data/figures.toml", "env", types=frozenset({str}))
    app.add_config_value("figures_article_prefix", "article/", "env", types=frozenset({str}))

    app.add_domain(FiguresDomain)
    for role, kind in MENTION_ROLES.items():
        app.add_role(role, MentionRole(kind))
    app.add_directive("figure-glossary", GlossaryDirective)
    app.add_directive("our-arithmetic", OurArithmeticDirective)
    app.add_node(MentionedIn)
    app.add_transform(RecordDefinitions)
    app.add_transform(RecordMentionPlaces)
    app.add_post_transform(ResolveMentions)
    app.connect("builder-inited", load_figures)
    app.connect("env-check-consistency", check_consistency)
    app.connect("env-get-updated", glossary_docs)
    app.add_css_file("macrohard.css")


def setup_figures(app: Sphinx) -> None:
    setup_domain(app)
    setup_i18n(app)
    setup_charts(app)
    setup_datafiles(app)
    setup_implications(app)
    setup_roles(app)
