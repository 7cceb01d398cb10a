"""A writer's part (`--del`) with nothing in it says so, instead of a silent empty file."""

from __future__ import annotations

import tomllib
from pathlib import Path


def test_an_empty_writers_part_says_so(run_cli, tmp_path: Path) -> None:
    out = tmp_path / "rus.toml"
    r = run_cli(["henvisning", "--del", "rusmiddelbruk", "--ikke-interaktiv", "--ut", out])
    assert r.returncode == 0, r.stderr
    assert "Merk: delen har ingen svar" in r.stderr
    assert tomllib.loads(out.read_text("utf-8"))["svar"] == {}
