"""The pages' Content-Security-Policy: scripts run only if the site ships them.

* :class:`PolicyPages`, the HTML builders' mixin: every page carries a
  Content-Security-Policy meta tag that allows only the site's own files.
  Inline ``<style>`` elements and ``style`` attributes are allowed by their
  SHA-256 hash, taken from the page as it is rendered (by the builder's
  template bridge, :class:`PolicyTemplates`), so the policy never goes stale
  when a template changes. The e-book, whose reading systems run no site
  script, has none.
* :func:`known_scripts`: the inline scripts the site ships, known before any
  page is written: those registered with ``app.add_js_file(None, body=...)``
  (ours and other extensions') and those written literally in the templates
  (Sphinx's and furo's). The policy hashes these and nothing else, so an
  inline script that arrived any other way does not run.
* Sphinx's ``translations.js``, copied by the builder, is written as code the
  policy lets run (:func:`csp_safe_translations`).
* :class:`RefuseActiveContent`: a page or a translation that carries a raw
  ``<script>``, an inline event handler (``onclick=...``) or a
  ``javascript:`` URL stops the build, naming the page (or the ``.po``
  file) and the line: the policy would block it, but the author should hear
  of it before a reader does. So does raw HTML off the allow-list, a
  ``<meta>`` that does more than describe the page, and a file named by a
  page (include, literal include, image, download, raw file) outside the
  project's docs/ folder (macrohard_docs.site.allowlist says what passes).
"""

from __future__ import annotations

import base64
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
from sphinx.util.i18n import docname_to_domain

from ..figures.reporting import BadInput
from .allowlist import FIX_PATH, SCHEME, outside, refused_html, refused_meta
from .freshness import FreshFolder
from .pages import SitePages, WebSitePages
from .template_cache import CompiledTemplates

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

logger = logging.getLogger(__name__)

# --- The policy -----------------------------------------------------------------------

# Everything else is refused: no network, no plugins, no eval, no <base>.
CSP_BASE = {
    "default-src": ["'none'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    # data: only for the SVG icons that furo's own stylesheet embeds.
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    # The edition's own service worker and web app manifest (publish/webapp.py), nothing else.
    "worker-src": ["'self'"],
    "manifest-src": ["'self'"],
    "form-action": ["'self'"],
    "base-uri": ["'none'"],
    "object-src": ["'none'"],
}
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>(.*?)</script>", re.DOTALL | re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.DOTALL | re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"""\sstyle=(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)


def sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def content_security_policy(page: str, known_scripts: frozenset[str] | None = None) -> str:
    """The policy for *page*: own files, the hash of each inline style, and of
    each inline script in *known_scripts* (every inline script if None)."""
    policy = {name: list(sources) for name, sources in CSP_BASE.items()}
    scripts = sorted({sha256(m) for m in INLINE_SCRIPT.findall(page)
                      if m.strip() and (known_scripts is None or m in known_scripts)})
    styles = sorted({sha256(m) for m in INLINE_STYLE.findall(page) if m.strip()})
    attributes = sorted({sha256(html.unescape(a or b)) for a, b in STYLE_ATTRIBUTE.findall(page)})
    policy["script-src"] += scripts
    if attributes:
        # 'unsafe-hashes' lets exactly these style="..." values through, nothing else.
        policy["style-src"].append("'unsafe-hashes'")
    policy["style-src"] += styles + attributes
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in policy.items())


_template_scripts: dict[tuple[str, ...], frozenset[str]] = {}


def template_scripts(folders: list[str]) -> frozenset[str]:
    """Inline scripts written literally (no Jinja inside) in the templates below *folders*."""
    key = tuple(folders)
    if key not in _template_scripts:
        found = set()
        for folder in folders:
            for template in sorted(Path(folder).rglob("*.html")):
                text = template.read_text(encoding="utf-8", errors="replace")
                found.update(body for body in INLINE_SCRIPT.findall(text)
                             if body.strip() and "{{" not in body and "{%" not in body)
        _template_scripts[key] = frozenset(found)
    return _template_scripts[key]


def known_scripts(folders: list[str], context: dict[str, Any]) -> frozenset[str]:
    """Every inline script this page may run: the registered ones and those of the templates in *folders*."""
    registered = {getattr(js, "attributes", {}).get("body", "") for js in context.get("script_files", [])
                  if not getattr(js, "filename", "x")}
    return template_scripts(folders) | {b for b in registered if b}


# Where the policy goes: first in <head> after the charset, so it covers every
# inline block below it. The slot is filled once the page is rendered.
CSP_SLOT = "<!-- content-security-policy -->"


class PolicyTemplates(CompiledTemplates):
    """The template bridge of a page with a policy: hash the inline blocks of
    the page as rendered, then write its policy into the slot.

    The policy must name the hash of every inline block of the finished page,
    which only the rendered page shows; filling a slot in it costs one render,
    where rendering the page once more to learn its blocks cost a third of a
    second per build. The slot is outside every block, so filling it changes no hash.
    """

    def render(self, template: str, context: dict[str, Any]) -> str:
        page = super().render(template, context)
        if CSP_SLOT not in page:
            return page
        known = known_scripts([str(folder) for folder in self.pathchain], context)
        for script in INLINE_SCRIPT.findall(page):
            if script.strip() and script not in known:
                logger.warning("%s: an inline script the site does not ship (%r): the page's CSP "
                               "blocks it. Fix: add it with app.add_js_file(None, body=...).",
                               context.get("pagename"), script.strip()[:60],
                               type="macrohard", subtype="csp")
        meta = f'<meta http-equiv="Content-Security-Policy" content="{content_security_policy(page, known)}">'
        return page.replace(CSP_SLOT, meta, 1)


TRANSLATIONS_CALL = "Documentation.addTranslations("
PLURAL_RULE = re.compile(r"^[n0-9\s()=!<>%&|?:+\-]*$")  # C-like plural rules, nothing else


def csp_safe_translations(path: Path) -> None:
    """Turn Sphinx's translations.js at *path* into code that runs under the policy.

    For any language but English, Sphinx ships _static/translations.js, whose
    plural rule doctools.js compiles with ``new Function`` (an eval, refused
    without 'unsafe-eval'). We write the same catalog with the rule as code.
    """
    if not path.is_file():
        return
    text = path.read_text(encoding="utf-8").strip()
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


class PolicyPages:
    """HTML builder mixin: every page carries its Content-Security-Policy
    (unless ``offline_csp`` is off), and Sphinx's translations run under it."""

    config: Config
    outdir: Path
    templates: PolicyTemplates

    def create_template_bridge(self) -> None:
        self.templates = PolicyTemplates()

    def update_page_context(self, pagename: str, templatename: str, ctx: dict[str, Any],
                            event_arg: Any) -> None:
        """Reserve the policy's place in the page, which `PolicyTemplates` fills."""
        super().update_page_context(pagename, templatename, ctx, event_arg)  # type: ignore[misc]
        if self.config.offline_csp:
            ctx["metatags"] = CSP_SLOT + "\n" + ctx.get("metatags", "")

    def copy_translation_js(self) -> None:
        """Sphinx's copy of its catalog, with its plural rule as code instead of a string to eval."""
        super().copy_translation_js()  # type: ignore[misc]
        csp_safe_translations(Path(self.outdir, "_static", "translations.js"))


class PolicyHTMLBuilder(WebSitePages, FreshFolder, PolicyPages, StandaloneHTMLBuilder):
    """Sphinx's HTML builder, each page with its policy and the site's parts (macrohard_docs.site.pages)."""


class PolicyDirectoryHTMLBuilder(SitePages, FreshFolder, PolicyPages, DirectoryHTMLBuilder):
    """Sphinx's dirhtml builder (a page per folder), each page with its policy and the site's parts."""


# --- Content that would run code ----------------------------------------------------

SCRIPT_TAG = re.compile(r"<\s*script\b", re.IGNORECASE)
TAG = re.compile(r"<[a-zA-Z][^>]*>", re.DOTALL)
HANDLER = re.compile(r"[\s\"'/](on[a-z]+)\s*=", re.IGNORECASE)
# Browsers ignore tabs, newlines and controls inside a URL's scheme, and read entities first.
INVISIBLE = re.compile(r"[\x00-\x20]+")
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
        page, docs = Path(self.env.doc2path(self.env.docname)), self.docs_folder()
        for node in self.document.findall(nodes.Element):
            found = None
            if isinstance(node, nodes.raw) and "html" in node.get("format", "").split():
                # `generated`: markup the extension writes (a chart's SVG), which no page can mark so.
                found = active_html(node.astext()) or (None if node.get("generated") else refused_html(node.astext()))
            elif isinstance(node, nodes.meta):
                found = refused_meta({k: v for k, v in node.attributes.items() if k not in BASIC_ATTRIBUTES})
            else:
                for attribute in URL_ATTRIBUTES:
                    value = node.get(attribute)
                    if isinstance(value, str) and active_url(value):
                        found = ("a javascript: URL", "javascript:", FIX_URL)
                        break
            found = found or self.file_outside(node, page, docs)
            if found:
                what, token, fix = found
                raise ActiveContentError(f"{self.where(node, token)}: {what} in the page. Fix: {fix}.")
        for dependency in sorted(self.document.settings.record_dependencies.list):
            if outside(dependency, docs):  # include, raw :file:, csv-table :file:
                raise ActiveContentError(f"{self.where(self.document, Path(dependency).name)}: a file outside "
                                         f"the project ({dependency}) in the page. Fix: {FIX_PATH}.")

    def docs_folder(self) -> Path:
        """The project's docs/ folder: conf.py's (the sources' parent in this project's layout)."""
        srcdir = Path(self.env.srcdir)
        return srcdir if (srcdir / "conf.py").is_file() else srcdir.parent

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
        for ancestor in [node, *self.ancestors(node)]:
            if isinstance(ancestor, nodes.Element) and ancestor.get("translated"):
                located = self.catalog_line(token)
                if located:
                    return located
                break
        page = Path(self.env.doc2path(self.env.docname)).resolve()
        included = bool(node.source) and Path(node.source).resolve() != page  # text an include brought in
        for ancestor in [] if included else [node, *self.ancestors(node)]:
            line = getattr(ancestor, "line", None)
            source = getattr(ancestor, "source", None)
            if line and (not source or Path(source).resolve() == page):
                return f"{page}:{line}"
        # No line on the node (front matter's <meta>, an included file's text): the page's
        # first line holding the token.
        for number, text in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
            if token.lower() in text.lower():
                return f"{page}:{number}"
        return str(page)

    @staticmethod
    def ancestors(node: nodes.Node) -> list[nodes.Node]:
        found = []
        while node.parent is not None:
            node = node.parent
            found.append(node)
        return found

    def catalog_line(self, token: str) -> str | None:
        """The first msgstr line of this page's catalog that holds *token*."""
        domain = docname_to_domain(self.env.docname, self.config.gettext_compact)
        needle = token.lower()
        for directory in self.config.locale_dirs:
            path = Path(self.env.srcdir, directory, self.config.language, "LC_MESSAGES", f"{domain}.po")
            if not path.is_file():
                continue
            in_msgstr = False
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                stripped = line.strip()
                if stripped.startswith("msgstr"):
                    in_msgstr = True
                elif stripped.startswith(("msgid", "msgctxt", "#")):
                    in_msgstr = False
                if in_msgstr and needle in INVISIBLE.sub("", html.unescape(line)).lower():
                    return f"{path.resolve()}:{number}"
        return None


def setup_csp(app: Sphinx) -> None:
    app.add_config_value("offline_csp", True, "html", types=frozenset({bool}))
    app.add_builder(PolicyHTMLBuilder, override=True)
    app.add_builder(PolicyDirectoryHTMLBuilder, override=True)
    app.add_transform(RefuseActiveContent)
    # Sphinx's "Hide Search Matches" link (on a page opened from a search result)
    # is a javascript: URL, which the policy refuses: a click would do nothing
    # but log the refusal. This script does what the link says, and nothing is refused.
    app.add_js_file("hide-search-matches.js", defer="defer")
