"""The page templates compiled once, not at every Sphinx run.

Sphinx gives each run a fresh Jinja environment without a bytecode cache, so
every run compiled furo's templates and ours again (some twenty: a tenth of a
build's CPU). Jinja's file cache keeps the compiled code beside the environment,
or in ``templates_cache``, which the build gives every language (the first
compiles, the others load), and checks each template's source before use; its
files are written whole, so parallel workers can share it. The cache is part of
the template bridge our builders make (``create_template_bridge``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import FileSystemBytecodeCache
from sphinx.jinja2glue import BuiltinTemplateLoader

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.theming import Theme

FOLDER = "templates"  # below the doctrees folder


class CompiledTemplates(BuiltinTemplateLoader):
    """Sphinx's template loader, with the compiled templates kept between runs."""

    def init(self, builder: Builder, theme: Theme | None = None, dirs: list[str] | None = None) -> None:
        super().init(builder, theme, dirs)
        folder = Path(builder.config.templates_cache or Path(builder.doctreedir, FOLDER))
        folder.mkdir(parents=True, exist_ok=True)
        self.environment.bytecode_cache = FileSystemBytecodeCache(str(folder))


def setup_template_cache(app: Sphinx) -> None:
    # Where the compiled templates are kept; "": beside the environment. No page changes with it.
    app.add_config_value("templates_cache", "", "", types=frozenset({str}))
