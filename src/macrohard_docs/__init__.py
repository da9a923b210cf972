"""Sphinx extension for the Macrohard dossier: figures as data.

Pages write ``{fig}`colossus-power``` and never a number; every figure is rendered
from one data file, in the build's language, and linked to a glossary made from it.
Three layers, each importing only the ones before it: :mod:`.figures` (the content),
:mod:`.site` (HTML features), :mod:`.publish` (the staged build and its packaging).
"""

from __future__ import annotations

import zlib
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.util.typing import ExtensionMetadata

__version__ = "0.1.0"

PACKAGE = Path(__file__).parent
STATIC = PACKAGE / "static"


def code_version() -> int:
    """Changes with the extension's own code and catalogs, so an edit to either re-reads every page."""
    sources = sorted([*PACKAGE.rglob("*.py"), *PACKAGE.glob("locales/*/*/*.mo")])
    return zlib.crc32(b"".join(path.read_bytes() for path in sources))


def add_static(app: Sphinx, config: Config) -> None:
    # A new list: the default one is shared by every Sphinx run in the process.
    config.html_static_path = [*config.html_static_path, str(STATIC)]


def setup(app: Sphinx) -> ExtensionMetadata:
    # Imported here: `python -m macrohard_docs.publish` imports this package too, and a
    # build with nothing to do must not pay for loading Sphinx's modules.
    from .figures import setup_figures
    from .site import setup_site

    app.connect("config-inited", add_static)
    setup_figures(app)
    setup_site(app)
    return {
        "version": __version__,
        "env_version": code_version(),
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
