"""What a page says about itself in its head: a meta description from its first
paragraph, Open Graph tags for link previews, and an icon written into the page (a
missing icon file is a 404, a present one one more request).

The Open Graph tags are sphinxext-opengraph's, in the multi-page site only and only
where the site's address is known (``site_base_url``): the protocol wants full
addresses, and the library, given none, writes paths to pages that do not exist.
The description is ours: the library's joined every text node with ASCII rules, so a
French page lost its no-break spaces, ran on into the next heading and cut words in
half. Titles keep their no-break spaces as character references, because the themes'
``striptags`` filter collapses every Unicode space before it unescapes.
"""

from __future__ import annotations

import contextlib
import html
import io
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from babel.core import Locale, get_global
from docutils import nodes
from sphinx.locale import get_translation

from ..figures.editions import configured_editions

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.config import Config

_ = get_translation("macrohard_docs")

LIMIT = 160  # characters: what result pages show before they cut
# White space that may be collapsed: not U+00A0 / U+202F, which bind "Étalon\u00a0:".
ORDINARY_SPACE = re.compile(r"[ \t\n\r\f\v]+")
NO_BREAK_REFERENCES = {0xA0: "&#160;", 0x202F: "&#8239;"}
ICON_SVG = ("<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'>"
            "<rect width='32' height='32' rx='6' fill='#1f2937'/>"
            "<text x='16' y='23' font-family='sans-serif' font-size='20' font-weight='700' "
            "text-anchor='middle' fill='#f9fafb'>M</text></svg>")
ICON = f'<link rel="icon" type="image/svg+xml" href="data:image/svg+xml,{quote(ICON_SVG, safe="")}" />\n'
# The link preview's picture (1200 x 630, the size previews show, drawn after the
# e-book's cover), copied to each edition's _static/ only where og:image names it.
PREVIEW = Path(__file__).with_name("preview.png")


def describe_page(doctree: nodes.document) -> str | None:
    for para in doctree.findall(nodes.paragraph):
        text = ORDINARY_SPACE.sub(" ", para.astext()).strip()
        if len(text) >= 40:
            return text if len(text) <= LIMIT else text[: LIMIT - 1].rsplit(" ", 1)[0] + "…"
    return None


def protect_titles(context: dict[str, Any]) -> None:
    """The page's, its neighbours' and its parents' titles, as the templates get them."""
    def keep(value: Any) -> Any:
        if isinstance(value, dict) and "title" in value:
            return {**value, "title": keep(value["title"])}
        return value.translate(NO_BREAK_REFERENCES) if isinstance(value, str) else value

    for key in ("title", "docstitle", "next", "prev"):
        if key in context:
            context[key] = keep(context[key])
    context["parents"] = [keep(parent) for parent in context.get("parents") or []]
    context["rellinks"] = [(name, keep(title), *rest) for name, title, *rest in context.get("rellinks") or []]


def open_graph_locale(language: str) -> str:
    """og:locale for a language code: its likeliest territory, as CLDR says ("fr" -> "fr_FR")."""
    locale = Locale.parse(get_global("likely_subtags").get(language, language))
    return f"{locale.language}_{locale.territory}" if locale.territory else locale.language


def configure_open_graph(config: Config) -> None:
    """sphinxext-opengraph's settings for this edition: its title, language and address."""
    config.ogp_site_url = config.html_baseurl
    config.ogp_site_name = config.html_title  # the edition's title, in its language
    config.ogp_image = f"_static/{PREVIEW.name}" if config.html_baseurl else None
    config.ogp_social_cards = {"enable": False}  # a picture drawn by matplotlib per page: ours is one file
    config.ogp_enable_meta_description = False  # ours, see the module docstring
    language = config.language or "en"
    others = [e.language for e in configured_editions(config) if e.language != language]
    config.ogp_custom_meta_tags = [
        f'<meta property="og:locale" content="{html.escape(open_graph_locale(language))}" />',
        *(f'<meta property="og:locale:alternate" content="{html.escape(open_graph_locale(other))}" />'
          for other in others)]
    if config.ogp_image:
        # html_static_path takes files too: the picture goes where og:image says, nowhere else.
        config.html_static_path = [*config.html_static_path, str(PREVIEW)]


def add_description(builder: Builder, pagename: str, context: dict[str, Any],
                    doctree: nodes.document | None, open_graph: bool = False) -> None:
    """The page's icon and description; its Open Graph fields where *open_graph* (the
    multi-page site) and the site's address is known. Before sphinxext-opengraph's handler."""
    protect_titles(context)
    context["metatags"] = context.get("metatags", "") + ICON
    # Sphinx's own pages have no source, so no first paragraph to quote.
    text = describe_page(doctree) if doctree is not None else {
        "search": str(_("Search the dossier on Macrohard and Colossus: its article, its glossary "
                        "and every figure in it, typed as you would write them.")),
        "genindex": str(_("The index of the dossier on Macrohard and Colossus: every name, term "
                          "and figure, with the pages that mention it.")),
    }.get(pagename)
    if text:
        context["metatags"] += f'<meta name="description" content="{html.escape(text)}" />\n'
    # sphinxext-opengraph reads a page's own fields ("og:description", "ogp_disable")
    # from context["meta"]: a new dict, as the original is the environment's.
    fields = dict(context.get("meta") or {})
    if not open_graph or not builder.config.html_baseurl:
        fields["ogp_disable"] = True
    elif text:
        fields["og:description"] = html.escape(text)  # the library writes it as given
    context["meta"] = fields


def setup_metadata(app: Sphinx) -> None:
    # The library prints a note on import when matplotlib (for its social cards,
    # switched off here) is missing: a line in every build's output that says nothing.
    with contextlib.redirect_stdout(io.StringIO()):
        app.setup_extension("sphinxext.opengraph")
