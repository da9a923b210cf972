"""Side-by-side editions (``site_editions`` in conf.py, macrohard_docs.figures.editions):
every HTML page links to the same page in the other languages, relatively, so the
links work from ``file://`` and from any folder of any server.

``site_base_url`` (``publish --base-url``) is where the site will be served. When set,
each page names its canonical address and its ``hreflang`` alternates with full
addresses, as search engines require; when not, no page has ``hreflang``: a relative
alternate is invalid (Lighthouse's SEO audit fails it).
"""

from __future__ import annotations

import math
import posixpath
import re
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from sphinx.errors import ConfigError
from sphinx.locale import get_translation

from ..figures.editions import EditionsError, configured_editions, edition_in
from .metadata import configure_open_graph

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

_ = get_translation("macrohard_docs")
TEMPLATES = Path(__file__).parents[1] / "templates"


def apply_edition(app: Sphinx, config: Config) -> None:
    """Add our templates; give this build its edition's title, copyright line, e-book
    settings, search language and address, and the link previews' settings."""
    # After the project's own templates, so a project override still wins. A new list:
    # the default one is shared by every Sphinx run in the process.
    config.templates_path = [*config.templates_path, str(TEMPLATES)]
    try:
        current = edition_in(configured_editions(config, app.confdir / "conf.py"), config.language)
    except EditionsError as exc:
        raise ConfigError(str(exc)) from None
    if current is not None:
        # The theme's site name on every page (furo's brand on the single page is `project`).
        if current.title:
            config.html_title = config.project = current.title
        if current.copyright:
            config.copyright = current.copyright
        if current.author != config.author:
            for name in ("epub_author", "epub_publisher", "epub_contributor"):
                config[name] = current.author
        for name, value in current.epub.items():
            config[name] = value
        if current.search_language != current.language:
            config.html_search_language = current.search_language
    base = config.site_base_url
    if base:
        parts = urlsplit(base)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
            raise ConfigError(
                f"site_base_url is {base!r}. Fix: give the full address the site is served "
                "from, such as https://example.org/dossier/ (or leave it empty).")
        if not base.endswith("/"):
            config.site_base_url = base = base + "/"
        config.html_baseurl = base + (current.path + "/" if current and current.path else "")
    configure_open_graph(config)


def write_sitemap(builder: Builder) -> None:
    """sitemap.xml of the edition's pages at html_baseurl, once the site's address is known.

    Our own writer, not sphinx-sitemap (tried, and measured): that library starts
    a multiprocessing Manager process at every builder's start, which outlived an
    in-process build and hung the test suite; and it lists only the pages written
    in the run, in the order parallel writers finish them. This lists every page
    of the edition, in order; macrohard_docs.publish.build gathers the editions'.
    """
    config = builder.config
    if not config.site_base_url:
        return
    pages = set(builder.env.found_docs) | ({"genindex"} if config.html_use_index else set())
    addresses = sorted(config.html_baseurl + builder.get_target_uri(page)
                       for page in pages - {"search"})  # the search page has nothing to index
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
             *(f"<url><loc>{escape(address)}</loc></url>" for address in addresses),
             "</urlset>", ""]
    (Path(builder.outdir) / "sitemap.xml").write_text("\n".join(lines), encoding="utf-8")


def add_alternates(builder: Builder, pagename: str, context: dict[str, Any], *,
                   single_page: bool = False) -> None:
    """The switcher, the alternates and the reading position of a page of the multi-page
    site, or (*single_page*) of the single page."""
    config = builder.config
    # Where macrohard_docs.publish.build publishes each edition's single page.
    name = "single/index" if single_page else pagename
    editions = configured_editions(config)
    current = edition_in(editions, config.language)
    if current is None:
        context["edition_root"] = ""
        return
    here = posixpath.dirname(posixpath.join(current.path, name)) or "."  # the page's folder
    # The edition's folder, where its web app lives (macrohard_docs.publish.webapp), relative to the page.
    context["edition_root"] = posixpath.relpath(current.path or ".", here) + "/"
    if len(editions) < 2:
        return
    suffix = builder.out_suffix  # type: ignore[attr-defined]
    targets = [(e, posixpath.join(e.path, name + suffix)) for e in editions]
    links = [(e, posixpath.relpath(target, here)) for e, target in targets]
    base = config.site_base_url
    if base:
        heads = [(e, base + target) for e, target in targets]
        context["metatags"] = context.get("metatags", "") + "".join(
            f'\n<link rel="alternate" hreflang="{escape(e.language)}" href="{escape(href)}">' for e, href in heads)
        if single_page:
            # Sphinx names the single page after its first anchor (…/#document-index).
            context["pageurl"] = next(href for e, href in heads if e.language == config.language)
    # hreflang only where the head names full addresses too.
    items = "".join(f'<li><a href="{escape(href)}"'
                    + (f' hreflang="{escape(e.language)}" rel="alternate"' if base else "")
                    + f' lang="{escape(e.language)}">{escape(e.switch)}</a></li>'
                    for e, href in links if e.language != config.language)
    context["edition_switcher"] = (f'<nav class="edition-switcher" aria-label="{escape(_("Language"))}">'
                                   f"<ul>{items}</ul></nav>")
    context["site_editions_links"] = links
    # The single page is the whole edition: no part of it, no reading time.
    context["reading_position"] = "" if single_page else reading_position(
        builder.env, pagename, context.get("body", ""))
    if pagename == config.root_doc:  # its first screen's cards; other pages spare the bytes
        builder.add_css_file("landing.css")  # type: ignore[attr-defined]


def reading_position(env: BuildEnvironment, pagename: str, body: str) -> str:
    """"Part 2 of 7 · 3 min read" for a page of the article, "" for any other: at 220 words
    a minute, a common figure for reading on a screen."""
    parts = env.toctree_includes.get(f"{env.config.figures_article_prefix}index", [])
    if pagename not in parts:
        return ""
    minutes = max(1, math.ceil(len(re.sub(r"<[^>]*>", " ", body).split()) / 220))
    return (_("Part {number} of {total}").format(number=parts.index(pagename) + 1, total=len(parts))
            + " · " + _("{minutes}\u00a0min read").format(minutes=minutes))


def setup_editions(app: Sphinx) -> None:
    # Links and page heads only: a change rewrites the HTML, not the doctrees.
    app.add_config_value("site_base_url", "", "html", types=frozenset({str}))
    # Keeps the query and fragment when switching, and shows where a link lands.
    app.add_js_file("place.js", defer="defer")
    app.connect("config-inited", apply_edition)
