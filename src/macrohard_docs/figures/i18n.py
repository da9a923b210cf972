"""Translated editions: the extension's own messages, the data file's texts in the build's language,
and a check that a translated paragraph keeps its glossary references.

The pages themselves are translated by Sphinx (gettext catalogs under ``locale_dirs``). Three things are ours:

* the strings this package writes ("Mentioned in: ", "Our arithmetic"...): a message catalog shipped in
  ``macrohard_docs/locales`` (the compiled .mo is committed, so a read-only install needs no build step);
* the data file's sentences (what a figure measures, what a name is): the glossary paragraphs carry them as
  ordinary messages of the glossary page; :func:`data_text` looks them up in the project's catalogs for the
  places that are not paragraphs (link titles, formula captions, index entries);
* :class:`CheckFigureReferences`: a translated paragraph must mention the same figures, derived figures and
  names as the English one, else the French edition would link (and count "Mentioned in") differently.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from babel.messages.mofile import read_mo
from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform
from sphinx.transforms.i18n import Locale
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.i18n import CatalogRepository, docname_to_domain

from .editions import is_source_build
from .kinds import KIND

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

LOCALES = Path(__file__).parents[1] / "locales"  # the package's own catalogs
ORIGINAL_REFS = "figures_original_refs"
PAGE_CATALOG = "macrohard_docs_catalog"  # key in env.current_document


@functools.cache
def catalog_paths(srcdir: str, locale_dirs: tuple[str, ...], language: str, encoding: str) -> list[Path]:
    """The compiled page catalogs of *language* (none for English), listed once per process and project:
    walking the locale folders for every figure of every page cost seconds. Sphinx compiles the catalogs
    before it reads any page, so the list does not change while pages are read."""
    repo = CatalogRepository(srcdir, list(locale_dirs), language, encoding)
    return sorted(Path(catalog.mo_path) for catalog in repo.catalogs)


def project_catalogs(env: BuildEnvironment) -> list[Path]:
    config = env.config
    paths = catalog_paths(str(env.srcdir), tuple(config.locale_dirs), config.language, config.source_encoding)
    return [path for path in paths if path.is_file()]


def data_text(env: BuildEnvironment, text: str) -> str:
    """*text* from the data file, in the build's language. The glossary page's catalog holds the
    translation (the glossary emits every such text as a paragraph, so gettext extracts it there); every
    catalog of the language is searched, and each becomes a dependency of the page being read, so a new
    translation re-reads the pages that show it."""
    # Catalogs do not change while a page is read: find and note them once per
    # page, not once per mention (per mention, that was a tenth of a French build).
    page = env.current_document
    if PAGE_CATALOG not in page:
        paths = project_catalogs(env)
        page[PAGE_CATALOG] = data_catalog(env, paths)
        for path in paths:
            env.note_dependency(path)
    return page[PAGE_CATALOG].get(text) or text


def data_catalog(env: BuildEnvironment, paths: list[Path] | None = None) -> dict[str, str]:
    """Every catalog of the build's language in one mapping (English: none),
    for what is written once the pages are read (the data files); *paths*:
    project_catalogs(env), when the caller has them."""
    paths = project_catalogs(env) if paths is None else paths
    return merged_catalog(tuple((path, path.stat().st_mtime) for path in paths))


@functools.lru_cache(maxsize=1)
def merged_catalog(stamped: tuple[tuple[Path, float], ...]) -> dict[str, str]:
    """The catalogs at *stamped*'s (path, mtime) pairs: read again when a .mo changes."""
    merged: dict[str, str] = {}
    for path, _mtime in stamped:
        with path.open("rb") as handle:
            # Plain messages only: a data text is never a plural, nor in a context.
            merged.update({message.id: message.string for message in read_mo(handle)
                           if isinstance(message.id, str) and message.id and not message.context
                           and isinstance(message.string, str)})
    return merged


# What MyST reads as markup in a message (or, first or last, as a block's or around it): a
# translation with none of it is parsed into that very text, so it is written as it is.
MARKUP = re.compile(r"""[\\`*_\[\]{}<>&|~$#=%"'\n]|^[\s\-+:>\d]|\s$""")


def message_paragraph(directive: SphinxDirective, text: str, **attributes: Any) -> nodes.paragraph:
    """A paragraph of the data's *text* in the build's language, a message of the page for
    gettext (its source and line). A plain translation is its own message: Sphinx's Locale
    finds it untranslated, instead of parsing it again (a MyST document per message, twice)."""
    translated = data_text(directive.env, text)
    para = nodes.paragraph(text if MARKUP.search(translated) else translated, translated, **attributes)
    directive.set_source_info(para)
    return para


def as_written(kind: str, anchor: str) -> str:
    """The reference to *anchor* as a page writes it: {fig}`colossus-power`."""
    # Units have no role (only a figure's facts line links one): named by their kind.
    return f"{{{KIND[kind].role or kind}}}`{anchor.removeprefix(KIND[kind].anchor_prefix)}`"


class RecordFigureReferences(SphinxTransform):
    """Before Sphinx translates a page, note on each element the glossary references below it
    (from the references up: Sphinx's walk over the page's messages is not made a second time)."""

    default_priority = Locale.default_priority - 1

    def apply(self, **kwargs: Any) -> None:
        if is_source_build(self.config):
            return
        for ref in (r for r in self.document.findall(addnodes.pending_xref) if r.get("refdomain") == "figures"):
            node = ref
            while (node := node.parent) is not None:  # every element above it
                node.setdefault(ORIGINAL_REFS, set()).add((ref["reftype"], ref["reftarget"]))


class CheckFigureReferences(SphinxTransform):
    """After Sphinx translates a page, compare each translated message's references, and give
    the message's nodes back to the page."""

    default_priority = Locale.default_priority + 1

    def apply(self, **kwargs: Any) -> None:
        if is_source_build(self.config):
            return  # nothing was recorded: see RecordFigureReferences
        for element in self.document.findall(nodes.Element):
            # Noted on every element above a reference: each is taken off in this walk, which the check
            # makes anyway, so none is pickled with the page.
            original = element.attributes.pop(ORIGINAL_REFS, set())
            if not element.get("translated"):
                continue
            translated = set()
            for node in element.findall(include_self=False):
                # Sphinx moved this node out of the document it parsed the msgstr into, which it still named:
                # each page was pickled with those documents, the build environment in their settings.
                node.document = self.document
                if isinstance(node, addnodes.pending_xref) and node.get("refdomain") == "figures":
                    translated.add((node["reftype"], node["reftarget"]))
            if translated == original:
                continue
            missing = ", ".join(as_written(k, a) for k, a in sorted(original - translated))
            extra = ", ".join(as_written(k, a) for k, a in sorted(translated - original))
            problems = "; ".join(filter(None, [missing and f"it drops {missing}",
                                               extra and f"it adds {extra}"]))
            logger.warning(
                "the %s translation of this paragraph does not reference the same glossary "
                "entries as the English: %s. Fix: in %s, make the msgstr use exactly the "
                "{fig}, {derived} and {name} ids of its msgid (display text may change, ids not).",
                self.config.language, problems, page_catalog(self.env, self.env.docname),
                location=element, type="figures", subtype="i18n-references")


def page_catalog_places(env: BuildEnvironment, docname: str) -> list[Path]:
    """Where a .po file translating *docname* into the build's language may be, by locale_dirs."""
    domain = docname_to_domain(docname, env.config.gettext_compact)
    return [Path(env.srcdir, folder, env.config.language, "LC_MESSAGES", f"{domain}.po")
            for folder in env.config.locale_dirs]


def page_catalog(env: BuildEnvironment, docname: str) -> Path | None:
    """The .po file that translates *docname* into the build's language, if there is one."""
    return next((path.resolve() for path in page_catalog_places(env, docname) if path.is_file()), None)


def setup_i18n(app: Sphinx) -> None:
    app.add_message_catalog("macrohard_docs", str(LOCALES))
    app.add_transform(RecordFigureReferences)
    app.add_transform(CheckFigureReferences)
