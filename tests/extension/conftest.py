"""Fixtures for the extension's tests on the tiny project in tests/roots/test-figures."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import ROOTS

from macrohard_docs.figures.data import FiguresDataError, load

TINY = ROOTS / "test-figures"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A private copy of the tiny project, to edit or break."""
    srcdir = tmp_path / "project"
    shutil.copytree(TINY, srcdir)
    return srcdir


@pytest.fixture
def data_error(tmp_path: Path):
    """data_error(text) -> the FiguresDataError the loader raises on a data file
    holding *text*: one line that starts with the file's name and gives the fix."""
    def load_bad(text: str) -> FiguresDataError:
        path = tmp_path / "figures.toml"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(FiguresDataError) as caught:
            load(path, languages=("en", "fr"))
        message = str(caught.value)
        assert message.startswith(f"{path}:"), message
        assert "\n" not in message, message
        assert ". Fix: " in message, message
        return caught.value
    return load_bad
