"""The one task runner: build, preview and test the dossier.

    nox -s docs     build every edition strictly into docs/_build/
    nox -s serve    live-reloading preview on http://127.0.0.1:8000
    nox -s tests    build, then run every test (Sphinx, site, browser)
"""

from __future__ import annotations

import nox

nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["docs"]

PYPROJECT = nox.project.load_toml("pyproject.toml")
# Strict, as everywhere: any warning fails the build (see macrohard_docs.build).
STRICT = ["-W", "--keep-going", "-n"]


def install(session: nox.Session, *groups: str) -> None:
    session.install("-e", ".")
    for group in groups:
        session.install(*nox.project.dependency_groups(PYPROJECT, group))


@nox.session(python="3.11")
def docs(session: nox.Session) -> None:
    """Build the site; a failed build leaves the last good site in place."""
    install(session)
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
