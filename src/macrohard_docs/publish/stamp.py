"""A stamp of everything a build reads, so that a build with nothing new is skipped.

Sphinx's own incremental machinery still runs every builder (each edition and
format) and takes seconds even when nothing changed. The site is a pure
function of its inputs: the pages, data, catalogs and configuration under
``docs/``, the extension's code and files, the installed packages' versions,
the Python running it, the environment variables the build reads, and the
build's own options. When their digest equals the one recorded by the last
successful publish, and that site is still in place, the build has nothing
to do.

This module must stay cheap to import and run: it is all a no-op build does
(no Sphinx import).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]  # the whole macrohard_docs package
STAMP_NAME = ".build-stamp.json"
# Environment variables that change what the build writes.
ENVIRONMENT = ("SOURCE_DATE_EPOCH", "DOCS_BASE_URL", "READTHEDOCS_CANONICAL_URL", "CHROMIUM")
# Build products and caches that may sit among the inputs.
SKIPPED_DIRS = {"_build", "__pycache__", ".pytest_cache"}
# The pages' .mo files are compiled from the .po beside them during the build;
# the package's own .mo is committed and read as it is, so it counts.
DOCS_PRODUCTS = (".pyc", ".mo")
PACKAGE_PRODUCTS = (".pyc",)


def _files(folder: Path, products: tuple[str, ...]) -> Iterable[Path]:
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIPPED_DIRS)
        for name in sorted(filenames):
            if not name.endswith(products):
                yield Path(dirpath, name)


def _packages() -> list[str]:
    """Every installed distribution with its version, as its metadata folder is named
    (name-version.dist-info): a theme or Sphinx upgrade rebuilds. Reading each one's
    metadata instead was most of this module's cost."""
    return sorted({entry.name for folder in sys.path if os.path.isdir(folder)
                   for entry in os.scandir(folder) if entry.name.endswith((".dist-info", ".egg-info"))})


def digest(docs: Path, options: Mapping[str, object],
           environ: Mapping[str, str] = os.environ) -> str:
    """One hash of every input of a build of *docs* with *options*."""
    h = hashlib.sha256()

    def add(label: str, data: bytes) -> None:
        h.update(label.encode() + b"\0" + len(data).to_bytes(8, "big") + data)

    for root, products in ((docs, DOCS_PRODUCTS), (PACKAGE, PACKAGE_PRODUCTS)):
        for path in _files(root, products):
            add(f"{root.name}/{path.relative_to(root).as_posix()}", path.read_bytes())
    context = {
        "options": {key: str(value) for key, value in sorted(options.items())},
        "environment": {name: environ.get(name, "") for name in ENVIRONMENT},
        "python": sys.version,
        "packages": _packages(),
    }
    add("context", json.dumps(context, sort_keys=True).encode())
    return h.hexdigest()


def is_current(out: Path, tops: Iterable[str], value: str) -> bool:
    """True when the last publish into *out* was built from inputs with this digest."""
    stamp = out / STAMP_NAME
    try:
        recorded = json.loads(stamp.read_text(encoding="utf-8")).get("inputs")
    except (OSError, ValueError, AttributeError):
        return False
    return recorded == value and all((out / top / "index.html").is_file() for top in tops)


def record(out: Path, value: str) -> None:
    """Written after a publish; removed before one, so a failed build never looks current."""
    stamp = out / STAMP_NAME
    tmp = stamp.with_suffix(".tmp")
    tmp.write_text(json.dumps({"inputs": value}) + "\n", encoding="utf-8")
    tmp.replace(stamp)


def forget(out: Path) -> None:
    with contextlib.suppress(OSError):  # a folder that cannot be written: the build says so, with the fix
        (out / STAMP_NAME).unlink(missing_ok=True)
