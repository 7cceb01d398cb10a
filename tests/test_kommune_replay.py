"""A case's record names the municipality profile, so replaying it gives the same documents."""

from __future__ import annotations

import tomllib
from pathlib import Path

from conftest import REPO

EXAMPLE = REPO / "examples" / "oppdager-akutt.toml"


def test_the_record_names_the_profile_and_a_replay_uses_it(run_cli, tmp_path: Path) -> None:
    folder = tmp_path / "sak"
    r = run_cli(
        [
            "oppdager",
            "--kommune",
            "lillehammer",
            "--svar",
            EXAMPLE,
            "--ikke-interaktiv",
            "--ut-mappe",
            folder,
        ]
    )
    assert r.returncode == 0, r.stderr
    record = folder / "oppdager-svar.toml"
    assert tomllib.loads(record.read_text("utf-8"))["omsorgslinje"]["kommune"] == "lillehammer"
    first = (folder / "oppdager-bekymringsmelding.md").read_text("utf-8")
    assert "Kommunenummer: 3405" in first
    again = run_cli(
        ["oppdager", "--svar", record, "--ikke-interaktiv", "--dokument", "bekymringsmelding"]
    )
    assert again.returncode == 0, again.stderr
    assert again.stdout == first
    # --kommune still decides
    other = run_cli(
        [
            "oppdager",
            "--svar",
            record,
            "--ikke-interaktiv",
            "--dokument",
            "bekymringsmelding",
            "--kommune",
            "ingen",
        ]
    )
    assert "Kommunenummer: 3405" not in other.stdout


def test_without_a_profile_the_record_names_none(run_cli, tmp_path: Path) -> None:
    r = run_cli(["oppdager", "--svar", EXAMPLE, "--ikke-interaktiv", "--format", "toml"])
    assert r.returncode == 0, r.stderr
    assert "kommune" not in tomllib.loads(r.stdout)["omsorgslinje"]
