"""Issue 7, point 6: the Read the Docs configuration and the GitHub Pages workflow.

Read the Docs: its build steps are run here as Read the Docs runs them (see
`run_readthedocs_build`), and must leave each format where Read the Docs
serves it from. GitHub Pages: the workflow must build with the README's own
commands and publish the folder that build writes.
"""

from __future__ import annotations

import re
import shlex

import yaml
from helpers import EDITIONS, ROOT

from macrohard_docs.publish.build import DOCS, default_base_url

from .conftest import readthedocs_config

# The folder the build command publishes (its default --out, and the top of every edition).
PUBLISHED = {f"{DOCS.as_posix()}/_build/{top}" for top in {e.target.split("/")[0] for e in EDITIONS}}


def workflow() -> dict:
    with (ROOT / ".github" / "workflows" / "pages.yml").open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def test_readthedocs_config_builds_this_layout() -> None:
    config = readthedocs_config()
    assert config["version"] == 2
    assert config["build"]["os"] == "ubuntu-24.04"
    assert config["build"]["tools"]["python"] == "3.11"
    assert config["sphinx"]["configuration"] == "docs/conf.py"
    assert set(config["formats"]) == {"epub", "pdf"}
    jobs = config["build"]["jobs"]
    assert set(jobs["build"]) == {"html", "epub", "pdf"}
    # The install step installs this project (whose dependencies are pinned) and
    # the browser that prints the PDF; the build step is the project's own command.
    install = [shlex.split(command) for command in jobs["install"]]
    assert ["python", "-m", "pip", "install", ".", "playwright==1.65.2", "pypdf==7.1.1"] in install
    pin = re.search(r'"(playwright==[^"]+)"', (ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pin and pin.group(1) == "playwright==1.65.2", "the same Playwright as the tests"
    # The PDF's contents read their page numbers with pypdf: the pdf group's pin.
    pdf_group = re.search(r'^pdf = \[(.*)\]$', (ROOT / "pyproject.toml").read_text(encoding="utf-8"), re.MULTILINE)
    assert pdf_group and '"pypdf==7.1.1"' in pdf_group.group(1)
    assert jobs["build"]["html"][0] == "python -m macrohard_docs.publish --pdf required"
    assert {"cp -a docs/_build/html/. $READTHEDOCS_OUTPUT/html/"} <= set(jobs["build"]["html"])
    assert PUBLISHED == {"docs/_build/html"}


def readme_commands() -> set[str]:
    """Every command the README writes: in code spans and lines, split at `&&`, without comments."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    found = set()
    for chunk in [*re.findall(r"`([^`\n]+)`", text), *text.splitlines()]:
        found.update(" ".join(part.split()) for part in chunk.split("#")[0].split("&&") if part.strip())
    return found


def test_pages_workflow_publishes_what_the_readme_build_makes() -> None:
    flow = workflow()
    triggers = flow.get("on", flow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert triggers["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in triggers
    assert flow["permissions"]["pages"] == "write"
    assert flow["permissions"]["id-token"] == "write"

    build = flow["jobs"]["build"]
    uses = [step["uses"].split("@")[0] for step in build["steps"] if "uses" in step]
    assert uses == ["actions/checkout", "actions/configure-pages", "actions/upload-pages-artifact"]
    # The build learns where Pages serves the site (full hreflang and canonical addresses).
    configure = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/configure-pages"))
    built = next(s for s in build["steps"] if ".venv/bin/nox -s docs" in s.get("run", ""))
    assert built["env"]["DOCS_BASE_URL"] == f"${{{{ steps.{configure['id']}.outputs.base_url }}}}"
    upload = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert {upload["with"]["path"]} == PUBLISHED
    deploy = flow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    assert deploy["environment"]["name"] == "github-pages"

    # Each command is one the README gives, or installs the Debian packages
    # .ci/run installs for the same build; in the Python 3.11 that pyproject names.
    readme = readme_commands()
    ci_run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    debian = set(re.findall(r"\b([a-z][a-z0-9.+-]+)\b", ci_run.split("--no-install-recommends", 1)[1].split(">")[0]))
    assert build["container"].startswith("python:3.11-")
    commands = [" ".join(c.split()) for s in build["steps"] if "run" in s for c in s["run"].split("&&")]
    assert ".venv/bin/nox -s docs" in commands
    for command in commands:
        if command.startswith("apt-get install"):
            packages = [w for w in command.split()[2:] if not w.startswith("-")]
            assert set(packages) <= debian, f"{packages} are not what .ci/run installs"
        elif command != "apt-get update -qq":
            assert command in readme, f"{command!r} is not a README command"


def test_each_host_tells_the_build_where_the_site_is_served() -> None:
    # Read the Docs sets READTHEDOCS_CANONICAL_URL in every build; the Pages
    # workflow sets DOCS_BASE_URL (checked above); a local build has neither.
    rtd = "https://macrohard.readthedocs.io/en/latest/"
    assert default_base_url({"READTHEDOCS_CANONICAL_URL": rtd}) == rtd
    assert default_base_url({"DOCS_BASE_URL": "https://a.example/", "READTHEDOCS_CANONICAL_URL": rtd}) \
        == "https://a.example/"
    assert default_base_url({}) == ""
