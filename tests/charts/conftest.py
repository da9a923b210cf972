"""Fixtures for the chart tests: the data, and each HTML edition as built."""

from __future__ import annotations

from pathlib import Path

import pytest
from charts_helpers import DOCS, HtmlEdition

from macrohard_docs.publish.build import editions_of
from macrohard_docs.figures.data import Dataset, load

EDITIONS = editions_of(Path(__file__).resolve().parents[2] / "docs")  # as docs/conf.py declares them


@pytest.fixture(scope="session")
def data() -> Dataset:
    languages = tuple(sorted({e.language for e in EDITIONS} | {"en", "fr"}))
    return load(DOCS / "data" / "figures.toml", languages=languages)


@pytest.fixture(scope="session", params=[e.target for e in EDITIONS if e.builder == "html"])
def edition(request: pytest.FixtureRequest, site_dir: Path) -> HtmlEdition:
    """Each HTML edition the build publishes (English, and French once it lands)."""
    found = next(e for e in EDITIONS if e.target == request.param)
    return HtmlEdition(found.language, site_dir / found.target)
