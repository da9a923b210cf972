"""The benchmark's own logic (scripts/bench), checked without running it.

Its bare project must be the same pages built by plain Sphinx, our roles and
directives stubbed (scripts/bench/stub.py): if it failed to build, or printed
our syntax raw, every ratio would compare other pages. Its scale section must
make a dossier whose every copied mention names an entry of the copied data.
Its timings must count every process a build starts, also those left behind
(Chromium's renderers, which no parent waits for). Its report must say a missed bar.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from helpers import DOCS, ROOT

sys.path.insert(0, str(ROOT))
from scripts.bench import Timing, make_bare, sphinx  # noqa: E402
from scripts.bench.report import report  # noqa: E402
from scripts.bench.scale import make_scaled  # noqa: E402

sys.path.remove(str(ROOT))
MENTION = re.compile(r"\{(?:fig|derived|name)\}`(?:[^`<]*<)?([^`<>]+?)>?`")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_bare_project_builds_strictly_showing_our_text(language: str, tmp_path: Path) -> None:
    """Every role and directive of ours in the pages has a stub: a page given a new
    one must fail here, not leave the benchmark failing on its first build."""
    bare = make_bare(DOCS, tmp_path / "bare")
    run = subprocess.run(sphinx(bare, tmp_path / "out", "html", language, "1"), capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-3000:]
    page = (tmp_path / "out" / f"html-{language}" / "article" / "macrohard.html").read_text(encoding="utf-8")
    assert "Elon Musk" in page and "&lt;elon-musk&gt;" not in page, "a titled mention shows other than its title"
    assert "{name}" not in page and "{fig}" not in page, "our roles printed raw"
    assert "glossary-search.js" not in page, "our extension ran in the bare build"


def test_the_scaled_dossier_names_only_entries_it_holds(tmp_path: Path) -> None:
    scaled = make_scaled(DOCS, tmp_path / "scaled", 3)
    real, data = (tomllib.loads((d / "data" / "figures.toml").read_text(encoding="utf-8")) for d in (DOCS, scaled))
    for kind in ("figure", "derived", "name"):
        assert len(data[kind]) == 3 * len(real[kind]), kind
    ids = {entry["id"] for kind in ("figure", "derived", "name") for entry in data[kind]}
    copies = sorted((scaled / "source" / "article").glob("*-v*.md"))
    pages = [p for p in (DOCS / "source" / "article").glob("*.md") if p.name != "index.md"]
    assert len(copies) == 2 * len(pages)
    for copy in copies:
        named = MENTION.findall(copy.read_text(encoding="utf-8"))
        suffix = copy.stem.rsplit("-", 1)[1]
        assert named and all(name.endswith(f"-{suffix}") and name in ids for name in named), copy.name
    toc = (scaled / "source" / "article" / "index.md").read_text(encoding="utf-8")
    assert all(f"\n{copy.stem}\n" in toc for copy in copies)
    assert 'label = "Elon Musk b"' in (scaled / "data" / "figures.toml").read_text(encoding="utf-8")


def test_the_scaled_dossier_builds_strictly(tmp_path: Path) -> None:
    scaled = make_scaled(DOCS, tmp_path / "scaled", 2)
    command = sphinx(scaled, tmp_path / "out", "dummy", "en", "1")
    run = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr[-3000:]


def test_the_report_says_which_bar_is_missed() -> None:
    def timing(cpu: float) -> Timing:
        return Timing(wall=[cpu], cpu=[cpu])

    def scale(cpu: float, glossary: int, keys: list[float]) -> dict:
        return {"timing": timing(cpu), "pages": 1, "glossary": glossary, "index": 1, "filter": keys, "panel": keys}

    args = type("Args", (), {"rounds": 1, "jobs": "1", "parts": {"scale"}})()
    measured = {"scale": {1: scale(1.0, 1000, [1.0]), 10: scale(12.5, 10_000, [2.0]),
                          100: scale(90.0, 2_000_000, [3.0, 20.0, 30.0])}}
    text, missed = report(args, "now", "load", "load", measured, [])
    assert missed == ["scale 10x, build CPU / 1x: 12.50x, bar 10.00x (over by 2.50x)",
                      "scale 100x, glossary.html bytes: 2,000,000 B, bar 1,048,576 B (over by 951,424 B)",
                      "scale 100x, filter median: 20.00 ms, bar 16.00 ms (over by 4.00 ms)",
                      "scale 100x, panel median: 20.00 ms, bar 16.00 ms (over by 4.00 ms)"]
    assert "- NOT MET: scale 10x" in text and "| 100x | 1 | 90.00 (90.00) | 90.00 |" in text


def test_timed_counts_the_cpu_of_a_process_its_command_leaves_behind() -> None:
    burn = "import time\nwhile time.process_time() < 0.5: pass"  # half a CPU second, after its parent has ended
    leave = f"import subprocess, sys; subprocess.Popen([sys.executable, '-c', {burn!r}], start_new_session=True)"
    # In a process of its own: timed() waits for every child, and this worker has others (Playwright's driver).
    measure = (f"from scripts.bench import Timing, timed; t = Timing(); "
               f"timed([[{sys.executable!r}, '-c', {leave!r}]], t); print(t.cpu[0])")
    done = subprocess.run([sys.executable, "-c", measure], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True)
    assert float(done.stdout) >= 0.5, f"{done.stdout.strip()} CPU s counted: the orphan's half second is missing"
