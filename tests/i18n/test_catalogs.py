"""The translation catalogs: complete, current, faithful to the roles, and
consistent with the build's editions."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import sphinx.locale
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po
from helpers import EDITIONS, ROOT
from sphinx.cmd.build import build_main

LOCALES = ROOT / "docs" / "locales"
PACKAGE_LOCALES = ROOT / "src" / "macrohard_docs" / "locales"
CATALOGS = sorted([*LOCALES.rglob("*.po"), *PACKAGE_LOCALES.rglob("*.po")])
ROLE = re.compile(r"\{(fig|derived|name)\}`([^`]*)`")


def active_messages(path: Path) -> list:
    with path.open("rb") as handle:
        catalog = read_po(handle)
    return [message for message in catalog if message.id]


def ids(text: str) -> list[tuple[str, str]]:
    """(role, id) of every figure/name role, in a message's MyST source."""
    found = []
    for role, body in ROLE.findall(text):
        explicit = re.match(r"^(.+?)\s*<(.*?)>$", body, re.DOTALL)
        found.append((role, explicit.group(2).strip() if explicit else body.strip()))
    return sorted(found)


def digit_runs(text: str) -> set[str]:
    return set(re.findall(r"\d+", ROLE.sub("", text)))


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_there_are_french_catalogs():
    languages = {p.relative_to(LOCALES).parts[0] for p in LOCALES.rglob("*.po")}
    assert languages == {e.language for e in EDITIONS} - {"en"}
    assert (LOCALES / "fr/LC_MESSAGES/glossary.po").is_file()
    assert (PACKAGE_LOCALES / "fr/LC_MESSAGES/macrohard_docs.po").is_file()


@pytest.mark.parametrize("path", CATALOGS, ids=rel)
def test_every_message_is_translated_and_not_fuzzy(path: Path):
    messages = active_messages(path)
    assert messages, f"{rel(path)} holds no messages"
    problems = [f"line {m.lineno}: {'fuzzy' if m.fuzzy else 'empty'}: {m.id[:60]!r}"
                for m in messages if m.fuzzy or not m.string or not m.string.strip()]
    assert not problems, (f"{rel(path)}: untranslated messages (translate them, then remove "
                          "the fuzzy flag):\n" + "\n".join(problems))


@pytest.mark.parametrize("path", CATALOGS, ids=rel)
def test_translations_keep_every_role_and_type_no_figure(path: Path):
    for message in active_messages(path):
        assert ids(message.string) == ids(message.id), (
            f"{rel(path)}:{message.lineno}: the translation uses other glossary ids than {message.id!r}")
        typed = digit_runs(message.string) - digit_runs(message.id)
        assert not typed, f"{rel(path)}:{message.lineno}: digits {typed} typed in the translation"


def test_catalogs_follow_the_english_pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """An English edit without `nox -s translation` leaves a message out: fail."""
    # Sphinx keeps message catalogs per process and does not drop a French one
    # when the next build is English: start this extraction from none.
    monkeypatch.setattr(sphinx.locale, "translators", {})
    status = build_main(["-b", "gettext", "-q", "-c", str(ROOT / "docs"),
                         str(ROOT / "docs" / "source"), str(tmp_path)])
    assert status == 0
    templates = sorted(tmp_path.rglob("*.pot"))
    assert templates
    for template in templates:
        domain = template.relative_to(tmp_path).with_suffix(".po")
        for language_dir in (d for d in LOCALES.iterdir() if d.is_dir()):
            po = language_dir / "LC_MESSAGES" / domain
            assert po.is_file(), f"no catalog {rel(po)}: run `nox -s translation`"
            expected = {m.id for m in active_messages(template)}
            present = {m.id for m in active_messages(po)}
            if domain.name == "sphinx.po":
                # Template strings: the hand-kept theme catalog holds ours and furo's.
                assert expected <= present, f"{rel(po)} lacks {sorted(expected - present)}"
                continue
            assert expected == present, (
                f"{rel(po)} is out of date with the English page (run `nox -s translation`, then "
                f"translate): new {sorted(expected - present)[:3]}, gone {sorted(present - expected)[:3]}")


def test_committed_extension_mo_matches_its_po():
    for po in PACKAGE_LOCALES.rglob("*.po"):
        mo = po.with_suffix(".mo")
        assert mo.is_file(), f"{rel(mo)} missing: run `nox -s translation`"
        with po.open("rb") as handle:
            compiled = io.BytesIO()
            write_mo(compiled, read_po(handle))
        compiled.seek(0)
        fresh = {m.id: m.string for m in read_mo(compiled) if m.id}
        with mo.open("rb") as handle:
            committed = {m.id: m.string for m in read_mo(handle) if m.id}
        assert committed == fresh, f"{rel(mo)} is stale: run `nox -s translation`"
