"""The page templates compiled once, not at every Sphinx run.

Sphinx gives each run a fresh Jinja environment without a bytecode cache, so
every run compiled furo's templates and ours again from their source: some
twenty templates, a tenth of the CPU of a build after one page is edited (the
build command runs six builders; the tests run many more). Jinja's own file
cache keeps the compiled code beside the environment (the doctrees folder)
and checks each template's source before it uses it, so an edited template is
compiled again; its files are written whole (a temporary file renamed), so
parallel workers can share it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx

FOLDER = "templates"  # below the doctrees folder


def cache_compiled_templates(app: Sphinx) -> None:
    environment = getattr(getattr(app.builder, "templates", None), "environment", None)
    if environment is None or environment.bytecode_cache is not None:
        return  # a builder without Jinja templates, or a cache set elsewhere
    from jinja2 import FileSystemBytecodeCache

    folder = Path(app.doctreedir, FOLDER)
    folder.mkdir(parents=True, exist_ok=True)
    environment.bytecode_cache = FileSystemBytecodeCache(str(folder))


def setup_template_cache(app: Sphinx) -> None:
    app.connect("builder-inited", cache_compiled_templates)
