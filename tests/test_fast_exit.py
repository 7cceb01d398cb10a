"""The console script ends without the interpreter's teardown once everything is written
(`__main__.run`), and with it where something could still need it: an exit handler, a thread
that is not a daemon. `main` called in-process keeps returning its code."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

FULL_CASE = Path(__file__).resolve().parent.parent / "examples" / "henvisning-full.toml"
REPLAY = ["henvisning", "--svar", str(FULL_CASE), "--ikke-interaktiv"]

# an object whose finaliser speaks at the interpreter's teardown, then the entry point
PROBE = """
import os, sys
class Teardown:
    def __del__(self):
        os.write(2, b"[teardown]")
witness = Teardown()
{extra}
sys.argv = ["omsorgslinje", *sys.argv[1:]]
from omsorgslinje.__main__ import run
run()
"""


def _probe(
    args: list[str], env: dict[str, str], extra: str = "", stdout: Any = subprocess.PIPE
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", PROBE.format(extra=extra), *args],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        timeout=60,
    )


def test_a_replay_ends_without_the_teardown_and_with_all_its_output(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    r = _probe(REPLAY, cli_env)
    assert r.returncode == 0, r.stderr
    assert "[teardown]" not in r.stderr
    written = tmp_path / "henvisning.md"
    assert _probe([*REPLAY, "--ut", str(written)], cli_env).returncode == 0
    assert r.stdout == written.read_text(encoding="utf-8")  # every byte, flushed before the exit


def test_an_error_keeps_its_code_and_message(cli_env: dict[str, str], tmp_path: Path) -> None:
    r = _probe(["henvisning", "--svar", str(tmp_path / "mangler.toml")], cli_env)
    assert r.returncode == 2
    assert "mangler.toml" in r.stderr
    assert "[teardown]" not in r.stderr
    r = _probe(["kommandoen-finnes-ikke"], cli_env)
    assert r.returncode == 2
    assert "Ukjent kommando" in r.stderr


def test_a_full_standard_output_is_still_exit_1_with_its_message(cli_env: dict[str, str]) -> None:
    with open("/dev/full", "w") as full:
        r = _probe(REPLAY, cli_env, stdout=full)
    assert r.returncode == 1
    assert "Kunne ikke skrive til standard ut" in r.stderr
    assert "Traceback" not in r.stderr


def test_an_exit_handler_gets_the_ordinary_exit(cli_env: dict[str, str]) -> None:
    extra = "import atexit; atexit.register(lambda: os.write(2, b'[atexit]'))"
    r = _probe(REPLAY, cli_env, extra)
    assert r.returncode == 0
    assert "[atexit]" in r.stderr
    assert "[teardown]" in r.stderr


def test_a_thread_that_is_not_a_daemon_is_waited_for(cli_env: dict[str, str]) -> None:
    extra = (
        "import threading, time\n"
        "threading.Thread(target=lambda: (time.sleep(0.5), os.write(2, b'[thread]'))).start()"
    )
    r = _probe(["--version"], cli_env, extra)
    assert r.returncode == 0
    assert r.stdout.startswith("omsorgslinje ")
    assert "[thread]" in r.stderr


def test_main_in_process_returns_its_code(cli_env: dict[str, str], tmp_path: Path) -> None:
    code = (
        "import sys; from omsorgslinje.__main__ import main\n"
        "codes = [main(['--version']), main(['henvisning', '--svar', sys.argv[1]])]\n"
        "print('after', codes, file=sys.stderr)"
    )
    r = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "mangler.toml")],
        env=cli_env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 0
    assert "after [0, 2]" in r.stderr


def test_the_console_script_and_python_m_end_the_same_way(
    script: str, cli_env: dict[str, str]
) -> None:
    for argv in ([script, *REPLAY], [sys.executable, "-m", "omsorgslinje", *REPLAY]):
        r = subprocess.run(argv, env=cli_env, capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, r.stderr
        assert r.stdout.startswith("# ")


def test_with_logging_imported_its_shutdown_runs_and_the_exit_stays_fast(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    # python-docx imports logging, which registers its `shutdown` as an exit handler; a handler
    # with something buffered must still be flushed: here one that writes only when flushed
    extra = (
        "import logging\n"
        "class Held(logging.Handler):\n"
        "    def emit(self, record): self.held = record.getMessage()\n"
        "    def flush(self): os.write(2, ('[' + getattr(self, 'held', '') + ']').encode())\n"
        "logging.getLogger('x').addHandler(Held())\n"
        "logging.getLogger('x').warning('logget')"
    )
    r = _probe([*REPLAY, "--ut-mappe", str(tmp_path / "sak"), "-f", "docx"], cli_env, extra)
    assert r.returncode == 0, r.stderr
    assert "[logget]" in r.stderr
    assert "[teardown]" not in r.stderr
    assert (tmp_path / "sak" / "sekundaerhenvisning.docx").stat().st_size > 0
