"""The console script starts with Python's garbage collector off (`__main__.run`): a replay runs
without a single collection pass, and an interview turns the collector on again after its first
answer (ui/conduct.py), so that a long session does not grow."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

FULL_CASE = Path(__file__).resolve().parent.parent / "examples" / "henvisning-full.toml"

# every pass of the collector says so on stderr, then the entry point runs as the script does
PROBE = """
import gc, os, sys
sys.argv = ["omsorgslinje", *sys.argv[1:]]
from omsorgslinje.__main__ import run
gc.callbacks.append(lambda phase, info: phase == "start" and os.write(2, b"[gc]"))
run()
"""


def test_a_replay_makes_no_collection_pass(cli_env: dict[str, str], tmp_path: Path) -> None:
    for extra in ([], ["--ut-mappe", str(tmp_path / "ut")]):
        r = subprocess.run(
            [
                sys.executable,
                "-c",
                PROBE,
                "henvisning",
                "--svar",
                str(FULL_CASE),
                "--ikke-interaktiv",
                *extra,
            ],
            env=cli_env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert r.returncode == 0, r.stderr
        assert "[gc]" not in r.stderr
        assert r.stdout or extra


# the collector's state, watched from a thread: it says once when the collector is on again
WATCH = """
import gc, os, sys, threading, time
sys.argv = ["omsorgslinje", *sys.argv[1:]]
from omsorgslinje.__main__ import run
def watch():
    while not gc.isenabled():
        time.sleep(0.01)
    os.write(2, b"[gc on]")
gc.disable()  # as run() does first (the replay test above shows that it does)
threading.Thread(target=watch, daemon=True).start()
run()
"""


@pytest.mark.pty
def test_an_interview_collects_garbage_again_after_the_first_answer(
    cli_env: dict[str, str], tmp_path: Path, flow_file: Path
) -> None:
    from ptyhelp import Session

    s = Session(
        [sys.executable, "-c", WATCH, "start", str(flow_file), "--enkel", "--dato", "20.11.2026"],
        cli_env,
        tmp_path,
    )
    try:
        s.expect("Trykk Enter")
        time.sleep(0.2)
        assert "[gc on]" not in s.text  # off while the tool starts and asks
        s.send("\r")
        s.expect("Initialer eller saksreferanse")
        # on again after the first answer: the watching thread may say so before the next
        # question is written or after it
        if "[gc on]" not in s.text:
            s.expect(re.escape("[gc on]"))
        s.send("\x03")
        s.expect("Avbrutt.")
        s.end()
    finally:
        s.close()
