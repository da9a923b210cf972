"""The one task runner: build, preview and test the dossier.

    nox -s docs     build every edition strictly into docs/_build/
    nox -s serve    live-reloading preview on http://127.0.0.1:8000
    nox -s tests    build, then run every test (Sphinx, site, browser)
    nox -s bench    benchmark builds against plain Sphinx, the site in Chromium, scale; writes BENCHMARKS.md
    nox -s translation   refresh the translation catalogs after an English edit
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import sys
from importlib import metadata
from pathlib import Path

import nox

# uv makes and fills a virtual environment in a fraction of pip's time; where
# it is not installed, the standard library's venv and pip do the same job.
nox.options.default_venv_backend = "uv|venv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["docs"]

PYPROJECT = nox.project.load_toml("pyproject.toml")
# Strict, as everywhere: any warning fails the build (see macrohard_docs.publish.build).
STRICT = ["-W", "--keep-going", "-n"]
OLDEST_PYTHON = (3, 11)
# Sessions run on the Python that runs nox (python=None): every 3.11+ works,
# and a session is never "skipped" because one exact version is not installed.
ANY_PYTHON = None


def check_python(session: nox.Session) -> None:
    """Stop with a non-zero exit and the fix when this Python is too old."""
    if sys.version_info < OLDEST_PYTHON:
        wanted = ".".join(map(str, OLDEST_PYTHON))
        session.error(
            f"this project needs Python {wanted} or newer; nox runs under "
            f"{sys.version.split()[0]} ({sys.executable}). Fix: run nox with a newer Python, "
            f"e.g. `python3.12 -m pip install nox && python3.12 -m nox -s {session.name}`"
        )


def install(session: nox.Session, *groups: str) -> None:
    """Install the project and its dependency groups, only when they changed.

    A stamp in the virtual environment records what was installed (pyproject.toml,
    the groups, the interpreter and how), so a second `nox -s docs` installs nothing.
    The project is installed editable: edits to src/ need no reinstall.
    """
    check_python(session)
    wanted = json.dumps({
        "pyproject": hashlib.sha256(Path("pyproject.toml").read_bytes()).hexdigest(),
        "groups": sorted(groups),
        "python": sys.version,
        "bytecode": True,
    })
    location = getattr(session.virtualenv, "location", None)
    stamp = Path(location, ".installed.json") if location else None
    if stamp and stamp.is_file() and stamp.read_text(encoding="utf-8") == wanted:
        return
    session.install("-e", ".")
    for group in groups:
        session.install(*nox.project.dependency_groups(PYPROJECT, group))
    # Compiled once here, as pip compiles what it installs: uv leaves packages as
    # source, and where Python may not write .pyc files (PYTHONDONTWRITEBYTECODE,
    # a read-only environment) each build process compiled Sphinx and its kin
    # again (measured: an edit's `nox -s docs` 9.1 s, 7.1 s once compiled).
    # A file that does not compile on this Python (some packages ship such) is skipped.
    session.run_install("python", "-c", "import compileall, sysconfig; "
                        "compileall.compile_dir(sysconfig.get_paths()['purelib'], quiet=2, workers=0)",
                        silent=True)
    if stamp:
        stamp.write_text(wanted, encoding="utf-8")


def translations(session: nox.Session) -> list[str]:
    """The languages translated from the source edition's pages, as docs/conf.py's
    site_editions declares them, read by the package's own reader: its module is
    the standard library alone, loaded by its path (nox's environment has no Sphinx)."""
    path = Path("src/macrohard_docs/figures/editions.py")
    spec = importlib.util.spec_from_file_location("macrohard_editions", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    try:
        return [e.language for e in module.editions_in("docs") if not e.is_source()]
    except module.EditionsError as exc:
        session.error(str(exc))


def npm_ci(session: nox.Session) -> None:
    """The browser-side test tools pinned in tests/package-lock.json, installed once per lock."""
    lock = Path("tests/package-lock.json")
    stamp = Path("tests/node_modules/.installed-lock.sha256")
    digest = hashlib.sha256(lock.read_bytes()).hexdigest()
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == digest:
        return
    # An install step: it runs under `--install-only` too, which skips session.run (the
    # stamp was written then with nothing installed).
    session.run_install("npm", "ci", "--prefix", "tests", "--no-audit", "--no-fund", external=True)
    stamp.write_text(digest, encoding="utf-8")


@nox.session(python=ANY_PYTHON)
def docs(session: nox.Session) -> None:
    """Build the site; a failed build leaves the last good site in place."""
    install(session, "pdf")
    session.run("python", "-m", "macrohard_docs.publish", *session.posargs)


@nox.session(python=ANY_PYTHON)
def serve(session: nox.Session) -> None:
    """Preview with live reload while editing pages or the figures data."""
    install(session, "serve")
    session.run(
        "sphinx-autobuild", *STRICT, "-c", "docs", "--watch", "docs/data", "--watch", "src",
        "docs/source", "docs/_build/preview", *session.posargs,
    )


@nox.session(python=ANY_PYTHON)
def tests(session: nox.Session) -> None:
    """Build the site as `docs` does, then run every test over it."""
    install(session, "test")
    npm_ci(session)
    # The tests check the PDF edition: fail here, not later, if Chromium is missing.
    session.run("python", "-m", "macrohard_docs.publish", "--pdf", "required")
    # One worker per core, each test file whole on one worker (the fault tests
    # build one site step by step; fixtures stay shared within a file), the
    # files taken in the order tests/conftest.py sorts them: long ones first.
    session.run("pytest", "-n", "auto", "--dist", "loadfile", "--no-loadscope-reorder",
                *session.posargs, env={"SITE_DIR": "docs/_build"})


@nox.session(python=ANY_PYTHON)
def bench(session: nox.Session) -> None:
    """Measure our build against plain Sphinx, the site in Chromium, and at scale: BENCHMARKS.md.

    Slow (an hour or more on two shared cores). `nox -s bench -- --quick` is one round
    without valgrind, scale at 10x only; `-- --only scale` (or builds, instructions,
    bytes, lighthouse, search) one part: both write docs/_build/bench-notes.md instead.
    """
    install(session, "bench")
    # The benchmark times `python -m nox -s docs` itself: the nox running this
    # session, at its own version (a no-op when it is there already).
    session.install(f"nox=={metadata.version('nox')}")
    npm_ci(session)
    session.run("python", "-m", "scripts.bench", *session.posargs)


@nox.session(python=ANY_PYTHON)
def translation(session: nox.Session) -> None:
    """Refresh every catalog after an English change; then translate what is new or fuzzy.

    Pages: gettext builder -> .pot -> sphinx-intl merges into docs/locales/<lang>/.
    The extension's own strings (src/macrohard_docs): Babel extracts, merges and
    compiles the committed .mo that ships with the package.
    """
    install(session, "translation")
    pot = "docs/_build/gettext"
    session.run("sphinx-build", "-b", "gettext", *STRICT, "-q", "-c", "docs", "docs/source", pot)
    # sphinx.pot holds only the template strings of our own templates; the
    # theme's catalog (docs/locales/<lang>/LC_MESSAGES/sphinx.po) is kept by hand
    # for all of furo's strings, and a merge would mark those obsolete.
    Path(pot, "sphinx.pot").unlink(missing_ok=True)
    languages = translations(session)
    for language in languages:
        session.run("sphinx-intl", "update", "-p", pot, "-d", "docs/locales", "-l", language,
                    "-w", "0", "-j", "1")
    package = "src/macrohard_docs"
    catalog = f"{package}/locales/macrohard_docs.pot"
    session.run("pybabel", "-q", "extract", "-k", "_", "--no-wrap", "--no-location",
                "--project", "macrohard_docs", "-o", catalog, package)
    for language in languages:
        # A new edition's language has no catalog yet: `init` makes it, `update` refreshes one.
        new = not Path(package, "locales", language, "LC_MESSAGES", "macrohard_docs.po").is_file()
        session.run("pybabel", "-q", "init" if new else "update", *([] if new else ["-N"]), "--no-wrap",
                    "-D", "macrohard_docs", "-i", catalog, "-d", f"{package}/locales", "-l", language)
        session.run("pybabel", "compile", "-D", "macrohard_docs", "-d", f"{package}/locales",
                    "-l", language)
    session.log("Now translate every empty or fuzzy message (tests/i18n fails on them).")
