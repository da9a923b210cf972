"""Every built page is valid HTML according to the Nu HTML checker (vnu.jar,
from the `vnu-jar` npm package in tests/package.json; `npm ci --prefix tests`
installs it). No message is filtered: any error fails the test."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote, urlsplit

from helpers import NODE_MODULES, java

VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
# A page with a known error, checked in the same run: proves that the checker
# ran, read our files and reports errors in the form this test parses.
CANARY = """<!doctype html><html lang="en"><head><title>canary</title></head>
<body><p><div>a div cannot sit in a paragraph</div><span id="x"></span><span id="x"></span></body></html>
"""


def run_vnu(files: list[Path]) -> list[dict]:
    assert VNU_JAR.is_file(), f"{VNU_JAR} is missing: run `npm ci --prefix tests`"
    result = java(VNU_JAR, "--format", "json", "--errors-only", "--exit-zero-always", *map(str, files))
    # vnu writes its JSON report to stderr; anything else there is a crash.
    try:
        report = json.loads(result.stderr)
    except json.JSONDecodeError:
        raise AssertionError(f"vnu.jar did not report JSON (exit {result.returncode}):\n"
                             f"{result.stderr[-3000:]}\n{result.stdout[-3000:]}") from None
    assert result.returncode == 0, f"vnu.jar failed (exit {result.returncode})"
    return report["messages"]


def relative(url: str, html_dir: Path) -> str:
    """vnu's "file:/abs/path" as a path below html/, for short messages."""
    if not url:
        return "(no file)"
    path = Path(unquote(urlsplit(url).path))
    return path.relative_to(html_dir).as_posix() if path.is_relative_to(html_dir) else url


def test_every_page_is_valid_html(html_dir: Path, html_pages: list[Path], tmp_path: Path) -> None:
    canary = tmp_path / "canary.html"
    canary.write_text(CANARY, encoding="utf-8")
    messages = run_vnu([*html_pages, canary])

    canary_errors = [m for m in messages if m.get("url", "").endswith("/canary.html")]
    assert any(m["type"] == "error" for m in canary_errors), (
        f"vnu.jar found no error in a page built to have some: {messages!r}")

    problems = []
    for message in messages:
        if message in canary_errors:
            continue
        where = relative(message.get("url", ""), html_dir)
        line = message.get("lastLine", "?")
        problems.append(f"{where}:{line}: [{message['type']}] {message.get('message', '')}"
                        + (f"\n      {message['extract']!r}" if message.get("extract") else ""))
    assert not problems, f"the Nu HTML checker reports {len(problems)} error(s):\n  " + "\n  ".join(problems)
