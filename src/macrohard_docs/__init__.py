"""Sphinx extension for the Macrohard dossier: figures as data.

Pages write ``{fig}`colossus-power``` and never a number; the extension
renders every figure from one data file, in the build's language, links it
to a glossary generated from the same file, and stops the build on any
figure, name or entry it cannot account for.
"""

from __future__ import annotations

import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .data import FiguresDataError, load
from .domain import (
    MENTION_ROLES,
    FiguresDomain,
    GlossaryDirective,
    MentionedIn,
    MentionRole,
    OurArithmeticDirective,
    RecordDefinitions,
    ResolveMentions,
    check_consistency,
    domain_of,
    glossary_docs,
)

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__version__ = "0.1.0"
__all__ = ["FiguresDataError", "setup"]

STATIC = Path(__file__).parent / "static"


def code_version() -> int:
    """Changes with the extension's own code and catalogs, so an edit to either re-reads every page."""
    sources = sorted([*Path(__file__).parent.glob("*.py"), *Path(__file__).parent.glob("locales/*/*/*.mo")])
    return zlib.crc32(b"".join(path.read_bytes() for path in sources))


def load_figures(app: Sphinx) -> None:
    """Read the data file afresh on every build, before any page is read."""
    path = Path(app.confdir, app.config.figures_data)
    domain_of(app.env).dataset = load(path, languages=(app.config.language,))


def add_static(app: Sphinx, config: Any) -> None:
    config.html_static_path.append(str(STATIC))


def setup(app: Sphinx) -> dict[str, Any]:
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
    app.add_post_transform(ResolveMentions)

    app.connect("config-inited", add_static)
    app.setup_extension("macrohard_docs.offline")
    app.connect("builder-inited", load_figures)
    app.connect("env-check-consistency", check_consistency)
    app.connect("env-get-updated", glossary_docs)
    app.add_css_file("macrohard.css")
    app.setup_extension("macrohard_docs.i18n")
    app.setup_extension("macrohard_docs.editions")
    app.setup_extension("macrohard_docs.search")
    app.setup_extension("macrohard_docs.search_fr")
    app.setup_extension("macrohard_docs.charts")
    app.setup_extension("macrohard_docs.assets")
    app.setup_extension("macrohard_docs.metadata")
    app.setup_extension("macrohard_docs.links")
    app.setup_extension("macrohard_docs.freshness")
    app.setup_extension("macrohard_docs.dating")
    app.setup_extension("macrohard_docs.catalogs")
    return {
        "version": __version__,
        "env_version": code_version(),
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
