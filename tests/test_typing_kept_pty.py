"""Nothing typed is lost: text being typed reaches the draft every few seconds and on any
interruption (Ctrl-C, SIGTERM, a closed window), and is back in its box on resume; a draft with
nothing answered is not kept. In a real pseudo-terminal, the installed script."""

from __future__ import annotations

import os
import signal
import time
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from ptyhelp import ENTER, INFO, PANEL, SUBMIT_TEXTAREA, loose, screen

pytestmark = [pytest.mark.interrupt, pytest.mark.pty]

# every answer of the test flow but the last, the optional textarea «beskrivelse»
BEFORE = """\
[svar]
initialer = "AB"
rolle = "fastlege"
samtykke = false
gjelder_hvem = ["rus"]
"""
TEXT = "Halvskrevet observasjon fra hjemmebesøket"
OPTIONAL = "kan stå tomt"


def drafts(home: Path) -> list[Path]:
    d = home / "data" / "utkast"
    return sorted(d.glob("*.toml")) if d.is_dir() else []


def typing_in(home: Path) -> dict[str, Any]:
    [draft] = drafts(home)
    return dict(tomllib.loads(draft.read_text(encoding="utf-8")).get("under_arbeid", {}))


def at_the_textarea(spawn: Callable[..., Any], flow_file: Path, tmp_path: Path) -> Any:
    answers = tmp_path / "svar.toml"
    answers.write_text(BEFORE, encoding="utf-8")
    s = spawn(["start", flow_file, "--svar", answers, "--ut", tmp_path / "notat.md"])
    s.expect(PANEL)
    s.ready(INFO)
    s.send(ENTER)
    s.expect(loose("Beskriv bekymringen kort."))
    s.ready(OPTIONAL)
    return s


def resume_and_finish(spawn: Callable[..., Any], tmp_path: Path) -> str:
    s = spawn(["utkast", "fortsett"])
    s.expect(loose("Beskriv bekymringen kort."))
    s.expect(loose(TEXT))  # back in the box
    s.send(" slutt" + SUBMIT_TEXTAREA)  # the cursor is at the end of it
    s.review()
    s.send("1" + ENTER)
    assert s.finish() == 0, screen(s.text)
    return (tmp_path / "notat.md").read_text(encoding="utf-8")


def test_ctrl_c_while_typing_keeps_the_text(
    spawn: Callable[..., Any], flow_file: Path, tmp_path: Path, home: Path
) -> None:
    s = at_the_textarea(spawn, flow_file, tmp_path)
    s.send(TEXT)
    s.expect(loose(TEXT))
    s.send("\x03")
    assert s.finish() == 130
    assert typing_in(home) == {"beskrivelse": TEXT}
    assert f"{TEXT} slutt" in resume_and_finish(spawn, tmp_path)
    assert drafts(home) == []


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_signal_while_typing_keeps_the_text(
    spawn: Callable[..., Any], flow_file: Path, tmp_path: Path, home: Path, signum: int
) -> None:
    s = at_the_textarea(spawn, flow_file, tmp_path)
    s.send(TEXT)
    s.expect(loose(TEXT))
    os.kill(s.child.pid, signum)
    assert s.finish() == 128 + signum
    assert typing_in(home) == {"beskrivelse": TEXT}


def test_text_being_typed_reaches_the_draft_within_seconds(
    spawn: Callable[..., Any], flow_file: Path, tmp_path: Path, home: Path
) -> None:
    """So that even SIGKILL, which nothing can catch, loses seconds, not the answer."""
    s = at_the_textarea(spawn, flow_file, tmp_path)
    s.send(TEXT)
    s.expect(loose(TEXT))
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and typing_in(home) != {"beskrivelse": TEXT}:
        time.sleep(0.2)
    assert typing_in(home) == {"beskrivelse": TEXT}
    s.child.kill(signal.SIGKILL)
    s.child.expect(__import__("pexpect").EOF)
    s.child.close()  # reaped: the draft's lock names a process that is gone
    assert f"{TEXT} slutt" in resume_and_finish(spawn, tmp_path)


def test_a_draft_with_nothing_answered_is_not_kept(
    spawn: Callable[..., Any], flow_file: Path, home: Path
) -> None:
    s = spawn(["start", flow_file])
    s.expect(PANEL)
    s.ready(INFO)
    s.send(ENTER)  # an information panel read is no answer
    s.ready("< tilbake")
    s.send("\x03")
    assert s.finish() == 130
    assert "ikke lagret noe utkast" in screen(s.text)
    assert drafts(home) == []
