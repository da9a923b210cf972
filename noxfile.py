"""The one task runner: build, preview and test the dossier.

    nox -s docs     build every edition strictly into docs/_build/
    nox -s serve    live-reloading preview on http://127.0.0.1:8000
    nox -s tests    build, then run every test (Sphinx, site, browser)
    nox -s bench    benchmark builds, page weight, Lighthouse and search; prints the table
    nox -s translation   refresh the translation catalogs after an English edit
"""

from __future__ import annotations

from pathlib import Path

import nox

nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["docs"]

PYPROJECT = nox.project.load_toml("pyproject.toml")
# Strict, as everywhere: any warning fails the build (see macrohard_docs.build).
STRICT = ["-W", "--keep-going", "-n"]
# Languages translated from the English pages (see site_editions in docs/conf.py).
TRANSLATIONS = ["fr"]


def install(session: nox.Session, *groups: str) -> None:
    session.install("-e", ".")
    for group in groups:
        session.install(*nox.project.dependency_groups(PYPROJECT, group))


@nox.session(python="3.11")
def docs(session: nox.Session) -> None:
    """Build the site; a failed build leaves the last good site in place."""
    install(session, "pdf")
    session.run("python", "-m", "macrohard_docs.build", *session.posargs)


@nox.session(python="3.11")
def serve(session: nox.Session) -> None:
    """Preview with live reload while editing pages or the figures data."""
    install(session, "serve")
    session.run(
        "sphinx-autobuild", *STRICT, "-c", "docs", "--watch", "docs/data", "--watch", "src",
        "docs/source", "docs/_build/preview", *session.posargs,
    )


@nox.session(python="3.11")
def tests(session: nox.Session) -> None:
    """Build the site as `docs` does, then run every test over it."""
    install(session, "test")
    session.run("npm", "ci", "--prefix", "tests", "--no-audit", "--no-fund", external=True)
    # The tests check the PDF edition: fail here, not later, if Chromium is missing.
    session.run("python", "-m", "macrohard_docs.build", "--pdf", "required")
    session.run("pytest", *session.posargs, env={"SITE_DIR": "docs/_build"})


@nox.session(python="3.11")
def bench(session: nox.Session) -> None:
    """Measure builds (ours against bare Sphinx), page bytes, Lighthouse, search: one table.

    Slow (about half an hour on two shared cores); `nox -s bench -- --quick` is one round.
    """
    install(session, "bench")
    session.run("npm", "ci", "--prefix", "tests", "--no-audit", "--no-fund", external=True)
    session.run("python", "scripts/bench.py", *session.posargs)


@nox.session(python="3.11")
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
    for language in TRANSLATIONS:
        session.run("sphinx-intl", "update", "-p", pot, "-d", "docs/locales", "-l", language,
                    "-w", "0", "-j", "1")
    package = "src/macrohard_docs"
    catalog = f"{package}/locales/macrohard_docs.pot"
    session.run("pybabel", "-q", "extract", "-k", "_", "--no-wrap", "--no-location",
                "--project", "macrohard_docs", "-o", catalog, package)
    for language in TRANSLATIONS:
        session.run("pybabel", "-q", "update", "-N", "--no-wrap", "-D", "macrohard_docs",
                    "-i", catalog, "-d", f"{package}/locales", "-l", language)
        session.run("pybabel", "compile", "-D", "macrohard_docs", "-d", f"{package}/locales",
                    "-l", language)
    session.log("Now translate every empty or fuzzy message (tests/i18n fails on them).")
