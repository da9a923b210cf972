"""Fixtures for the extension's tests on the tiny project in tests/roots/test-figures."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1] / "roots" / "test-figures"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A private copy of the tiny project, to edit or break."""
    srcdir = tmp_path / "project"
    shutil.copytree(ROOT, srcdir)
    return srcdir
