"""The pages' Content-Security-Policy: scripts run only if the site ships them.

* :class:`PolicyPages`, the HTML builders' mixin: each page allows only the site's own
  files, and its inline styles and shipped inline scripts by their SHA-256 hash, taken
  from the page as rendered (:class:`PolicyTemplates`, so the policy never goes stale).
* :class:`RefuseActiveContent`: a page or a translation with anything that would run code,
  or raw HTML off the allow-list (macrohard_docs.site.allowlist), stops the build, naming
  the page (or the ``.po`` file) and the line: the author should hear of it before a reader.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import json
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.builders.dirhtml import DirectoryHTMLBuilder
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

from ..figures.i18n import page_catalog
from ..figures.reporting import BadInput
from .allowlist import FIX_PATH, INVISIBLE, SCHEME, outside, refused_html, refused_meta
from .pages import CompiledTemplates, FreshFolder, SitePages, WebSitePages

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

logger = logging.getLogger(__name__)

# --- The policy -----------------------------------------------------------------------

# Everything else is refused: no network, no plugins, no eval, no <base>. data: only for
# the SVG icons furo's stylesheet embeds; workers and manifests: the edition's own web app.
CSP_BASE = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "font-src 'self'; connect-src 'self'; worker-src 'self'; manifest-src 'self'; "
            "form-action 'self'; base-uri 'none'; object-src 'none'")
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>(.*?)</script>", re.DOTALL | re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.DOTALL | re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"""\sstyle=(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)


def sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def content_security_policy(page: str, known_scripts: frozenset[str], scripts: list[str] | None = None) -> str:
    """The policy for *page*: own files, the hash of each inline style and of each inline
    script in *known_scripts*; *scripts*: the page's, when the caller has found them already."""
    found = INLINE_SCRIPT.findall(page) if scripts is None else scripts
    attributes = sorted({sha256(html.unescape(a or b)) for a, b in STYLE_ATTRIBUTE.findall(page)})
    added = {
        "script-src": sorted({sha256(m) for m in found if m.strip() and m in known_scripts}),
        # 'unsafe-hashes' lets exactly these style="..." values through, nothing else.
        "style-src": (["'unsafe-hashes'"] if attributes else [])
                     + sorted({sha256(m) for m in INLINE_STYLE.findall(page) if m.strip()}) + attributes,
    }
    directives = (d.split(" ", 1) for d in CSP_BASE.split("; "))
    return "; ".join(" ".join([name, sources, *added.get(name, [])]) for name, sources in directives)


@functools.cache
def template_scripts(folders: tuple[str, ...]) -> frozenset[str]:
    """Inline scripts written literally (no Jinja inside) in the templates below *folders*."""
    texts = (t.read_text(encoding="utf-8", errors="replace") for f in folders for t in Path(f).rglob("*.html"))
    return frozenset(body for text in texts for body in INLINE_SCRIPT.findall(text)
                     if body.strip() and "{{" not in body and "{%" not in body)


# Where the policy goes: first in <head> after the charset, so it covers every
# inline block below it. The slot is filled once the page is rendered.
CSP_SLOT = "<!-- content-security-policy -->"


class PolicyTemplates(CompiledTemplates):
    """Hash the inline blocks of the page as rendered, then write its policy into the slot
    (outside every block, so filling it changes no hash). Rendering the page twice, to
    learn its blocks first, cost a third of a second per build."""

    def render(self, template: str, context: dict[str, Any]) -> str:
        page = super().render(template, context)
        if CSP_SLOT not in page:
            return page
        # The page may run the scripts registered with add_js_file(None, body=...) and the templates'.
        known = template_scripts(tuple(map(str, self.pathchain))) | {
            js.attributes.get("body", "") for js in context.get("script_files", []) if not js.filename}
        scripts = INLINE_SCRIPT.findall(page)
        for script in scripts:
            if script.strip() and script not in known:
                logger.warning("%s: an inline script the site does not ship (%r): the page's CSP "
                               "blocks it. Fix: add it with app.add_js_file(None, body=...).",
                               context.get("pagename"), script.strip()[:60],
                               type="macrohard", subtype="csp")
        policy = content_security_policy(page, known, scripts)
        return page.replace(CSP_SLOT, f'<meta http-equiv="Content-Security-Policy" content="{policy}">', 1)


TRANSLATIONS_CALL = "Documentation.addTranslations("
PLURAL_RULE = re.compile(r"^[n0-9\s()=!<>%&|?:+\-]*$")  # C-like plural rules, nothing else


class PolicyPages:
    """HTML builder mixin: every page carries its policy (unless ``offline_csp`` is off),
    and Sphinx's translations run under it."""

    config: Config
    outdir: Path
    templates: PolicyTemplates

    def create_template_bridge(self) -> None:
        self.templates = PolicyTemplates()

    def update_page_context(self, pagename: str, templatename: str, ctx: dict[str, Any],
                            event_arg: Any) -> None:
        super().update_page_context(pagename, templatename, ctx, event_arg)  # type: ignore[misc]
        if self.config.offline_csp:
            ctx["metatags"] = CSP_SLOT + "\n" + ctx.get("metatags", "")

    def copy_translation_js(self) -> None:
        """Sphinx's translations.js (any language but English), whose plural rule doctools.js
        compiles with ``new Function`` (an eval, refused without 'unsafe-eval'): the same
        catalog, with the rule as code."""
        super().copy_translation_js()  # type: ignore[misc]
        path = Path(self.outdir, "_static", "translations.js")
        text = path.read_text(encoding="utf-8").strip() if path.is_file() else ""
        if not text.startswith(TRANSLATIONS_CALL):
            return
        catalog = json.loads(text[len(TRANSLATIONS_CALL):].rstrip(";").removesuffix(")"))
        rule = catalog.get("plural_expr") or "n != 1"
        if not PLURAL_RULE.match(rule):
            logger.warning("%s: plural rule %r is not a plain expression; the page needs 'unsafe-eval'",
                           path, rule, type="macrohard", subtype="csp")
            return
        path.write_text(
            "// Sphinx's catalog for this language, with its plural rule written as code\n"
            "// instead of a string for doctools.js to eval (the page's CSP forbids eval).\n"
            "Object.assign(Documentation.TRANSLATIONS, "
            + json.dumps(catalog.get("messages", {}), ensure_ascii=False, indent=1, sort_keys=True)
            + ");\n"
            f"Documentation.PLURAL_EXPR = (n) => ({rule});\n"
            f"Documentation.LOCALE = {json.dumps(catalog.get('locale'))};\n",
            encoding="utf-8",
        )


class PolicyHTMLBuilder(WebSitePages, FreshFolder, PolicyPages, StandaloneHTMLBuilder):
    """Sphinx's HTML builder, each page with its policy and the site's parts (macrohard_docs.site.pages)."""


class PolicyDirectoryHTMLBuilder(SitePages, FreshFolder, PolicyPages, DirectoryHTMLBuilder):
    """Sphinx's dirhtml builder (a page per folder), each page with its policy and the site's parts."""


# --- Content that would run code ----------------------------------------------------

SCRIPT_TAG = re.compile(r"<\s*script\b", re.IGNORECASE)
TAG = re.compile(r"<[a-zA-Z][^>]*>", re.DOTALL)
HANDLER = re.compile(r"[\s\"'/](on[a-z]+)\s*=", re.IGNORECASE)
JS_URL = re.compile(r"(?:java|vb)script:", re.IGNORECASE)
URL_ATTRIBUTES = ("refuri", "uri", "href", "src")

FIX_SCRIPT = ("remove it: pages run only the site's own scripts (behaviour belongs in "
              "src/macrohard_docs/static, added with app.add_js_file)")
FIX_HANDLER = "remove the attribute: pages run only the site's own scripts"
FIX_URL = "link to a page or a web address instead"


class ActiveContentError(BadInput):
    category = "Active content in a page"


def active_html(text: str) -> tuple[str, str, str] | None:
    """(what, token to find in the source, fix) for the first thing in raw HTML that would run code."""
    if match := SCRIPT_TAG.search(text):
        return "a <script> element", match.group(0), FIX_SCRIPT
    for tag in TAG.finditer(text):
        if handler := HANDLER.search(tag.group(0)):
            return f"an inline event handler ({handler.group(1)}=)", handler.group(1), FIX_HANDLER
    if JS_URL.search(INVISIBLE.sub("", html.unescape(text))):
        return "a javascript: URL", "javascript:", FIX_URL
    return None


def active_url(url: str) -> bool:
    if ":" not in url and "&" not in url:
        return False  # no scheme, not even one written as an entity: a relative link
    return bool(JS_URL.match(INVISIBLE.sub("", html.unescape(url))))


# Attributes every docutils element has: not the page's own.
BASIC_ATTRIBUTES = frozenset(nodes.Element.basic_attributes) | {"content", "translated"}


class RefuseActiveContent(SphinxTransform):
    """After translation (so msgstr are checked too), stop at the first raw script, handler,
    javascript: URL, raw HTML off the allow-list, acting <meta>, or file outside docs/."""

    default_priority = 880  # after Sphinx's Locale (20) and the i18n checks

    def apply(self, **kwargs: Any) -> None:
        # Once per page, not per element: every element is checked for a file it names.
        page, srcdir = Path(self.env.doc2path(self.env.docname)), Path(self.env.srcdir)
        # The project's docs/ folder: conf.py's (the sources' parent in this project's layout).
        docs = srcdir if (srcdir / "conf.py").is_file() else srcdir.parent
        for node in self.document.findall(nodes.Element):
            found = None
            if isinstance(node, nodes.raw) and "html" in node.get("format", "").split():
                # `generated`: markup the extension writes (a chart's SVG), which no page can mark so.
                found = active_html(node.astext()) or (None if node.get("generated") else refused_html(node.astext()))
            elif isinstance(node, nodes.meta):
                found = refused_meta({k: v for k, v in node.attributes.items() if k not in BASIC_ATTRIBUTES})
            elif any(isinstance(value := node.get(name), str) and active_url(value) for name in URL_ATTRIBUTES):
                found = ("a javascript: URL", "javascript:", FIX_URL)
            found = found or self.file_outside(node, page, docs)
            if found:
                what, token, fix = found
                raise ActiveContentError(f"{self.where(node, token)}: {what} in the page. Fix: {fix}.")
        for dependency in sorted(self.document.settings.record_dependencies.list):
            if outside(dependency, docs):  # include, raw :file:, csv-table :file:
                raise ActiveContentError(f"{self.where(self.document, Path(dependency).name)}: a file outside "
                                         f"the project ({dependency}) in the page. Fix: {FIX_PATH}.")

    def file_outside(self, node: nodes.Element, page: Path, docs: Path) -> tuple[str, str, str] | None:
        """A file the node was read from or links to, when it lies outside *docs* or on another site."""
        read: list[str] = []  # paths Sphinx or docutils resolved already
        written: list[str] = []  # paths as the page wrote them: "/" is the sources' root
        if isinstance(node, (nodes.literal_block, nodes.raw)) and node.get("source"):
            read.append(os.fspath(node["source"]))  # literalinclude, raw with :file: or :url:
        if node.source and node.source != str(page) and "<" not in node.source and Path(node.source) != page:
            read.append(node.source)  # text brought in by an include
        if isinstance(node, nodes.image):
            written.append(node.get("uri", ""))
        if type(node).__name__ == "download_reference":
            written.append(node.get("reftarget", ""))
        for name, path in [*((name, Path(name)) for name in read),
                           *((name, Path(self.env.srcdir, name.lstrip("/")) if name.startswith("/")
                              else page.parent / name) for name in written if name)]:
            if SCHEME.match(name):
                return f"a file from another site ({name})", name, FIX_PATH
            if outside(path, docs):
                return f"a file outside the project ({name})", Path(name).name or name, FIX_PATH
        return None

    def where(self, node: nodes.Element, token: str) -> str:
        """The .po file and line when the node came from a translation, else the page and line."""
        lineage: list[nodes.Node] = [node]
        while lineage[-1].parent is not None:
            lineage.append(lineage[-1].parent)
        if any(isinstance(n, nodes.Element) and n.get("translated") for n in lineage) and (
                located := self.catalog_line(token)):
            return located
        page = Path(self.env.doc2path(self.env.docname)).resolve()
        if not node.source or Path(node.source).resolve() == page:  # not text an include brought in
            lines = (n.line for n in lineage if n.line and (not n.source or Path(n.source).resolve() == page))
            if line := next(lines, None):
                return f"{page}:{line}"
        # No line on the node (front matter's <meta>, an included file's text): the page's
        # first line holding the token.
        for number, text in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
            if token.lower() in text.lower():
                return f"{page}:{number}"
        return str(page)

    def catalog_line(self, token: str) -> str | None:
        """The first msgstr line of this page's catalog that holds *token*."""
        if (path := page_catalog(self.env, self.env.docname)) is None:
            return None
        in_msgstr = False
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            stripped = line.strip()
            if stripped.startswith("msgstr"):
                in_msgstr = True
            elif stripped.startswith(("msgid", "msgctxt", "#")):
                in_msgstr = False
            if in_msgstr and token.lower() in INVISIBLE.sub("", html.unescape(line)).lower():
                return f"{path}:{number}"
        return None


def setup_csp(app: Sphinx) -> None:
    app.add_config_value("offline_csp", True, "html", types=frozenset({bool}))
    app.add_builder(PolicyHTMLBuilder, override=True)
    app.add_builder(PolicyDirectoryHTMLBuilder, override=True)
    app.add_transform(RefuseActiveContent)
    # Sphinx's "Hide Search Matches" link is a javascript: URL, which the policy refuses:
    # this script does what the link says, and nothing is refused.
    app.add_js_file("hide-search-matches.js", defer="defer")
