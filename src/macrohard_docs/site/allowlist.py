"""What a page (or its translation) may hold beyond Markdown: the one allow-list.

Raw HTML reaches every reader as it is, and some acts before any policy can: ``<meta
http-equiv="refresh">`` sends the reader to another site, and a frame, a form or an
external image makes the browser look the host up even when the Content-Security-Policy
then blocks the request. So raw HTML may use only the elements and attributes below
with links inside the site, ``<meta>`` only describes the page, and every file a page
names must lie inside ``docs/`` (macrohard_docs.site.csp walks the pages and reports).
Python's own HTML tokenizer names what it meets, which an error message needs: a
sanitiser (nh3, bleach) cleans silently and cannot say what it dropped.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

# Elements raw HTML may use, each with the attributes it may carry beyond GLOBAL.
ELEMENTS: dict[str, frozenset[str]] = {
    **{name: frozenset() for name in (
        "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "dfn",
        "div", "dl", "dt", "em", "figcaption", "hr", "i", "ins", "kbd", "li", "mark", "p", "pre",
        "s", "samp", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "tfoot",
        "thead", "tr", "u", "ul", "var", "wbr", "details")},
    "a": frozenset({"href"}),
    "ol": frozenset({"start", "reversed"}),
    "q": frozenset({"cite"}),
    "td": frozenset({"colspan", "rowspan"}),
    "th": frozenset({"colspan", "rowspan", "scope"}),
    "time": frozenset({"datetime"}),
    "data": frozenset({"value"}),
}
GLOBAL = frozenset({"class", "id", "title", "lang", "aria-label", "aria-hidden"})
URL_ATTRIBUTES = frozenset({"href", "cite"})
# <meta> may describe the page; http-equiv (refresh, cookies, policies), charset and others may not.
META_NAMES = frozenset({"description", "keywords", "author"})
META_ATTRIBUTES = frozenset({"name", "content", "lang"})
# Browsers ignore tabs, newlines and controls inside a URL's scheme, and read entities first.
INVISIBLE = re.compile(r"[\x00-\x20]+")
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")

FIX_ELEMENT = ("remove it: raw HTML in a page may use only text, list and table elements (the list: "
               "ELEMENTS in src/macrohard_docs/site/allowlist.py); write images and links in Markdown")
FIX_URL = ("link inside the site with a relative address, or write the link in Markdown "
           "([text](https://...)), which the site marks as leaving it")
FIX_PATH = "keep the file inside the docs/ folder and name it by a path relative to the page"


def leaves_the_site(url: str) -> bool:
    """True for a URL with a scheme, to another host (//, \\) or from the disk's root (/)."""
    cleaned = INVISIBLE.sub("", html.unescape(url))
    return bool(SCHEME.match(cleaned)) or cleaned.startswith(("/", "\\")) or "\\" in cleaned


class _FirstRefusal(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: tuple[str, str, str] | None = None

    def refuse(self, what: str, token: str, fix: str) -> None:
        if self.found is None:
            self.found = (what, token, fix)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ELEMENTS:
            self.refuse(f"the element <{tag}>", f"<{tag}", FIX_ELEMENT)
            return
        allowed = ELEMENTS[tag] | GLOBAL
        for name, value in attrs:
            if name not in allowed:
                self.refuse(f"a {name}= attribute on <{tag}>", name,
                            f"remove the attribute: raw HTML may use {', '.join(sorted(allowed))} on <{tag}>")
            elif name in URL_ATTRIBUTES and value and leaves_the_site(value):
                self.refuse(f"a raw link out of the site ({value})", value, FIX_URL)

    handle_startendtag = handle_starttag

    def handle_decl(self, decl: str) -> None:
        self.refuse("an HTML declaration", "<!", "remove it: a page is a fragment of the site's template")

    unknown_decl = handle_decl  # <![CDATA[...]]> and the like

    def handle_pi(self, data: str) -> None:
        self.refuse("a processing instruction", "<?", "remove it")


def refused_html(text: str) -> tuple[str, str, str] | None:
    """(what, token to find in the source, fix) for the first element or attribute off the list."""
    parser = _FirstRefusal()
    parser.feed(text)
    parser.close()
    return parser.found


def refused_meta(attributes: dict[str, object]) -> tuple[str, str, str] | None:
    """The same for a <meta> a page asks for (MyST's html_meta, the meta directive)."""
    fix = (f"remove it: a page's <meta> may only describe it (name = {', '.join(sorted(META_NAMES))}); "
           "a refresh or redirect belongs in no page")
    for name in attributes:
        if name not in META_ATTRIBUTES:
            return f"a <meta {name}=...>", name, fix
    if attributes.get("name") not in META_NAMES:
        return f"a <meta name={attributes.get('name')!r}>", str(attributes.get("name")), fix
    return None


def outside(path: str | Path, folder: Path) -> bool:
    """True when *path* (resolved, links followed) is not inside *folder*, or is another site's URL."""
    if SCHEME.match(str(path)):
        return True
    return not Path(path).resolve().is_relative_to(folder.resolve())
