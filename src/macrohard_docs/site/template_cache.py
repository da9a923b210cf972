"""The page templates compiled once, not at every Sphinx run.

Sphinx gives each run a fresh Jinja environment without a bytecode cache, so
every run compiled furo's templates and ours again from their source: some
twenty templates, a tenth of the CPU of a build after one page is edited (the
build command runs six builders; the tests run many more). Jinja's own file
cache keeps the compiled code beside the environment (the doctrees folder)
and checks each template's source before it uses it, so an edited template is
compiled again; its files are written whole (a temporary file renamed), so
parallel workers can share it.

The cache is part of the template bridge our builders make
(``create_template_bridge``, Sphinx's hook for it): no handler sets it on a
builder's environment from outside.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import FileSystemBytecodeCache
from sphinx.jinja2glue import BuiltinTemplateLoader

if TYPE_CHECKING:
    from sphinx.builders import Builder
    from sphinx.theming import Theme

FOLDER = "templates"  # below the doctrees folder


class CompiledTemplates(BuiltinTemplateLoader):
    """Sphinx's template loader, with the compiled templates kept between runs."""

    def init(self, builder: Builder, theme: Theme | None = None, dirs: list[str] | None = None) -> None:
        super().init(builder, theme, dirs)
        folder = Path(builder.doctreedir, FOLDER)
        folder.mkdir(parents=True, exist_ok=True)
        self.environment.bytecode_cache = FileSystemBytecodeCache(str(folder))

