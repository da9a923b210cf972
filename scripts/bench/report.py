"""The Markdown tables, with their bars; what `nox -s bench` prints and writes
to BENCHMARKS.md."""

from __future__ import annotations

import os
import platform
import statistics

import bench_search

from . import EDITED_PAGE, LANGUAGES, PAGES, uptime
from .builds import BUILD_ROWS, NOX_ROWS

RATIO_BAR = 1.10
ARTICLE_BYTES_BAR = 150 * 1024
LIGHTHOUSE_BARS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
CLS_BAR = 0.1

def kb(n: int) -> str:
    return f"{n / 1024:,.1f} KB"


def ratio_verdict(ratio: float) -> str:
    return f"≤ {RATIO_BAR:.2f}: {'ok' if ratio <= RATIO_BAR else f'**over by {ratio - RATIO_BAR:.2f}**'}"


def report(args, started: str, load_before: str, rows, counts, bytes_, lh, search, profile: str | None,
           errors: list[str], loop=None) -> tuple[str, list[str]]:
    """The whole report as Markdown, and the bars it finds not met. A part that
    was not measured (None: skipped, not selected, or failed) has no table."""
    misses: list[str] = list(errors)
    parts = getattr(args, "parts", {"builds", "lighthouse", "search"})
    out = ["<!-- Written by `nox -s bench` (python -m scripts.bench); run it again rather than "
           "editing by hand. -->", "",
           f"# Benchmarks, {started}", "",
           "`nox -s bench` measures, in one run on one machine, our build against plain Sphinx "
           "side by side, then page weight, Lighthouse scores and search latency in Chromium, "
           "and writes this file; it exits 1 while a bar is missed. `nox -s bench -- --quick` is "
           "a one-round smoke run, `--only builds` (or nox, instructions, bytes, lighthouse, "
           "search) measures one part. Read CPU and wall seconds for trends, instruction counts "
           "for our code's cost, bytes and Lighthouse scores as they are, search times against "
           "the blank-page row printed with them. Run it on a quiet machine: on a shared one, "
           "wall seconds measure the neighbours.", "",
           f"Machine: {platform.node()}, {os.cpu_count()} CPUs, {platform.python_implementation()} "
           f"{platform.python_version()}; shared with other work. Load (uptime) at start: {load_before}; "
           f"at end: {uptime()}.",
           "Medians of " + ", ".join(counted for part, counted in (
               ("builds", f"{args.rounds} rounds (builds)"), ("lighthouse", f"{args.lighthouse_runs} Lighthouse runs"),
               ("search", f"{args.search_runs} search runs")) if part in parts or (part == "builds" and loop))
           + f". Builds: -j {args.jobs}, strict (-W --keep-going -n).", ""]

    if rows or loop:
        out += ["## Builds", ""]
    if rows:
        out += ["CPU seconds (user + system, the build and its children), wall seconds in brackets. "
                "*Bare*: Sphinx + furo + MyST + sphinx-copybutton (with our fix of a MyST-Parser cost, "
                "`macrohard_docs.figures.myst_private`, so that both sides parse alike) on the same pages showing the same "
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

    if loop:
        out += ([""] if rows else []) + ["The edit-build loop as a writer runs it, side by side in each round: "
                "`python -m nox -s docs` from a copy of the repository (its `.nox` the repository's "
                "own, so the session installs nothing), against `sphinx-build -b html` of the same "
                "project (our extension included; English; on an already built folder). *No-op*: the "
                "second run with nothing changed (the build skips itself when its inputs did not "
                "change). *One page edited*: a sentence appended to `" + EDITED_PAGE + "`; nox "
                "remakes every edition and format, Sphinx that page's HTML. Judged on wall seconds, "
                "what the writer waits for.", "",
                "| loop | `nox -s docs`, CPU s (wall s) | `sphinx-build -b html`, CPU s (wall s) "
                "| nox / Sphinx (CPU) | nox / Sphinx (wall) | bar |",
                "|---|---:|---:|---:|---:|---|"]
        for name, bar in NOX_ROWS:
            ours, plain = loop[name]
            ratio, wall_ratio = ours.median_cpu() / plain.median_cpu(), ours.median_wall() / plain.median_wall()
            verdict = f"≤ {bar:g}x: " + ("ok" if wall_ratio <= bar else f"**over by {wall_ratio - bar:.2f}**")
            if wall_ratio > bar:
                misses.append(f"{name}: nox -s docs / sphinx-build = {wall_ratio:.2f} in wall seconds "
                              f"(bar {bar:g})")
            out.append(f"| {name} | {ours.cell()} | {plain.cell()} | {ratio:.2f} | {wall_ratio:.2f} "
                       f"| {verdict} |")

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
                f"| Sphinx alone | bar: shown ≤ article + {bench_search.ARTICLE_MARGIN_MS} ms, "
                f"http ≤ {bench_search.SEARCH_BAR_MS} ms |",
                "|---|---:|---:|---:|---:|---:|---:|---:|---|",
                f"| (a blank page) | | {blank.ready:.0f} | | {blank.shown:.0f} | | | | |"]
        if search.article:
            out.append(f"| (the article page, its first paint) | | {search.article.ready:.0f} | | "
                       f"{search.article.shown:.0f} | | | | bar for the rows below: "
                       f"{search.article.shown + bench_search.ARTICLE_MARGIN_MS:.0f} ms |")
        for row in search.searches:
            out.append(f"| `{row.query}` | {row.results} | {row.ready:.0f} | {row.first:.0f} | "
                       f"{row.shown:.0f} | {row.done:.0f} | {row.shown_http:.0f} | {row.alone:.0f} | "
                       f"{'ok' if row.ok else '**over**'} |")
        out += ["", f"| glossary filter, typed | median ms / key | worst ms / key | bar {bench_search.KEY_BAR_MS} ms |",
                "|---|---:|---:|---|"]
        for row in search.filters:
            out.append(f"| `{row.typed}` | {row.median:.2f} | {row.worst:.2f} | {'ok' if row.ok else '**over**'} |")
        if search.panels:
            out += ["", "Search as you type: milliseconds from the key event to the frame that paints the "
                    "panel's results, every query typed key by key into an article page's search box "
                    "(file://). The first key of a page also loads the index.", "",
                    f"| panel | queries | keys | median ms / key | worst ms / key | bar median "
                    f"{bench_search.KEY_BAR_MS} ms, worst {bench_search.PANEL_WORST_MS} ms |",
                    "|---|---:|---:|---:|---:|---|"]
            for row in search.panels:
                out.append(f"| {row.edition} | {row.queries} | {row.keystrokes} | {row.median:.2f} | "
                           f"{row.worst:.2f} | {'ok' if row.ok else '**over**'} |")
                out.append(f"| {row.edition}, first key (loads the index) | | {search.runs} | "
                           f"{row.first_median:.2f} | {row.first_worst:.2f} | (no bar) |")
        if not search.ok:
            misses.append("search or filter latency over its bar (see the table)")

    if profile:
        out += ["", "## Profile", "", profile]
    out += ["", "## Bars", ""]
    out += [f"- NOT MET: {m}" for m in misses] or ["- every bar met"]
    return "\n".join(out) + "\n", misses


