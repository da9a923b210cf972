"""The dossier's benchmark: builds, page weight, Lighthouse, search; one table.

    nox -s bench                      (or: python scripts/bench.py)
    python scripts/bench.py --quick   (one round, one Lighthouse run, no valgrind: a smoke test)
    python scripts/bench.py [--rounds 5] [--jobs 1] [--notes /work/bench-notes.md]

Measures, in one run on this machine, the median of --rounds runs of each:

- builds, ours side by side with a *bare* project (Sphinx + furo + MyST +
  sphinx-copybutton, without our extension) holding the same pages, with
  what our roles and directives show written out in plain MyST (links,
  glossary, charts as SVG; see `bare_markdown`), so the ratio is the cost of
  our code rather than of Sphinx rendering more content: a cold
  HTML build of each edition (en, fr); a no-op rebuild and an incremental
  rebuild after one page is edited (en); and everything `nox -s docs` makes
  (`python -m macrohard_docs.build`: both editions, EPUB, single page, PDF,
  zip) against the bare project's HTML, EPUB and single page in both
  languages (it has no PDF or zip). Builds run from a snapshot of docs/ in a
  temporary folder, each in a fresh process, strict (-W --keep-going -n).
  CPU seconds (user + system of the build and its children) are printed
  with wall seconds: on a machine shared with other work, wall time mostly
  measures the others. CPU seconds still vary by a third from run to run on
  this virtual machine, so when valgrind is installed the cold build of each
  edition is also run under callgrind, whose instruction count does not
  vary, and the bar is judged on that count (on CPU seconds without
  valgrind); a text-only bare project (mentions as plain text, no charts,
  glossary links or citation) is counted too, for comparison.
  Bar: ours / bare, cold build of one edition, at most 1.10; when over, the script profiles our build
  (cProfile) and lists where our extension spends its time. Our package is
  byte-compiled first, as any installed package is.
- bytes each page type loads in Chromium (landing, article, glossary,
  search.html?q=Colossus) over http://127.0.0.1 (http.server, which does not
  compress; the site is built with --base-url at that address, as
  deployed): the body bytes of every response, the document included,
  until the network is idle. Bar: the article page at most 150 KB (153,600 B).
- Lighthouse 12.2.3 (tests/node_modules, `npm ci --prefix tests`), mobile
  (its default), over the same server: performance, accessibility, best
  practices, SEO, and the cumulative layout shift. Bars: 100 for the last
  three, at least 95 for performance, CLS under 0.1 on the search page.
- search and filter latency: scripts/bench_search.py over the built site
  (from file:// and over http, with a blank page as the floor).

Prints one Markdown table and writes it, with the date and the machine's
load, to --notes (default docs/_build/bench-notes.md). Exits 1 when a bar is
not met (the table says which).
"""

from __future__ import annotations

import argparse
import cProfile
import contextlib
import datetime as dt
import functools
import gzip
import http.server
import io
import json
import os
import platform
import pstats
import re
import resource
import runpy
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "src"))

import bench_search  # noqa: E402
import macrohard_docs  # noqa: E402
from macrohard_docs.charts import CHARTS, status_text  # noqa: E402
from macrohard_docs.citation import citation_texts, edition_date  # noqa: E402
from macrohard_docs.dating import edition_epoch  # noqa: E402
from macrohard_docs.data import Dataset, Derived, Figure, Name, Unit, load  # noqa: E402
from macrohard_docs.datafiles import COLUMNS as DATA_COLUMNS  # noqa: E402
from macrohard_docs.datafiles import download_files  # noqa: E402
from macrohard_docs.domain import EXPLICIT_TITLE, MENTION_ROLES, describe, item_text, lookup  # noqa: E402
from macrohard_docs.offline import FORMATS as OFFLINE_FORMATS  # noqa: E402
from macrohard_docs.offline import describe_format  # noqa: E402
from macrohard_docs.formatting import format_figure  # noqa: E402

STRICT = ["-W", "--keep-going", "-n", "-q"]
LANGUAGES = ["en", "fr"]
EDITED_PAGE = "article/colossus.md"
# No digits: page prose never types one (a test enforces it on the real pages).
EDIT = "\n\nThis sentence was added by the benchmark and is removed after it.\n"
PAGES = {  # page type -> URL path below the English root
    "landing": "index.html",
    "article": "article/colossus.html",
    "glossary": "glossary.html",
    "search": "search.html?q=Colossus",
}
RATIO_BAR = 1.10
ARTICLE_BYTES_BAR = 150 * 1024
LIGHTHOUSE_BARS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
CLS_BAR = 0.1
CHROME_FLAGS = " ".join(bench_search.ARGS)
LIGHTHOUSE = ROOT / "tests" / "node_modules" / ".bin" / "lighthouse"

# Our directives, and what the bare project shows instead (see bare_markdown).
OUR_DIRECTIVES = re.compile(
    r"^```\{(figure-glossary|our-arithmetic|implications|figure-chart|figure-downloads|"
    r"offline-downloads|cite-this)\}[ \t]*(.*?)\n(.*?)^```[ \t]*$", re.M | re.S)
OUR_ROLES = re.compile(r"\{(" + "|".join(MENTION_ROLES) + r")\}`([^`]*)`")
MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>])")


# --- the bare project ----------------------------------------------------------


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
    items = {"figures": list(data.figures.values()), "derived": list(data.derived.values()),
             "names": sorted(data.names.values(), key=lambda n: n.label.casefold()),
             "units": [u for u in data.units.values() if u.about]}[which]
    out = []
    for item in items:
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
    """A chart as our directive renders it: its SVG (as raw HTML), its numbers as a
    table whose figures link to the glossary, and its summary.

    The table links its figures on its own (a set of its own, not the page's):
    the translations see only the prose, so the prose must link the same way
    with or without the charts between it.
    """
    chart = CHARTS[name](data, language)
    linked: set[str] = set()
    chart_id = f"chart-{name}"
    rows = "".join(
        f"* - {md_escape(label)}\n  - {mention(data.figure_or_derived(figure_id), chart.text(figure_id), linked)}\n"  # type: ignore[arg-type]
        f"  - {md_escape(str(status_text(kind)))}\n"
        for label, figure_id, kind in chart.table())
    return (f"```{{raw}} html\n{chart.svg(f'{chart_id}-title', f'{chart_id}-text')}\n```\n\n"
            "```{list-table} The numbers in this chart\n:header-rows: 1\n:stub-columns: 1\n\n"
            f"* - What\n  - Figure\n  - Source\n{rows}```\n\n{md_escape(chart.summary())}\n")


def data_downloads_markdown(data: Dataset) -> str:
    files = "\n".join(f"- {md_escape(f.title)}: {md_escape(f.description)}" for f in download_files())
    columns = "\n\n".join(
        f"`{name}`\n: {md_escape(str(doc()).replace('{units}', ', '.join(data.units)))}"
        for name, doc in DATA_COLUMNS)
    return f"{files}\n\nBoth files hold the same columns, in this order:\n\n{columns}\n"


def offline_downloads_markdown() -> str:
    return "\n".join(f"- {md_escape(str(title))}: {md_escape(str(text))}"
                     for title, text in map(describe_format, OFFLINE_FORMATS)) + "\n"


def cite_markdown(conf: dict, language: str) -> str:
    config = SimpleNamespace(**{key: conf.get(key, "") for key in (
        "html_title", "project", "author", "dossier_source_title", "dossier_source_language", "release")},
        language=language, edition_epoch=edition_epoch(DOCS))
    plain, bibtex = citation_texts(config, edition_date(config))  # type: ignore[arg-type]
    return f"As text:\n\n```text\n{plain}\n```\n\nAs BibTeX:\n\n```bibtex\n{bibtex}\n```\n"


def mentions_in(pages: dict[str, str], data: Dataset) -> dict[str, list[str]]:
    """Glossary anchor -> the pages (docnames, in name order) whose source mentions it."""
    found: dict[str, list[str]] = {}
    for docname, text in sorted(pages.items()):
        if docname == "glossary":
            continue
        for kind, body in OUR_ROLES.findall(text):
            item, _title = role_target(kind, body, data)
            if docname not in found.setdefault(item.anchor, []):
                found[item.anchor].append(docname)
    return found


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
    settings["extensions"] = ["myst_parser", "sphinx_copybutton"]
    settings["language"] = language
    project.mkdir(parents=True)
    data = load(docs / conf.get("figures_data", "data/figures.toml"), languages=tuple(LANGUAGES))
    if language != "en":
        settings.update(locale_dirs=["../locales"], gettext_compact=False)  # from source/
        bare_catalogs(docs / "locales" / language, project / "locales" / language, data, language, text_only)
    (project / "conf.py").write_text(
        '"""Bare Sphinx + furo + MyST: the same pages, without macrohard_docs."""\n'
        + "".join(f"{key} = {value!r}\n" for key, value in settings.items()), encoding="utf-8")
    source = docs / "source"
    # Pages by docname: mentions_in needs every page before the first is written.
    sources = {page.relative_to(source).with_suffix("").as_posix(): page.read_text(encoding="utf-8")
               for page in source.rglob("*.md")}
    mentions = None if text_only else mentions_in(sources, data)
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


# --- timing builds -------------------------------------------------------------


@dataclass
class Timing:
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def median_cpu(self) -> float:
        return statistics.median(self.cpu)

    def median_wall(self) -> float:
        return statistics.median(self.wall)

    def cell(self) -> str:
        if not self.cpu:
            return "–"
        return f"{self.median_cpu():.2f} ({self.median_wall():.2f})"


def timed(commands: list[list[str]], timing: Timing) -> None:
    """Run *commands* one after the other, fresh processes; record their wall and CPU time."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    for command in commands:
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(f"error: build failed ({done.returncode}): {' '.join(command)}\n"
                             f"{done.stdout[-3000:]}{done.stderr[-3000:]}")
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    timing.wall.append(wall)
    timing.cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)


def sphinx(conf: Path, out: Path, builder: str, language: str, jobs: str, name: str = "") -> list[str]:
    name = name or f"{builder}-{language}"
    return [sys.executable, "-m", "sphinx", "-b", builder, "-c", str(conf), "-d", str(out / "doctrees" / name),
            "-j", jobs, "-D", f"language={language}", *STRICT, str(conf / "source"), str(out / name)]


def ours_html(docs: Path, out: Path, language: str, jobs: str) -> list[list[str]]:
    return [sphinx(docs, out, "html", language, jobs)]


def everything_ours(docs: Path, out: Path, jobs: str, base_url: str = "") -> list[list[str]]:
    # --base-url: the site as deployed, naming its full addresses (hreflang,
    # canonical) at the server Lighthouse reads it from.
    return [[sys.executable, "-m", "macrohard_docs.build", "--out", str(out), "--docs", str(docs),
             "--jobs", jobs, "--base-url", base_url]]


def everything_bare(bare: dict[str, Path], out: Path, jobs: str) -> list[list[str]]:
    return [sphinx(bare[lang], out, builder, lang, jobs)
            for lang in LANGUAGES for builder in ("html", "epub", "singlehtml")]


@contextlib.contextmanager
def edited(page: Path):
    """One page with a sentence appended, restored afterwards."""
    text = page.read_text(encoding="utf-8")
    page.write_text(text + EDIT, encoding="utf-8")
    try:
        yield
    finally:
        page.write_text(text, encoding="utf-8")


BUILD_ROWS = [
    ("cold build, en HTML", True),
    ("cold build, fr HTML", True),
    ("no-op rebuild, en HTML", False),
    ("one page edited, en HTML", False),
    ("cold build, everything `nox -s docs` makes", False),
    ("no-op rebuild, everything", False),
    ("one page edited, everything", False),
]


def bench_builds(work: Path, rounds: int, jobs: str, log,
                 base_url: str = "") -> tuple[dict[str, tuple[Timing, Timing]], Path, Path]:
    """Build timings by row: (ours, bare). Returns them with our last site and the bare en HTML."""
    docs = work / "docs"
    shutil.copytree(DOCS, docs, ignore=shutil.ignore_patterns("_build", "__pycache__"))
    bare = {lang: make_bare(docs, work, lang) for lang in LANGUAGES}
    rows = {name: (Timing(), Timing()) for name, _ in BUILD_ROWS}
    # Our package's bytecode, as an installed package has it (pip compiles it
    # at install). An editable install under PYTHONDONTWRITEBYTECODE=1 (as on
    # this machine) would otherwise compile our modules in every build process.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(macrohard_docs.__file__).parent)],
                   check=True)
    # Warm the disk cache and pay Python's first imports (and any catalog
    # compiling) outside the measurements.
    for lang in LANGUAGES:
        for kind, project in (("ours", docs), ("bare", bare[lang])):
            subprocess.run(sphinx(project, work / "warm-up", "html", lang, jobs, f"{kind}-{lang}"),
                           check=True, capture_output=True)
    site = bare_site = work
    for round_ in range(rounds):
        log(f"builds: round {round_ + 1} of {rounds}")
        out = {kind: work / f"{kind}-{round_}" for kind in ("ours", "bare")}
        projects = {"ours": {lang: docs for lang in LANGUAGES}, "bare": bare}
        for lang in LANGUAGES:
            for index, kind in enumerate(("ours", "bare")):
                timed([sphinx(projects[kind][lang], out[kind], "html", lang, jobs)],
                      rows[f"cold build, {lang} HTML"][index])
        for index, kind in enumerate(("ours", "bare")):
            command = [sphinx(projects[kind]["en"], out[kind], "html", "en", jobs)]
            timed(command, rows["no-op rebuild, en HTML"][index])
            with edited(projects[kind]["en"] / "source" / EDITED_PAGE):
                timed(command, rows["one page edited, en HTML"][index])
        for index, kind in enumerate(("ours", "bare")):
            target = out[kind] / "everything"
            command = everything_ours(docs, target, jobs, base_url) if kind == "ours" \
                else everything_bare(bare, target, jobs)
            timed(command, rows["cold build, everything `nox -s docs` makes"][index])
            timed(command, rows["no-op rebuild, everything"][index])
            with edited(projects[kind]["en"] / "source" / EDITED_PAGE):
                timed(command, rows["one page edited, everything"][index])
        site, bare_site = out["ours"] / "everything" / "html", out["bare"] / "html-en"
        for kind, folder in out.items():  # keep the last round's sites only
            if round_ + 1 < rounds:
                shutil.rmtree(folder)
    return rows, site, bare_site


def instructions(commands: dict[str, list[str]]) -> dict[str, int]:
    """Instructions each command executes, counted by valgrind (callgrind), all at once.

    Unlike CPU seconds on a shared machine, the count is the same from run to
    run, so its ratio says what our code costs without the neighbours' noise.
    """
    runs = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, command in commands.items():
            runs[name] = subprocess.Popen(
                ["valgrind", "--tool=callgrind", f"--callgrind-out-file={tmp}/{name}.out", *command],
                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        counts = {}
        for name, run in runs.items():
            _, err = run.communicate()
            found = re.search(r"I\s+refs:\s+([\d,]+)", err)
            if run.returncode or not found:
                raise SystemExit(f"error: valgrind on {name} failed: {err[-2000:]}")
            counts[name] = int(found.group(1).replace(",", ""))
    return counts


def bench_instructions(work: Path, jobs: str) -> dict[str, int] | None:
    """Cold HTML builds of each edition, ours, bare and bare text-only, under
    callgrind (about ten minutes); None without valgrind. Keys: "ours-en",
    "bare-en", "bare-text-en", "ours-fr", ..."""
    if not shutil.which("valgrind"):
        return None
    projects = {"ours": {lang: work / "docs" for lang in LANGUAGES},
                "bare": {lang: work / f"bare-{lang}" for lang in LANGUAGES},
                "bare-text": {lang: make_bare(work / "docs", work, lang, text_only=True) for lang in LANGUAGES}}
    return instructions({
        f"{kind}-{lang}": sphinx(projects[kind][lang], work / f"callgrind-{kind}", "html", lang, jobs)
        for lang in LANGUAGES for kind in projects})


# (label, file suffix, function): phases of a Sphinx build, cumulative seconds.
PHASES = [
    ("whole build", "sphinx/cmd/build.py", "build_main"),
    ("start-up: conf, extensions, env", "sphinx/application.py", "__init__"),
    ("read: parse + transforms", "sphinx/builders/__init__.py", "read"),
    ("  of which Sphinx translating pages", "sphinx/transforms/i18n.py", "apply"),
    ("  of which role functions", "sphinx/util/docutils.py", "__call__"),
    ("write: post-transforms, HTML, pages", "sphinx/builders/__init__.py", "write"),
    ("  of which page templates (jinja)", "sphinx/jinja2glue.py", "render"),
    ("  of which search index feed", "sphinx/search/__init__.py", "feed"),
    ("finish: static files, index dump", "sphinx/builders/html/__init__.py", "finish"),
]


def cumulative(stats: pstats.Stats, suffix: str, name: str) -> float:
    return sum(row[3] for func, row in stats.stats.items()  # type: ignore[attr-defined]
               if func[0].endswith(suffix) and func[2] == name)


def profile_builds(docs: Path, bare: dict[str, Path], work: Path, top: int = 12) -> str:
    """cProfile of a cold HTML build of each edition, ours and bare: phases, then our functions."""
    stats: dict[tuple[str, str], pstats.Stats] = {}
    for lang in LANGUAGES:
        for kind, project in (("ours", docs), ("bare", bare[lang])):
            stats_file = work / f"{kind}-{lang}.prof"
            command = sphinx(project, work / "profiled", "html", lang, "1", f"{kind}-{lang}")
            subprocess.run([sys.executable, "-m", "cProfile", "-o", str(stats_file), *command[1:]],
                           cwd=ROOT, check=True, capture_output=True)
            stats[kind, lang] = pstats.Stats(str(stats_file))
    columns = [(kind, lang) for lang in LANGUAGES for kind in ("ours", "bare")]
    lines = ["cProfile, cold HTML build, -j 1 (profiling slows builds down; compare columns, "
             "not with the table above). Cumulative seconds by phase:", "",
             "| phase | " + " | ".join(f"{k} {lang}" for k, lang in columns) + " |",
             "|---|" + "---:|" * len(columns)]
    for label, suffix, name in PHASES:
        lines.append(f"| {label} | " + " | ".join(f"{cumulative(stats[c], suffix, name):.2f}"
                                                   for c in columns) + " |")
    for lang in LANGUAGES:
        ours = [(func, row) for func, row in stats["ours", lang].stats.items()  # type: ignore[attr-defined]
                if "macrohard_docs" in func[0] and func[0].endswith(".py")]
        lines += ["", f"Our extension's functions by cumulative time ({lang}; nested calls overlap):", "",
                  "| cumulative s | own s | calls | function |", "|---:|---:|---:|---|"]
        for func, (_, calls, own, cum, _) in sorted(ours, key=lambda f: -f[1][3])[:top]:
            lines.append(f"| {cum:.3f} | {own:.3f} | {calls} | `{Path(func[0]).name}:{func[1]} {func[2]}` |")
    return "\n".join(lines)


# --- pages in Chromium ---------------------------------------------------------


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


class GzipHandler(QuietHandler):
    """Text files gzip-compressed, as static hosts (GitHub Pages, Read the Docs) serve them."""

    def send_head(self):  # type: ignore[override]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file() or \
                path.suffix not in (".html", ".css", ".js", ".svg", ".json", ".txt"):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def serve(folder: Path, compress: bool = False, port: int = 0):
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", port), functools.partial(GzipHandler if compress else QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def page_bytes(browser, url: str) -> tuple[int, int, list[str]]:
    """Body bytes of every response the page loads (fresh cache), requests, failures."""
    context = browser.new_context()
    page = context.new_page()
    sizes: list[int] = []
    failures: list[str] = []
    page.on("requestfinished", lambda request: sizes.append(request.sizes()["responseBodySize"]))
    page.on("response", lambda response: response.status >= 400 and failures.append(
        f"{response.status} {response.url}"))
    page.on("requestfailed", lambda request: failures.append(f"failed {request.url}"))
    page.goto(url, wait_until="load")
    if "search.html" in url:
        page.wait_for_selector("#search-results .search-summary:not(:empty)")
    page.wait_for_load_state("networkidle")
    context.close()
    return sum(sizes), len(sizes), failures


def bench_bytes(site: Path, bare_site: Path, port: int = 0) -> dict[str, tuple[int, int, list[str]]]:
    from playwright.sync_api import sync_playwright

    results = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=bench_search.CHROMIUM, args=bench_search.ARGS)
        with serve(site, port=port) as base:
            for name, path in PAGES.items():
                results[name] = page_bytes(browser, f"{base}/{path}")
        with serve(bare_site) as base:
            results["article, bare build"] = page_bytes(browser, f"{base}/{PAGES['article']}")
        browser.close()
    return results


@dataclass
class LighthouseResult:
    scores: dict[str, list[float]] = field(default_factory=dict)
    cls: list[float] = field(default_factory=list)
    failing: dict[str, str] = field(default_factory=dict)  # audit id -> "category: title"
    shown: dict[str, list[str]] = field(default_factory=dict)  # audit id -> display values

    def median(self, category: str) -> float:
        return statistics.median(self.scores[category])


def lighthouse(url: str, result: LighthouseResult) -> None:
    command = [str(LIGHTHOUSE), url, "--output=json", "--output-path=stdout", "--quiet",
               f"--chrome-flags={CHROME_FLAGS}"]
    done = subprocess.run(command, capture_output=True, text=True,
                          env={**os.environ, "CHROME_PATH": bench_search.CHROMIUM}, timeout=300)
    if done.returncode:
        raise SystemExit(f"error: Lighthouse failed on {url}:\n{done.stderr[-3000:]}")
    report = json.loads(done.stdout)
    if report.get("runtimeError"):
        raise SystemExit(f"error: Lighthouse on {url}: {report['runtimeError']}")
    for category, values in report["categories"].items():
        result.scores.setdefault(category, []).append(round(values["score"] * 100))
        if category == "performance":
            continue  # its score is the metrics'; the opportunities are in the report
        for ref in values["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref.get("weight") and audit.get("score") is not None and audit["score"] < 1:
                result.failing[ref["id"]] = f"{category}: {audit['title']}"
                if audit.get("displayValue"):
                    result.shown.setdefault(ref["id"], []).append(audit["displayValue"])
    metrics = report["audits"]
    result.cls.append(metrics["cumulative-layout-shift"]["numericValue"])
    for metric in ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "speed-index"):
        audit = metrics[metric]
        if audit.get("score") is not None and audit["score"] < 0.9:
            result.failing[metric] = f"performance: {audit['title']} (score under 0.9)"
            result.shown.setdefault(metric, []).append(audit.get("displayValue", ""))


def bench_lighthouse(site: Path, runs: int, log, compress: bool = False,
                     port: int = 0) -> dict[str, LighthouseResult]:
    if not LIGHTHOUSE.exists():
        raise SystemExit(f"error: no {LIGHTHOUSE}. Fix: npm ci --prefix tests")
    results = {name: LighthouseResult() for name in PAGES}
    with serve(site, compress, port) as base:
        for run in range(runs):
            for name, path in PAGES.items():
                log(f"Lighthouse: {name}, run {run + 1} of {runs}")
                lighthouse(f"{base}/{path}", results[name])
    return results


# --- search (scripts/bench_search.py) ----------------------------------------

def bench_searching(site: Path, runs: int) -> bench_search.Report:
    return bench_search.measure(site, runs)


# --- report ----------------------------------------------------------------------


def kb(n: int) -> str:
    return f"{n / 1024:,.1f} KB"


def ratio_verdict(ratio: float) -> str:
    return f"≤ {RATIO_BAR:.2f}: {'ok' if ratio <= RATIO_BAR else f'**over by {ratio - RATIO_BAR:.2f}**'}"


def report(args, started: str, load_before: str, rows, counts, bytes_, lh, search, profile: str | None,
           errors: list[str]) -> tuple[str, list[str]]:
    misses: list[str] = list(errors)
    out = [f"# Benchmark, {started}", "",
           f"Machine: {platform.node()}, {os.cpu_count()} CPUs, {platform.python_implementation()} "
           f"{platform.python_version()}; shared with other work. Load (uptime) at start: {load_before}; "
           f"at end: {uptime()}.",
           f"Medians of {args.rounds} rounds (builds), {args.lighthouse_runs} Lighthouse runs, "
           f"{args.search_runs} search runs. Builds: -j {args.jobs}, strict (-W --keep-going -n).", ""]

    out += ["## Builds", "",
            "CPU seconds (user + system, the build and its children), wall seconds in brackets. "
            "*Bare*: Sphinx + furo + MyST + sphinx-copybutton on the same pages showing the same "
            "content, written by hand in plain MyST: a page's first mention of a figure or name a "
            "`{ref}` link to its glossary entry, later ones its text; the glossary as definition lists "
            "with labels, unit links and \"Mentioned in\" `{doc}` links; each chart as its SVG (raw "
            "HTML), its table and summary; our arithmetic boxes as admonitions; the download lists "
            "and the citation block as plain Markdown. What it lacks is what only our code does: the "
            "page templates (language switcher, alternates), the content security policy, the search "
            "layer, the data files and the checks. The bare *everything* is HTML, EPUB and single page "
            "in both languages (no PDF, no zip). The bare fr edition is translated by Sphinx from the "
            "same catalogs, our roles replaced in them the same way.", "",
            "| build | ours, CPU s (wall s) | bare, CPU s (wall s) | ours / bare (CPU) | ours / bare (wall) | bar |",
            "|---|---:|---:|---:|---:|---|"]
    for name, barred in BUILD_ROWS:
        ours, bare = rows[name]
        ratio = ours.median_cpu() / bare.median_cpu()
        wall_ratio = ours.median_wall() / bare.median_wall()
        bar = ""
        if barred and counts:
            bar = f"≤ {RATIO_BAR:.2f}: judged on instructions, below"
        elif barred:
            bar = ratio_verdict(ratio)
            if ratio > RATIO_BAR:
                misses.append(f"{name}: ours / bare = {ratio:.2f} in CPU seconds (bar {RATIO_BAR:.2f})")
        out.append(f"| {name} | {ours.cell()} | {bare.cell()} | {ratio:.2f} | {wall_ratio:.2f} | {bar} |")
    if counts:
        out += ["", "Instructions executed by a cold HTML build, counted by valgrind (callgrind; the same "
                "from run to run, where CPU seconds on a shared machine are not). *Bare, text only*: "
                "the bare pages with every mention as plain text, the glossary without labels, links "
                "or \"Mentioned in\", and no charts, download lists or citation block; its ratio also "
                "counts Sphinx's work on the content those pages leave out.", "",
                "| cold build, HTML | ours | bare | ours / bare | bar | bare, text only | ours / bare, text only |",
                "|---|---:|---:|---:|---|---:|---:|"]
        for lang in LANGUAGES:
            ours, bare, text = counts[f"ours-{lang}"], counts[f"bare-{lang}"], counts[f"bare-text-{lang}"]
            out.append(f"| {lang} | {ours:,} | {bare:,} | {ours / bare:.2f} | {ratio_verdict(ours / bare)} "
                       f"| {text:,} | {ours / text:.2f} |")
            if ours / bare > RATIO_BAR:
                misses.append(f"cold build, {lang} HTML: ours / bare = {ours / bare:.2f} in instructions "
                              f"(bar {RATIO_BAR:.2f})")

    if bytes_:
        out += ["", "## Bytes loaded in Chromium", "",
                "Body bytes of every response (the document, CSS, JS, images, fonts, search index, the "
                "favicon request), fresh cache, served uncompressed by http.server on 127.0.0.1.", "",
                "| page | requests | bytes | bar | failed requests |", "|---|---:|---:|---|---|"]
        for name, (total, count, failures) in bytes_.items():
            bar = ""
            if name == "article":
                ok = total <= ARTICLE_BYTES_BAR
                bar = f"≤ 150 KB: {'ok' if ok else f'**over by {kb(total - ARTICLE_BYTES_BAR)}**'}"
                if not ok:
                    misses.append(f"article page loads {kb(total)} (bar 150 KB)")
            label = f"{name} (`{PAGES[name]}`)" if name in PAGES else name
            out.append(f"| {label} | {count} | {total:,} B ({kb(total)}) | {bar} | {'; '.join(failures) or '–'} |")

    if lh:
        served = ("gzip-compressed, as static hosts serve them (--gzip)" if args.gzip else
                  "uncompressed by http.server (static hosts gzip; --gzip measures that)")
        out += ["", "## Lighthouse 12.2.3, mobile", "", f"Over http://127.0.0.1, {served}.", "",
                "| page | performance | accessibility | best practices | SEO | CLS | bars |",
                "|---|---:|---:|---:|---:|---:|---|"]
        for name, result in lh.items():
            page_misses = [f"{cat} {result.median(cat):.0f} < {bar}" for cat, bar in LIGHTHOUSE_BARS.items()
                           if result.median(cat) < bar]
            cls = statistics.median(result.cls)
            if name == "search" and cls >= CLS_BAR:
                page_misses.append(f"CLS {cls:.3f} ≥ {CLS_BAR}")
            misses += [f"Lighthouse {name}: {m}" for m in page_misses]
            out.append(f"| {name} | {result.median('performance'):.0f} | {result.median('accessibility'):.0f} | "
                       f"{result.median('best-practices'):.0f} | {result.median('seo'):.0f} | {cls:.3f} | "
                       f"{'ok' if not page_misses else '**' + '; '.join(page_misses) + '**'} |")
        failing = sorted({(audit, title) for result in lh.values() for audit, title in result.failing.items()})
        if failing:
            out += ["", "Audits that cost points (any run, any page):", ""]
            for audit, title in failing:
                pages = [name + (f" ({', '.join(result.shown[audit])})" if result.shown.get(audit) else "")
                         for name, result in lh.items() if audit in result.failing]
                out.append(f"- `{audit}` — {title} — on {'; '.join(pages)}")

    if search:
        blank = search.blank
        out += ["", "## Search and filter (scripts/bench_search.py, Chromium)", "",
                "Milliseconds from navigation start (opening `search.html?q=`), from file:// unless "
                "marked http: page ready (DOMContentLoaded, when Sphinx starts searching); first result "
                "in the page; first result *shown* (the frame that draws it is done); search finished "
                "(Sphinx's summary line). *http*: served with GitHub Pages' cache header to a reader "
                "coming from another page. *Sphinx alone*: shown, without our search layer. The blank "
                "page is the floor: a page with nothing in it, shown.", "",
                f"| search.html?q= | results | page ready | in page | shown | finished | shown, http "
                f"| Sphinx alone | bar {bench_search.SEARCH_BAR_MS} ms (shown) |",
                "|---|---:|---:|---:|---:|---:|---:|---:|---|",
                f"| (a blank page) | | {blank.ready:.0f} | | {blank.shown:.0f} | | | | |"]
        for row in search.searches:
            out.append(f"| `{row.query}` | {row.results} | {row.ready:.0f} | {row.first:.0f} | "
                       f"{row.shown:.0f} | {row.done:.0f} | {row.shown_http:.0f} | {row.alone:.0f} | "
                       f"{'ok' if row.ok else '**over**'} |")
        out += ["", f"| glossary filter, typed | median ms / key | worst ms / key | bar {bench_search.KEY_BAR_MS} ms |",
                "|---|---:|---:|---|"]
        for row in search.filters:
            out.append(f"| `{row.typed}` | {row.median:.2f} | {row.worst:.2f} | {'ok' if row.ok else '**over**'} |")
        if not search.ok:
            misses.append("search or filter latency over its bar (see the table)")

    if profile:
        out += ["", "## Profile", "", profile]
    out += ["", "## Bars", ""]
    out += [f"- NOT MET: {m}" for m in misses] or ["- every bar met"]
    return "\n".join(out) + "\n", misses


def uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    except OSError:
        return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="rounds of builds (median taken)")
    parser.add_argument("--lighthouse-runs", type=int, default=3)
    parser.add_argument("--search-runs", type=int, default=5)
    parser.add_argument("--jobs", default="1", help="sphinx -j for every build (both projects)")
    parser.add_argument("--quick", action="store_true", help="one round, one Lighthouse run, 3 search runs")
    parser.add_argument("--profile", choices=["auto", "always", "never"], default="auto",
                        help="profile our build: when the ratio is over its bar (auto)")
    parser.add_argument("--gzip", action="store_true",
                        help="Lighthouse over a server that gzips text files, as static hosts do")
    parser.add_argument("--skip", action="append", default=[], choices=["lighthouse", "search", "instructions"])
    parser.add_argument("--notes", type=Path, default=DOCS / "_build" / "bench-notes.md",
                        help="where the table is written, besides stdout")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary one)")
    args = parser.parse_args(argv)
    if args.quick:
        args.rounds, args.lighthouse_runs, args.search_runs = 1, 1, 3
        args.skip.append("instructions")
    started = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    load_before = uptime()

    def log(message: str) -> None:
        print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    with contextlib.ExitStack() as stack:
        if args.keep:
            shutil.rmtree(args.keep, ignore_errors=True)
            args.keep.mkdir(parents=True)
            work = args.keep
        else:
            work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-")))
        port = free_port()  # where our site will be served, known to its build
        rows, site, bare_site = bench_builds(work, args.rounds, args.jobs, log, f"http://127.0.0.1:{port}/")
        ratio = max(rows[name][0].median_cpu() / rows[name][1].median_cpu() for name, barred in BUILD_ROWS if barred)
        profile = None
        if args.profile == "always" or (args.profile == "auto" and ratio > RATIO_BAR):
            log("profiling our build")
            profile = profile_builds(work / "docs", {lang: work / f"bare-{lang}" for lang in LANGUAGES}, work)
        errors: list[str] = []

        def attempt(what: str, measure):
            """One part's failure is reported in the table, not lost with the others."""
            log(what)
            try:
                return measure()
            except (Exception, SystemExit) as exc:  # noqa: BLE001 - reported, and fails the run
                errors.append(f"{what} failed: {str(exc).strip()[:2000]}")
                log(errors[-1])
                return None

        counts = None if "instructions" in args.skip else attempt(
            "instructions (valgrind)", lambda: bench_instructions(work, args.jobs))
        bytes_ = attempt("bytes in Chromium", lambda: bench_bytes(site, bare_site, port))
        lh = None if "lighthouse" in args.skip else attempt(
            "Lighthouse", lambda: bench_lighthouse(site, args.lighthouse_runs, log, args.gzip, port))
        search = None if "search" in args.skip else attempt(
            "search and filter latency", lambda: bench_searching(site, args.search_runs))
        text, misses = report(args, started, load_before, rows, counts, bytes_, lh, search, profile, errors)
    print(text)
    args.notes.parent.mkdir(parents=True, exist_ok=True)
    args.notes.write_text(text, encoding="utf-8")
    log(f"written to {args.notes}")
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
