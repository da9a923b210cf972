"""The bare project: our pages for Sphinx + furo + MyST + sphinx-copybutton alone.

What our roles and directives render is written out in plain MyST, so that
the build ratio is the cost of our code rather than of Sphinx rendering more
content (see `bare_markdown`). The glossary is made with the extension's own
code (which entries, in which order, their text), so it cannot drift from
the site's.
"""

from __future__ import annotations

import posixpath
import re
import runpy
import shutil
from pathlib import Path
from types import SimpleNamespace

# The extension's own code, so the bare pages show what the site shows. The
# extension is being split into subpackages: these are the imports to update.
from macrohard_docs.figures.charts import Chart
from macrohard_docs.figures.data import Dataset, Derived, Figure, Name, Unit, load
from macrohard_docs.figures.datafiles import COLUMNS as DATA_COLUMNS
from macrohard_docs.figures.datafiles import download_files
from macrohard_docs.figures.domain import (
    EXPLICIT_TITLE,
    MENTION_ROLES,
    describe,
    glossary_items,
    item_text,
    lookup,
    reading_order,
)
from macrohard_docs.figures.formatting import format_figure
from macrohard_docs.figures.kinds import KIND_OF_PLURAL
from macrohard_docs.publish.build import Edition, zip_entry
from macrohard_docs.site.citation import citation_texts, edition_date
from macrohard_docs.site.dating import edition_epoch
from macrohard_docs.site.offline import FORMATS as OFFLINE_FORMATS
from macrohard_docs.site.offline import describe_format, unpack_commands

from . import DOCS, LANGUAGES

# Our directives, and what the bare project shows instead (see bare_markdown).
OUR_DIRECTIVES = re.compile(
    r"^```\{(figure-glossary|our-arithmetic|implications|figure-chart|figure-downloads|"
    r"offline-downloads|offline-unpack|cite-this)\}[ \t]*(.*?)\n(.*?)^```[ \t]*$", re.M | re.S)
OUR_ROLES = re.compile(r"\{(" + "|".join(MENTION_ROLES) + r")\}`([^`]*)`")
MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>])")
# A MyST toctree block: its entries are the lines that are not options.
TOCTREE = re.compile(r"^```\{toctree\}[^\n]*\n(.*?)^```[ \t]*$", re.M | re.S)
GLOSSARY_DIRECTIVE = re.compile(r"^```\{figure-glossary\}", re.M)


def md_escape(text: str) -> str:
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)


def formula(derived: Derived, data: Dataset, language: str) -> str:
    num, den = data.figures[derived.numerator], data.figures[derived.denominator]
    return (f"{format_figure(num, data, language)} ÷ {format_figure(den, data, language)} = "
            f"{format_figure(derived, data, language)} — {derived.measures}")


def glossary_markdown(which: str, data: Dataset, language: str,
                      mentions: dict[str, list[str]] | None) -> str:
    """The entries GlossaryDirective renders, as a MyST definition list: each entry
    with its label, its unit as a link, and the pages that mention it (text
    only, without labels or links, when *mentions* is None)."""
    out = []
    # The entries of ```{figure-glossary} <which>```, chosen and ordered by the extension's own code.
    for item in glossary_items(data, KIND_OF_PLURAL[which].name, language):
        lines = [md_escape(item_text(item, data, language)), f": {md_escape(describe(item))}"]
        if mentions is not None:
            lines.insert(0, f"({item.anchor})=")
        if isinstance(item, Figure) and data.units[item.unit].about:
            unit = data.units[item.unit]
            lines.append(f"\n  Unit: {mention(unit, item_text(unit, data, language), None if mentions is None else set())}")
        if isinstance(item, Derived):
            lines.append(f"\n  {md_escape(formula(item, data, language))}")
            lines.append("\n  Our arithmetic, not the article's claim.")
        pages = (mentions or {}).get(item.anchor)
        if pages:
            lines.append("\n  Mentioned in: " + ", ".join(f"{{doc}}`/{page}`" for page in pages) + ".")
        out.append("\n".join(lines))
    return "\n\n".join(out) + "\n"


def arithmetic_markdown(ids: list[str], data: Dataset, language: str) -> str:
    lines = "\n".join(f"- {md_escape(formula(data.derived[i], data, language))}" for i in ids)
    return ("```{admonition} Our arithmetic\nComputed by this site from the article's figures; "
            f"not claims made by the article.\n\n{lines}\n```\n")


def chart_markdown(name: str, data: Dataset, language: str) -> str:
    """A chart as our directive renders it: title and subtitle, its SVG (as raw
    HTML), source line and key, what to notice, and its numbers as a table whose
    figures link to the glossary.

    The table links its figures on its own (a set of its own, not the page's):
    the translations see only the prose, so the prose must link the same way
    with or without the charts between it.
    """
    definition = data.charts[name]
    chart = Chart(definition, data, language)
    linked: set[str] = set()
    chart_id = f"chart-{name}"
    rows = "".join(
        f"* - {md_escape(chart.label(row))}\n"
        f"  - {mention(chart.item(row.figure), chart.text(row.figure), linked)}\n"
        f"  - {md_escape(chart.table_status(row))}\n"
        for row in definition.rows)
    return (f"**{md_escape(definition.title)}**\n\n{md_escape(definition.subtitle)}\n\n"
            f"```{{raw}} html\n{chart.svg(f'{chart_id}-title', f'{chart_id}-notice')}\n```\n\n"
            f"{md_escape(definition.source)}\n\n{md_escape(chart.key_line())}\n\n"
            f"{md_escape(definition.notice)}\n\n"
            "```{list-table} The numbers in this chart\n:header-rows: 1\n:stub-columns: 1\n\n"
            f"* - What\n  - Figure\n  - Source\n{rows}```\n")


def data_downloads_markdown(data: Dataset) -> str:
    files = "\n".join(f"- {md_escape(f.title)}: {md_escape(f.description)}" for f in download_files())
    columns = "\n\n".join(
        f"`{name}`\n: {md_escape(str(doc()).replace('{units}', ', '.join(data.units)))}"
        for name, doc in DATA_COLUMNS)
    return f"{files}\n\nBoth files hold the same columns, in this order:\n\n{columns}\n"


def offline_downloads_markdown() -> str:
    return "\n".join(f"- {md_escape(str(title))}: {md_escape(str(text))}"
                     for title, text in map(describe_format, OFFLINE_FORMATS)) + "\n"


def unpack_markdown(conf: dict, language: str) -> str:
    """The commands that unpack the zip, named as the build names them for this edition."""
    target = next(posixpath.join("html", e["path"]) if e["path"] else "html"
                  for e in conf["site_editions"] if e["language"] == language)
    return f"```console\n{unpack_commands(zip_entry(Edition('html', language, target)))}\n```\n"


def cite_markdown(conf: dict, language: str) -> str:
    config = SimpleNamespace(**{key: conf.get(key, "") for key in (
        "html_title", "project", "author", "dossier_source_title", "dossier_source_language", "release")},
        dossier_author_by_language=conf.get("dossier_author_by_language", {}), language=language,
        edition_epoch=edition_epoch(DOCS))
    plain, bibtex = citation_texts(config, edition_date(config))  # type: ignore[arg-type]
    return f"As text:\n\n```text\n{plain}\n```\n\nAs BibTeX:\n\n```bibtex\n{bibtex}\n```\n"


def page_order(pages: dict[str, str], root_doc: str) -> dict[str, int]:
    """Each page's position in the toctree, by the extension's `reading_order`
    (which reads Sphinx's environment; here, the toctrees in the page sources)."""
    includes = {}
    for docname, text in pages.items():
        folder = docname.rpartition("/")[0]
        entries = [line.strip() for block in TOCTREE.findall(text) for line in block.splitlines()
                   if line.strip() and not line.strip().startswith(":")]
        includes[docname] = [entry.lstrip("/") if entry.startswith("/") else
                             f"{folder}/{entry}".lstrip("/") for entry in entries]
    env = SimpleNamespace(config=SimpleNamespace(root_doc=root_doc), toctree_includes=includes)
    return reading_order(env)  # type: ignore[arg-type]


def directive_mentions(text: str, data: Dataset, language: str) -> list[Figure | Derived | Name]:
    """The items our directives on a page link to: arithmetic boxes their formulas'
    three figures (formula_paragraph), charts the figures in their tables."""
    items: list[Figure | Derived | Name] = []
    for name, argument, body in OUR_DIRECTIVES.findall(text):
        derived_ids = ([line.strip() for line in body.splitlines() if line.strip()] if name == "our-arithmetic"
                       else list(data.derived) if name == "implications" else [])
        for derived in (data.derived[i] for i in derived_ids if i in data.derived):
            items += [data.figures[derived.numerator], data.figures[derived.denominator], derived]
        if name == "figure-chart":
            items += [data.figure_or_derived(row.figure)  # type: ignore[misc]
                      for row in data.charts[argument.strip()].rows]
    return items


def mentions_in(pages: dict[str, str], data: Dataset, language: str, root_doc: str) -> dict[str, list[str]]:
    """Glossary anchor -> the pages that mention it, in reading order, as the
    site's "Mentioned in" lists them (FiguresDomain.docs_mentioning): by a
    role or one of our directives; a unit's entry, the pages that mention a
    figure in that unit (ResolveMentions.mentioned_in)."""
    found: dict[str, set[str]] = {}
    for docname, text in pages.items():
        if GLOSSARY_DIRECTIVE.search(text):
            continue  # the glossary's own links are not mentions
        items = [role_target(kind, body, data)[0] for kind, body in OUR_ROLES.findall(text)]
        for item in items + directive_mentions(text, data, language):
            found.setdefault(item.anchor, set()).add(docname)
    for figure in [*data.figures.values(), *data.derived.values()]:
        if figure.anchor in found:
            found.setdefault(data.units[figure.unit].anchor, set()).update(found[figure.anchor])
    order = page_order(pages, root_doc)
    return {anchor: sorted(docs, key=lambda d: (order.get(d, len(order)), d)) for anchor, docs in found.items()}


def bare_markdown(text: str, data: Dataset, language: str, conf: dict,
                  mentions: dict[str, list[str]] | None) -> str:
    """A page with our roles and directives replaced by the plain MyST that shows the same.

    The first mention of an item on a page becomes a link to its glossary entry
    ({ref}), later ones its text; figure-glossary becomes definition lists with
    labels, units and "Mentioned in" links; figure-chart the chart's SVG as raw
    HTML, its table and summary; our-arithmetic and implications an admonition;
    the download lists and the citation block the same text in plain Markdown.
    What is left to our code is what no page source can say: the page templates
    (language switcher, alternates), the content security policy, the search
    layer, the data files and the checks.

    With *mentions* None, the *text-only* page instead: every mention as plain
    text, the glossary without labels, links or "Mentioned in", and no charts,
    download lists or citation block.
    """
    text_only = mentions is None
    linked: set[str] | None = None if text_only else set()

    def directive(match: re.Match[str]) -> str:
        name, argument, body = match.groups()
        if name == "figure-glossary":
            return glossary_markdown(argument.strip(), data, language, mentions)
        if name == "our-arithmetic":
            return arithmetic_markdown([line.strip() for line in body.splitlines() if line.strip()],
                                       data, language)
        if name == "implications":
            return arithmetic_markdown(list(data.derived), data, language)
        if text_only:
            return ""
        if name == "figure-chart":
            return chart_markdown(argument.strip(), data, language)
        if name == "figure-downloads":
            return data_downloads_markdown(data)
        if name == "offline-downloads":
            return offline_downloads_markdown()
        if name == "offline-unpack":
            return unpack_markdown(conf, language)
        return cite_markdown(conf, language)

    # What the directives become holds no role of ours, only the prose does.
    return replace_roles(OUR_DIRECTIVES.sub(directive, text), data, language, linked)


def role_target(kind: str, body: str, data: Dataset) -> tuple[Figure | Derived | Name, str | None]:
    """The item a {fig}, {derived} or {name} role names, and its explicit title if any."""
    explicit = EXPLICIT_TITLE.match(body)  # as MentionRole reads it
    item = lookup(data, MENTION_ROLES[kind], (explicit.group(2) if explicit else body).strip())
    if item is None:
        raise SystemExit(f"error: {body!r} is not in the figures data; fix the page first.")
    return item, explicit.group(1) if explicit else None  # type: ignore[return-value]


def mention(item: Figure | Derived | Name | Unit, shown: str, linked: set[str] | None) -> str:
    """An item as a page shows it: a link to its glossary entry the first time on a page."""
    if linked is None or item.anchor in linked:
        return md_escape(shown)
    linked.add(item.anchor)
    return f"{{ref}}`{shown} <{item.anchor}>`"


def replace_roles(text: str, data: Dataset, language: str, linked: set[str] | None) -> str:
    """{fig}, {derived} and {name} roles replaced by what our extension renders
    (see `mention`; *linked* holds the anchors this page has linked so far)."""
    def role(match: re.Match[str]) -> str:
        item, title = role_target(*match.groups(), data)
        return mention(item, title if title is not None else item_text(item, data, language), linked)

    return OUR_ROLES.sub(role, text)


def bare_catalogs(source: Path, dest: Path, data: Dataset, language: str, text_only: bool) -> None:
    """The translations, with our roles replaced in both languages as on the bare pages.

    The .mo is compiled here, so neither project pays for compiling catalogs in a timed build.
    """
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po, write_po

    for po in source.rglob("*.po"):
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        # Messages come in page order, so the page's first mentions are linked
        # here as on the bare page, and the msgid still matches its paragraph.
        linked_id: set[str] | None = None if text_only else set()
        linked_string: set[str] | None = None if text_only else set()
        for message in catalog:
            if message.id and isinstance(message.id, str):
                message.id = replace_roles(message.id, data, language, linked_id)
                message.string = replace_roles(message.string, data, language, linked_string)
        target = dest / po.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as handle:
            write_po(handle, catalog, width=0)
        with target.with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalog)


BARE_CONF_KEYS = ["project", "author", "copyright", "version", "release", "myst_enable_extensions",
                  "myst_heading_anchors", "root_doc", "exclude_patterns", "html_theme", "html_title",
                  "html_last_updated_fmt", "html_copy_source", "html_show_sourcelink"]


def make_bare(docs: Path, dest: Path, language: str, text_only: bool = False) -> Path:
    """A bare project for *language* in dest/bare-<language> (bare-text-<language>
    for the text-only pages): conf.py and source/. See `bare_markdown`."""
    project = dest / (f"bare-text-{language}" if text_only else f"bare-{language}")
    conf = runpy.run_path(str(docs / "conf.py"))
    settings = {key: conf[key] for key in BARE_CONF_KEYS if key in conf}
    settings.update({key: value for key, value in conf.items()
                     if key.startswith("epub_") and key != "epub_cover"})
    # Our fix of a MyST-Parser cost too, which is no feature of ours: the
    # comparison measures our own code (see macrohard_docs.figures.myst_private).
    settings["extensions"] = ["myst_parser", "sphinx_copybutton", "macrohard_docs.figures.myst_private"]
    settings["language"] = language
    project.mkdir(parents=True)
    data = load(docs / conf.get("figures_data", "data/figures.toml"), languages=tuple(LANGUAGES))
    if language != "en":
        settings.update(locale_dirs=["../locales"], gettext_compact=False)  # from source/
        bare_catalogs(docs / "locales" / language, project / "locales" / language, data, language, text_only)
    (project / "conf.py").write_text(
        '"""Bare Sphinx + furo + MyST: the same pages, without macrohard_docs (but for its fix '
        'of a MyST-Parser cost)."""\n'
        + "".join(f"{key} = {value!r}\n" for key, value in settings.items()), encoding="utf-8")
    source = docs / "source"
    # Pages by docname: mentions_in needs every page before the first is written.
    sources = {page.relative_to(source).with_suffix("").as_posix(): page.read_text(encoding="utf-8")
               for page in source.rglob("*.md")}
    mentions = None if text_only else mentions_in(sources, data, language, conf.get("root_doc", "index"))
    for docname, text in sources.items():
        target = project / "source" / f"{docname}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(bare_markdown(text, data, language, conf, mentions), encoding="utf-8")
    for page in source.rglob("*"):
        if page.is_file() and page.suffix != ".md":
            target = project / "source" / page.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(page, target)
    return project


