"""Issue 7, point 4: the kinds of bad input no other test tried, through the real build.

The other kinds are tested where their code lives (tests/extension,
tests/i18n, tests/test_build.py); the bad-input table in CONTRIBUTING.md lists them all. Here
one checkout is built once (the `built` fixture); each test breaks one file and expects one
message naming the file, the line (or entry) and the fix.

A few cases of each kind (data, page, translation, the extension's catalog, a Sphinx warning)
run the build command (fails_cleanly, fails_in_one_line): a non-zero exit, that message as
its last line, no traceback, and the last good site exactly as it was. The others are about
the message alone, which the command prints as it gets it: each runs the language's Sphinx
run the command would make, forked from this process as the command forks it (`refused`),
without a new interpreter importing Sphinx for every case (half a CPU-second each).

The same checkout built serially shows that a parallel build gives the same site.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers import EPOCH, HTML_EDITIONS, build_command, build_env, checkout, differences, run_build, snapshot

from macrohard_docs.publish.build import Languages, Settings
from macrohard_docs.publish.sphinxrun import Ending


@dataclass
class Built:
    project: Path
    out: Path
    good: dict[str, bytes]  # out/html, built with --jobs 2
    serial: dict[str, bytes]  # the same sources built with --jobs 1, in a folder of its own

    @property
    def docs(self) -> Path:
        return self.project / "docs"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """A checkout and its HTML editions, built in parallel (the last good site),
    and built again serially before any test breaks it."""
    root = tmp_path_factory.mktemp("built")
    project = checkout(root / "project")
    out = root / "out"
    sites = {}
    for jobs, folder in (("2", out), ("1", root / "serial")):
        run = run_build(project, folder, "--html-only", "--jobs", jobs)
        assert run.returncode == 0, run.stderr
        sites[jobs] = snapshot(folder / "html")
    return Built(project, out, sites["2"], sites["1"])


@pytest.fixture
def breaking(built: Built) -> Iterator[Callable[[Path, str, str], int]]:
    """breaking(path, old, new) -> line number of the change; every file is put back after the test."""
    saved: dict[Path, str] = {}

    def change(path: Path, old: str, new: str) -> int:
        text = saved.setdefault(path, path.read_text(encoding="utf-8"))
        assert old in text, f"{old!r} not in {path}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return text[: text.index(old)].count("\n") + 1

    yield change
    for path, text in saved.items():
        path.write_text(text, encoding="utf-8")


def fails_cleanly(built: Built, *expected: str) -> str:
    run = run_build(built.project, built.out, "--html-only")
    assert run.returncode != 0, "the build passed"
    for text in expected:
        assert text in run.stderr, f"{text!r} not in:\n{run.stderr}"
    assert "the last good site in" in run.stderr or "The last good site there is unchanged" in run.stderr
    assert differences(snapshot(built.out / "html"), built.good) == []
    return run.stderr


def refused(built: Built, capfd: pytest.CaptureFixture[str], language: str, where: str, *expected: str) -> str:
    """The language's HTML run, made by the build command's own Languages (in a process of
    its own, on its staging folder and caches), is refused with one message that starts at *where* and
    gives the fix; nothing printed a traceback."""
    [edition] = [e for e in HTML_EDITIONS if e.language == language]
    languages = Languages(Settings(out=built.out, docs=built.docs, jobs="1", epoch=int(EPOCH)), [language])
    try:
        assert languages.build(edition) == 2
    finally:
        languages.close()
    result = languages.failure
    assert result is not None
    assert result.ending == Ending.REFUSED, result
    assert result.message.startswith(f"{where}: "), result.message
    for text in (*expected, "Fix: "):
        assert text in result.message, f"{text!r} not in:\n{result.message}"
    assert "Traceback" not in capfd.readouterr().err
    return result.message


def test_parallel_build_gives_the_same_html(built: Built) -> None:
    """Parallel reads give the same site: built with `--jobs 2` and `--jobs 1`,
    the HTML editions are the same files, byte for byte (search data included)."""
    assert "index.html" in built.good and "fr/index.html" in built.good
    assert sorted(built.good) == sorted(built.serial)
    assert [name for name in built.good if built.good[name] != built.serial[name]] == []


def test_failed_build_keeps_the_last_good_site(built: Built, breaking) -> None:
    data = built.docs / "data" / "figures.toml"
    line = breaking(data, 'unit = "MW"', 'unit = "MWh"')
    fails_cleanly(built, f"{data}:{line}: figure 'colossus-power' has unknown unit 'MWh'", "Fix: ")


def test_unknown_qualifier(built: Built, breaking, capfd) -> None:
    data = built.docs / "data" / "figures.toml"
    line = breaking(data, 'qualifier = "less_than"', 'qualifier = "less_tha"')
    refused(built, capfd, "en", f"{data}:{line}", f"{data}:{line}: figure ", "has unknown qualifier 'less_tha'",
            "Fix: use one of less_than, more_than")


def test_figures_data_setting_names_a_missing_file(built: Built, breaking, capfd) -> None:
    breaking(built.docs / "conf.py", 'figures_data = "data/figures.toml"', 'figures_data = "data/figure.toml"')
    refused(built, capfd, "en", f"{built.docs / 'data' / 'figure.toml'}",
            f"{built.docs / 'data' / 'figure.toml'}: cannot read the figures data file",
            "Fix: check the `figures_data` setting in conf.py")


def test_unknown_glossary_part(built: Built, breaking) -> None:
    """A warning of the extension's (exit 1, where a refusal exits 2), through the command."""
    page = built.docs / "source" / "glossary.md"
    line = breaking(page, "```{figure-glossary} units", "```{figure-glossary} unit")
    fails_cleanly(built, f"{page}:{line}", "unknown glossary part 'unit'",
                  "Fix: use one of figures, derived, names, units")


def test_broken_catalog_syntax(built: Built, breaking, capfd) -> None:
    po = built.docs / "locales" / "fr" / "LC_MESSAGES" / "glossary.po"
    # The first translated string loses its closing quote (Babel, which Sphinx
    # compiles catalogs with, would silently drop its last character instead).
    translated = re.search(r'^msgstr ".+"$', po.read_text(encoding="utf-8"), re.MULTILINE).group(0)
    line = breaking(po, translated + "\n", translated[:-1] + "\n")
    refused(built, capfd, "fr", f"{po}:{line}", f"{po}:{line}: the string is not closed",
            "Fix: end it with a double quote")


# --- Issue 14: active content and bad data values, through the build command ------


def fails_in_one_line(built: Built, tmp_path: Path, where: str, *expected: str) -> str:
    """The build fails; its last line names the cause at *where*; no crash report, no log file."""
    run = subprocess.run(build_command(built.docs, built.out, "--html-only"), cwd=built.project,
                         env=build_env(built.project, TMPDIR=str(tmp_path)), capture_output=True,
                         text=True, check=False)
    assert run.returncode == 2, run.stderr
    last = run.stderr.strip().splitlines()[-1]
    assert last.startswith(f"error: {where}: "), run.stderr
    for text in (*expected, "Fix: ", f"Nothing was published: the last good site in {built.out} is unchanged."):
        assert text in last, f"{text!r} not in the last line:\n{run.stderr}"
    for crash in ("Traceback", "sphinx-err", "report", "Handler <function", "error!"):
        assert crash not in run.stderr, run.stderr
    assert not list(tmp_path.glob("sphinx-err-*.log"))
    assert differences(snapshot(built.out / "html"), built.good) == []
    return run.stderr


def test_a_raw_script_in_a_page_is_refused(built: Built, breaking, tmp_path: Path) -> None:
    page = built.docs / "source" / "article" / "colossus.md"
    text = page.read_text(encoding="utf-8")
    breaking(page, text, text + "\nA note <script>alert(1)</script> here.\n")
    line = text.count("\n") + 2
    fails_in_one_line(built, tmp_path, f"{page}:{line}", "a <script> element in the page")


def in_a_translation(built: Built, breaking, markup: str) -> tuple[Path, int]:
    """*markup* inside a sentence of a French msgstr, after its first word, as in the
    issues ("L’article <script>alert(1)</script> prête…"): the catalog and its line."""
    po = built.docs / "locales" / "fr" / "LC_MESSAGES" / "article" / "colossus.po"
    translated = re.search(r'^msgstr "\S+ \S+ .{40,}"$', po.read_text(encoding="utf-8"), re.MULTILINE).group(0)
    keyword, first_word, rest = translated.split(" ", 2)
    return po, breaking(po, translated, f"{keyword} {first_word} {markup} {rest}")


def test_a_script_in_a_translation_is_refused(built: Built, breaking, tmp_path: Path) -> None:
    po, line = in_a_translation(built, breaking, "<script>alert(1)</script>")
    fails_in_one_line(built, tmp_path, f"{po}:{line}", "a <script> element in the page")


@pytest.mark.parametrize(("value", "says"), [
    ("nan", "is NaN, not a finite number"),
    ("1e30", "too large to print"),
    ("-300", "cannot be negative"),
])
def test_a_bad_value_is_one_line(built: Built, breaking, capfd, value: str, says: str) -> None:
    data = built.docs / "data" / "figures.toml"
    number = re.search(r"^value = \d[\d_]*$", data.read_text(encoding="utf-8"), re.MULTILINE).group(0)
    line = breaking(data, number + "\n", f"value = {value}\n")
    refused(built, capfd, "en", f"{data}:{line}", "field 'value'", says)


def test_a_wrong_typed_table_is_one_line(built: Built, breaking, tmp_path: Path) -> None:
    data = built.docs / "data" / "figures.toml"
    text = data.read_text(encoding="utf-8")
    # `qualifiers = 5` in place of the [qualifiers.*] tables (each runs to the next header).
    broken = "qualifiers = 5\n" + re.sub(r"^\[qualifiers\.[^\]]+\]\n(?:[^\[].*\n|\n)*", "", text, flags=re.MULTILINE)
    breaking(data, text, broken)
    fails_in_one_line(built, tmp_path, f"{data}:1", "'qualifiers' must be a table")


# --- Issue 26: hostile pages, translations, data and faults, through the build command ------

REFRESH = '<meta http-equiv="refresh" content="1; url=https://example.com/">'


def append(breaking, path: Path, text: str) -> int:
    """Add *text* at the end of *path*; return the line it starts on."""
    whole = path.read_text(encoding="utf-8")
    breaking(path, whole, whole + text)
    return whole.count("\n") + 1 + (text[: len(text) - len(text.lstrip("\n"))].count("\n"))


@pytest.mark.parametrize(("text", "says"), [
    (f"\nA note {REFRESH} here.\n", "the element <meta> in the page"),
    ('\n<iframe src="https://example.com/"></iframe>\n', "the element <iframe> in the page"),
    ('\n<form action="https://example.com/"><button>Go</button></form>\n', "the element <form> in the page"),
    ('\nSee <span style="background: url(https://example.com/x.png)">this</span>.\n',
     "a style= attribute on <span>"),
    ("\n```{literalinclude} ../../../../../../../../../../../../etc/passwd\n```\n",
     "a file outside the project (/etc/passwd)"),
    ("\n![a chart](https://example.com/chart.png)\n", "a file from another site"),
])
def test_hostile_page_content_is_one_line(built: Built, breaking, capfd, text: str, says: str) -> None:
    page = built.docs / "source" / "article" / "colossus.md"
    line = append(breaking, page, text)
    refused(built, capfd, "en", f"{page}:{line}", says)


def test_a_refresh_in_front_matter_is_one_line(built: Built, breaking, capfd) -> None:
    page = built.docs / "source" / "about.md"
    whole = page.read_text(encoding="utf-8")
    breaking(page, whole, '---\nmyst:\n  html_meta:\n    "http-equiv=refresh": "1; url=https://example.com/"\n'
             "---\n" + whole)
    refused(built, capfd, "en", f"{page}:4", "a <meta http-equiv=...> in the page")


def test_a_refresh_in_a_translation_is_one_line(built: Built, breaking, capfd) -> None:
    po, line = in_a_translation(built, breaking, REFRESH.replace(chr(34), chr(92) + chr(34)))
    refused(built, capfd, "fr", f"{po}:{line}", "the element <meta> in the page")


def test_a_page_that_is_not_utf8_is_one_line(built: Built, breaking, capfd) -> None:
    page = built.docs / "source" / "about.md"
    whole = page.read_text(encoding="utf-8")
    breaking(page, whole, whole)  # registers the page to be put back
    page.write_bytes(whole.encode("utf-8") + "Caf\u00e9.\n".encode("latin-1"))
    refused(built, capfd, "en", f"{page}:{whole.count(chr(10)) + 1}", "the page is not UTF-8 text (byte 0xe9")


@pytest.mark.parametrize("catalog", ["page", "extension"])
def test_an_unknown_placeholder_in_a_msgstr_is_one_line(built: Built, breaking, tmp_path: Path, capfd,
                                                        catalog: str) -> None:
    if catalog == "extension":
        po = built.project / "src" / "macrohard_docs" / "locales" / "fr" / "LC_MESSAGES" / "macrohard_docs.po"
        old, new = 'msgstr "{author}. {title}.', 'msgstr "{auteur}. {title}.'
    else:
        po = built.docs / "locales" / "fr" / "LC_MESSAGES" / "about.po"
        old = re.search(r'^msgstr "\S+ ', po.read_text(encoding="utf-8"), re.MULTILINE).group(0)
        new = old + "{auteur} "
    line = breaking(po, old, new)
    says = "the msgstr uses {auteur}, which its msgid does not have"
    if catalog == "extension":  # the checkout's own package, which only the command imports
        fails_in_one_line(built, tmp_path, f"{po}:{line}", says)
    else:
        refused(built, capfd, "fr", f"{po}:{line}", says)


@pytest.mark.parametrize("where", ["data", "catalog"])
def test_a_bidirectional_control_is_one_line(built: Built, breaking, capfd, where: str) -> None:
    path = (built.docs / "data" / "figures.toml" if where == "data"
            else built.docs / "locales" / "fr" / "LC_MESSAGES" / "about.po")
    old = re.search(r'^measures = "|^msgstr "[^"]', path.read_text(encoding="utf-8"), re.MULTILINE).group(0)
    line = breaking(path, old, old + "\u202e")
    refused(built, capfd, "en" if where == "data" else "fr", f"{path}:{line}",
            "bidirectional control character (U+202E)")


def test_ten_megabytes_of_measures_is_one_line(built: Built, breaking, capfd) -> None:
    data = built.docs / "data" / "figures.toml"
    old = re.search(r'^measures = "', data.read_text(encoding="utf-8"), re.MULTILINE).group(0)
    line = breaking(data, old, old + "x" * 10_000_000)
    refused(built, capfd, "en", f"{data}:{line}", "field 'measures' is 10,000,", "more than the 400")


def test_a_refused_build_keeps_its_caches(built: Built, breaking, tmp_path: Path) -> None:
    """After a clean refusal (exit 2), the next build goes on incrementally, to the same site."""
    page = built.docs / "source" / "about.md"
    line = append(breaking, page, f"\n{REFRESH}\n")
    fails_in_one_line(built, tmp_path, f"{page}:{line}", "the element <meta>")
    assert (built.out / ".doctrees").is_dir() and not (built.out / ".build-unfinished").exists()
    page.write_text(page.read_text(encoding="utf-8").replace(f"\n{REFRESH}\n", ""), encoding="utf-8")
    run = run_build(built.project, built.out, "--html-only", "--force")
    assert run.returncode == 0, run.stderr
    assert "building afresh" not in run.stderr
    assert differences(snapshot(built.out / "html"), built.good) == []


def test_a_sphinx_warning_ends_on_its_fix(built: Built, breaking, tmp_path: Path) -> None:
    page = built.docs / "source" / "about.md"
    line = append(breaking, page, "\n```{no-such-directive}\nText.\n```\n")
    # CI=true, as CI services set it, makes Sphinx colour its warnings: the last line stays plain.
    run = run_build(built.project, built.out, "--html-only", TMPDIR=str(tmp_path), CI="true")
    assert run.returncode == 1, run.stderr
    last = run.stderr.strip().splitlines()[-1]
    assert "\x1b" not in last, run.stderr
    assert last.startswith(f"error: {page}:{line}: Unknown directive type: 'no-such-directive'"), run.stderr
    assert "Fix: check the directive's name" in last and "the last good site in" in last
    assert "Traceback" not in run.stderr
    assert differences(snapshot(built.out / "html"), built.good) == []
