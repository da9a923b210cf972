"""Point 7: with SOURCE_DATE_EPOCH set, two clean builds give the same bytes."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EPOCH = "1767225600"  # 2026-01-01T00:00:00Z


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Two clean builds, each by the command readers run, in its own folder."""
    outs = []
    for name in ("first", "second"):
        out = tmp_path_factory.mktemp(name)
        # The PDF is part of the zip: it must be there to be compared.
        run = subprocess.run(
            [sys.executable, "-m", "macrohard_docs.build", "--out", str(out), "--pdf", "required"],
            cwd=ROOT, env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH}, capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
        outs.append(out / "html")
    return outs


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_offline_files_are_identical_byte_for_byte(two_builds: list[Path]) -> None:
    first, second = two_builds
    files = sorted(p.relative_to(first) for p in first.rglob("_editions/*"))
    assert {p.suffix for p in files} == {".epub", ".pdf", ".zip"}
    for rel in files:
        assert digest(first / rel) == digest(second / rel), rel


def test_archives_carry_the_source_date(two_builds: list[Path]) -> None:
    for archive in two_builds[0].rglob("_editions/*"):
        if archive.suffix not in (".epub", ".zip"):
            continue
        with zipfile.ZipFile(archive) as z:
            assert {i.date_time for i in z.infolist()} == {(2026, 1, 1, 0, 0, 0)}, archive.name
            assert len({i.external_attr for i in z.infolist()}) == 1
    pdf = next(two_builds[0].rglob("_editions/*.pdf")).read_bytes()
    assert b"/CreationDate (D:20260101000000" in pdf
