"""Writing documents: an existing folder keeps its mode, new folders are private whatever the
umask, a document's file name cannot leave --ut-mappe, and temporary files do not outlive a kill."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from conftest import PROVE_FLOW, mode, write_flow


def test_an_existing_output_folder_keeps_itsmode(run_cli, flow_file, answers_file, tmp_path):
    shared = tmp_path / "team"
    shared.mkdir()
    shared.chmod(0o2775)
    r = run_cli(["start", flow_file, "--svar", answers_file, "--ut-mappe", shared])
    assert r.returncode == 0, r.stderr
    assert mode(shared) == 0o2775
    assert mode(shared / "prove-notat.md") == 0o600


def test_the_current_folder_keeps_itsmode(run_cli, flow_file, answers_file, tmp_path):
    here = tmp_path / "her"
    here.mkdir()
    here.chmod(0o755)
    r = run_cli(["start", flow_file, "--svar", answers_file, "--ut-mappe", "."], cwd=here)
    assert r.returncode == 0, r.stderr
    assert mode(here) == 0o755


def test_a_new_output_folder_is_private_under_umask_000(
    script, cli_env, flow_file, answers_file, tmp_path
):
    target = tmp_path / "ny-sak"  # --ut-mappe makes the folder; the one above must exist
    cmd = (
        f'umask 000; exec "{script}" start "{flow_file}" --svar "{answers_file}" '
        f'--ut-mappe "{target}"'
    )
    r = subprocess.run(["sh", "-c", cmd], env=cli_env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert mode(target) == 0o700
    assert all(mode(f) == 0o600 for f in target.iterdir())


def test_parents_made_by_the_tool_are_private_too(tmp_path):
    import os

    from omsorgslinje.output import ensure_private_dir

    old = os.umask(0)
    try:
        ensure_private_dir(tmp_path / "a" / "b" / "c")
    finally:
        os.umask(old)
    for folder in (tmp_path / "a", tmp_path / "a" / "b", tmp_path / "a" / "b" / "c"):
        assert mode(folder) == 0o700, folder


@pytest.mark.parametrize("name", ["../../x", "/tmp/x", ".skjult", "a/b", "..", "c:x"])
def test_a_file_name_that_leaves_the_folder_is_a_flow_error(run_cli, tmp_path, answers_file, name):
    flow = write_flow(
        tmp_path / "flyt",
        PROVE_FLOW.replace('filename = "prove-notat"', f"filename = {name!r}".replace("'", '"')),
    )
    check = run_cli(["flyt", "sjekk", flow])
    assert check.returncode != 0
    said = check.stdout + check.stderr
    assert "«filename» for dokumentet «notat» må være et filnavn uten mappe" in said
    assert f"{flow}:13:" in said
    out = tmp_path / "ut"
    r = run_cli(["start", flow, "--svar", answers_file, "--ut-mappe", out])
    assert r.returncode == 2
    assert not (tmp_path / "x").exists() and not Path("/tmp/x.md").exists()


def _dead_pid() -> int:
    pid = 4_000_000
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return pid
        except PermissionError:
            pass
        pid -= 1


def test_temporary_files_of_a_killed_process_are_removed(
    run_cli, flow_file, answers_file, tmp_path
):
    out = tmp_path / "ut"
    out.mkdir()
    stale = out / f".prove-notat.md.{_dead_pid()}-x1y2z3.omsorgslinje.tmp"
    stale.write_text("svar fra en drept prosess", encoding="utf-8")
    live = out / f".prove-notat.md.{os.getpid()}-a1b2c3.omsorgslinje.tmp"
    live.write_text("en prosess som lever", encoding="utf-8")
    old_style = out / f".prove-notat.md.{os.getpid()}.tmp"
    old_style.write_text("", encoding="utf-8")
    r = run_cli(["start", flow_file, "--svar", answers_file, "--ut-mappe", out, "--overskriv"])
    assert r.returncode == 0, r.stderr
    assert not stale.exists()
    assert live.exists()  # another process that still runs may be writing it
    leftovers = [p.name for p in out.iterdir() if p.name.endswith(".omsorgslinje.tmp")]
    assert leftovers == [live.name]


def test_temporary_files_of_a_killed_autosave_are_removed(run_cli, home, flow_file):
    drafts = home / "data" / "utkast"
    drafts.mkdir(parents=True)
    stale = drafts / f".prove-x.toml.{_dead_pid()}-q9w8e7.omsorgslinje.tmp"
    stale.write_text("svar", encoding="utf-8")
    r = run_cli(["utkast", "liste"])
    assert r.returncode == 0, r.stderr
    assert not stale.exists()


def test_a_folder_is_written_all_or_none(tmp_path: Path) -> None:
    """`--ut-mappe`: if one file cannot be written, none is; no temporary file stays."""
    from omsorgslinje.errors import WriteError
    from omsorgslinje.output import write_private_files

    out = tmp_path / "ut"
    out.mkdir()
    (out / "b.md").write_text("fra før\n", encoding="utf-8")
    files = [(out / "a.md", b"a\n"), (out / "b.md", b"b\n"), (out / "c.md", b"c\n")]
    with pytest.raises(WriteError, match="finnes fra før"):
        write_private_files(files, overwrite=False)
    assert sorted(p.name for p in out.iterdir()) == ["b.md"]
    assert (out / "b.md").read_text(encoding="utf-8") == "fra før\n"
    (out / "c.md").mkdir()  # a folder where a file should go: refused before anything is written
    with pytest.raises(WriteError, match="mappe"):
        write_private_files(files, overwrite=True)
    assert sorted(p.name for p in out.iterdir()) == ["b.md", "c.md"]
    (out / "c.md").rmdir()
    write_private_files(files, overwrite=True)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == dict((p.name, d) for p, d in files)
    assert all(mode(p) == 0o600 for p in out.iterdir())


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_a_folder_that_cannot_be_written_gets_nothing(tmp_path: Path) -> None:
    from omsorgslinje.errors import WriteError
    from omsorgslinje.output import write_private_files

    out = tmp_path / "ut"
    out.mkdir()
    out.chmod(0o500)
    try:
        with pytest.raises(WriteError, match="Kunne ikke skrive"):
            write_private_files([(out / "a.md", b"a")], overwrite=True)
        assert list(out.iterdir()) == []
    finally:
        out.chmod(0o700)
