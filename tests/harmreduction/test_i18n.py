"""The interface is translatable and translated (issue 17's checks; docs/i18n.md).

- every word shown to people is marked for translation (tests/i18n_unmarked.py);
- every language we serve other than English has a .po that holds every msgid the
  code has, each translated and none fuzzy, and that msgfmt accepts.

The second runs Django's makemessages, as a translator would, into a copy of the
locale folder: the committed files are never touched. Needs GNU gettext
(`make test` installs it).
"""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.i18n_unmarked import ROOT, findings

OTHER_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def _po(code: str) -> Path:
    return Path(settings.LOCALE_PATHS[0]) / code / "LC_MESSAGES" / "django.po"


def _entries(po_text: str) -> list[str]:
    """Each entry's msgid (with its msgctxt, if any), from a .po file's text; not the header."""
    found = []
    for block in re.split(r"\n\s*\n", po_text):
        parts: dict[str, str] = {}
        key = None
        for line in block.splitlines():
            start = re.match(r'(msgctxt|msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$', line)
            if start:
                key = start.group(1)
                parts[key] = start.group(2)
            elif key and line.startswith('"'):
                parts[key] += line[1:-1]
        if parts.get("msgid"):
            found.append(f'{parts["msgctxt"]} | {parts["msgid"]}' if "msgctxt" in parts else parts["msgid"])
    return found


def _gettext_tool(name: str) -> str:
    tool = shutil.which(name)
    assert tool, f"{name} not found: GNU gettext is needed (`make test` installs it)"
    return tool


def test_it_marks_every_word_shown_to_people():
    # Fails until every part of issue 17 is merged: each names what is left.
    found = findings()
    lines = [f"{name}:{line}: {what}" for name, items in found.items() for line, what in items]
    assert not lines, "Words not marked for translation (tests/i18n_unmarked.py):\n" + "\n".join(lines)


@pytest.mark.parametrize("code", OTHER_LANGUAGES)
def test_it_has_a_po_file_for_every_language_served(code):
    assert _po(code).is_file(), f"{code} is in LANGUAGES but has no {_po(code).relative_to(ROOT)}"


@pytest.fixture
def scratch_locale():
    """A locale folder in the project's root, hidden (a dot), removed after.

    makemessages writes a file's msgids to the first locale path whose parent
    holds the file, so the copy must sit beside the real one (its parent the
    root), first in LOCALE_PATHS; the dot keeps makemessages' own walk out of it.
    """
    folder = ROOT / f".i18n-check-{os.getpid()}"
    folder.mkdir()
    yield folder
    shutil.rmtree(folder)


@pytest.mark.parametrize("code", OTHER_LANGUAGES)
def test_it_translates_every_msgid_the_code_has(code, settings, scratch_locale, monkeypatch):
    committed = _po(code)
    assert committed.is_file()
    msgfmt = _gettext_tool("msgfmt")
    _gettext_tool("xgettext")
    checked = subprocess.run([msgfmt, "--check", "-o", "/dev/null", str(committed)], capture_output=True, text=True)
    assert checked.returncode == 0, f"msgfmt --check {committed.relative_to(ROOT)}:\n{checked.stderr}"

    # makemessages merges what the code has now into a copy of the committed file.
    copy = scratch_locale / code / "LC_MESSAGES" / "django.po"
    copy.parent.mkdir(parents=True)
    shutil.copy(committed, copy)
    before = committed.read_bytes()
    settings.LOCALE_PATHS = [scratch_locale, *settings.LOCALE_PATHS]
    monkeypatch.chdir(ROOT)
    # The walk skips the real locale folder ("locale"), so it only adds a path after ours.
    call_command("makemessages", locale=[code], verbosity=0, no_obsolete=True,
                 ignore_patterns=["locale", "bench-tools", "staticfiles"])
    assert committed.read_bytes() == before, "makemessages wrote to the committed file"
    msgattrib = _gettext_tool("msgattrib")
    untranslated = subprocess.run([msgattrib, "--untranslated", "--no-obsolete", str(copy)],
                                  capture_output=True, text=True, check=True).stdout
    fuzzy = subprocess.run([msgattrib, "--only-fuzzy", "--no-obsolete", str(copy)],
                           capture_output=True, text=True, check=True).stdout
    problems = [f"untranslated (or missing from the committed file): {m}" for m in _entries(untranslated)]
    problems += [f"fuzzy: {m}" for m in _entries(fuzzy)]
    assert not problems, (f"{committed.relative_to(ROOT)} after `makemessages -l {code}` (docs/i18n.md):\n"
                          + "\n".join(problems))
