"""Load code-block assets only on pages that show code.

Every page gets Pygments' colours and sphinx-copybutton's script and styles
(about 40 KB), though only the About page's "cite this" block has code.
Pages without a code block leave them out, so an article page loads less.
furo-extensions.css goes with them: it styles the copy button and code
blocks, and otherwise only extensions this site does not use (sphinx-design,
Read the Docs' injected version menu and ads, which the CSP would block).
"""

from __future__ import annotations

from typing import Any

from docutils import nodes

CODE_ONLY = ("pygments.css", "copybutton.css", "copybutton.js", "clipboard.min.js", "furo-extensions.css")


def is_code_asset(asset: Any) -> bool:
    name = str(getattr(asset, "filename", asset) or "")
    return name.split("?")[0].endswith(CODE_ONLY)


def drop_unused_code_assets(context: dict[str, Any], doctree: nodes.document | None) -> None:
    """Called by the builders of a page per document (macrohard_docs.site.pages):
    the single page shows the code of the About page, so it keeps them."""
    if doctree is not None and next(doctree.findall(nodes.literal_block), None) is not None:
        return
    # New lists: the builder shares the originals between pages.
    context["css_files"] = [c for c in context.get("css_files", []) if not is_code_asset(c)]
    context["script_files"] = [s for s in context.get("script_files", []) if not is_code_asset(s)]
