"""What a page says about itself in its head: a meta description from its
own first paragraph (search engines and link previews show it; without it
they guess), and an icon written into the page, so that browsers find one
without asking for a file (a missing one is a 404; a file is one more request).

Both keep French no-break spaces ("Colossus\u00a0: ..."): the description
collapses only ordinary white space, and titles reach the templates with those
spaces as character references, because the themes' ``striptags`` filter
collapses every Unicode space to an ordinary one before it unescapes.
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.locale import get_translation

if TYPE_CHECKING:
    from sphinx.application import Sphinx

_ = get_translation("macrohard_docs")

LIMIT = 160  # characters: what result pages show before they cut
# White space that may be collapsed: not U+00A0 / U+202F, which bind "Étalon\u00a0:".
ORDINARY_SPACE = re.compile(r"[ \t\n\r\f\v]+")
NO_BREAK_REFERENCES = {"\u00a0": "&#160;", "\u202f": "&#8239;"}
ICON_SVG = ("<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'>"
            "<rect width='32' height='32' rx='6' fill='#1f2937'/>"
            "<text x='16' y='23' font-family='sans-serif' font-size='20' font-weight='700' "
            "text-anchor='middle' fill='#f9fafb'>M</text></svg>")
ICON = f'<link rel="icon" type="image/svg+xml" href="data:image/svg+xml,{quote(ICON_SVG, safe="")}" />\n'


def describe_page(doctree: nodes.document) -> str | None:
    for para in doctree.findall(nodes.paragraph):
        text = ORDINARY_SPACE.sub(" ", para.astext()).strip()
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


def keep_no_break_spaces(title: str) -> str:
    """*title* (HTML) with its no-break spaces as references, which survive ``striptags``."""
    for character, reference in NO_BREAK_REFERENCES.items():
        title = title.replace(character, reference)
    return title


def protect_titles(context: dict[str, Any]) -> None:
    """The page's, its neighbours' and its parents' titles, as the templates get them."""
    for key in ("title", "docstitle"):
        if isinstance(context.get(key), str):
            context[key] = keep_no_break_spaces(context[key])
    for key in ("next", "prev"):
        if isinstance(context.get(key), dict) and isinstance(context[key].get("title"), str):
            context[key] = {**context[key], "title": keep_no_break_spaces(context[key]["title"])}
    if isinstance(context.get("parents"), list):
        context["parents"] = [{**parent, "title": keep_no_break_spaces(parent["title"])}
                              if isinstance(parent, dict) and isinstance(parent.get("title"), str)
                              else parent for parent in context["parents"]]
    if isinstance(context.get("rellinks"), list):
        context["rellinks"] = [(link[0], keep_no_break_spaces(link[1]), *link[2:])
                               if isinstance(link, tuple) and len(link) > 1 and isinstance(link[1], str)
                               else link for link in context["rellinks"]]


def add_description(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                    doctree: nodes.document | None) -> None:
    if app.builder.format != "html":
        return
    protect_titles(context)
    context["metatags"] = context.get("metatags", "") + ICON
    text = describe_page(doctree) if doctree is not None else generated_page_description(pagename)
    if text:
        tag = f'<meta name="description" content="{html.escape(text, quote=True)}" />\n'
        context["metatags"] = context.get("metatags", "") + tag


def setup_metadata(app: Sphinx) -> None:
    app.connect("html-page-context", add_description)
