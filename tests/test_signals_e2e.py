"""SIGTERM (or a closed terminal) at any moment of a full-screen interview: the draft is kept
and the terminal shows one Norwegian line, never prompt_toolkit's "Unhandled exception in event
loop" with a traceback (which a signal landing inside one of its tasks used to produce)."""

from __future__ import annotations

import random
import shutil
import signal
from pathlib import Path

import pexpect
import pytest

pytestmark = [pytest.mark.interrupt, pytest.mark.pty]

QUESTIONS = 6
FLOW = "\n".join(
    [
        "[flow]",
        'id = "signal"',
        'title = "Signal"',
        'version = "1"',
        'source = "Test"',
        "[flow.documents.notat]",
        'template = "signal.md.j2"',
    ]
    + [
        f'[[steps]]\nid = "q{i}"\ntype = "text"\nprompt = "Sporsmal nummer {i}"\nsource = "Test"'
        for i in range(QUESTIONS)
    ]
)


def test_sigterm_at_random_moments_never_shows_a_traceback(
    tmp_path: Path, script: str, cli_env: dict[str, str], home: Path
) -> None:
    flow = tmp_path / "signal.toml"
    flow.write_text(FLOW, encoding="utf-8")
    (tmp_path / "signal.md.j2").write_text("{{ vis('q0') }}\n", encoding="utf-8")
    rng = random.Random(2026)
    for round_ in range(12):
        shutil.rmtree(home, ignore_errors=True)
        child = pexpect.spawn(
            script,
            ["start", str(flow)],
            env=cli_env,
            encoding="utf-8",
            timeout=10,
            dimensions=(40, 120),
        )
        child.delaybeforesend = None
        child.expect("Sporsmal nummer 0")
        answered = rng.randrange(1, QUESTIONS - 1)
        for k in range(1, answered + 1):
            child.send("x\r")
            child.expect(f"Sporsmal nummer {k}")
        child.send("y\r")  # the signal comes while this answer is being taken, or just after
        child.expect(r"\r", timeout=5)
        child.kill(signal.SIGTERM)
        child.expect(pexpect.EOF)
        child.close()
        out = child.before
        assert child.exitstatus == 128 + signal.SIGTERM, (round_, child.signalstatus, out)
        assert "Traceback" not in out and "Unhandled exception" not in out, (round_, out)
        assert "Avsluttet. Svarene er lagret som utkast" in out, (round_, out)
