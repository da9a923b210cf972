"""What a page says about itself in its head: a meta description from its
own first paragraph (search engines and link previews show it; without it
they guess), and an icon written into the page, so that browsers find one
without asking for a file (a missing one is a 404; a file is one more request).
"""

from __future__ import annotations

import html
from urllib.parse import quote
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.locale import get_translation

if TYPE_CHECKING:
    from sphinx.application import Sphinx

_ = get_translation("macrohard_docs")

LIMIT = 160  # characters: what result pages show before they cut
ICON_SVG = ("<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'>"
            "<rect width='32' height='32' rx='6' fill='#1f2937'/>"
            "<text x='16' y='23' font-family='sans-serif' font-size='20' font-weight='700' "
            "text-anchor='middle' fill='#f9fafb'>M</text></svg>")
ICON = f'<link rel="icon" type="image/svg+xml" href="data:image/svg+xml,{quote(ICON_SVG, safe="")}" />\n'


def describe_page(doctree: nodes.document) -> str | None:
    for para in doctree.findall(nodes.paragraph):
        text = " ".join(para.astext().split())
        if len(text) >= 40:
            return text if len(text) <= LIMIT else text[: LIMIT - 1].rsplit(" ", 1)[0] + "…"
    return None


def generated_page_description(pagename: str) -> str | None:
    """Sphinx's own pages (no source, so no first paragraph to quote)."""
    if pagename == "search":
        return str(_("Search the dossier on Macrohard and Colossus: its article, its glossary "
                     "and every figure in it, typed as you would write them."))
    if pagename == "genindex":
        return str(_("The index of the dossier on Macrohard and Colossus: every name, term "
                     "and figure, with the pages that mention it."))
    return None


def add_description(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                    doctree: nodes.document | None) -> None:
    if app.builder.format != "html":
        return
    context["metatags"] = context.get("metatags", "") + ICON
    text = describe_page(doctree) if doctree is not None else generated_page_description(pagename)
    if text:
        tag = f'<meta name="description" content="{html.escape(text, quote=True)}" />\n'
        context["metatags"] = context.get("metatags", "") + tag


def setup_metadata(app: Sphinx) -> None:
    app.connect("html-page-context", add_description)
