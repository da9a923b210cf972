"""Shared helpers of the chart tests (the editions as built: helpers.Edition)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from helpers import DOCS, ROOT

# Which page shows which chart, and the figures each one draws, in story order.
CHART_PAGES = {
    "gpus": "article/colossus.html",
    "power": "article/shadow.html",
    "money": "article/money.html",
    "timeline": "article/macrohard.html",
}


def sphinx_build(out: Path, builder: str = "html", docs: Path = DOCS, *overrides: str) -> Path:
    """A strict build of *docs* with *builder* into *out*; returns *out*."""
    command = [sys.executable, "-m", "sphinx", "-b", builder, "-c", str(docs), "-d", str(out.parent / f"{out.name}.doctrees"),
               "-j", "1", "-W", "--keep-going", "-n", "-q", *[a for o in overrides for a in ("-D", o)],
               str(docs / "source"), str(out)]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    assert result.returncode == 0, result.stderr
    return out
