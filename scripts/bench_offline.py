"""Time the offline build: clean, then unchanged, then after a page edit.

    python scripts/bench_offline.py [--out /tmp/bench-offline]

Prints seconds for each run and each offline file's size in bytes.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(out: Path) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "macrohard_docs.publish", "--out", str(out), "--pdf", "required"],
                   cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=Path("/tmp/bench-offline"))
    out = parser.parse_args().out
    shutil.rmtree(out, ignore_errors=True)
    print(f"clean build      {timed(out):6.1f} s")
    print(f"unchanged build  {timed(out):6.1f} s")
    page = ROOT / "docs/source/downloads.md"
    text = page.read_text(encoding="utf-8")
    try:
        page.write_text(text + "\n", encoding="utf-8")
        print(f"one page edited  {timed(out):6.1f} s")
    finally:
        page.write_text(text, encoding="utf-8")
    for path in sorted((out / "html").rglob("_editions/*")) + sorted((out / "html").rglob("single/index.html")):
        print(f"{path.relative_to(out)}  {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
