"""Our own scripts and style sheets as readers get them: without comments or indentation.

The package's static/ files stay commented for maintainers; the built site's
copies are minified (rJSmin, rCSSmin: small, long-kept minifiers, where regexes
of ours would have to know JavaScript's strings and literals): 5.9 KB of
comments on the French Colossus page alone. Idempotent, so an incremental build
ends with the bytes of a clean one.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import rcssmin
import rjsmin

from .. import STATIC

MINIFIERS: dict[str, Callable[[str], str]] = {".js": rjsmin.jsmin, ".css": rcssmin.cssmin}


def minify_static(html_dir: Path) -> None:
    for source in sorted(STATIC.iterdir()):
        name = source.name.removesuffix("_t")  # a template is written without its _t
        minify = MINIFIERS.get(Path(name).suffix)
        built = html_dir / "_static" / name
        if minify is None or not built.is_file():
            continue
        text = built.read_text(encoding="utf-8")
        if (small := minify(text)) != text:
            built.write_text(small, encoding="utf-8")
