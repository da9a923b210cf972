"""Load code-block assets only on pages that show code.

Every page gets Pygments' colours and sphinx-copybutton's script and styles
(about 40 KB), though only the About page's "cite this" block has code.
Pages without a code block leave them out, so an article page loads less.
furo-extensions.css goes with them: it styles the copy button and code
blocks, and otherwise only extensions this site does not use (sphinx-design,
Read the Docs' injected version menu and ads, which the CSP would block).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes

if TYPE_CHECKING:
    from sphinx.application import Sphinx

CODE_ONLY = ("pygments.css", "copybutton.css", "copybutton.js", "clipboard.min.js", "furo-extensions.css")


def is_code_asset(asset: Any) -> bool:
    name = str(getattr(asset, "filename", asset) or "")
    return name.split("?")[0].endswith(CODE_ONLY)


def drop_unused_code_assets(app: Sphinx, pagename: str, templatename: str,
                            context: dict[str, Any], doctree: nodes.document | None) -> None:
    if app.builder.format != "html" or app.builder.name == "singlehtml":
        return
    if doctree is not None and next(doctree.findall(nodes.literal_block), None) is not None:
        return
    # New lists: the builder shares the originals between pages.
    context["css_files"] = [c for c in context.get("css_files", []) if not is_code_asset(c)]
    context["script_files"] = [s for s in context.get("script_files", []) if not is_code_asset(s)]


def setup_assets(app: Sphinx) -> None:
    app.connect("html-page-context", drop_unused_code_assets)
