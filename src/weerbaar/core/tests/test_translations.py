"""The English translation may never go stale: every Dutch source string has an English text."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2]
PO = SRC / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def _entries(text: str) -> dict[str, tuple[str, bool]]:
    """msgid (+ msgctxt) -> (msgstr, fuzzy), enough of the PO format for a completeness check."""
    entries: dict[str, tuple[str, bool]] = {}
    for block in text.split("\n\n"):
        if "msgid" not in block:
            continue
        fuzzy = "#, fuzzy" in block or ", fuzzy" in block
        parts: dict[str, str] = {}
        key = None
        for line in block.splitlines():
            match = re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$', line)
            if match:
                key = match.group(1)
                parts[key] = match.group(2)
            elif line.startswith('"') and key:
                parts[key] += line[1:-1]
        msgid = parts.get("msgctxt", "") + "\x04" + parts.get("msgid", "")
        if parts.get("msgid") == "":
            continue
        msgstr = parts.get("msgstr", parts.get("msgstr[0]", ""))
        plural_ok = all(v for k, v in parts.items() if k.startswith("msgstr["))
        entries[msgid] = (msgstr if plural_ok else "", fuzzy)
    return entries


def test_every_translatable_string_has_an_english_translation() -> None:
    entries = _entries(PO.read_text(encoding="utf-8"))
    missing = [msgid.split("\x04")[1][:70] for msgid, (msgstr, fuzzy) in entries.items() if not msgstr or fuzzy]
    assert not missing, f"{len(missing)} untranslated or fuzzy strings, e.g. {missing[:5]}"
    assert MO.exists() and MO.stat().st_mtime >= PO.stat().st_mtime - 5, "run `make messages` to compile the .mo"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is needed to extract strings")
def test_the_catalogue_contains_every_string_in_the_code(tmp_path: Path) -> None:
    copy = tmp_path / "weerbaar"
    shutil.copytree(SRC, copy, ignore=shutil.ignore_patterns("static_vendor", "__pycache__", "*.mo"))
    manage = SRC.parent.parent / "manage.py"
    subprocess.run(
        [sys.executable, str(manage), "makemessages", "-l", "en", "--no-obsolete", "--no-location"],
        cwd=copy,
        # The copy's settings must win, so makemessages writes into the copy, never into our catalogue.
        env={**os.environ, "PYTHONPATH": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"},
        check=True,
        capture_output=True,
    )
    fresh = set(_entries((copy / "locale" / "en" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")))
    committed = set(_entries(PO.read_text(encoding="utf-8")))
    new = sorted(msgid.split("\x04")[1][:70] for msgid in fresh - committed)
    assert not new, f"{len(new)} strings are not in the catalogue yet (run `make messages`): {new[:5]}"
