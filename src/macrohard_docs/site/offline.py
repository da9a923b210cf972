"""Reading offline: a locked-down page, the e-book's metadata, the downloads page.

* Every HTML page carries a Content-Security-Policy meta tag that allows only
  the site's own files. Inline ``<style>`` elements and ``style`` attributes
  are allowed by their SHA-256 hash, taken from the page as it is about to be
  written, so the policy never goes stale when a template changes. Inline
  ``<script>`` elements are hashed only if the site ships them (see
  macrohard_docs.site.csp): one that came from content does not run.
* The EPUB builder adds ``<dc:source>`` (``epub_source``) to content.opf.
* ``{offline-downloads}`` lists the offline editions with their sizes in
  human units (1.2 MB; « 1,2 Mo » in French). The zip's size is left blank
  (``ZIP_SIZE``) for macrohard_docs.publish to fill in once the zip is made,
  since the page is in the zip (see ``fill_zip_size``); and ``{offline-unpack}`` shows the
  commands that unpack the zip and open the site (the zip's name, the folder
  it unpacks to), both read from the manifest that
  ``macrohard_docs.publish.build`` writes before the HTML pass
  (``offline_manifest``); the page depends on that file, so an incremental
  build re-reads it when a size changes.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import posixpath
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from babel.units import format_unit
from docutils import nodes
from sphinx.builders.epub3 import Epub3Builder
from sphinx.locale import get_translation
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from .csp import known_scripts
from .book import book_levels

if TYPE_CHECKING:
    from sphinx.application import Sphinx

_ = get_translation("macrohard_docs")
logger = logging.getLogger(__name__)

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

FORMATS = ("epub", "single", "pdf", "zip")


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


# Where the policy goes: first in <head> after the charset, so it covers every
# inline block below it. The slot is filled once the page is rendered.
CSP_SLOT = "<!-- content-security-policy -->"


def add_csp(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
            doctree: nodes.document | None) -> None:
    """Reserve the policy's place in the page; `render_with_policy` fills it."""
    if app.builder.name == "epub" or not app.config.offline_csp:
        return
    context["metatags"] = CSP_SLOT + "\n" + context.get("metatags", "")


def render_with_policy(app: Sphinx) -> None:
    """Hash the inline blocks of each page as rendered, then write its policy in.

    The policy must name the hash of every inline block of the finished page,
    which only the rendered page shows; filling a slot in it costs one render,
    where rendering the page once more to learn its blocks cost a third of a
    second per build. The slot is outside every block, so filling it changes no hash.
    """
    if app.builder.format != "html" or app.builder.name == "epub" or not app.config.offline_csp:
        return
    templates = app.builder.templates  # type: ignore[attr-defined]
    render = templates.render

    def render_page(template: str, context: dict[str, Any]) -> str:
        page = render(template, context)
        if CSP_SLOT not in page:
            return page
        known = known_scripts(app, context)
        for script in INLINE_SCRIPT.findall(page):
            if script.strip() and script not in known:
                logger.warning("%s: an inline script the site does not ship (%r): the page's CSP "
                               "blocks it. Fix: add it with app.add_js_file(None, body=...).",
                               context.get("pagename"), script.strip()[:60],
                               type="macrohard", subtype="csp")
        meta = f'<meta http-equiv="Content-Security-Policy" content="{content_security_policy(page, known)}">'
        return page.replace(CSP_SLOT, meta, 1)

    templates.render = render_page


# Sphinx's "Hide Search Matches" link (on a page opened from a search result)
# is a javascript: URL, which the policy refuses: a click would do nothing
# but log the refusal. This does what the link says, and nothing is refused.


TRANSLATIONS_CALL = "Documentation.addTranslations("
PLURAL_RULE = re.compile(r"^[n0-9\s()=!<>%&|?:+\-]*$")  # C-like plural rules, nothing else


def csp_safe_translations(app: Sphinx, exception: Exception | None) -> None:
    """Turn Sphinx's translations.js into code that runs under the policy.

    For any language but English, Sphinx ships _static/translations.js, whose
    plural rule doctools.js compiles with ``new Function`` (an eval, refused
    without 'unsafe-eval'). We write the same catalog with the rule as code.
    Sphinx copies the file afresh on every build, so this runs every build.
    """
    if exception is not None or app.builder.format != "html":
        return
    path = Path(app.builder.outdir, "_static", "translations.js")
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


NO_SINGLE_PAGE = {"genindex", "search", "py-modindex"}  # pages the singlehtml builder does not write


def single_page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                        doctree: nodes.document | None) -> None:
    """The single page has no search or index pages: offer no way to them, but
    a search box that opens its edition's search page."""
    if app.builder.name != "singlehtml":
        return
    hasdoc = context["hasdoc"]
    context["hasdoc"] = lambda name: name not in NO_SINGLE_PAGE and hasdoc(name)
    context["sidebars"] = ["sidebar/edition-search.html" if "search" in s else s
                           for s in context.get("sidebars", [])]


DOUBLE_ANCHOR = re.compile(r'href="#document-[^"#]*#([^"]+)"')


def single_page_anchors(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                        doctree: nodes.document | None) -> None:
    """Sphinx 9's singlehtml writes a section of another page as
    "#document-glossary#names", which is no valid URL. Everything is on the one
    page, so the anchor alone is the address: in the body, the table of
    contents and furo's navigation (run late, once furo has rendered it)."""
    if app.builder.name != "singlehtml":
        return
    # The landing page opens the single page: it has no "#document-index" of its own.
    top = f'href="#document-{app.config.root_doc}"'
    for key in ("body", "toc", "furo_navigation_tree"):
        if isinstance(context.get(key), str):
            context[key] = DOUBLE_ANCHOR.sub(r'href="#\1"', context[key]).replace(top, 'href="#"')


class SinglePageLinks(SphinxPostTransform):
    """Links to the index or search page become plain text on the single page."""

    builders = ("singlehtml",)
    default_priority = 900

    def run(self, **kwargs: Any) -> None:
        for ref in list(self.document.findall(nodes.reference)):
            target = ref.get("refuri", "").split("#")[0]
            if posixpath.splitext(target)[0] in NO_SINGLE_PAGE:
                ref.replace_self(nodes.inline("", "", *ref.children))


class DossierEpub3Builder(Epub3Builder):
    """Sphinx's EPUB 3 builder, plus the source the e-book retells (dc:source),
    and an NCX whose uid is the book's identifier, as epubcheck requires
    (Sphinx writes epub_uid there, which is only the XML id of the identifier).
    """

    def init(self) -> None:
        super().init()
        # Sphinx names the book's contents and cover in English whatever the
        # book's language (its own code says they should follow it).
        self.guide_titles = {"toc": str(_("Table of Contents")), "cover": str(_("Cover"))}

    def add_visible_links(self, tree: nodes.document, show_urls: str = "inline") -> None:
        """Sphinx heads each chapter's link addresses with a "Footnotes" rubric,
        in English, and adds it to a chapter with no outside link too: an empty
        heading at its end. Keep it only over notes, in the book's language."""
        super().add_visible_links(tree, show_urls)
        for rubric in list(tree.findall(nodes.rubric)):
            if rubric.astext() != "Footnotes" or rubric.parent is None:
                continue
            after = rubric.parent.children[rubric.parent.index(rubric) + 1:]
            if any(isinstance(node, nodes.footnote) for node in after):
                rubric.children = [nodes.Text(str(_("Links in this chapter")))]
            else:
                rubric.parent.remove(rubric)

    def get_toc(self) -> None:
        """Every page a chapter at the top of the book's contents (macrohard_docs.site.book)."""
        super().get_toc()
        book_levels(self.refnodes)

    def build_toc(self) -> None:
        super().build_toc()
        ncx = self.outdir / "toc.ncx"
        text = ncx.read_text(encoding="utf-8")
        wrong = f'<meta name="dtb:uid" content="{html.escape(self.config.epub_uid)}"/>'
        right = f'<meta name="dtb:uid" content="{html.escape(self.config.epub_identifier)}"/>'
        ncx.write_text(text.replace(wrong, right, 1), encoding="utf-8")

    def build_content(self) -> None:
        super().build_content()
        source = self.config.epub_source
        opf = self.outdir / "content.opf"
        text = opf.read_text(encoding="utf-8")
        text = text.replace(
            "<dc:description>", f"<dc:source>{html.escape(source)}</dc:source>\n    <dc:description>" if source else "<dc:description>", 1)
        opf.write_text(text, encoding="utf-8")


class offline_downloads(nodes.General, nodes.Element):  # noqa: N801 - docutils naming
    """Placeholder, resolved per builder once the output format is known."""


def manifest_entries(directive: SphinxDirective) -> list[dict[str, Any]]:
    """The offline files as built (macrohard_docs.publish.build writes the manifest)."""
    manifest = directive.config.offline_manifest
    if not manifest:
        return []
    path = Path(manifest)
    # Re-read this page whenever a size or a name changes.
    directive.env.note_dependency(str(path))
    if not path.is_file():
        return []
    return json.loads(path.read_text(encoding="utf-8"))["formats"]


class DownloadsDirective(SphinxDirective):
    """``{offline-downloads}``: the offline editions and their sizes in bytes."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        return [offline_downloads("", entries=manifest_entries(self))]


class UnpackCommandsDirective(SphinxDirective):
    """``{offline-unpack}``: the commands that unpack the site's zip and open this
    edition from it, with the names the build gave them (the zip's file name,
    the folder it unpacks to, the path of this edition's first page in it)."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        archive = next((e for e in manifest_entries(self) if e["id"] == "zip"), None)
        if archive is None or "index" not in archive:
            return []  # a preview without the offline files: no names to give
        text = unpack_commands(archive)
        block = nodes.literal_block(text, text, language="console", classes=["offline-unpack"])
        block.source, block.line = self.get_source_info()
        return [block]


def unpack_commands(archive: dict[str, Any]) -> str:
    """Shell lines to unpack *archive* (a manifest entry) where it was saved and open the site."""
    return (f"$ unzip {posixpath.basename(archive['href'])}\n"
            f"$ xdg-open {archive['index']}")


def human_size(size: int, language: str) -> str:
    """*size* bytes as a reader reads it: "1.2 MB", "310 kB" (decimal units, as
    file managers count them); "1,2 Mo", "310 ko" in French (CLDR, by Babel)."""
    if size >= 999_950:
        return format_unit(size / 1_000_000, "digital-megabyte", length="short", format="#,##0.0",
                           locale=language)
    return format_unit(max(1, round(size / 1000)), "digital-kilobyte", length="short", locale=language)


# The zip's size on the downloads page: an empty span, filled in by
# macrohard_docs.publish once the zip is made (fill_zip_size).
ZIP_SIZE = re.compile(r'(<span class="offline-size zip-size">)[^<]*(</span>)')
HTML_LANGUAGE = re.compile(r'<html[^>]*\slang="([^"]+)"')


def fill_zip_size(pages: list[Path], size: int | None) -> None:
    """Write the zip's size (None: nothing) into each page that lists it, in the page's language."""
    for page in pages:
        text = page.read_text(encoding="utf-8")
        found = HTML_LANGUAGE.search(text)
        label = human_size(size, found.group(1) if found else "en") if size is not None else ""
        new = ZIP_SIZE.sub(lambda m: m.group(1) + html.escape(label) + m.group(2), text)
        if new != text:
            page.write_text(new, encoding="utf-8")


def pages_listing_the_zip(root: Path) -> list[Path]:
    return sorted(page for page in root.rglob("*.html") if ZIP_SIZE.search(page.read_text(encoding="utf-8")))


def describe_format(format_id: str) -> tuple[str, str]:
    return {
        "epub": (_("E-book (EPUB 3)"), _("For e-readers and reading apps; glossary links work inside the book.")),
        "single": (_("Single page (HTML)"), _("The whole dossier on one page, to save or print; the size is the page alone, its styles sit beside it.")),
        "pdf": (_("PDF"), _("The single page printed to PDF by Chromium.")),
        "zip": (_("The website (zip)"), _("Every page of this site; unpack it and open index.html from the folder.")),
    }[format_id]


class ResolveDownloads(SphinxPostTransform):
    """On the website: a table of links to the files and their sizes."""

    builders = ("html",)
    default_priority = 200

    def run(self, **kwargs: Any) -> None:
        for node in list(self.document.findall(offline_downloads)):
            if node["entries"]:
                node.replace_self(self.table(node["entries"]))
            else:
                node.replace_self(nodes.paragraph("", _(
                    "The offline editions are made by the full build (python -m macrohard_docs.publish); "
                    "this preview was built without them.")))

    def table(self, entries: list[dict[str, Any]]) -> nodes.table:
        language = self.config.language or "en"
        here = posixpath.dirname(self.env.docname)
        table = nodes.table(classes=["offline-downloads", "no-search"])
        group = nodes.tgroup(cols=3)
        table += group
        for width in (3, 6, 2):
            group += nodes.colspec(colwidth=width)
        head = nodes.thead()
        group += head
        row = nodes.row()
        for title in (_("Edition"), _("File"), _("Size")):
            row += nodes.entry("", nodes.paragraph("", title))
        head += row
        body = nodes.tbody()
        group += body
        for entry in entries:
            label, about = describe_format(entry["id"])
            href = posixpath.relpath(entry["href"], here or ".")
            # The zip, which holds this very page, has its size filled in once it is made.
            size = human_size(entry["bytes"], language) if "bytes" in entry else ""
            size_classes = ["offline-size"] if "bytes" in entry else ["offline-size", "zip-size"]
            row = nodes.row(ids=[f"download-{entry['id']}"])
            row += nodes.entry("", nodes.paragraph("", "", nodes.strong(label, label)))
            link = nodes.reference(posixpath.basename(entry["href"]) if entry["id"] != "single"
                                   else entry["href"], "", refuri=href, classes=["offline-file"])
            link += nodes.literal(link.rawsource, link.rawsource)
            row += nodes.entry("", nodes.paragraph("", "", link), nodes.paragraph("", about))
            row += nodes.entry("", nodes.paragraph("", "", nodes.inline(
                size, size, classes=size_classes)))
            body += row
        return table


class DownloadsElsewhere(SphinxPostTransform):
    """In the e-book and the single page: where the other editions are.

    They do not carry the other files, so they say where to find them rather
    than link to files that are not there.
    """

    default_priority = 210  # after ResolveDownloads, which handles the website

    def run(self, **kwargs: Any) -> None:
        for node in list(self.document.findall(offline_downloads)):
            node.replace_self(nodes.paragraph("", _(
                "You are reading one of the offline editions. The website's downloads page "
                "offers the others: the e-book, the single page, the PDF and the whole site as a zip."),
                classes=["offline-elsewhere"]))


def setup_offline(app: Sphinx) -> None:
    app.add_config_value("offline_csp", True, "html", types=frozenset({bool}))
    app.add_config_value("offline_manifest", "", "env", types=frozenset({str}))
    app.add_config_value("epub_source", "", "epub", types=frozenset({str}))
    app.add_builder(DossierEpub3Builder, override=True)
    app.add_node(offline_downloads)
    app.add_directive("offline-downloads", DownloadsDirective)
    app.add_directive("offline-unpack", UnpackCommandsDirective)
    app.add_post_transform(ResolveDownloads)
    app.add_post_transform(DownloadsElsewhere)
    app.add_post_transform(SinglePageLinks)
    app.connect("html-page-context", single_page_context)
    app.connect("html-page-context", single_page_anchors, priority=800)
    app.connect("build-finished", csp_safe_translations)
    app.connect("html-page-context", add_csp, priority=900)
    app.connect("builder-inited", render_with_policy)
    app.add_js_file("hide-search-matches.js", defer="defer")


__all__ = ["FORMATS", "content_security_policy", "fill_zip_size", "human_size", "pages_listing_the_zip",
           "setup_offline", "unpack_commands"]
