"""Exit codes as README documents them, and no traceback: a full or closed standard output,
Ctrl-C while starting, and an internal error with a code of its own."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

FULL_CASE = Path(__file__).resolve().parent.parent / "examples" / "henvisning-full.toml"


def _run(cmd: list[str], env: dict[str, str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, env=env, capture_output=False, text=True, timeout=60, **kwargs)  # type: ignore[call-overload]


@pytest.mark.parametrize(
    "args", [["--help"], ["--version"], ["flyt", "liste"], ["utkast", "--help"]]
)
def test_a_full_disk_on_standard_output_is_a_write_error(script, cli_env, args):
    with open("/dev/full", "w") as full:
        r = subprocess.run(
            [script, *args], env=cli_env, stdout=full, stderr=subprocess.PIPE, text=True, timeout=60
        )
    assert r.returncode == 1
    assert "Kunne ikke skrive til standard ut: det er ikke plass på disken." in r.stderr
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize(
    "args", [["--help"], ["--version"], ["henvisning", "--svar", str(FULL_CASE)]]
)
def test_a_closed_standard_output_is_said_plainly(script, cli_env, args):
    r = subprocess.run(
        ["sh", "-c", '"$0" "$@" >&-', script, *args],
        env=cli_env,
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
    )
    assert r.returncode == 1
    assert "Standard ut var lukket da kommandoen startet" in r.stderr
    assert "Traceback" not in r.stderr


def test_with_standard_output_closed_a_document_can_still_go_to_a_file(script, cli_env, tmp_path):
    out = tmp_path / "henvisning.md"
    r = subprocess.run(
        [
            "sh",
            "-c",
            '"$0" "$@" >&-',
            script,
            "henvisning",
            "--svar",
            str(FULL_CASE),
            "--ut",
            str(out),
        ],
        env=cli_env,
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
    )
    assert r.returncode == 0, r.stderr
    assert out.read_text(encoding="utf-8").startswith("# ")


def test_ctrl_c_while_the_command_starts_is_a_quiet_130(cli_env):
    code = (
        "import os, signal, sys, threading\n"
        "import omsorgslinje.__main__ as m\n"
        "threading.Timer(0.01, lambda: os.kill(os.getpid(), signal.SIGINT)).start()\n"
        "sys.exit(m.main(['flyt', 'liste']))\n"
    )
    env = {**cli_env, "PYTHONDONTWRITEBYTECODE": "1"}
    r = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert r.returncode == 130, r.stderr
    assert r.stderr.strip().startswith("Avbrutt.")
    assert "Traceback" not in r.stderr


def test_ctrl_c_before_main_is_a_quiet_130(cli_env):
    code = (
        "import os, signal\n"
        "import omsorgslinje.__main__\n"
        "os.kill(os.getpid(), signal.SIGINT)\n"
        "import time; time.sleep(5)\n"
    )
    r = subprocess.run(
        [sys.executable, "-c", code], env=cli_env, capture_output=True, text=True, timeout=60
    )
    assert r.returncode == 130
    assert r.stderr == "Avbrutt.\n"


def test_an_internal_error_has_its_own_code(cli_env):
    # an error of ours (not of the input): a broken installation that lost a module
    code = (
        "import sys\n"
        "sys.modules['omsorgslinje.cli'] = None\n"
        "import omsorgslinje.__main__ as m\n"
        "sys.exit(m.main(['flyt', 'liste']))\n"
    )
    r = subprocess.run(
        [sys.executable, "-c", code], env=cli_env, capture_output=True, text=True, timeout=60
    )
    assert r.returncode == 70
    assert "Intern feil i omsorgslinje (ModuleNotFoundError)" in r.stderr
    assert "Traceback" not in r.stderr
