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


def test_a_part_written_on_another_day_merges_and_the_first_file_dates_the_case(
    run_cli, tmp_path: Path
) -> None:
    """The GP writes the part days after the meeting: the files merge (before: «ulik dato», code
    2), and the case keeps the meeting's date, the first file's."""
    repo = Path(__file__).resolve().parent.parent
    meeting = repo / "examples" / "henvisning-full.toml"
    part = tmp_path / "fastlege.toml"
    write_part = ["henvisning", "--svar", meeting, "--del", "rusmiddelbruk", "--ikke-interaktiv"]
    r = run_cli([*write_part, "--dato", "24.11.2026", "--ut", part])
    assert r.returncode == 0, r.stderr
    assert tomllib.loads(part.read_text("utf-8"))["omsorgslinje"]["dato"].isoformat() == (
        "2026-11-24"
    )
    both = run_cli(["henvisning", "--svar", meeting, "--svar", part, "--ikke-interaktiv"])
    assert both.returncode == 0, both.stderr
    alone = run_cli(["henvisning", "--svar", meeting, "--ikke-interaktiv"])
    assert both.stdout == alone.stdout  # the same answers, and the meeting's date
    assert "20.11.2026" in both.stdout and "24.11.2026" not in both.stdout
