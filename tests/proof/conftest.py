"""The proof tests' own fixture: two checkouts of one commit, built two ways.

A "checkout" (helpers.checkout) is a copy of what a fresh clone holds (docs/
without its build or compiled catalogs, src/, the project and deploy files)
in a folder of its own; builds run there with that copy's package first on
the path, so a checkout can be edited, broken or built without touching the
working tree or the site that other tests read.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from helpers import EPOCH, ROOT, build_env, checkout

# --- Two checkouts of the same commit, built two ways ---------------------------


@dataclass(frozen=True)
class TwoBuilds:
    """A checkout built by Read the Docs' steps, and the session's own build of
    the working tree (`python -m macrohard_docs.publish --pdf required`, which
    `nox -s tests` runs): two folders, two routes, one commit."""

    rtd: Path  # checkout built by .readthedocs.yaml's build commands
    rtd_output: Path  # its $READTHEDOCS_OUTPUT
    plain: Path  # the project the session's site was built from
    plain_site: Path  # that site (html/)


def readthedocs_config(project: Path = ROOT) -> dict:
    with (project / ".readthedocs.yaml").open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def run_readthedocs_build(project: Path, output: Path, epoch: str = EPOCH) -> None:
    """Run .readthedocs.yaml's build steps as Read the Docs does: each command in a
    new shell at the checkout's root, with READTHEDOCS_OUTPUT set. (The install
    step is not run: the project is installed here already, and it would fetch
    a browser; tests/proof/test_deploy.py checks what it installs.)"""
    steps = readthedocs_config(project)["build"]["jobs"]["build"]
    env = build_env(project, READTHEDOCS="True", READTHEDOCS_OUTPUT=f"{output}/", SOURCE_DATE_EPOCH=epoch)
    for step in ("html", "epub", "pdf"):
        for command in steps[step]:
            run = subprocess.run(["bash", "-c", command], cwd=project, env=env,
                                 capture_output=True, text=True, check=False)
            assert run.returncode == 0, f"{step}: {command}\n{run.stderr}"


@pytest.fixture(scope="session")
def two_builds(tmp_path_factory: pytest.TempPathFactory, html_dir: Path) -> TwoBuilds:
    """A clean build by Read the Docs' steps, in a checkout at a path of another
    name and depth with its own copy of the package, the PDF included; beside
    the session's build of the working tree.

    The checkout is a copy of the working tree with its history: dated as the
    working tree's build was (by the last content commits, unless
    SOURCE_DATE_EPOCH says), so that only where and how it was built differ. (Two git clones dated by
    themselves: tests/offline/test_dated_by_content.py.)"""
    from macrohard_docs.site.dating import edition_epoch

    rtd = checkout(tmp_path_factory.mktemp("a") / "deeper" / "rtd", with_git=True)
    output = rtd / "_readthedocs"
    run_readthedocs_build(rtd, output, str(edition_epoch(ROOT / "docs")))
    return TwoBuilds(rtd, output, ROOT, html_dir)
