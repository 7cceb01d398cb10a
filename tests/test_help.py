"""The stored top-level help (answered without importing Typer) must equal Typer's own."""

import os
import subprocess
import sys

from omsorgslinje._help import STORED, render_live


def test_stored_help_equals_live_typer_help() -> None:
    assert STORED.read_text(encoding="utf-8") == render_live(), (
        "Hjelpeteksten er endret: kjør `python -m omsorgslinje._help` og commit main_help.txt "
        "(først `.venv/bin/pip install -q -e '.[test]'`: en eldre Typer ordner kommandoene annerledes)"
    )


def test_help_fast_path_does_not_import_typer() -> None:
    code = (
        "import sys; from omsorgslinje.__main__ import main; rc = main(['--help']); "
        "print('typer' in sys.modules, 'click' in sys.modules, rc, file=sys.stderr)"
    )
    env = dict(os.environ, COLUMNS="100")
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert out.stderr.strip() == "False False 0"
    assert out.stdout.startswith("Bruk: omsorgslinje")


def test_narrow_terminal_falls_back_to_typer() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "omsorgslinje", "--help"],
        capture_output=True,
        text=True,
        env=dict(os.environ, COLUMNS="60"),
        check=True,
    )
    assert "Kommandoer:" in out.stdout
    assert out.stdout != STORED.read_text(encoding="utf-8")  # wrapped for 60 columns by Typer
