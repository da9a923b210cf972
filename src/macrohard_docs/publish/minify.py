"""Our own scripts and style sheets as readers get them: without comments or indentation.

The package's static/ files stay commented for maintainers; a pass over each
HTML edition the build wrote replaces their copies in ``_static/`` with
minified ones (rJSmin and rCSSmin: small, long-kept minifiers with no
dependencies, rather than regexes of ours that would have to know JavaScript's
strings, regular expressions and template literals). They are most of what a
page loads beyond the theme, and the chart pages' budget (120 KB with
everything they load, tests/charts) has no room for our comments: 5.9 KB of
them on the French Colossus page.

Minifying is idempotent, so an incremental build, which may leave a file
Sphinx did not copy again, ends with the same bytes as a clean one. The pass
runs before the web app's file list and hash (webapp.py) and the zip.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import rcssmin
import rjsmin

from .. import STATIC

MINIFIERS: dict[str, Callable[[str], str]] = {".js": rjsmin.jsmin, ".css": rcssmin.cssmin}


def minify_static(html_dir: Path) -> None:
    """Minify, in *html_dir*/_static, every script and style sheet of the package's static/."""
    for source in sorted(STATIC.iterdir()):
        name = source.name.removesuffix("_t")  # a template is written without its _t
        minify = MINIFIERS.get(Path(name).suffix)
        built = html_dir / "_static" / name
        if minify is None or not built.is_file():
            continue
        text = built.read_text(encoding="utf-8")
        if (small := minify(text)) != text:
            built.write_text(small, encoding="utf-8")
