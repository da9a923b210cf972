"""Shared helpers of the chart tests (a module, since tests/ has no packages)."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup

from macrohard_docs.publish.build import editions_of

EDITIONS = editions_of(Path(__file__).resolve().parents[2] / "docs")  # as docs/conf.py declares them


ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"

# Which page shows which chart, and the figures each one draws, in story order.
CHART_PAGES = {
    "gpus": "article/colossus.html",
    "power": "article/shadow.html",
    "money": "article/money.html",
    "timeline": "article/macrohard.html",
}


@dataclass(frozen=True)
class HtmlEdition:
    language: str
    root: Path

    def soup(self, page: str) -> BeautifulSoup:
        return BeautifulSoup((self.root / page).read_text(encoding="utf-8"), "html.parser")


def html_editions(site_dir: Path) -> list[HtmlEdition]:
    return [HtmlEdition(e.language, site_dir / e.target) for e in EDITIONS if e.builder == "html"]


def sphinx_build(out: Path, builder: str = "html", docs: Path = DOCS, *overrides: str) -> Path:
    """A strict build of *docs* with *builder* into *out*; returns *out*."""
    command = [sys.executable, "-m", "sphinx", "-b", builder, "-c", str(docs), "-d", str(out.parent / f"{out.name}.doctrees"),
               "-j", "1", "-W", "--keep-going", "-n", "-q", *[a for o in overrides for a in ("-D", o)],
               str(docs / "source"), str(out)]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    assert result.returncode == 0, result.stderr
    return out
