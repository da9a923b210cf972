"""The build command: strict, parallel-safe, and never leaves a broken site."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    """A private copy of the real docs/ folder to break."""
    copy = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", copy, ignore=shutil.ignore_patterns("_build"))
    return copy


def run_build(docs: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "macrohard_docs.publish", "--docs", str(docs), "--out", str(out), *extra],
        capture_output=True, text=True, cwd=ROOT, check=False,
        # Fixed archive dates, so that two builds may be compared byte for byte.
        env={**os.environ, "SOURCE_DATE_EPOCH": "1767225600"},
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.proof
def test_failed_build_keeps_the_last_good_site(docs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = run_build(docs, out, "--jobs", "1", "--html-only")
    assert first.returncode == 0, first.stderr
    good = snapshot(out / "html")
    assert "index.html" in good

    data = docs / "data" / "figures.toml"
    edit(data, 'unit = "MW"', 'unit = "MWh"')
    failed = run_build(docs, out, "--jobs", "1", "--html-only")
    assert failed.returncode != 0
    line = next(n for n, text in enumerate(data.read_text().splitlines(), 1) if 'unit = "MWh"' in text)
    assert f"{data}:{line}: figure 'colossus-power' has unknown unit 'MWh'" in failed.stderr
    assert "Fix: " in failed.stderr
    assert snapshot(out / "html") == good


def test_unknown_figure_in_a_page_fails_with_its_location(docs: Path, tmp_path: Path) -> None:
    page = docs / "source" / "article" / "colossus.md"
    edit(page, "{fig}`colossus-power`", "{fig}`colossus-powr`")
    result = run_build(docs, tmp_path / "out", "--jobs", "1", "--html-only")
    assert result.returncode != 0
    assert f"{page}:" in result.stderr
    assert "unknown figure id 'colossus-powr' (did you mean 'colossus-power'?)" in result.stderr
    assert not (tmp_path / "out" / "html").exists()


@pytest.mark.proof
def test_parallel_build_gives_the_same_html(docs: Path, tmp_path: Path) -> None:
    serial = run_build(docs, tmp_path / "j1", "--jobs", "1", "--html-only")
    parallel = run_build(docs, tmp_path / "j2", "--jobs", "2", "--html-only")
    assert serial.returncode == 0, serial.stderr
    assert parallel.returncode == 0, parallel.stderr
    one, two = snapshot(tmp_path / "j1" / "html"), snapshot(tmp_path / "j2" / "html")
    assert sorted(one) == sorted(two)
    differing = [name for name in one if one[name] != two[name]]
    assert differing == []
