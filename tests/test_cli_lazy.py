"""The command line builds only what the invocation needs: a replay of `henvisning` builds
that one command (no other command, no group module imported), while the help, «Mente du …?»
and completion still see every command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

FULL_CASE = Path(__file__).resolve().parent.parent / "examples" / "henvisning-full.toml"

# run in a fresh interpreter: main() in-process, then what the command line built
PROBE = """
import json, sys
from omsorgslinje.__main__ import main
code = main(sys.argv[1:])
from omsorgslinje.cli import command
group = command()
print(json.dumps({
    "code": code,
    "built": sorted(group.commands),
    "listed": group.list_commands(None),
    "modules": sorted(m for m in sys.modules if m.startswith("omsorgslinje.cli.")),
    "stored_help": "omsorgslinje._help" in sys.modules,
}), file=sys.stderr)
"""


def _probe(args: list[str], env: dict[str, str]) -> tuple[dict[str, Any], str]:
    r = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    last = r.stderr.strip().splitlines()[-1]
    return json.loads(last), r.stdout


ALL = ["oppdager", "henvisning", "start", "utkast", "flyt", "kommune"]


def test_a_replay_builds_only_its_own_command(cli_env: dict[str, str]) -> None:
    seen, out = _probe(["henvisning", "--svar", str(FULL_CASE), "--ikke-interaktiv"], cli_env)
    assert seen["code"] == 0
    assert out.startswith("# ")
    assert seen["built"] == ["henvisning"]
    assert seen["listed"] == ALL  # the group still knows every command, in the help's order
    assert seen["modules"] == ["omsorgslinje.cli.options"]  # no group module (flyt, utkast, ...)
    assert not seen["stored_help"]  # nor the stored top-level help


def test_a_group_command_builds_its_group_only(cli_env: dict[str, str]) -> None:
    seen, out = _probe(["flyt", "liste"], cli_env)
    assert seen["code"] == 0
    assert "henvisning" in out
    assert seen["built"] == ["flyt"]
    assert "omsorgslinje.cli.utkast" not in seen["modules"]


def test_help_and_suggestions_still_see_every_command(cli_env: dict[str, str]) -> None:
    seen, out = _probe(["--help"], {**cli_env, "COLUMNS": "60"})  # narrow: Typer's own help
    assert seen["code"] == 0
    assert seen["built"] == sorted(ALL)
    for name in ALL:
        assert f"\n  {name} " in out
    r = subprocess.run(
        [sys.executable, "-m", "omsorgslinje", "kommunee"],
        env=cli_env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 2
    assert "Ukjent kommando «kommunee». Mente du «kommune»?" in r.stderr


def test_completion_offers_every_command(cli_env: dict[str, str], script: str) -> None:
    env = {**cli_env, "COMP_WORDS": "omsorgslinje ", "COMP_CWORD": "1"}
    env["_OMSORGSLINJE_COMPLETE"] = "complete_bash"
    r = subprocess.run([script, "x"], env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert [line.split(",", 1)[1] for line in r.stdout.splitlines()] == ALL
