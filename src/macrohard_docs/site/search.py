"""What Sphinx's search cannot know, as data files for the scripts in static/.

* ``_static/glossary-data.js``: every glossary entry with the ways a reader may type
  it (a figure's number grouped or not, in compact words, with its unit's symbol and
  names; a date's usual spellings), in the edition's language and the source's:
  Sphinx's own index drops numbers. With it, the vocabularies the scripts share with
  the build (MACROHARD_SEARCH_RULES).
* ``_static/snippets.js``: each page's plain text and its sections' spans, so that
  result snippets need no ``fetch()``, which browsers block on ``file://``.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections import Counter
from collections.abc import Set as AbstractSet
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from babel.dates import format_date, format_skeleton
from babel.numbers import format_compact_decimal, format_decimal, get_currency_name
from babel.units import format_unit
from docutils import nodes
from sphinx import addnodes
from sphinx.domains import Domain
from sphinx.locale import get_translation

from ..figures.data import Dataset, Derived, Figure, Name, Unit, format_figure
from ..figures.domain import dataset_of, domain_of, item_text, items_of, page_title, section_of
from ..figures.editions import configured_editions, is_source_build, source_language
from ..figures.folding import fold, folding_rule
from ..figures.kinds import KIND, KINDS
from ..figures.sphinx_private import forget_asset_checksums

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sphinx.application import Sphinx
    from sphinx.builders.html import StandaloneHTMLBuilder
    from sphinx.environment import BuildEnvironment

_ = get_translation("macrohard_docs")

# Elements whose text is no part of what a reader sees as the page's prose.
SKIPPED = (nodes.comment, nodes.raw, nodes.system_message, nodes.substitution_definition,
           addnodes.index, addnodes.toctree, nodes.meta)
WHITESPACE = re.compile(r"\s+")
BLOCKS = (nodes.Structural, nodes.TextElement, nodes.Body, nodes.term, nodes.definition,
          nodes.list_item)


# --- Tokens: the same rule as `tokenize` in static/macrohard-search.js ---------

def search_rules() -> dict[str, Any]:
    """The rank of each kind of entry among equally good matches, and how text is folded."""
    return {"kindRank": {kind.name: kind.search_rank for kind in KINDS},
            "fold": folding_rule(compatibility=True)}


def tokenize(text: str) -> list[str]:
    """Runs of digits and runs of letters, folded: "1.55 GW" and "1,55GW" -> 1 55 gw."""
    return re.findall(r"\d+|[^\W\d_]+", fold(text, compatibility=True))


# --- What a reader may type for an entry --------------------------------------

def number_forms(value: Decimal, languages: Iterable[str]) -> list[str]:
    """550000 -> 550000, 550,000, 550 000, 550 thousand, 550K, 550 mille, ..."""
    plain = format(value.normalize(), "f")
    forms = [plain.rstrip("0").rstrip(".") if "." in plain else plain]
    for language in languages:
        forms.append(format_decimal(value, locale=language))
        if abs(value) >= 1000:
            forms += [format_compact_decimal(value, format_type=style, locale=language, fraction_digits=2)
                      for style in ("long", "short")]
    return forms


def unit_words(unit: Unit, value: Decimal, languages: Iterable[str]) -> list[str]:
    """Symbol and names of a unit, each with "{n}" where the number goes: its own templates, the word its
    glossary text opens with ("Petabytes per second: ..."), and, when the data file names its CLDR unit or
    currency, their names in every language ("megawatts", "mégawatts", "US dollars")."""
    words = [word for templates in unit.templates.values() for word in templates.values()]
    # Not a sign ("×") or money ("$"): the number and the currency's names find those.
    if unit.style != "date" and not unit.currency and any(c.isalpha() for c in unit.symbol):
        words.append("{n} " + unit.symbol)
    if unit.about and ":" in unit.about:
        words.append("{n} " + unit.about.split(":", 1)[0])
    for language in languages:
        if unit.cldr:
            words += [format_unit(Decimal(count), unit.cldr, length=length, locale=language)
                      .replace(count, "{n}", 1) for length in ("long", "short") for count in ("2", "1")]
        if unit.currency:
            name = get_currency_name(unit.currency, count=value, locale=language)
            words += ["{n} " + name, "{n} " + name.split()[-1]]
    return words


def date_forms(value: dt.date, languages: Iterable[str]) -> list[str]:
    forms = [value.isoformat(), str(value.year)]
    for language in languages:
        forms += [format_date(value, format=style, locale=language)
                  for style in ("short", "medium", "long", "full")]
        forms += [format_skeleton(skeleton, value, locale=language) for skeleton in ("yMMMM", "dMMMM")]
    forms.append(format_date(value, format="long", locale="en_GB"))
    return forms


# A multiple of a base unit answers to the base unit's names: "watt" finds kW,
# MW and GW, "byte" and "octet" find PB/s and EB. Read from the symbol (an SI
# prefix, then the base's symbol), since not every unit names a CLDR unit.
SI_PREFIXES = "kMGTPE"
BASE_UNITS = {"W": "power-watt", "B": "digital-byte"}


def base_unit_names(unit: Unit, languages: list[str]) -> list[str]:
    """["watt", "watts"] for kW, MW and GW; ["byte", "bytes", "octet", "octets"] for PB/s, EB."""
    symbol = unit.symbol.split("/")[0]
    base = BASE_UNITS.get(symbol[1:]) if len(symbol) > 1 and symbol[0] in SI_PREFIXES else None
    if base is None:
        return []
    return [format_unit(Decimal(count), base, length="long", locale=language).replace(str(count), "", 1).strip()
            for language in languages for count in (1, 2)]


def entry_keys(item: Figure | Derived | Name | Unit, data: Dataset, languages: list[str],
               source: bool, every_language: list[str]) -> list[str]:
    if isinstance(item, Name):
        return [item.label]
    if isinstance(item, Unit):
        keys = [item.symbol, item_text(item, data, languages[0], source=source)]
        keys += [word.replace("{n}", "").strip()
                 for count in (2, 1) for word in unit_words(item, Decimal(count), languages)]
        # Every edition's words, whichever the edition: a reader may type "octet" in English.
        return keys + base_unit_names(item, every_language)
    value = data.value(item)
    keys = [format_figure(item, data, languages[0])]
    if isinstance(value, dt.date):
        return keys + date_forms(value, languages)
    words = unit_words(data.units[item.unit], value, languages)
    for number in number_forms(value, languages):
        keys += [number, *(word.replace("{n}", number) for word in words)]
    return keys


def unique_token_keys(keys: Iterable[str]) -> list[str]:
    """Keys as space-joined tokens, each once: "550,000" and "550 000" are one key."""
    return [tokens for tokens in dict.fromkeys(" ".join(tokenize(key)) for key in keys) if tokens]


def glossary_entries(env: BuildEnvironment) -> list[dict[str, Any]]:
    """Every glossary entry as the search scripts read it (MACROHARD_GLOSSARY)."""
    data = dataset_of(env)
    language = env.config.language or "en"
    editions = configured_editions(env.config)
    # The edition's words, then the source's: a figure answers to the words it is written with.
    languages = list(dict.fromkeys([language, source_language(editions)]))
    every_language = [edition.language for edition in editions] or languages
    source = is_source_build(env.config)
    domain = domain_of(env)
    entries = sorted(domain.entries.values(),
                     key=lambda e: (KIND[e.kind].search_rank, fold(e.label, compatibility=True), e.anchor))
    records = []
    for entry in entries:
        item = items_of(data, entry.kind)[entry.item_id]
        record = {
            "doc": entry.docname,
            "anchor": entry.anchor,
            "label": entry.label,
            "kind": entry.kind,
            "text": entry.definition,  # as the glossary shows it, translated in a translation
            "keys": unique_token_keys([entry.label, *entry_keys(item, data, languages, source, every_language)]),
        }
        if entry.kind in ("figure", "derived"):
            # Where pages mention the figure: [docname, mention id, section title, section id],
            # so that a figure typed in any form lists the pages that cite it.
            record["pages"] = [[docname, place.mention_id, place.title, place.section_id]
                               for docname, place in domain.places_of({entry.anchor})]
        records.append(record)
    return records


# --- The words a misspelling is corrected to ---------------------------------------

# Words shorter than this are never corrected to, nor from a query word of fewer
# than five letters (macrohard-search.js, `correctWord`); a five-letter query word
# may be one edit from a four-letter one ("grook" -> "grok").
VOCABULARY_MIN = 4


def vocabulary(texts: Iterable[str]) -> dict[str, Any]:
    """Every word of the texts, folded, with how often it occurs: {"colossus": [41, "Colossus"], "energie":
    [5, "énergie"], "watt": 3}. The spelling a suggestion shows (the most frequent) is given when folding
    changed it. Numbers are no words here: they are never corrected."""
    # Each spelling folded once: the pages repeat their words.
    found = Counter(word for text in texts for word in re.findall(r"[^\W\d_]+", text)
                    if len(word) >= VOCABULARY_MIN)
    counts: dict[str, dict[str, int]] = {}
    for word, count in found.items():
        folded = fold(word, compatibility=True)
        if len(folded) >= VOCABULARY_MIN and folded.isalpha():
            counts.setdefault(folded, {})[word] = count
    words: dict[str, Any] = {}
    for folded, spellings in counts.items():
        total = sum(spellings.values())
        shown = min(spellings, key=lambda w: (-spellings[w], w))
        words[folded] = total if shown == folded else [total, shown]
    return words


# --- Page texts for snippets ----------------------------------------------------

class _TextWriter:
    """A page's prose as one line of text, where each section lies in it, and the pages
    its visible toctrees list."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.sections: dict[str, list[int]] = {}
        self.contents: list[str] = []

    def add(self, text: str) -> None:
        text = WHITESPACE.sub(" ", text)
        if text.startswith(" ") and (not self.parts or self.parts[-1].endswith(" ")):
            text = text[1:]  # one space between words, none first
        if text:
            self.parts.append(text)
            self.length += len(text)

    def walk(self, node: nodes.Node) -> None:
        if isinstance(node, nodes.Text):
            self.add(node.astext())
            return
        if isinstance(node, addnodes.toctree) and not node.get("hidden"):
            # Resolved at write time into the listed pages' titles, which readers see.
            self.contents.extend(ref for _title, ref in node["entries"] if ref != "self")
        if isinstance(node, SKIPPED) or "headerlink" in node.get("classes", ()):  # type: ignore[attr-defined]
            return  # a "¶" link is no part of the prose
        start = self.length
        for child in node.children:  # type: ignore[attr-defined]
            self.walk(child)
        if isinstance(node, BLOCKS) and not isinstance(node, nodes.Inline) or node.get("paragraph"):
            self.add(" ")  # a prepared paragraph (a glossary term...) too
        if isinstance(node, nodes.section):
            for section_id in node["ids"]:
                self.sections[section_id] = [start, self.length]


class PageTextsDomain(Domain):
    """Each page's prose as the search quotes it, kept per page as Sphinx's ext/todo.py
    keeps its todos. It declares no objects and no roles."""

    name = "page_texts"
    label = "Page texts"
    # texts: docname -> {"t": text, "s": {section id: [start, end]}, "c": [listed page]}
    initial_data: ClassVar[dict[str, Any]] = {"texts": {}}

    @property
    def texts(self) -> dict[str, dict[str, Any]]:
        return self.data.setdefault("texts", {})

    def process_doc(self, env: BuildEnvironment, docname: str, document: nodes.document) -> None:
        writer = _TextWriter()
        writer.walk(document)
        self.texts[docname] = {"t": "".join(writer.parts).strip(), "s": writer.sections, "c": writer.contents}

    def clear_doc(self, docname: str) -> None:
        self.texts.pop(docname, None)

    def merge_domaindata(self, docnames: AbstractSet[str], otherdata: dict[str, Any]) -> None:
        theirs = otherdata["texts"]
        self.texts.update((docname, theirs[docname]) for docname in docnames & theirs.keys())


# --- Writing the data files and wiring the scripts ------------------------------

def js_global(name: str, value: Any) -> str:
    payload = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return "window.{}={};\n".format(name, payload.replace("</", "<\\/"))  # "</" would end an inline script


def write_search_data(builder: StandaloneHTMLBuilder) -> None:
    """Before any page is written: the data files, and the scripts and styles every page
    loads (added before Sphinx's preparation, they reach every page)."""
    env = builder.env
    static = Path(builder.outdir, "_static")
    static.mkdir(parents=True, exist_ok=True)
    texts: dict[str, dict[str, Any]] = env.domains[PageTextsDomain.name].texts  # type: ignore[attr-defined]
    pages = {}
    for docname in sorted(env.found_docs & texts.keys()):
        page = texts[docname]
        titles = [env.titles[ref].astext() for ref in page["c"] if ref in env.titles]
        text = f"{page['t']} {' · '.join(titles)}" if titles else page["t"]
        pages[docname] = {"t": text, "s": page["s"], "h": page_title(env, docname)}
    entries = glossary_entries(env)
    words = vocabulary([*(page["t"] for page in pages.values()), *(page["h"] for page in pages.values()),
                        *(e["label"] for e in entries), *(e["text"] for e in entries),
                        *(key for e in entries for key in e["keys"])])
    (static / "glossary-data.js").write_text(
        js_global("MACROHARD_GLOSSARY", entries)
        + js_global("MACROHARD_VOCABULARY", words)
        + js_global("MACROHARD_SEARCH_UI", search_ui_strings())
        + js_global("MACROHARD_SEARCH_RULES", search_rules()), encoding="utf-8")
    (static / "snippets.js").write_text(js_global("MACROHARD_SNIPPETS", pages), encoding="utf-8")
    forget_asset_checksums()  # of the files just rewritten
    builder.add_css_file("glossary-tools.css")
    # The words the term previews show, on every page.
    ui_strings = {"glossaryEntry": str(_("glossary entry")), "previewGo": str(_("Go to the entry"))}
    builder.add_js_file("", body=js_global("MACROHARD_UI", ui_strings).strip())
    builder.add_js_file("term-preview.js", defer="defer")
    # Search as you type in the sidebar's box: this file only; the index and
    # the rest load on the box's first focus.
    builder.add_js_file("search-panel.js", defer="defer")


def search_ui_strings() -> dict[str, str]:
    """Words of the glossary filter and the search panel, for glossary-data.js."""
    strings = {
        "filterCount": _("{shown} of {total} entries"),
        "filterNone": _("No entry matches. Clear the box to see them all."),
        "panelLabel": _("Search suggestions"),
        "panelLoading": _("Loading the search index…"),
        "panelCount": _("{count} results, glossary entries first. Up and Down move, Enter opens."),
        "panelOne": _("1 result. Enter opens it."),
        "panelNone": _("No results. Enter searches the whole site."),
        "panelAll": _("All results on the search page"),
        "panelPages": _("Pages"),
        "panelGlossary": _("Glossary"),
        # {query} is the corrected query, a link that searches for it.
        "didYouMean": _("Did you mean {query}?"),
        "searchNone": _("No results."),
        "countPagesOne": _("{count} page"),
        "countPagesOther": _("{count} pages"),
        "countEntriesOne": _("{count} glossary entry"),
        "countEntriesOther": _("{count} glossary entries"),
        "countBoth": _("{pages}, {entries}"),
    }
    return {key: str(value) for key, value in strings.items()}


def add_filter_box(env: BuildEnvironment, doctree: nodes.document, docname: str) -> None:
    """The glossary filter's box, in the page as built: placed by the script once the page was shown, it
    pushed the entries down on a phone (a layout shift of 0.11 by Lighthouse's count). Without JavaScript
    glossary.css hides it. The web pages alone: no script runs in the e-book."""
    if docname not in domain_of(env).glossary_docs():
        return
    lists = [node for node in doctree.findall(nodes.definition_list) if "figures-glossary" in node["classes"]]
    if not lists:
        return
    # Counted as the script counts: each list's terms (dt), one an entry.
    total = sum(len(lst.children) for lst in lists)
    count = search_ui_strings()["filterCount"].replace("{shown}", str(total)).replace("{total}", str(total))
    # Outside the f-string: Babel's extractor (`nox -s translation`) does not look inside one.
    label = html.escape(str(_("Filter the glossary")))
    hint = html.escape(str(_("Type a name, a word or a figure, in letters or digits.")))
    markup = (
        '<div class="glossary-filter">'
        f'<label for="glossary-filter-input">{label}</label>'
        '<input type="search" id="glossary-filter-input" autocomplete="off" spellcheck="false" '
        'aria-describedby="glossary-filter-hint glossary-filter-count">'
        f'<p id="glossary-filter-hint" class="glossary-filter-hint">{hint}</p>'
        '<p id="glossary-filter-count" class="glossary-filter-count" role="status" aria-live="polite">'
        f'{html.escape(count)}</p></div>')
    # Before the section that holds the first list (the script's place for it).
    section = section_of(lists[0])
    first = section if section is not None else lists[0]
    first.parent.insert(first.parent.index(first), nodes.raw("", markup, format="html", generated=True))


def add_page_assets(builder: StandaloneHTMLBuilder, pagename: str) -> None:
    """The search page's and glossary pages' own files (Sphinx resets the lists before each page)."""
    if pagename == "search" or pagename in domain_of(builder.env).glossary_docs():
        builder.add_css_file("glossary.css")
        # Deferred scripts run in order, after searchtools.js and before the search starts.
        builder.add_js_file("glossary-data.js", defer="defer")
        if pagename == "search":
            builder.add_js_file("snippets.js", defer="defer")
        builder.add_js_file("macrohard-search.js", defer="defer")
        builder.add_js_file("glossary-search.js", defer="defer")


def setup_search(app: Sphinx) -> None:
    app.add_domain(PageTextsDomain)

