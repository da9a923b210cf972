"""Issue 7, point 3: an output folder the build cannot write to.

Real conditions, not mocks: the site is built into a small tmpfs of its own,
which is then remounted read-only, or filled up. Each time the build must
stop with a clear error (the folder, what is wrong, the fix) and a non-zero
exit, and leave the last good site exactly as it was; once the folder is
writable again, the next build must give the same site.

Mounting needs root (CAP_SYS_ADMIN), which CI has (.ci/run runs as root).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import ROOT, differences, run_build, snapshot

from macrohard_docs.publish.build import tree_size

# A build whose inputs did not change since the last one writes nothing; these
# tests are about a build that has to write, so they ask for one with --force.
FORCE = "--force"
SIZE = "64m"  # room for the site, its staging copy and the doctrees (about 20 MB)


def mount(*args: str) -> None:
    subprocess.run(["mount", *args], check=True, capture_output=True, text=True)


@pytest.fixture(scope="module")
def tmpfs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root; CI runs these tests as root")
    point = tmp_path_factory.mktemp("tmpfs")
    mount("-t", "tmpfs", "-o", f"size={SIZE}", "tmpfs", str(point))
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], check=False)


@pytest.fixture(scope="module")
def built(tmpfs: Path) -> tuple[Path, dict[str, bytes]]:
    """The project built once into the tmpfs: the last good site."""
    out = tmpfs / "out"
    run = run_build(ROOT, out, "--html-only")
    assert run.returncode == 0, run.stderr
    return out, snapshot(out / "html")


def assert_clear_error(run: subprocess.CompletedProcess[str], out: Path, why: str) -> None:
    assert run.returncode != 0
    assert f"cannot write the output folder {out}" in run.stderr, run.stderr
    assert why in run.stderr, run.stderr
    assert "Fix: " in run.stderr, run.stderr
    assert "Traceback" not in run.stderr, run.stderr


def fill(folder: Path, leave: int) -> Path:
    """Write a file until the file system holding *folder* has *leave* bytes free."""
    filler = folder / "filler"
    chunk = b"\0" * (1 << 20)
    with filler.open("wb") as f:
        while (free := os.statvfs(folder).f_bavail * os.statvfs(folder).f_frsize) > leave:
            try:
                f.write(chunk[: max(free - leave, 1)])
                f.flush()
            except OSError:
                break
    return filler


def test_read_only_output_folder(tmpfs: Path, built: tuple[Path, dict[str, bytes]]) -> None:
    out, good = built
    mount("-o", "remount,ro", str(tmpfs))
    try:
        run = run_build(ROOT, out, "--html-only", FORCE)
    finally:
        mount("-o", "remount,rw", str(tmpfs))
    assert_clear_error(run, out, "it is read-only")
    assert "Fix: make the folder writable" in run.stderr
    assert differences(snapshot(out / "html"), good) == []


def test_full_output_folder(tmpfs: Path, built: tuple[Path, dict[str, bytes]]) -> None:
    out, good = built
    # Full to the last byte: the build's first write fails.
    filler = fill(tmpfs, 0)
    run = run_build(ROOT, out, "--html-only", FORCE)
    assert_clear_error(run, out, "the disk is full")
    assert "Fix: free space on that disk" in run.stderr
    assert differences(snapshot(out / "html"), good) == []

    # Room to start, and for one more copy of the site, but not for the new
    # offline files on top: the disk fills up midway.
    filler.unlink()
    filler = fill(tmpfs, tree_size(out / "html") + 64 * 1024)
    run = run_build(ROOT, out, "--html-only", FORCE)
    # It got past the first check (which leaves room for a copy of the site)
    # and measured, once writing failed, how much room publishing needs.
    assert_clear_error(run, out, "the disk is full: ")
    assert "KB free, publishing the site needs about" in run.stderr
    assert differences(snapshot(out / "html"), good) == []

    # Space again: the next build gives the same site as before.
    filler.unlink()
    run = run_build(ROOT, out, "--html-only")
    assert run.returncode == 0, run.stderr
    assert differences(snapshot(out / "html"), good) == []


def test_a_file_where_the_output_folder_should_be(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.write_text("not a folder", encoding="utf-8")
    run = run_build(ROOT, out, "--html-only")
    assert_clear_error(run, out, "a file stands where a folder is expected")
    assert "Fix: remove or rename that file, or build elsewhere with --out DIR" in run.stderr
    assert out.read_text(encoding="utf-8") == "not a folder"


def test_a_disk_that_fills_up_under_sphinx_is_one_line(tmp_path: Path) -> None:
    """Issue 26: a first build into a 1 MB tmpfs: the disk fills up while Sphinx writes its
    doctrees and environment (it once ended in Sphinx's crash report before the right line)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root; CI runs these tests as root")
    point = tmp_path / "tiny"
    point.mkdir()
    mount("-t", "tmpfs", "-o", "size=1m", "tmpfs", str(point))
    try:
        run = run_build(ROOT, point / "out", "--html-only", TMPDIR=str(tmp_path))
    finally:
        subprocess.run(["umount", "-l", str(point)], check=False)
    assert run.returncode == 2, run.stderr
    last = run.stderr.strip().splitlines()[-1]
    assert last.startswith(f"error: {point / 'out'}") and "(the disk is full). Fix: free space on that disk" in last, \
        run.stderr
    for crash in ("Traceback", "Sphinx", "sphinx-err", "Exception occurred"):
        assert crash not in run.stderr.replace("Sphinx's files", ""), run.stderr
    assert not list(tmp_path.glob("sphinx-err-*.log"))
