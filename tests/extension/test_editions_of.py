"""The build makes the editions docs/conf.py declares, and says so when it cannot read them."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT

from macrohard_docs.publish.build import BadConfig, Edition, editions_of


def test_the_editions_are_those_of_conf_py() -> None:
    assert editions_of(ROOT / "docs") == [Edition("html", "en", "html"), Edition("html", "fr", "html/fr")]


@pytest.mark.parametrize("editions", ['[{"language": "fr"}]', '"en"', '[{"language": "fr", "path": "fr"}]'])
def test_a_malformed_list_is_one_clear_error(tmp_path: Path, editions: str) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    text = (ROOT / "docs" / "conf.py").read_text(encoding="utf-8")
    (docs / "conf.py").write_text(text + f"\nsite_editions = {editions}\n", encoding="utf-8")
    with pytest.raises(BadConfig, match=r"conf\.py: .*Fix: "):
        editions_of(docs)


def test_the_build_command_stops_on_it_with_exit_2(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs, ignore=shutil.ignore_patterns("_build", "*.mo"))
    with (docs / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('\nsite_editions = [{"language": "en"}]\n')
    run = subprocess.run([sys.executable, "-m", "macrohard_docs.publish", "--docs", str(docs),
                          "--out", str(tmp_path / "out"), "--html-only"],
                         capture_output=True, text=True, check=False, cwd=ROOT)
    assert run.returncode == 2
    assert run.stderr.strip().splitlines()[-1].startswith(f"error: {docs / 'conf.py'}: site_editions[0]")
    assert "Traceback" not in run.stderr
