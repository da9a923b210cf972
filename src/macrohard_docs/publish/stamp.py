"""A digest of everything a build reads, so that a build with nothing new is skipped.

Sphinx's incremental machinery still runs every builder, for seconds, when
nothing changed. The site is a function of the files under ``docs/``, the
package's code and files, the installed packages, the Python, the environment
variables the build reads and its options: when their digest is the one the
last publish recorded, and that site is in place, there is nothing to do.
Cheap to import and run (no Sphinx): it is all a no-op build does.
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
ENVIRONMENT = ("SOURCE_DATE_EPOCH", "DOCS_BASE_URL", "READTHEDOCS_CANONICAL_URL", "CHROMIUM")
SKIPPED_DIRS = {"_build", "__pycache__", ".pytest_cache"}  # build products and caches among the inputs


def digest(docs: Path, options: Mapping[str, object], environ: Mapping[str, str] = os.environ) -> str:
    """One hash of every input of a build of *docs* with *options*."""
    h = hashlib.sha256()

    def add(label: str, data: bytes) -> None:
        h.update(label.encode() + b"\0" + len(data).to_bytes(8, "big") + data)

    # Files the build makes among the inputs: the pages' .mo files are compiled from the .po
    # beside them; the package's own .mo is committed and read as it is, so it counts.
    for root, products in ((docs, (".pyc", ".mo")), (PACKAGE, (".pyc",))):
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if d not in SKIPPED_DIRS)
            for name in sorted(n for n in filenames if not n.endswith(products)):
                path = Path(dirpath, name)
                add(f"{root.name}/{path.relative_to(root).as_posix()}", path.read_bytes())
    context = {
        "options": {key: str(value) for key, value in sorted(options.items())},
        "environment": {name: environ.get(name, "") for name in ENVIRONMENT},
        "python": sys.version,
        # Each installed distribution as its metadata folder is named (name-version.dist-info):
        # an upgrade rebuilds. Reading each one's metadata was most of this module's cost.
        "packages": sorted({entry.name for folder in sys.path if os.path.isdir(folder)
                            for entry in os.scandir(folder) if entry.name.endswith((".dist-info", ".egg-info"))}),
    }
    add("context", json.dumps(context, sort_keys=True).encode())
    return h.hexdigest()


def is_current(out: Path, tops: Iterable[str], value: str) -> bool:
    """True when the last publish into *out* was built from inputs with this digest."""
    try:
        recorded = json.loads((out / STAMP_NAME).read_text(encoding="utf-8")).get("inputs")
    except (OSError, ValueError, AttributeError):
        return False
    return recorded == value and all((out / top / "index.html").is_file() for top in tops)


def record(out: Path, value: str) -> None:
    """Written after a publish; removed before one, so a failed build never looks current."""
    tmp = (out / STAMP_NAME).with_suffix(".tmp")
    tmp.write_text(json.dumps({"inputs": value}) + "\n", encoding="utf-8")
    tmp.replace(out / STAMP_NAME)


def forget(out: Path) -> None:
    with contextlib.suppress(OSError):  # a folder that cannot be written: the build says so, with the fix
        (out / STAMP_NAME).unlink(missing_ok=True)
