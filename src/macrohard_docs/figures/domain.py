"""The `figures` domain: roles that render figures and names, the generated glossary, and the
bookkeeping that links them both ways. Per-document data (which entries a page mentions, which it
defines) lives in the domain, which Sphinx purges when a page is re-read and merges from parallel readers.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

from docutils import nodes
from docutils.utils.smartquotes import educate_tokens
from sphinx import addnodes
from sphinx.domains import Domain, ObjType
from sphinx.locale import get_translation
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, SphinxRole
from sphinx.util.nodes import make_refnode

from .data import Dataset, Derived, Figure, Name, Unit, format_figure, load
from .editions import is_source_build
from .folding import LIGATURES, fold
from .i18n import data_text, message_paragraph
from .kinds import KIND, KIND_OF_PLURAL, KIND_OF_ROLE, KINDS, STATUS
from .roles import mention_problem, parse_mention

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)
_ = get_translation("macrohard_docs")


@dataclass(frozen=True)
class GlossaryEntry:
    """One entry of the generated glossary, as its page is read: what links to it,
    the search index and the search data all read it from here."""

    anchor: str
    docname: str  # the glossary page that holds it
    kind: str  # one of kinds.KINDS, by name
    item_id: str
    label: str  # the term, as the glossary writes it
    definition: str  # as the glossary shows it: translated, in a translation (RecordAsRead)


class SectionMention(NamedTuple):
    """The first mention of an entry in one section of a page: "Mentioned in" links to it."""

    anchor: str  # the entry's
    mention_id: str  # the mention's own id
    title: str  # the section's title, as read (translated, in a translation)
    section_id: str  # the section's first id; "" when the mention is above every section


class FiguresDomain(Domain):
    """Glossary entries for figures, derived figures, names and units."""

    name = "figures"
    label = "Figures"
    object_types: ClassVar[dict[str, ObjType]] = {
        kind.name: ObjType(kind.object_label, *filter(None, [kind.role])) for kind in KINDS}
    initial_data: ClassVar[dict[str, Any]] = {
        "mentions": {},  # docname -> anchors of the entries the page mentions, in reading order
        "entries": {},  # anchor -> GlossaryEntry
        # docname -> [SectionMention, ...]: the first mention of each entry in each
        # section, for "Mentioned in" links that land on the mention.
        "places": {},
    }
    dataset: Dataset | None = None

    @property
    def mentions(self) -> dict[str, list[str]]:
        return self.data.setdefault("mentions", {})

    @property
    def entries(self) -> dict[str, GlossaryEntry]:
        return self.data.setdefault("entries", {})

    @property
    def places(self) -> dict[str, list[SectionMention]]:
        return self.data.setdefault("places", {})

    # Which pages are glossaries, which pages mention each entry, and the pages' reading
    # order: made when first asked after the pages are read, dropped at any change. Made
    # afresh at each question (per entry, per page), they were the build's quadratic part.
    _tables: tuple[set[str], dict[str, set[str]], dict[str, int]] | None = None

    def tables(self) -> tuple[set[str], dict[str, set[str]], dict[str, int]]:
        if self._tables is None:
            glossary_docs = {entry.docname for entry in self.entries.values()}
            pages_of: dict[str, set[str]] = {}  # anchor -> the pages, not glossaries, that mention it
            for docname, mentioned in self.mentions.items():
                for anchor in () if docname in glossary_docs else mentioned:
                    pages_of.setdefault(anchor, set()).add(docname)
            self._tables = glossary_docs, pages_of, reading_order(self.env)
        return self._tables

    def note_mention(self, docname: str, anchor: str) -> None:
        self.mentions.setdefault(docname, []).append(anchor)
        self._tables = None

    def note_entry(self, entry: GlossaryEntry) -> None:
        self.entries[entry.anchor] = entry
        self._tables = None

    def definition(self, anchor: str) -> str | None:
        """The entry's definition as the glossary shows it (translated, in a translation)."""
        entry = self.entries.get(anchor)
        return entry.definition if entry else None

    def glossary_docs(self) -> set[str]:
        return self.tables()[0]

    def clear_doc(self, docname: str) -> None:
        self._tables = None
        self.mentions.pop(docname, None)
        self.places.pop(docname, None)
        for anchor in [a for a, entry in self.entries.items() if entry.docname == docname]:
            del self.entries[anchor]

    def merge_domaindata(self, docnames: AbstractSet[str], otherdata: dict[str, Any]) -> None:
        self._tables = None
        self.mentions.update({d: anchors for d, anchors in otherdata["mentions"].items() if d in docnames})
        self.places.update({d: places for d, places in otherdata["places"].items() if d in docnames})
        self.entries.update({a: entry for a, entry in otherdata["entries"].items() if entry.docname in docnames})

    def places_of(self, anchors: set[str]) -> list[tuple[str, SectionMention]]:
        """(docname, the mention) of each section that mentions any of *anchors*, at its first mention.

        Pages in reading order, sections in page order; glossary pages left out.
        """
        found = []
        for docname in self.docs_mentioning(anchors):
            sections_seen: set[str] = set()
            for place in self.places.get(docname, []):
                if place.anchor in anchors and place.title not in sections_seen:
                    sections_seen.add(place.title)
                    found.append((docname, place))
        return found

    def resolve_xref(
        self, env: BuildEnvironment, fromdocname: str, builder: Builder, typ: str,
        target: str, node: addnodes.pending_xref, contnode: nodes.Element,
    ) -> nodes.reference | None:
        if typ == "mention":  # a "Mentioned in" link, to the mention itself
            return make_refnode(builder, fromdocname, node["mention_page"], target, contnode,
                                node.get("reftitle"))
        entry = self.entries.get(target)
        if entry is None:
            return None
        return make_refnode(builder, fromdocname, entry.docname, target, contnode, node.get("reftitle"))

    def resolve_any_xref(self, *args: Any) -> list[tuple[str, nodes.reference]]:
        return []

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        for entry in sorted(self.entries.values(), key=lambda entry: entry.anchor):
            # The name must differ from the anchor: when they are equal, the search
            # index stores no anchor and searchtools.js rebuilds it from the label.
            yield f"{entry.kind}:{entry.item_id}", entry.label, entry.kind, entry.docname, entry.anchor, 1

    def docs_mentioning(self, anchors: set[str]) -> list[str]:
        """Pages, other than glossary pages, that mention any of *anchors*, in reading order."""
        _, pages_of, order = self.tables()
        pages = set().union(*(pages_of.get(anchor, ()) for anchor in anchors))
        return sorted(pages, key=lambda d: (order.get(d, len(order)), d))


def reading_order(env: BuildEnvironment) -> dict[str, int]:
    """Position of each page in the toctree, walked depth first from the root."""
    order: dict[str, int] = {}
    stack = [env.config.root_doc]
    while stack:
        docname = stack.pop()
        if docname in order:
            continue
        order[docname] = len(order)
        stack.extend(reversed(env.toctree_includes.get(docname, [])))
    return order


def domain_of(env: BuildEnvironment) -> FiguresDomain:
    return env.domains["figures"]  # type: ignore[return-value]


def dataset_of(env: BuildEnvironment) -> Dataset:
    dataset = domain_of(env).dataset
    if dataset is None:  # pragma: no cover - builder-inited always loads it
        raise RuntimeError("figures data not loaded")
    return dataset


def describe(item: Figure | Derived | Name | Unit) -> str:
    return item.about if isinstance(item, Name | Unit) else item.measures  # type: ignore[return-value]


def item_text(item: Figure | Derived | Name | Unit, data: Dataset, language: str, *, source: bool) -> str:
    """The item as a page writes it in *language*; *source*: the source edition's
    language, in which a unit is its symbol (the data's `symbol` is written in it)."""
    if isinstance(item, Name):
        return item.label
    if isinstance(item, Unit):
        if source:
            return item.symbol
        # "{n} de dollars" names the unit "dollars": the "de" belongs to the number.
        return re.sub(r"^de\s+", "", item.templates[language]["other"].replace("{n}", "").strip())
    return format_figure(item, data, language)


def items_of(data: Dataset, kind: str) -> Mapping[str, Figure | Derived | Name | Unit]:
    """The data's items of one kind (a name in kinds.KINDS), by id: the Dataset's
    table of them is named by the kind's plural (data.figures, data.names, ...)."""
    items: Mapping[str, Figure | Derived | Name | Unit] = getattr(data, KIND[kind].plural)
    return items


def glossary_items(data: Dataset, kind: str, language: str) -> list[Figure | Derived | Name | Unit]:
    """The entries of one part of the glossary, in its order: figures and derived
    figures in the data's order, names as a dictionary orders them, units that
    have an `about` (the others have no entry)."""
    items = list(items_of(data, kind).values())
    if kind == "name":
        return sorted(items, key=lambda name: sort_key(name.label, language))  # type: ignore[union-attr]
    if kind == "unit":
        return [unit for unit in items if unit.about]  # type: ignore[union-attr]
    return items


def page_title(env: BuildEnvironment, docname: str) -> str:
    return env.titles[docname].astext() if docname in env.titles else docname


def section_of(node: nodes.Node) -> nodes.section | None:
    """The section that holds *node*, if any."""
    parent = node.parent
    while parent is not None and not isinstance(parent, nodes.section):
        parent = parent.parent
    return parent


def mention_node(env: BuildEnvironment, item: Figure | Derived | Name | Unit,
                 text: str, docname: str) -> addnodes.pending_xref:
    """A link to *item*'s glossary entry; kept only for the page's first mention."""
    domain_of(env).note_mention(docname, item.anchor)
    shown_as = "figure-value" if item.kind in ("figure", "derived") else "glossary-name"
    return addnodes.pending_xref(
        "", nodes.inline(text, text, classes=["mention", shown_as]), refdomain="figures", reftype=item.kind,
        reftarget=item.anchor, refdoc=docname, refexplicit=True, reftitle=data_text(env, describe(item)),
        figures_mention=True)


class MentionRole(SphinxRole):
    """{fig}`id`, {derived}`id`, {name}`id` or {name}`text <id>`."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def __call__(self, name: str, rawtext: str, text: str, *args: Any, **kwargs: Any) -> Any:
        self.escaped_text = text  # before SphinxRole unescapes it: "\<" is then still told apart
        return super().__call__(name, rawtext, text, *args, **kwargs)

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        data = dataset_of(self.env)
        self.env.note_dependency(str(data.path))
        title, item_id = parse_mention(self.escaped_text)
        problem = mention_problem(self.name, item_id)
        if problem:
            logger.warning(problem, location=self.get_location(), type="figures", subtype="role-syntax")
            return [nodes.inline(self.rawtext, self.rawtext, classes=["unknown-figure"])], []
        item = items_of(data, self.kind).get(item_id)
        if item is None:
            guess = difflib.get_close_matches(item_id, [*items_of(data, self.kind)], n=1)
            hint = f" (did you mean {guess[0]!r}?)" if guess else ""
            logger.warning(
                "unknown %s id %r%s. Fix: use an id defined in %s, or add a [[%s]] entry with this id there.",
                self.kind, item_id, hint, data.path, self.kind,
                location=self.get_location(), type="figures", subtype="unknown-id")
            return [nodes.inline(self.rawtext, self.rawtext, classes=["unknown-figure"])], []
        if title is not None and self.kind in ("figure", "derived"):
            logger.warning(
                "figure %r is given its own text %r: a figure is always written from the data. "
                "Fix: write {%s}`%s`.", item_id, title, self.name, item_id,
                location=self.get_location(), type="figures", subtype="typed-figure")
        text = title or item_text(item, data, self.config.language, source=is_source_build(self.config))
        ref = mention_node(self.env, item, text, self.env.docname)
        ref.rawsource = self.rawtext  # names the role in Sphinx's own i18n warnings
        return [ref], []


class OurArithmeticDirective(SphinxDirective):
    """A box listing derived figures with their formulas, marked as ours."""

    has_content = True

    def run(self) -> list[nodes.Node]:
        data = dataset_of(self.env)
        self.env.note_dependency(str(data.path))
        language = self.config.language
        # The intro and the list as Sphinx writes them, prepared around the formulas' links:
        # as nodes, each was a paragraph Sphinx's i18n passes over by writing it out as XML.
        quotes = smart_quotes(self.config)
        parts: list[str | tuple[str, str, str] | nodes.Node] = [
            prepared(("<p>", _("Computed by this site from the figures given; the source makes no such claim."),
                      "</p>\n"), paragraph=True, quotes=quotes), ('<ul class="simple">\n', "", "")]
        for offset, line in enumerate(self.content):
            item_id = line.strip()
            if not item_id:
                continue
            derived = data.derived.get(item_id)
            if derived is None:
                logger.warning(
                    "unknown derived figure id %r. Fix: use an id from a [[derived]] entry in %s.",
                    item_id, data.path, location=(self.env.docname, self.lineno + 1 + offset),
                    type="figures", subtype="unknown-id")
                continue
            parts.append(prepared(
                ('<li><p class="formula">', "", ""), *formula_nodes(self.env, derived, data, language), " — ",
                ('<span class="formula-meaning">', data_text(self.env, derived.measures), "</span></p></li>\n"),
                paragraph=True, quotes=quotes))
        parts.append(("</ul>\n", "", ""))
        title = _("Our arithmetic")
        return [nodes.admonition("", nodes.title(title, title), prepared(*parts), classes=["our-arithmetic"])]


def formula_nodes(env: BuildEnvironment, derived: Derived, data: Dataset,
                  language: str) -> list[nodes.Node]:
    """numerator ÷ denominator = result, each linked to its entry."""
    num, den, result = (mention_node(env, item, format_figure(item, data, language), env.docname) for item in
                        (data.figures[derived.numerator], data.figures[derived.denominator], derived))
    return [num, nodes.Text(" ÷ "), den, nodes.Text(" = "), result]


class MentionedIn(nodes.General, nodes.Element):
    """Placeholder, filled at write time with the pages that mention an entry."""


class GlossaryDirective(SphinxDirective):
    """```{figure-glossary} figures|derived|names|units```: entries from the data;
    `:page: 2/3`, the second third of them (for a part too long for one page)."""

    required_arguments = 1
    option_spec: ClassVar[dict[str, Any]] = {"page": str}

    def run(self) -> list[nodes.Node]:
        data = dataset_of(self.env)
        self.env.note_dependency(str(data.path))
        which = self.arguments[0]
        if which not in KIND_OF_PLURAL:
            logger.warning("unknown glossary part %r. Fix: use one of %s.", which, ", ".join(KIND_OF_PLURAL),
                           location=self.get_location(), type="figures", subtype="glossary")
            return []
        kind = KIND_OF_PLURAL[which].name
        language = self.config.language
        items = glossary_items(data, kind, language)
        if "page" in self.options:
            share = re.fullmatch(r"\s*([1-9]\d*)\s*/\s*([1-9]\d*)\s*", self.options["page"])
            if share is None or int(share[1]) > int(share[2]):
                logger.warning("glossary page %r is not one of n pages. Fix: write :page: 2/3 for the second "
                               "of three.", self.options["page"], location=self.get_location(),
                               type="figures", subtype="glossary")
                return []
            size = -(-len(items) // int(share[2]))  # rounded up: the last page holds the rest
            items = items[(int(share[1]) - 1) * size:int(share[1]) * size]

        glossary = nodes.definition_list(classes=["glossary", "figures-glossary", f"glossary-{which}"])
        domain = domain_of(self.env)
        for item in items:
            label = item_text(item, data, language, source=is_source_build(self.config))
            anchor = item.anchor
            domain.note_entry(GlossaryEntry(anchor, self.env.docname, kind, item.id, label, describe(item)))
            # The entry's own address, shown beside the term as headings show theirs.
            link = (f'<a class="headerlink reference internal" href="#{anchor}" '
                    f'title="{str(_("Link to this entry")).translate(HTML_ESCAPES)}">¶</a>')
            # The term as Sphinx writes a <dt>, prepared: a term node is one that Sphinx's i18n, passing
            # it over, writes out as XML for a debug line, shown or not, on every pass.
            term = prepared((f'<dt class="entry-term" id="{anchor}"><span class="term-label">', label, "</span>"),
                            (f"{link}</dt>", "", ""), paragraph=True, quotes=smart_quotes(self.config))
            indexed = label if isinstance(item, Name | Unit) else (
                f"{data_text(self.env, describe(item)).rstrip('.')} ({label})")
            index = addnodes.index(entries=[("single", indexed, anchor, "", None)])
            definition = nodes.definition("", message_paragraph(
                self, describe(item), classes=["entry-definition"], glossary_anchor=anchor))
            if isinstance(item, Name) and item.context:
                definition += self.context_paragraph(item.context)
            if isinstance(item, Figure | Derived):
                definition += self.facts_line(item, data, language, label)
            definition += MentionedIn(kind=kind, item_id=item.id, anchor=anchor)
            glossary += nodes.definition_list_item("", index, term, definition)
        return [glossary]

    def context_paragraph(self, text: str) -> prepared_html:
        """Background from outside the article, labeled so that no one takes it for the source's."""
        paragraph = prepared(('<p class="entry-context"><em class="entry-context-label">',
                              _("Outside the article: "), "</em>"), ("", data_text(self.env, text), "</p>\n"),
                             paragraph=True, quotes=smart_quotes(self.config))
        return as_message(paragraph, self, text)

    def facts_line(self, item: Figure | Derived, data: Dataset, language: str,
                   label: str) -> prepared_html:
        """Value · unit (linked to its entry) · status · formula (ours only): not a paragraph node,
        which Sphinx's i18n, passing it over, would dump as XML for a debug line, shown or not."""
        parts: list[str | tuple[str, str, str] | nodes.Node] = [('<p class="entry-facts">', "", "")]

        def fact(classes: str, name: str, *content: str | tuple[str, str, str] | nodes.Node) -> None:
            if len(parts) > 1:
                parts.append(" · ")
            parts.extend([(f'<span class="fact {classes}"><span class="fact-name">', name, "</span>"), *content,
                          ("</span>", "", "")])

        fact("fact-value", _("Value: "), ('<span class="figure-value">', label, "</span>"))
        unit = data.units[item.unit]
        if unit.style != "date":
            text = item_text(unit, data, language, source=is_source_build(self.config))
            # A unit without an `about` has no entry to link to.
            fact("fact-unit", _("Unit: "),
                 mention_node(self.env, unit, text, self.env.docname) if unit.about else ("<span>", text, "</span>"))
        status = STATUS[item.status if isinstance(item, Figure) else "derived"].label()
        fact("fact-status", _("Status: "), ('<span class="status">', status, "</span>"))
        if isinstance(item, Derived):
            fact("fact-formula", _("Formula: "), *formula_nodes(self.env, item, data, language))
        return prepared(*parts, ("</p>\n", "", ""), paragraph=True, quotes=smart_quotes(self.config))


# What docutils' HTML writer replaces in text and attribute values.
HTML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", '"': "&quot;", ">": "&gt;", "@": "&#64;"})


class prepared_html(nodes.Element):  # noqa: N801 - docutils node naming
    """Content whose HTML is prepared: node["html"], the markup around its element children
    (rendered as usual). Other writers and the search read its children (as a paragraph if
    node["paragraph"]). A facts line or a chart's frame is a dozen elements: as nodes, every
    transform and writer visited each one."""


class prepared_text(nodes.Inline, nodes.TextElement, prepared_html):  # noqa: N801
    """A prepared_html that holds text: the element that Sphinx's writer wants around links."""


# What Sphinx's smart quotes change: straight quotes, "--" and "...".
STRAIGHT = re.compile(r"['\"]|--|\.\.\.")


def smart_quotes(config: Any) -> tuple[str, str] | None:
    """Sphinx's smart quotes as *config* sets them (action, language), for the text that
    `prepared` writes into HTML, where Sphinx's transform, which edits nodes, cannot reach."""
    language = config.language or "en"
    if not config.smartquotes or language in config.smartquotes_excludes.get("languages", ()):
        return None
    return config.smartquotes_action, language


def prepared(*parts: str | tuple[str, str, str] | nodes.Node, paragraph: bool = False,
             quotes: tuple[str, str] | None = None) -> prepared_html:
    """A prepared_html of *parts*: plain text, (markup, text, markup) or an element; the
    text with smart quotes (*quotes*: see smart_quotes), in its HTML and its children alike."""
    children: list[nodes.Node] = []
    html, text, holds_text = [""], "", False
    for part in parts:
        if isinstance(part, nodes.Element):
            children += [nodes.Text(text), part] if text else [part]
            html.append("")
            text = ""
        else:
            before, words, after = part if isinstance(part, tuple) else ("", part, "")
            words = str(words)  # a translation is a lazy string until here
            if quotes and STRAIGHT.search(words):
                words = "".join(educate_tokens([("plain", words)], *quotes))
            html[-1] += before + words.translate(HTML_ESCAPES) + after
            text += words
            holds_text = holds_text or bool(words)
    children += [nodes.Text(text)] if text else []
    node = (prepared_text if holds_text else prepared_html)(html=html, paragraph=paragraph)
    node += children  # not given: a TextElement takes the first for its text
    return node


def as_message(node: prepared_html, directive: SphinxDirective, text: str) -> prepared_html:
    """*node*, which shows the data's *text* in the build's language, made a message of the page for
    gettext (its source and line, the flag an inline node needs). In a translation its msgid is the
    translated text, which no catalog holds: Sphinx's i18n leaves it as written (no parse)."""
    node.rawsource = text if is_source_build(directive.config) else data_text(directive.env, text)
    node["translatable"] = True
    directive.set_source_info(node)
    return node


def visit_prepared_html(self: Any, node: prepared_html) -> None:
    markup = iter(node["html"])
    self.body.append(next(markup))
    for child in node.children:
        if isinstance(child, nodes.Element):
            child.walkabout(self)
            self.body.append(next(markup))
    raise nodes.SkipNode


def visit_prepared_elsewhere(self: Any, node: prepared_html) -> None:
    if node["paragraph"]:
        self.visit_paragraph(node)


def depart_prepared_elsewhere(self: Any, node: prepared_html) -> None:
    if node["paragraph"]:
        self.depart_paragraph(node)


class RecordAsRead(SphinxTransform):
    """Keep each entry's definition as read, for link titles; give the first mention of
    each entry in each section an id, and note the section.

    Both after translation: link titles are translated, and "Mentioned in" names
    the section a mention is in by its title, as each edition writes it.
    """

    default_priority = 880  # after Sphinx's Locale transform (20)

    def apply(self, **kwargs: Any) -> None:
        domain = domain_of(self.env)
        docname = self.env.docname
        page = re.sub(r"[^a-z0-9]+", "-", docname.lower()).strip("-")
        places: list[SectionMention] = []
        domain.places[docname] = places
        # A glossary page (asked of its entries: the domain's tables are made once all are read):
        # only its entries have definitions; "Mentioned in" lists no glossary page.
        if any(entry.docname == docname for entry in domain.entries.values()):
            for para in self.document.findall(nodes.paragraph):
                anchor = para.get("glossary_anchor")
                if anchor in domain.entries:
                    domain.entries[anchor] = replace(domain.entries[anchor], definition=para.astext())
            return
        seen: set[tuple[str, str]] = set()
        for ref in self.document.findall(addnodes.pending_xref):
            mention = ref.children[0] if ref.get("figures_mention") and ref.children else None
            if not isinstance(mention, nodes.Element):
                continue
            anchor = ref["reftarget"]
            section = section_of(ref)
            title = section.next_node(nodes.title) if section is not None else None
            heading = title.astext() if title is not None else page_title(self.env, docname)
            # Only the first mention of an entry in a section is linked from
            # "Mentioned in": only it needs an id (ids weigh on every page).
            if (anchor, heading) in seen:
                continue
            seen.add((anchor, heading))
            # The page first: links to entries are found by their "fig-" prefix
            # (term previews), and the single page holds every page at once.
            base = f"{page}-{anchor}"
            mention_id, count = base, 1
            while mention_id in self.document.ids:
                count += 1
                mention_id = f"{base}-{count}"
            mention["ids"].append(mention_id)
            self.document.ids[mention_id] = mention
            section_id = section["ids"][0] if section is not None and section["ids"] else ""
            places.append(SectionMention(anchor, mention_id, heading, section_id))


# Letters that sort as two (CLDR root and French): "œuvre" between "oeil" and
# "ogre", "ß" as "ss" (which the search leaves alone: readers type "ß").
SORT_EXPANSIONS = {**LIGATURES, "ß": "ss"}


def sort_key(text: str, language: str) -> tuple[str, tuple[str, ...], tuple[bool, ...], str]:
    """Order labels as a dictionary does (CLDR root, which French follows): three levels, as in the
    Unicode Collation Algorithm: base letters, ignoring accents, case and punctuation ("Énergie" files under
    E, between "Eau" and "Essence"); then accents, unaccented first ("cote" < "côte"); then case, lower first.
    Enough for Latin-script labels, without ICU. *language* is kept for callers: Canadian French's backward
    accent order is the only CLDR French tailoring, and no edition uses it."""
    expanded = "".join(SORT_EXPANSIONS.get(c, c) for c in text)
    # The base letters: the letters as the search folds them, case folded in full
    # ("ſ" files under "s"), punctuation left out.
    primary = "".join(" " if c.isspace() else c
                      for c in fold(expanded).casefold() if c.isalnum() or c.isspace())
    letters: list[list[str]] = []  # [base character, its combining accents]
    for char in unicodedata.normalize("NFD", expanded):
        if unicodedata.combining(char) and letters:
            letters[-1][1] += char
        elif char.isalnum() or char.isspace():
            letters.append([char, ""])
    accents = tuple(accent for _, accent in letters)
    cases = tuple(base.isupper() for base, _ in letters)
    return primary, accents, cases, text


class ResolveMentions(SphinxPostTransform):
    """Link only the first mention of each entry per page; fill "Mentioned in"."""

    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        domain = domain_of(self.env)
        docname = self.env.docname
        defines_entries = docname in domain.glossary_docs()
        seen: set[str] = set()
        # One walk for both (the single page holds every page's placeholders).
        for node in list(self.document.findall(lambda node: isinstance(node, addnodes.pending_xref | MentionedIn))):
            if isinstance(node, MentionedIn):
                node.replace_self(self.mentioned_in(domain, node))
            elif node.get("figures_mention"):
                anchor = node["reftarget"]
                node["reftitle"] = domain.definition(anchor) or node.get("reftitle")
                if anchor in seen and not defines_entries:
                    node.replace_self(node.children)
                seen.add(anchor)

    def mentioned_in(self, domain: FiguresDomain, placeholder: MentionedIn) -> prepared_html:
        anchors = {placeholder["anchor"]}
        if placeholder["kind"] == "unit":
            data = dataset_of(self.env)
            anchors = {f.anchor for f in [*data.figures.values(), *data.derived.values()]
                       if f.unit == placeholder["item_id"]}
        places = domain.places_of(anchors)
        # A paragraph, as the facts line is one (see facts_line).
        parts: list[str | tuple[str, str, str] | nodes.Node] = [
            ('<p class="mentioned-in">', _("Mentioned in: ") if places else _("Not mentioned in the article."), "")]
        # Grouped by page: "Page (Section; Section)", each section linked to the
        # mention in it; a mention under the page's own title links that title.
        pages: dict[str, list[SectionMention]] = {}
        for page, place in places:
            pages.setdefault(page, []).append(place)
        for position, (page, mentions) in enumerate(pages.items()):
            if position:
                parts.append(", ")
            title = page_title(self.env, page)
            under_title = next((place for place in mentions if place.title == title), None)
            parts.append(self.mention_link(page, under_title.mention_id, title, title) if under_title else title)
            sections = [place for place in mentions if place.title != title]
            for number, place in enumerate(sections):
                # French sets a narrow no-break space before the semicolon.
                parts += [_("; ") if number else " (", self.mention_link(page, place.mention_id, place.title, title)]
            if sections:
                parts.append(")")
        return prepared(*parts, ("", "." if places else "", "</p>\n"), paragraph=True,
                        quotes=smart_quotes(self.config))

    def mention_link(self, page: str, mention_id: str, text: str, page_title: str) -> addnodes.pending_xref:
        # Resolved by FiguresDomain.resolve_xref, just after, like any reference.
        return addnodes.pending_xref("", nodes.inline(text, text), refdomain="figures", reftype="mention",
                                     reftarget=mention_id, refdoc=self.env.docname, refexplicit=True,
                                     reftitle=page_title, mention_page=page)


def check_consistency(app: Any, env: BuildEnvironment) -> None:
    """Entries no page links to, sections that are not pages, a missing glossary."""
    domain = domain_of(env)
    data = dataset_of(env)
    defined = {entry.kind for entry in domain.entries.values()}
    for kind in KINDS:
        if kind.role and kind.name not in defined:  # units: only those with an `about` have entries
            logger.warning(
                "no page holds the glossary of %s, so they have no glossary entry. "
                "Fix: add ```{figure-glossary} %s``` to the glossary page.", kind.plural, kind.plural,
                location=str(data.path), type="figures", subtype="no-glossary")
    mentioned = {anchor for anchors in domain.mentions.values() for anchor in anchors}
    outside = {anchor for d in domain.docs_mentioning(set(domain.entries)) for anchor in domain.mentions[d]}
    for item in [*data.figures.values(), *data.derived.values(), *data.names.values()]:
        if item.anchor in domain.entries and item.anchor not in outside:
            logger.warning(
                "glossary entry %r is linked from no page. Fix: mention it in the article with "
                "{%s}`%s`, or remove it from the data file.", item.id, KIND[item.kind].role, item.id,
                location=f"{data.path}:{item.line}", type="figures", subtype="orphan")
    for unit in data.units.values():
        if unit.about and unit.anchor in domain.entries and unit.anchor not in mentioned:
            logger.warning(
                "glossary entry for unit %r is linked from no page: no figure uses it. Fix: remove "
                "its `about`, or use the unit.", unit.id,
                location=f"{data.path}:{unit.line}", type="figures", subtype="orphan")
    for item in [*data.figures.values(), *data.derived.values()]:
        docname = f"{env.config.figures_article_prefix}{item.section}"
        if docname not in env.all_docs:
            logger.warning(
                "figure %r names section %r, which is not a page (no %s). Fix: set `section` to "
                "one of the article pages.", item.id, item.section, docname,
                location=f"{data.path}:{item.line}", type="figures", subtype="section")


def glossary_docs(app: Any, env: BuildEnvironment) -> Iterable[str]:
    """Rewrite glossary pages on every build: their "Mentioned in" lists follow other pages."""
    return sorted(domain_of(env).glossary_docs())


# --- Registration --------------------------------------------------------------

def load_figures(app: Sphinx) -> None:
    """Read the data file afresh on every build, before any page is read."""
    path = Path(app.confdir, app.config.figures_data)
    domain_of(app.env).dataset = load(path, languages=(app.config.language,))


def setup_domain(app: Sphinx) -> None:
    # Both change what pages say, so a change re-reads every page.
    app.add_config_value("figures_data", "data/figures.toml", "env", types=frozenset({str}))
    app.add_config_value("figures_article_prefix", "article/", "env", types=frozenset({str}))

    app.add_domain(FiguresDomain)
    for role, kind in KIND_OF_ROLE.items():  # {fig}`id`, {derived}`id`, {name}`id`
        app.add_role(role, MentionRole(kind.name))
    app.add_directive("figure-glossary", GlossaryDirective)
    app.add_directive("our-arithmetic", OurArithmeticDirective)
    app.add_node(MentionedIn)
    for node in (prepared_html, prepared_text):
        app.add_node(node, html=(visit_prepared_html, None), **dict.fromkeys(
            ("latex", "text", "man", "texinfo"), (visit_prepared_elsewhere, depart_prepared_elsewhere)))
    app.add_transform(RecordAsRead)
    app.add_post_transform(ResolveMentions)
    app.connect("builder-inited", load_figures)
    app.connect("env-check-consistency", check_consistency)
    app.connect("env-get-updated", glossary_docs)
    app.add_css_file("macrohard.css")
