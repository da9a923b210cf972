"""The charts in the EPUB, and the page-weight budget against a build without charts."""

from __future__ import annotations

import importlib.util
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from charts_helpers import CHART_PAGES, sphinx_build
from helpers import DOCS, EDITIONS, ROOT

from macrohard_docs.figures.data import Dataset, format_figure
from macrohard_docs.publish.build import minify_static

SVG = "{http://www.w3.org/2000/svg}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def bench():
    """scripts/bench_charts.py, whose byte measurements the budget test reuses."""
    spec = importlib.util.spec_from_file_location("bench_charts", ROOT / "scripts" / "bench_charts.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_charts", module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def epub(site_dir: Path) -> Path:
    """The English e-book of the session's build (epubcheck runs on both in tests/offline)."""
    return site_dir / "html" / "_editions" / "macrohard-dossier-en.epub"


def test_epub_pages_carry_the_charts_as_svg(epub: Path, data: Dataset) -> None:
    with zipfile.ZipFile(epub) as book:
        opf = book.read("content.opf").decode()
        for name, page in CHART_PAGES.items():
            xhtml = page.replace(".html", ".xhtml")
            tree = ElementTree.fromstring(book.read(xhtml))  # well-formed XML, or this raises
            figure = next(f for f in tree.iter(f"{XHTML}figure") if f.get("id") == f"chart-{name}")
            svgs = list(figure.iter(f"{SVG}svg"))
            # The phone's layout and the desktop's (charts.css shows one by the column's width).
            assert [s.get("class") for s in svgs] in (["chart-svg narrow", "chart-svg wide"], ["chart-svg"]), name
            some_id = {"gpus": "colossus-gpus-initial", "power": "colossus-power",
                       "money": "xai-valuation", "timeline": "musk-post"}[name]
            for svg in svgs:
                texts = ["".join(t.itertext()) for t in svg.iter(f"{SVG}text")]
                assert format_figure(data.figures[some_id], data, "en") in texts
            # The numbers table comes along, collapsed; the title and source line too.
            assert any("chart-table" in t.get("class", "") for t in tree.iter(f"{XHTML}table"))
            assert any(d.get("class") == "chart-numbers" for d in tree.iter(f"{XHTML}details"))
            classes = {p.get("class") for p in tree.iter(f"{XHTML}p")}
            assert {"chart-title", "chart-subtitle", "chart-source", "chart-key"} <= classes
            # No links to loose files: an e-book carries none.
            assert "chart-downloads" not in classes
            # Inline SVG must be declared in the package for EPUB 3.
            item = next(line for line in opf.splitlines() if f'href="{xhtml}"' in line)
            assert 'properties="svg"' in item


@pytest.fixture(scope="module")
def plain_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same site built with `figures_charts = False`, its scripts minified as publish does
    (the budget weighs the charts, not the minifier)."""
    site = sphinx_build(tmp_path_factory.mktemp("nocharts"), "html", DOCS, "figures_charts=0")
    minify_static(site / "_static")
    return site


def test_each_chart_page_stays_within_the_size_budget(html_dir: Path, plain_site: Path) -> None:
    """The English edition against the same pages built without charts."""
    measure = bench()
    nested = tuple(f"{e.target.removeprefix('html/')}/" for e in EDITIONS
                   if e.builder == "html" and e.target != "html")
    # The single page gathers every chart; it is weighed with the offline editions.
    english = [p for p in measure.chart_pages(html_dir) if not p.startswith((*nested, "single/"))]
    assert english == sorted(CHART_PAGES.values())
    assert measure.chart_pages(plain_site) == []
    weights = measure.compare_pages(html_dir, plain_site, english)
    assert len(weights) == len(CHART_PAGES)
    for weight in weights:
        assert weight.extra > 0, f"{weight.page}: the chart build should weigh more"
        assert weight.extra <= measure.SIZE_BUDGET, f"{weight.page}: {weight.extra} bytes over"
    # The chart stylesheet is loaded only where charts are drawn.
    page = html_dir / CHART_PAGES["gpus"]
    assert any(p.name == "charts.css" for p in measure.page_resources(page))
    assert not any(p.name == "charts.css" for p in measure.page_resources(plain_site / CHART_PAGES["gpus"]))
