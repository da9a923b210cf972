"""Side-by-side editions: every HTML page links to the same page in the other
languages and declares its language and its alternates.

``site_editions`` in conf.py lists the editions (one record each, read by
macrohard_docs.figures.editions); ``path`` is where an
edition's HTML sits below the root edition's (``""`` for the root, ``"fr"``
for ``html/fr/``). Links are relative, so they work from ``file://`` as well
as from any web server, whatever folder the site is copied to.

``site_base_url`` (empty by default; ``python -m macrohard_docs.publish
--base-url``) is where the site will be served. When it is set, each page
names its canonical address (Sphinx's own ``html_baseurl``, set here to the
edition's address: the site's for the root edition, ``…/fr/`` for French),
and the ``<link rel="alternate" hreflang>`` tags in the page head, which only
search engines read, give full addresses, as they require. Sphinx writes no
``hreflang``, so those tags are ours. When it is not set (a plain local build), no page has any
``hreflang``: a relative alternate is invalid (search engines ignore it and
Lighthouse's SEO audit fails it), and readers use the visible switcher,
which stays relative either way.

The single page (``singlehtml``, published in each edition's ``single/``
folder) gets the same switcher and alternates, to the other languages' single pages.

The switcher is a labelled ``<nav>`` at the top of every page, on every
screen size: templates/base.html adds it to the body block that furo's
page.html, search.html and genindex.html all extend.
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

from ..figures.editions import Edition, EditionsError, build_edition, configured_editions, edition_in

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

_ = get_translation("macrohard_docs")
TEMPLATES = Path(__file__).parents[1] / "templates"


def apply_edition(app: Sphinx, config: Config) -> None:
    """Add our templates; check the editions list; give this build its edition's title,
    copyright line, e-book settings and search language (figures/editions.py reads the record)."""
    # Our templates after the project's own templates_path, so a project override
    # still wins. A new list: the default one is shared by every Sphinx run in the process.
    config.templates_path = [*config.templates_path, str(TEMPLATES)]
    try:
        current = edition_in(configured_editions(config, app.confdir / "conf.py"), config.language)
    except EditionsError as exc:
        raise ConfigError(str(exc)) from None
    if current is not None:
        # The edition's own words for what the theme prints on every page:
        # the site's name (furo's brand on the single page is `project`)
        # and the footer's copyright line.
        if current.title:
            config.html_title = config.project = current.title
        if current.copyright:
            config.copyright = current.copyright
        # Each edition's e-book carries its own title, description and identifier,
        # and names its authors as the edition does.
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
        # Sphinx's canonical link: html_baseurl joined with the page's file name.
        config.html_baseurl = base + (current.path + "/" if current and current.path else "")


# Pages with nothing of their own for a search engine to index.
NOT_IN_SITEMAP = {"search"}


def write_sitemap(builder: Builder) -> None:
    """sitemap.xml of the edition's pages at html_baseurl, once the site's address is known.

    Our own writer, not sphinx-sitemap (tried, and measured): that library
    starts a multiprocessing Manager process at every builder's start, which
    outlives an in-process build and held a test worker's pipes open until the
    suite hung; it lists only the pages written in the run (8 of 30 after a
    rebuild with nothing new), in the order parallel writers finish them, so
    every build had to rewrite every page. This lists every page the edition
    has, from the environment, in order. The multi-page builder writes it as it
    finishes (macrohard_docs.site.pages); macrohard_docs.publish.build gathers
    the editions' sitemaps into the site's one.
    """
    config = builder.config
    if not config.site_base_url:
        return
    pages = set(builder.env.found_docs) | ({"genindex"} if config.html_use_index else set())
    addresses = sorted(config.html_baseurl + builder.get_target_uri(page)
                       for page in pages - NOT_IN_SITEMAP)
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
             *(f"<url><loc>{escape(address)}</loc></url>" for address in addresses),
             "</urlset>", ""]
    (Path(builder.outdir) / "sitemap.xml").write_text("\n".join(lines), encoding="utf-8")


def edition_path(edition: Edition, pagename: str, suffix: str) -> str:
    """The page's file, relative to the root edition's output folder."""
    return posixpath.join(edition.path, pagename + suffix) if edition.path else pagename + suffix


# Where macrohard_docs.publish.build publishes each edition's single page (singlehtml).
SINGLE_PAGE = "single/index"


def alternates(builder: Builder, name: str) -> list[tuple[Edition, str]]:
    """(edition, relative href) for every edition, the current one included, of
    the page *name* (its name below its edition's folder)."""
    editions = configured_editions(builder.config)
    current = edition_in(editions, builder.config.language)
    if current is None:
        return []
    suffix = builder.out_suffix  # type: ignore[attr-defined]
    here = posixpath.dirname(edition_path(current, name, suffix)) or "."
    return [(edition, posixpath.relpath(edition_path(edition, name, suffix), here))
            for edition in editions]


def edition_root(config: Config, name: str) -> str:
    """The edition's folder relative to the page *name* ("./", "../"), where its web app lives
    (macrohard_docs.publish.webapp); "" when the page is in no declared edition."""
    current = build_edition(config)
    if current is None:
        return ""
    here = posixpath.dirname(edition_path(current, name, ".html"))
    return posixpath.relpath(current.path or ".", here or ".") + "/"


def switcher_html(config: Config, links: list[tuple[Edition, str]]) -> str:
    # hreflang only where the head names full addresses too (see the module docstring).
    known = bool(config.site_base_url)
    items = "".join(
        f'<li><a href="{escape(href)}"'
        + (f' hreflang="{escape(e.language)}" rel="alternate"' if known else "")
        + f' lang="{escape(e.language)}">{escape(e.switch)}</a></li>'
        for e, href in links if e.language != config.language
    )
    label = _("Language")
    return f'<nav class="edition-switcher" aria-label="{escape(label)}"><ul>{items}</ul></nav>'


def add_alternates(builder: Builder, pagename: str, context: dict[str, Any], *,
                   single_page: bool = False) -> None:
    """The switcher, the alternates and the reading position of a page of the
    multi-page site, or (*single_page*) of the single page. The builders of
    those two call it (macrohard_docs.site.pages); EPUB and the like are one
    book per language."""
    config = builder.config
    name = SINGLE_PAGE if single_page else pagename
    context["edition_root"] = edition_root(config, name)
    links = alternates(builder, name)
    if len(links) < 2:
        return
    base = config.site_base_url
    if base:
        suffix = builder.out_suffix  # type: ignore[attr-defined]
        heads = [(e, base + edition_path(e, name, suffix)) for e, _href in links]
        tags = "".join(f'\n<link rel="alternate" hreflang="{escape(e.language)}" href="{escape(href)}">'
                       for e, href in heads)
        context["metatags"] = context.get("metatags", "") + tags
        if single_page:
            # Sphinx names the single page after its first anchor (…/#document-index).
            context["pageurl"] = next(href for e, href in heads if e.language == config.language)
    context["edition_switcher"] = switcher_html(config, links)
    context["site_editions_links"] = links
    # The single page is the whole edition: no part of it, no reading time.
    context["reading_position"] = "" if single_page else reading_position(
        builder.env, pagename, context.get("body", ""))
    if pagename == config.root_doc:  # its first screen's cards; other pages spare the bytes
        builder.add_css_file("landing.css")  # type: ignore[attr-defined]


# Words a minute: a common figure for reading on a screen, in either language.
READING_SPEED = 220


def reading_position(env: BuildEnvironment, pagename: str, body: str) -> str:
    """"Part 2 of 7 · 3 min read" for a page of the article, "" for any other.

    The part is the page's place in the article index's toctree; the time
    counts the words of the page as rendered (figures included)."""
    parts = env.toctree_includes.get(f"{env.config.figures_article_prefix}index", [])
    if pagename not in parts:
        return ""
    words = len(re.sub(r"<[^>]*>", " ", body).split())
    minutes = max(1, math.ceil(words / READING_SPEED))
    return (_("Part {number} of {total}").format(number=parts.index(pagename) + 1, total=len(parts))
            + " · " + _("{minutes}\u00a0min read").format(minutes=minutes))


def setup_editions(app: Sphinx) -> None:
    # Links and page heads only: a change rewrites the HTML, not the doctrees.
    app.add_config_value("site_base_url", "", "html", types=frozenset({str}))
    # Keeps the query and fragment when switching, and shows where a link lands.
    app.add_js_file("place.js", defer="defer")
    app.connect("config-inited", apply_edition)
