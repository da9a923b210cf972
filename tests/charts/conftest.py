"""Fixtures for the chart tests: the data (each HTML edition as built: `edition` in tests/conftest.py)."""

from __future__ import annotations

import pytest
from helpers import DOCS, EDITIONS

from macrohard_docs.figures.data import Dataset, load


@pytest.fixture(scope="session")
def data() -> Dataset:
    languages = tuple(sorted({e.language for e in EDITIONS} | {"en", "fr"}))
    return load(DOCS / "data" / "figures.toml", languages=languages)
