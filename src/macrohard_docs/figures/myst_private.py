"""MyST-Parser's one costly habit, worked around in one place (a Sphinx extension of its own).

Each time MyST parses Markdown it makes a throwaway docutils document
(``myst_parser.mdit_to_docutils.base.make_document``, the default of a
``dict.get`` that Sphinx always satisfies, and a scratch document whose
settings are replaced), and each one builds docutils' default settings afresh
through optparse: about 2 ms a parse. A page is parsed once, but a translated
page parses every paragraph of its catalog again, so the French edition paid
it some 250 times per Sphinx run. Measured on the French HTML edition, cold:
2.14 s -> 1.76 s of CPU, the site byte for byte the same.

Private: no setting or event reaches it. The settings are built once per
parser class and each document gets its own copy (a new list of
dependencies in it, the one value docutils adds to); with a MyST-Parser that no
longer has the function, nothing is replaced. The benchmark's bare project
loads this extension too, so that its comparison still measures what our
own code costs (scripts/bench/bare.py).
"""

from __future__ import annotations

import copy
import functools
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata


def settings_once() -> None:
    try:
        from myst_parser.mdit_to_docutils import base
    except ImportError:
        return
    original = getattr(base, "make_document", None)
    if original is None or getattr(original, "settings_once", False):
        return
    from docutils.frontend import get_default_settings
    from docutils.parsers.rst import Parser as RSTParser
    from docutils.utils import DependencyList, new_document

    default_settings = functools.lru_cache(maxsize=None)(get_default_settings)

    def make_document(source_path: Any = "notset", parser_cls: Any = RSTParser) -> Any:
        settings = copy.copy(default_settings(parser_cls))
        settings.record_dependencies = DependencyList()  # the one value docutils adds to as it works
        return new_document(source_path, settings=settings)

    make_document.settings_once = True  # type: ignore[attr-defined]
    base.make_document = make_document


def setup(app: Sphinx) -> ExtensionMetadata:
    settings_once()
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
