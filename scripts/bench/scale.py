"""The dossier made *factor* times as large: each figure, derived figure, name and article
page copied factor - 1 times, each copied page's mentions naming its copy's entries. Charts
stay the real four; the copied pages have no catalogs, so the scale builds are English HTML."""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path

from . import DOCS, Timing, copy_docs, log, sphinx, timed
from .browser import FILTER_TYPED, PANEL_TYPED, chromium, filter_keys, panel_keys

ENTRY = re.compile(r"^\[\[(?:figure|derived|name)\]\]\n.*?(?=^\[|\Z)", re.M | re.S)
RETARGETED = re.compile(r'^(?:id|numerator|denominator|section) = "[^"]+', re.M)
LABEL = re.compile(r'^label = "[^"]+', re.M)
MENTION = re.compile(r"(\{(?:fig|derived|name)\}`)([^`<]*?)(?:<([^`>]+)>)?`")
ARITHMETIC = re.compile(r"^(```\{our-arithmetic\}\n)(.*?)(^```)", re.M | re.S)
CHART = re.compile(r"^```\{figure-chart\}.*?\n```\n", re.M | re.S)
LABEL_TARGET = re.compile(r"^\((\S+)\)=$", re.M)
TOCTREE = re.compile(r"(^```\{toctree\}\n.*?)(^```)", re.M | re.S)


def tag(copy: int) -> str:
    """Copy 12's tag "bc": letters, because page prose and labels hold no digits."""
    return "".join(chr(ord("a") + int(digit)) for digit in str(copy))


def scaled_data(toml: str, copies: int) -> str:
    entries = ENTRY.findall(toml)
    extra = []
    for copy in range(1, copies + 1):
        suffix = f"-v{tag(copy)}"
        for entry in entries:
            entry = RETARGETED.sub(rf"\g<0>{suffix}", entry)
            extra.append(LABEL.sub(rf"\g<0> {tag(copy)}", entry).rstrip() + "\n")
    return toml.rstrip() + "\n\n# --- Copies made by scripts/bench/scale.py ---\n\n" + "\n".join(extra)


def scaled_page(text: str, suffix: str) -> str:
    """An article page whose mentions, arithmetic and labels name the copy *suffix*'s entries."""
    text = MENTION.sub(lambda m: f"{m[1]}{m[2]}<{m[3]}{suffix}>`" if m[3] else f"{m[1]}{m[2]}{suffix}`",
                       CHART.sub("", text))  # {name}`Elon Musk <elon-musk>`, {fig}`musk-post`
    text = ARITHMETIC.sub(lambda m: m[1] + re.sub(r"(?m)^(\S+)$", rf"\1{suffix}", m[2]) + m[3], text)
    return LABEL_TARGET.sub(rf"(\1{suffix})=", text)


def make_scaled(docs: Path, target: Path, factor: int) -> Path:
    scaled = copy_docs(docs, target)
    data = scaled / "data" / "figures.toml"
    data.write_text(scaled_data(data.read_text(encoding="utf-8"), factor - 1), encoding="utf-8")
    articles = scaled / "source" / "article"
    pages = sorted(page for page in articles.glob("*.md") if page.name != "index.md")
    names = []
    for copy in range(1, factor):
        suffix = f"-v{tag(copy)}"
        for page in pages:
            (articles / f"{page.stem}{suffix}.md").write_text(
                scaled_page(page.read_text(encoding="utf-8"), suffix), encoding="utf-8")
            names.append(page.stem + suffix)
    index = articles / "index.md"
    index.write_text(TOCTREE.sub(lambda m: m.group(1) + "".join(f"{n}\n" for n in names) + m.group(2),
                                 index.read_text(encoding="utf-8")), encoding="utf-8")
    split_glossary(scaled / "source", factor)
    return scaled


GLOSSARY_PART = re.compile(r"^## (.+)\n\n```\{figure-glossary\} (\w+)\n```\n", re.M)
PAGE_ENTRIES = 400  # at most, on a glossary page: up to 2 kB each, beside the site's navigation


def split_glossary(source: Path, factor: int) -> None:
    """As a writer would: a part of more than PAGE_ENTRIES entries takes several pages
    (`:page: 2/5`), each part its own; glossary.md keeps its introduction and links them.
    A unit's entry lists the pages of every copy's figures in it: it weighs *factor* entries."""
    data = tomllib.loads((source.parent / "data" / "figures.toml").read_text(encoding="utf-8"))
    counts = {plural: len(data[table]) * weight for plural, table, weight in
              (("figures", "figure", 1), ("derived", "derived", 1), ("names", "name", 1), ("units", "units", factor))}
    text, pages = (source / "glossary.md").read_text(encoding="utf-8"), []
    for title, part in GLOSSARY_PART.findall(text) if max(counts.values()) > PAGE_ENTRIES else []:
        shares = -(-counts[part] // PAGE_ENTRIES)
        for share in range(1, shares + 1):
            pages.append(source / "glossary" / f"{part}-{share}.md")
            pages[-1].parent.mkdir(exist_ok=True)
            pages[-1].write_text(f"# {title}{f' ({share} of {shares})' * (shares > 1)}\n\n```{{figure-glossary}} "
                                 f"{part}\n:page: {share}/{shares}\n```\n", encoding="utf-8")
    if pages:
        (source / "glossary.md").write_text(text[:GLOSSARY_PART.search(text).start()] + "```{toctree}\n:maxdepth: 1\n\n"
                                            + "".join(f"glossary/{page.stem}\n" for page in pages) + "```\n", encoding="utf-8")


def bench_scale(work: Path, factors: list[int], rounds: int, jobs: str) -> dict[int, dict]:
    """Per factor, 1 first: the English HTML build's Timing (cold, side by side in each
    round), the largest glossary page's bytes (glossary.html, or one of glossary/ once
    split), the search index's, and the filter's (on that page) and panel's ms per key."""
    made = {1: copy_docs(DOCS, work / "scale-1"), **{n: make_scaled(DOCS, work / f"scale-{n}", n) for n in factors}}
    out = {n: work / f"scale-out-{n}" for n in made}
    timed([sphinx(made[1], work / "warm-up", "html", "en", jobs, "scale")], Timing())  # first imports, outside the timings
    timings = {n: Timing() for n in made}
    for round_ in range(rounds):
        for factor, project in made.items():
            log(f"scale: {factor}x build, round {round_ + 1} of {rounds}")
            shutil.rmtree(out[factor], ignore_errors=True)
            timed([sphinx(project, out[factor], "html", "en", jobs)], timings[factor])
    results = {}
    with chromium() as browser:
        for factor in made:
            log(f"scale: {factor}x in Chromium")
            html = out[factor] / "html-en"
            glossary = max([html / "glossary.html", *html.glob("glossary/*.html")], key=lambda p: p.stat().st_size)
            results[factor] = {
                "timing": timings[factor], "pages": len(list(html.rglob("*.html"))),
                "glossary": glossary.stat().st_size,
                "index": sum((html / name).stat().st_size for name in ("searchindex.js", "_static/glossary-data.js")),
                "filter": [t for ts in filter_keys(browser, glossary, FILTER_TYPED, rounds).values() for t in ts],
                "panel": panel_keys(browser, html, PANEL_TYPED["en"], rounds)[0]}
    return results
