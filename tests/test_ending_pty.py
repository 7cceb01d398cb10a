"""The end of an interview in a terminal: the note shown readably (not raw Markdown), the
duties and next steps, every document of the case offered (the application with consent), the
clipboard, and the draft kept until every document is delivered."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import PROVE_ANSWERS
from ptyhelp import ENTER, INFO, LIST, PANEL, loose, screen

pytestmark = pytest.mark.pty

MENU = "Hva vil du gjøre med dokumentene?"


def drafts(home: Path) -> list[Path]:
    d = home / "data" / "utkast"
    return sorted(d.glob("*.toml")) if d.is_dir() else []


def fake_clipboard(tmp_path: Path) -> tuple[Path, Path]:
    """A stand-in for xclip (none is installed here): what it is given lands in a file."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    got = tmp_path / "utklipp.txt"
    tool = bin_dir / "xclip"
    tool.write_text(f"#!/bin/sh\ncat > '{got}'\n", encoding="utf-8")
    tool.chmod(0o755)
    return bin_dir, got


def to_the_end(spawn: Callable[..., Any], flow_file: Path, tmp_path: Path, **env: str) -> Any:
    answers = tmp_path / "svar.toml"
    answers.write_text(PROVE_ANSWERS, encoding="utf-8")  # with consent: the application applies
    s = spawn(["start", flow_file, "--svar", answers, "--dato", "22.11.2026"], env=env or None)
    s.expect(PANEL)
    s.ready(INFO)
    s.send(ENTER)
    s.review()
    s.send("1" + ENTER)
    return s


def test_the_note_is_shown_readably_and_every_document_is_offered(
    spawn: Callable[..., Any], flow_file: Path, tmp_path: Path, home: Path
) -> None:
    bin_dir, got = fake_clipboard(tmp_path)
    s = to_the_end(spawn, flow_file, tmp_path, PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    s.expect(loose("Journalnotat: Prøveflyt for tester"))
    s.expect(loose("Neste steg:"))
    s.expect(loose("Send søknad for AB (Oppdager, straks)"))
    s.expect(loose(MENU))
    s.ready(LIST)  # the whole menu is on screen (its question may come a moment before it)
    shown = screen(s.text)
    assert "# Journalnotat" not in shown and "| Spørsmål | Svar |" not in shown  # not raw Markdown
    assert "Kopier søknad som ren tekst" in " ".join(shown.split())
    s.send("2" + ENTER)  # the note as plain text to the clipboard
    s.expect(loose("Journalnotat er kopiert til utklippstavlen som ren tekst (med xclip)."))
    s.expect(loose(MENU))
    s.ready(LIST)
    s.send("4" + ENTER)  # Ferdig for nå (the copied note is no longer offered)
    s.expect(loose("Ikke lagret ennå: Søknad."))
    assert s.finish() == 0, screen(s.text)
    text = got.read_text(encoding="utf-8")
    assert text.startswith("JOURNALNOTAT: PRØVEFLYT FOR TESTER\n") and "| Spørsmål |" not in text
    [draft] = drafts(home)  # kept until every document is delivered
    assert "Søknad: ikke lagret" in " ".join(screen(s.text).split())

    # the draft gives the rest, and then it goes
    folder = tmp_path / "sak"
    s = spawn(["utkast", "fortsett", draft.stem, "--ut-mappe", folder])
    s.review()
    s.send("1" + ENTER)
    assert s.finish() == 0, screen(s.text)
    assert (folder / "prove-soknad.md").exists() and (folder / "prove-notat.md").exists()
    assert drafts(home) == []


def test_without_a_clipboard_tool_it_says_so_and_saving_in_a_folder_delivers_all(
    spawn: Callable[..., Any], flow_file: Path, tmp_path: Path, home: Path
) -> None:
    if any(shutil.which(t) for t in ("xclip", "xsel", "wl-copy", "pbcopy", "clip.exe")):
        pytest.skip("denne maskinen har et program for utklippstavlen")
    s = to_the_end(spawn, flow_file, tmp_path)
    s.expect(loose(MENU))
    s.ready(LIST)
    s.send("2" + ENTER)
    s.expect(loose("Fant ikke noe program for utklippstavlen"))
    s.expect(loose(MENU))
    s.ready(LIST)
    s.send("1" + ENTER)
    s.expect("Hvilken mappe")
    s.send(ENTER)  # the folder suggested
    assert s.finish() == 0, screen(s.text)
    folder = tmp_path / "prove-2026-11-22"
    names = {p.name for p in folder.iterdir()}
    assert {"prove-notat.md", "prove-soknad.md", "prove-svar.toml"} <= names, names
    assert drafts(home) == []
