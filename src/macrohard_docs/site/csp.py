"""Scripts run only if the site ships them: content can never add one.

Two halves (the policy itself is written by macrohard_docs.site.offline):

* :func:`known_scripts`: the inline scripts the site ships, known before any
  page is written: those registered with ``app.add_js_file(None, body=...)``
  (ours and other extensions') and those written literally in the templates
  (Sphinx's and furo's). The policy hashes these and nothing else, so an
  inline script that arrived any other way does not run.
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

import html
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms import SphinxTransform
from sphinx.util.i18n import docname_to_domain

from ..figures.reporting import BadInput
from .allowlist import FIX_PATH, SCHEME, outside, refused_html, refused_meta

if TYPE_CHECKING:
    from sphinx.application import Sphinx

TEMPLATE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>(.*?)</script>", re.DOTALL | re.IGNORECASE)
_template_scripts: dict[tuple[str, ...], frozenset[str]] = {}


def template_scripts(folders: list[str]) -> frozenset[str]:
    """Inline scripts written literally (no Jinja inside) in the templates below *folders*."""
    key = tuple(folders)
    if key not in _template_scripts:
        found = set()
        for folder in folders:
            for template in sorted(Path(folder).rglob("*.html")):
                text = template.read_text(encoding="utf-8", errors="replace")
                found.update(body for body in TEMPLATE_SCRIPT.findall(text)
                             if body.strip() and "{{" not in body and "{%" not in body)
        _template_scripts[key] = frozenset(found)
    return _template_scripts[key]


def known_scripts(app: Sphinx, context: dict[str, Any]) -> frozenset[str]:
    """Every inline script this page may run: the registered ones and the templates' own."""
    registered = {getattr(js, "attributes", {}).get("body", "") for js in context.get("script_files", [])
                  if not getattr(js, "filename", "x")}
    folders = getattr(app.builder.templates, "pathchain", [])  # type: ignore[attr-defined]
    return template_scripts([str(folder) for folder in folders]) | {b for b in registered if b}


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
        if node.source and Path(node.source) != page and "<" not in node.source:
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
    app.add_transform(RefuseActiveContent)
