"""figures.csv and figures.json: written at build time, linked, and true to the data."""

from __future__ import annotations

import csv
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

from charts_helpers import sphinx_build
from helpers import DOCS, Edition

from macrohard_docs.figures.data import Dataset, Derived, format_figure
from macrohard_docs.figures.datafiles import COLUMN_NAMES, download_files


def read_csv(edition: Edition) -> list[dict[str, str]]:
    with (edition.html_dir / "data" / "figures.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == COLUMN_NAMES
        return list(reader)


def data_texts(language: str) -> dict[str, str]:
    """The data file's sentences in *language*, from its page catalogs (English: as written)."""
    from babel.messages.pofile import read_po

    texts: dict[str, str] = {}
    for po in sorted((DOCS / "locales" / language).rglob("*.po")):
        with po.open("rb") as handle:
            texts.update({m.id: m.string for m in read_po(handle) if isinstance(m.id, str) and m.string})
    return texts


def test_csv_matches_the_data(edition: Edition, data: Dataset) -> None:
    rows = read_csv(edition)
    translated = data_texts(edition.language)
    items = [*data.figures.values(), *data.derived.values()]
    assert [r["id"] for r in rows] == [i.id for i in items]
    for row, item in zip(rows, items, strict=True):
        unit = data.units[item.unit]
        if isinstance(item, Derived):
            assert row["kind"] == "derived"
            assert Decimal(row["value"]) == data.derived_value(item)
            assert (row["numerator"], row["denominator"]) == (item.numerator, item.denominator)
        elif isinstance(item.value, dt.date):
            assert row["kind"] == "figure"
            assert dt.date.fromisoformat(row["value"]) == item.value
        else:
            assert Decimal(row["value"]) == item.value
            assert row["qualifier"] == (item.qualifier or "")
        assert row["unit"] == item.unit
        assert Decimal(row["unit_scale"]) == unit.scale
        assert row["text"] == format_figure(item, data, edition.language)
        assert row["measures"] == translated.get(item.measures, item.measures)  # in the edition's language
        assert row["section"] == item.section


def test_json_holds_the_same_rows_typed(edition: Edition) -> None:
    document = json.loads((edition.html_dir / "data" / "figures.json").read_text(encoding="utf-8"))
    assert document["language"] == edition.language
    assert document["columns"] == COLUMN_NAMES
    rows = read_csv(edition)
    assert len(document["figures"]) == len(rows)
    for entry, row in zip(document["figures"], rows, strict=True):
        assert list(entry) == COLUMN_NAMES
        for column in COLUMN_NAMES:
            if column in ("value", "unit_scale") and row["unit"] != "date" or column == "unit_scale":
                assert isinstance(entry[column], int | float)
                assert Decimal(str(entry[column])) == Decimal(row[column])
            else:
                assert entry[column] == row[column]


def test_glossary_column_points_at_real_entries(edition: Edition) -> None:
    ids: dict[str, set[str]] = {}  # each page's element ids, the page read once
    for row in read_csv(edition):
        page, _, anchor = row["glossary"].partition("#")
        assert anchor, row["id"]
        if page not in ids:
            ids[page] = {tag["id"] for tag in edition.soup(page).find_all(id=True)}
        assert anchor in ids[page], row["glossary"]


def test_data_page_links_the_files_and_documents_every_column(edition: Edition) -> None:
    soup = edition.soup("data.html")
    links = {urlsplit(a["href"]).path for a in soup.select("ul.data-downloads a[href]")}
    listed = {f.path for f in download_files()}
    assert links == listed
    for path in listed:
        assert (edition.html_dir / path).is_file() and (edition.html_dir / path).stat().st_size > 0
    documented = [code.get_text() for code in soup.select("dl.data-columns dt code")]
    assert documented == COLUMN_NAMES
    assert all(dd.get_text().strip() for dd in soup.select("dl.data-columns dd"))


def test_files_follow_a_change_of_the_data(tmp_path: Path) -> None:
    """An incremental rebuild after the data file changes redraws the chart and the files."""
    import shutil

    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs, ignore=shutil.ignore_patterns("_build"))
    out = sphinx_build(tmp_path / "html", "html", docs)
    toml = docs / "data" / "figures.toml"
    text = toml.read_text(encoding="utf-8")
    old = 'id = "colossus-2-gpus"\nvalue = 550000'
    assert old in text
    toml.write_text(text.replace(old, 'id = "colossus-2-gpus"\nvalue = 650000'), encoding="utf-8")
    sphinx_build(out, "html", docs)
    page = (out / "article" / "colossus.html").read_text(encoding="utf-8")
    assert ">650,000\u00a0GPUs</text>" in page and ">550,000\u00a0GPUs</text>" not in page
    rows = {r["id"]: r for r in csv.DictReader((out / "data" / "figures.csv").open(encoding="utf-8"))}
    assert rows["colossus-2-gpus"]["value"] == "650000"
    assert rows["colossus-2-ratio"]["value"] == "3.25"


# --- Each chart's own files ----------------------------------------------------

def test_each_chart_links_its_rows_as_csv_and_its_svg(edition: Edition, data: Dataset) -> None:
    """Under each chart, links that resolve (from file://, relative) to its CSV and SVG."""
    from xml.etree import ElementTree

    from charts_helpers import CHART_PAGES

    for name, page in CHART_PAGES.items():
        figure = edition.soup(page).select_one(f"figure#chart-{name}")
        links = figure.select("p.chart-downloads a[href]")
        assert [a["type"] for a in links] == ["text/csv", "image/svg+xml"]
        files = {a["type"]: (edition.html_dir / page).parent / a["href"] for a in links}
        assert all(not urlsplit(a["href"]).scheme and not a["href"].startswith("/") for a in links)
        # The CSV: the chart's rows, in its order, written in the edition's language.
        with files["text/csv"].resolve().open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        definition = data.charts[name]
        assert [r["figure"] for r in rows] == [row.figure for row in definition.rows]
        assert {r["chart"] for r in rows} == {name}
        for row in rows:
            item = data.figure_or_derived(row["figure"])
            assert row["text"] == format_figure(item, data, edition.language)
            assert row["unit"] == item.unit
        labels = [th.get_text() for th in figure.select("table tbody th")]
        assert [r["label"] for r in rows] == labels
        # The SVG file: well-formed, standalone, titled like the chart, with its source line.
        svg = files["image/svg+xml"].resolve()
        tree = ElementTree.parse(svg)
        texts = " ".join("".join(t.itertext()) for t in tree.iter("{http://www.w3.org/2000/svg}text"))
        assert figure.select_one("p.chart-title").get_text() in tree.find("{http://www.w3.org/2000/svg}title").text
        assert figure.select_one("p.chart-source").get_text() in texts
        # Each value, as the chart on the page shows it (in the axis unit: "1,550 MW").
        values = {"chart-value", "chart-aside-value", "chart-date"}
        shown = {t.get_text() for t in figure.select("svg text")
                 if values & {*t.get("class", []), *t.parent.get("class", [])}}
        assert len(shown) == len({r["text"] for r in rows})
        for text in shown:
            assert text in texts
        assert svg.stat().st_size < 25 * 1024
