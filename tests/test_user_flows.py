"""A routine owner's own flows and templates: found in the user's config directory
(OMSORGSLINJE_HJEM), in OMSORGSLINJE_FLYTER, or given as a file; own templates override
built-in ones of the same name; a template error names template, line and variable."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from conftest import PROVE_FLOW, REPO, CliResult, write_flow

Run = Callable[..., CliResult]


def test_own_flow_in_config_dir_is_listed_and_runs(
    run_cli: Run, home: Path, answers_file: Path
) -> None:
    own = home / "config" / "flyter"
    write_flow(own)
    listed = run_cli(["flyt", "liste"])
    assert listed.returncode == 0, listed.stderr
    rows = {line.split()[0]: line for line in listed.stdout.splitlines()[1:]}
    assert set(rows) == {"prove", "oppdager", "henvisning"}
    assert "Prøveflyt for tester" in rows["prove"] and "1.0" in rows["prove"]
    assert str(own / "prove.toml") in rows["prove"]
    assert rows["oppdager"].rstrip().endswith("innebygd")
    assert listed.stdout.splitlines()[0].split() == ["ID", "TITTEL", "VERSJON", "RUTINE", "HVOR"]
    ran = run_cli(["start", "prove", "--svar", answers_file, "--ikke-interaktiv"])
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.startswith("# Journalnotat: Prøveflyt for tester")


def test_flows_from_environment_variable(run_cli: Run, tmp_path: Path, answers_file: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    write_flow(a)
    write_flow(b, PROVE_FLOW.replace('id = "prove"', 'id = "annen"'), name="annen.toml")
    env = {"OMSORGSLINJE_FLYTER": f"{a}:{b}"}
    listed = run_cli(["flyt", "liste"], env=env)
    names = [line.split()[0] for line in listed.stdout.splitlines()[1:]]
    assert names[:2] == ["prove", "annen"] and "oppdager" in names
    ran = run_cli(["start", "prove", "--svar", answers_file, "--ikke-interaktiv"], env=env)
    assert ran.returncode == 0, ran.stderr


def test_flyt_option_adds_a_file(run_cli: Run, tmp_path: Path) -> None:
    path = write_flow(tmp_path / "x")
    listed = run_cli(["flyt", "liste", "--flyt", path])
    row = next(line for line in listed.stdout.splitlines() if "Prøveflyt" in line)
    assert row.startswith(str(path)) and row.rstrip().endswith(str(path))


def test_own_flow_hides_built_in_one_of_the_same_name(run_cli: Run, home: Path) -> None:
    own = home / "config" / "flyter"
    write_flow(own, PROVE_FLOW.replace('id = "prove"', 'id = "oppdager"'), name="oppdager.toml")
    listed = run_cli(["flyt", "liste"])
    hidden = [line for line in listed.stdout.splitlines() if "skjult av" in line]
    assert len(hidden) == 1 and "innebygd" in hidden[0]
    assert str(own / "oppdager.toml") in hidden[0]


def test_broken_own_flow_is_listed_not_fatal(run_cli: Run, home: Path) -> None:
    own = home / "config" / "flyter"
    own.mkdir(parents=True)
    (own / "rot.toml").write_text("[flow\n", encoding="utf-8")
    listed = run_cli(["flyt", "liste"])
    assert listed.returncode == 0
    assert any(line.startswith("rot ") and "feil" in line for line in listed.stdout.splitlines())
    assert "flyt sjekk" in listed.stderr


def test_start_runs_a_flow_file(run_cli: Run, flow_file: Path, answers_file: Path) -> None:
    ran = run_cli(["start", flow_file, "--svar", answers_file, "--ikke-interaktiv", "-f", "txt"])
    assert ran.returncode == 0, ran.stderr
    assert "PRØVEFLYT FOR TESTER" in ran.stdout


def test_own_template_overrides_built_in(run_cli: Run, home: Path) -> None:
    maler = home / "config" / "maler"
    maler.mkdir(parents=True)
    (maler / "oppdager-notat.md.j2").write_text(
        "# Vårt eget notat\n\nRolle: {{ vis('rolle') }}\n", encoding="utf-8"
    )
    answers = REPO / "examples" / "oppdager-akutt.toml"
    ran = run_cli(["start", "oppdager", "--svar", answers, "--ikke-interaktiv"])
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.startswith("# Vårt eget notat\n\nRolle: ")


def test_own_template_for_own_flow_overrides_the_one_beside_it(
    run_cli: Run, home: Path, flow_file: Path, answers_file: Path
) -> None:
    maler = home / "config" / "maler"
    maler.mkdir(parents=True)
    (maler / "prove-notat.md.j2").write_text("Eget: {{ initialer }}\n", encoding="utf-8")
    ran = run_cli(["start", flow_file, "--svar", answers_file, "--ikke-interaktiv"])
    assert ran.stdout == "Eget: AB\n"


def test_template_error_names_template_line_and_variable(
    run_cli: Run, tmp_path: Path, answers_file: Path
) -> None:
    notat = "# Notat\n\nTelefon: {{ telefon }}\n"
    path = write_flow(tmp_path / "t", templates={"prove-notat.md.j2": notat})
    ran = run_cli(["start", path, "--svar", answers_file, "--ikke-interaktiv"])
    assert ran.returncode == 2
    assert "prove-notat.md.j2:3" in ran.stderr and "telefon" in ran.stderr
    assert "Traceback" not in ran.stderr and ran.stdout == ""
    checked = run_cli(["flyt", "sjekk", path])
    assert checked.returncode == 1
    assert "prove-notat.md.j2:3: Malen bruker «telefon»" in checked.stdout


# --- a built-in replaced by the user's own file is announced -----------------------------------

REPLACED = "er erstattet av din egen fil"


def test_own_flow_replacing_a_built_in_one_is_announced(
    run_cli: Run, home: Path, tmp_path: Path
) -> None:
    """A copy in the configuration folder that made an acute case print «ikke aktuelt»: the
    run says which built-in is replaced, and by which file."""
    own = home / "config" / "flyter"
    own.mkdir(parents=True)
    copy = own / "oppdager.toml"
    copy.write_bytes((REPO / "flows" / "oppdager.toml").read_bytes())
    answers = REPO / "examples" / "oppdager-akutt.toml"
    ran = run_cli(["oppdager", "--svar", answers, "--ikke-interaktiv"])
    assert ran.returncode == 0, ran.stderr
    lines = [line for line in ran.stderr.splitlines() if REPLACED in line]
    assert lines == [f"Merk: den innebygde flyten «oppdager» er erstattet av din egen fil {copy}."]
    assert REPLACED not in ran.stdout


def test_own_templates_replacing_built_in_ones_are_announced(run_cli: Run, home: Path) -> None:
    """Also a shared part the flow's templates import (felles.j2); a copy of a template this
    flow does not use is not mentioned."""
    maler = home / "config" / "maler"
    maler.mkdir(parents=True)
    for name in ("felles.j2", "oppdager-notat.md.j2"):
        (maler / name).write_bytes((REPO / "templates" / name).read_bytes())
    answers = REPO / "examples" / "henvisning-full.toml"
    ran = run_cli(["henvisning", "--svar", answers, "--ikke-interaktiv"])
    assert ran.returncode == 0, ran.stderr
    lines = [line for line in ran.stderr.splitlines() if REPLACED in line]
    assert lines == [
        f"Merk: den innebygde malen «felles.j2» er erstattet av din egen fil {maler / 'felles.j2'}."
    ]


def test_nothing_is_announced_without_own_files(run_cli: Run, home: Path) -> None:
    answers = REPO / "examples" / "henvisning-full.toml"
    ran = run_cli(["henvisning", "--svar", answers, "--ikke-interaktiv"])
    assert ran.returncode == 0, ran.stderr
    assert REPLACED not in ran.stderr


def test_the_configuration_folder_is_made_private(
    script: str, cli_env: dict[str, str], tmp_path: Path
) -> None:
    """`flyt liste` makes the folder for own flows it names, 0700 with its parents, under any
    umask."""
    import os
    import stat
    import subprocess

    base = tmp_path / "ny"
    env = {k: v for k, v in cli_env.items() if k != "OMSORGSLINJE_HJEM"}
    env["XDG_CONFIG_HOME"] = str(base / "config")
    r = subprocess.run(
        [script, "flyt", "liste"], env=env, capture_output=True, text=True, umask=0, check=False
    )
    assert r.returncode == 0, r.stderr
    own = base / "config" / "omsorgslinje" / "flyter"
    assert f"Egne flyter: {own}" in r.stderr
    made = [Path(here) for here, _, _ in os.walk(base)]
    assert own in made and own.parent / "maler" in made
    assert {str(p): stat.S_IMODE(p.stat().st_mode) for p in made} == {str(p): 0o700 for p in made}


def test_the_announcement_shows_control_characters_in_the_path(
    run_cli: Run, tmp_path: Path
) -> None:
    """A folder name that holds an escape sequence is shown, never sent to the terminal."""
    home = tmp_path / "hjem\x1b]0;tittel\x07"
    maler = home / "config" / "maler"
    maler.mkdir(parents=True)
    name = "oppdager-notat.md.j2"
    (maler / name).write_bytes((REPO / "templates" / name).read_bytes())
    answers = REPO / "examples" / "oppdager-akutt.toml"
    env = {"OMSORGSLINJE_HJEM": str(home)}
    ran = run_cli(["oppdager", "--svar", answers, "--ikke-interaktiv"], env=env)
    assert ran.returncode == 0, ran.stderr
    assert REPLACED in ran.stderr
    assert "\x1b" not in ran.stderr and "\x07" not in ran.stderr
    assert "hjem^[]0;tittel^G" in ran.stderr
