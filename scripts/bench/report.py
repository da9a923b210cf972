"""The Markdown tables, their bars and verdicts: what `nox -s bench` prints and writes."""

from __future__ import annotations

import os
import platform
import statistics

from .browser import PAGES

PARTS = ["builds", "instructions", "bytes", "lighthouse", "search", "scale"]
INSTRUCTIONS_BAR = 1.05  # ours / bare, cold build of both HTML editions
# ours / bare CPU: one page edited, the `nox -s serve` rebuild (against sphinx-autobuild's) and everything `nox -s docs` makes
ROW_BARS = {"one page edited, en HTML (a `nox -s serve` rebuild)": 1.50, "one page edited, everything": 1.00}
ARTICLE_BYTES_BAR = 150 * 1024
LIGHTHOUSE_BARS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
KEY_BAR, PANEL_WORST_BAR = 16.0, 50.0  # ms per key: medians; the panel's worst
SCALE_CPU_BAR, SCALE_GLOSSARY_BAR = 10.0, 1024 * 1024  # at 10x: CPU ≤ 10 × the 1x build; at 100x: bytes


def table(header: list[str], rows: list[list[object]]) -> list[str]:
    return ["| " + " | ".join(header) + " |", "|---|" + "---:|" * (len(header) - 2) + "---|",
            *("| " + " | ".join(str(cell) for cell in row) + " |" for row in rows), ""]


def keys(times: list[float]) -> list[str]:
    return [f"{statistics.median(times):.2f}", f"{max(times):.2f}"]


def report(args, started: str, load_before: str, load_after: str, m: dict, errors: list[str]) -> tuple[str, list[str]]:
    """The whole report, and the bars missed. *m* holds each part measured, by part name."""
    missed = list(errors)

    def bar(what: str, value: float, limit: float, unit: str = "", fmt: str = ".2f") -> str:
        """A bar's verdict for the table; a missed one is also added to *missed*, for the summary."""
        if value <= limit:
            return f"≤ {limit:{fmt}}{unit}: ok"
        missed.append(f"{what}: {value:{fmt}}{unit}, bar {limit:{fmt}}{unit} (over by {value - limit:{fmt}}{unit})")
        return f"≤ {limit:{fmt}}{unit}: **over by {value - limit:{fmt}}{unit}**"

    out = ["<!-- Written by `nox -s bench` (python -m scripts.bench); run it again rather than editing by hand. -->",
           "", f"# Benchmarks, {started}", "",
           "`nox -s bench` measures our build against plain Sphinx on the same project, side by side in one run "
           "(see scripts/bench/__init__.py), and the site in Chromium. Read ratios, not seconds: on a shared "
           "machine the seconds measure the neighbours too; callgrind's instruction counts do not.", "",
           f"Machine: {platform.node()}, {os.cpu_count()} CPUs, Python {platform.python_version()}. "
           f"Load (uptime) at start: {load_before}; at end: {load_after}. Rounds: {args.rounds} (medians); "
           f"builds -j {args.jobs}, strict (-W --keep-going -n). Parts measured: {', '.join(sorted(m))}; not in "
           f"this run: {', '.join(sorted(set(PARTS) - set(m))) or 'none'}.", ""]
    if os.getloadavg()[0] > (os.cpu_count() or 1):  # at the end, as `load_after`
        out += ["**Measured on a loaded machine**: seconds and milliseconds are inflated; ratios less so.", ""]
    if rows := m.get("builds"):
        out += ["## Builds", "", "CPU seconds (user + system of the build and every process it starts, orphans "
                "included), wall seconds in brackets. *Bare*: the same docs/ built by plain Sphinx, furo, MyST and "
                "sphinx-copybutton, scripts/bench/stub.py standing for our extension (roles print their text, directives "
                "their arguments): bare lacks our code's work (data, glossary, charts, templates, search, CSP). "
                "*Everything*: ours is `python -m nox -s docs` in a copy of the repository (both editions, EPUB, single "
                "page, PDF, zip), bare the same: sphinx-build's, Chromium's --print-to-pdf, `python -m zipfile`. *A `nox -s serve` rebuild*: "
                "sphinx-autobuild runs this row's `python -m sphinx build` per change, ours and bare alike.", ""]
        ratios = {name: ours.median_cpu() / bare.median_cpu() for name, (ours, bare) in rows.items()}
        out += table(["build", "ours, CPU s (wall s)", "bare, CPU s (wall s)", "ours / bare (CPU)", "bar"],
                     [[name, ours.cell(), bare.cell(), f"{ratios[name]:.2f}",
                       bar(f"{name}, ours / bare CPU", ratios[name], ROW_BARS[name]) if name in ROW_BARS else ""]
                      for name, (ours, bare) in rows.items()])
    if counts := m.get("instructions"):
        out += ["Instructions of cold HTML builds, child processes included (valgrind's callgrind). *Both editions*: "
                "ours is every `python -m macrohard_docs.publish --html-only` process, bare its two sphinx-build runs.", ""]
        counts["bare"] = counts["bare-en"] + counts["bare-fr"]
        out += table(["HTML build", "ours", "bare", "ours / bare", "bar"],
                     [[label, f"{counts[f'ours{key}']:,}", f"{counts[f'bare{key}']:,}",
                       f"{counts[f'ours{key}'] / counts[f'bare{key}']:.2f}", "" if key else
                       bar("instructions, both HTML editions", counts["ours"] / counts["bare"], INSTRUCTIONS_BAR)]
                      for label, key in (("en, sphinx-build", "-en"), ("fr, sphinx-build", "-fr"), ("both editions", ""))])
    if loaded := m.get("bytes"):
        out += ["## Bytes loaded in Chromium", "", "Body bytes of every response, fresh cache, over http.server.", ""]
        out += table(["page", "requests", "bytes", "bar", "failed requests"],
                     [[name, n, f"{size:,} B", bar("article bytes", size, ARTICLE_BYTES_BAR, " B", ",.0f")
                       if name == "article" else "", "; ".join(failed) or "–"]
                      for name, (size, n, failed) in loaded.items()])
    if lh := m.get("lighthouse"):
        out += ["## Lighthouse, mobile", "", "Medians; bars: " + ", ".join(f"{c} ≥ {v}" for c, v in LIGHTHOUSE_BARS.items()), ""]
        scores = {name: {c: statistics.median(v) for c, v in lh[name].items()} for name in PAGES}
        low = {name: [c for c, least in LIGHTHOUSE_BARS.items() if scores[name][c] < least] for name in PAGES}
        missed += [f"Lighthouse {c} on {name}: {scores[name][c]:.0f}" for name in PAGES for c in low[name]]
        out += table(["page", *LIGHTHOUSE_BARS, "CLS", "bars"],
                     [[name, *(f"{scores[name][c]:.0f}" for c in LIGHTHOUSE_BARS), f"{scores[name]['cls']:.3f}",
                       ", ".join(f"**{c} low**" for c in low[name]) or "ok"] for name in PAGES])
    if search := m.get("search"):
        out += ["## Search per key (Chromium, file://)", "", "Glossary filter: its input handler and the layout it "
                "causes. Panel: from the key to the frame that paints its answer (the first key of a page, which "
                "loads the index, apart).", ""]
        rows = [[f"filter, `{typed}`", len(times), *keys(times), bar(f"filter `{typed}` median", statistics.median(times), KEY_BAR, " ms")]
                for typed, times in search["filter"].items()]
        for lang, (times, first) in search["panel"].items():
            rows += [[f"panel, {lang}", len(times), *keys(times),
                      bar(f"panel {lang} median", statistics.median(times), KEY_BAR, " ms") + ", worst " +
                      bar(f"panel {lang} worst", max(times), PANEL_WORST_BAR, " ms")],
                     [f"panel, {lang}, first key", len(first), *keys(first), ""]]
        out += table(["typed", "keys", "median ms", "worst ms", "bar"], rows)
    if scale := m.get("scale"):
        base = scale[1]["timing"].median_cpu()
        out += ["## Scale", "", "A dossier made from the real one at N times its figures, names, mentions and "
                "article pages (scripts/bench/scale.py; English HTML, cold, side by side in each round). Bytes "
                "of the largest glossary page alone (above 400 entries a part, the glossary is split into pages, "
                "and the filter is timed there); search index: searchindex.js and _static/glossary-data.js. Per key: "
                "medians (worst), every query of the search part typed once per run.", ""]
        rows = []
        for n, r in scale.items():
            cpu = r["timing"].median_cpu() / base
            rows.append([f"{n}x", r["pages"], r["timing"].cell(), f"{cpu:.2f}", f"{r['glossary']:,}", f"{r['index']:,}",
                         "{} ({})".format(*keys(r["filter"])), "{} ({})".format(*keys(r["panel"])), "; ".join(filter(None, [
                             n == 10 and bar("scale 10x, build CPU / 1x", cpu, SCALE_CPU_BAR, "x"),
                             n == 100 and bar("scale 100x, glossary.html bytes", r["glossary"], SCALE_GLOSSARY_BAR, " B", ",.0f"),
                             n == 100 and "filter " + bar("scale 100x, filter median", statistics.median(r["filter"]), KEY_BAR, " ms"),
                             n == 100 and "panel " + bar("scale 100x, panel median", statistics.median(r["panel"]), KEY_BAR, " ms")]))])
        out += table(["scale", "pages", "build CPU s (wall s)", "CPU / 1x", "glossary B", "search index B",
                      "filter ms / key", "panel ms / key", "bars"], rows)
    out += ["## Bars", "", *(f"- NOT MET: {miss}" for miss in missed), *([] if missed else ["All measured bars met."])]
    return "\n".join(out) + "\n", missed
