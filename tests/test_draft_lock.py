"""One window per draft; a failed save says exactly what is not saved; nothing of a deleted draft
stays behind or comes back."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import write_flow
from test_drafts import answered, blank_draft

from omsorgslinje.draft_lock import DraftLocked, lock_path
from omsorgslinje.draft_session import DraftSession
from omsorgslinje.drafts import OLDER_DIR, DraftStore
from omsorgslinje.loader import load_flow
from omsorgslinje.model import Flow


@pytest.fixture
def flow(tmp_path: Path) -> Flow:
    return load_flow(write_flow(tmp_path / "flyt"))


@pytest.fixture
def store(tmp_path: Path) -> DraftStore:
    return DraftStore(tmp_path / "utkast")


def test_a_second_window_is_refused_with_both_ways_on(flow: Flow, store: DraftStore) -> None:
    draft = blank_draft(flow, "prove-a")
    first = DraftSession(store, draft)
    first.save(answered(flow, True, "AB"))
    with pytest.raises(DraftLocked) as err:
        DraftSession(store, store.load("prove-a"))
    assert "er åpent i et annet vindu" in err.value.message
    assert "omsorgslinje utkast vis prove-a" in err.value.message
    assert "omsorgslinje utkast fortsett prove-a --ta-over" in err.value.message
    assert err.value.exit_code == 2


def test_taking_over_stops_the_first_window_from_saving(flow: Flow, store: DraftStore) -> None:
    said: list[str] = []
    first = DraftSession(store, blank_draft(flow, "prove-b"), said.append)
    first.save(answered(flow, True, "AB"))
    second = DraftSession(store, store.load("prove-b"), take_over=True)
    second.save(answered(flow, True, "CD"))
    first.save(answered(flow, True, "EF", "fastlege"))
    first.save(answered(flow, True, "EF", "fastlege", True))
    assert store.load("prove-b").answers["initialer"] == "CD"
    assert len(said) == 1 and "tatt over eller slettet i et annet vindu" in said[0]
    assert "2 svar gitt her etter det er ikke lagret" in first.how_to_go_on()
    assert "Svarene er lagret" not in first.how_to_go_on()


def test_a_draft_deleted_in_one_window_never_comes_back(flow: Flow, store: DraftStore) -> None:
    first = DraftSession(store, blank_draft(flow, "prove-c"), lambda _: None)
    first.save(answered(flow, True, "AB"))
    second = DraftSession(store, store.load("prove-c"), take_over=True)
    second.delete()  # its documents were written
    first.save(answered(flow, True, "AB", "fastlege"))
    assert not store.path_of("prove-c").exists()
    assert not lock_path(store.directory, "prove-c").exists()


def test_a_lock_of_a_process_that_is_gone_is_taken(flow: Flow, store: DraftStore) -> None:
    store.directory.mkdir(parents=True)
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    lock_path(store.directory, "prove-d").write_text(f"{dead.stdout.strip()}:abc\n")
    session = DraftSession(store, blank_draft(flow, "prove-d"))
    session.save(answered(flow, True, "AB"))
    assert store.load("prove-d").answers["initialer"] == "AB"


def test_deleting_a_draft_deletes_its_copies_and_lock(flow: Flow, store: DraftStore) -> None:
    session = DraftSession(store, blank_draft(flow, "prove-e"))
    session.save(answered(flow, True, "AB"))
    copy = store.copy_aside(store.load("prove-e"))
    other = DraftSession(store, blank_draft(flow, "prove-f"))
    other.save(answered(flow, True, "XY"))
    other_copy = store.copy_aside(store.load("prove-f"))
    assert copy.parent.name == OLDER_DIR
    session.delete()
    assert not copy.exists()
    assert not store.path_of("prove-e").exists()
    assert not lock_path(store.directory, "prove-e").exists()
    assert other_copy.exists()


def test_a_failing_save_says_what_is_not_saved_until_a_save_succeeds(
    flow: Flow, tmp_path: Path
) -> None:
    folder = tmp_path / "utkast"
    store = DraftStore(folder)
    said: list[str] = []
    session = DraftSession(store, blank_draft(flow, "prove-g"), said.append)
    session.save(answered(flow, True, "AB"))
    assert session.saved
    # the draft can no longer be written (as on a full disk): its path is taken by a folder
    (folder / "prove-g.toml").unlink()
    (folder / "prove-g.toml").mkdir()
    try:
        session.save(answered(flow, True, "AB", "fastlege"))
        session.save(answered(flow, True, "AB", "fastlege", True))
        assert len(said) == 2  # the warning stays until a save succeeds
        assert "1 svar etter det er ikke lagret" in said[0]
        assert "2 svar etter det er ikke lagret" in said[1]
        assert "2 svar etter det er ikke lagret" in session.how_to_go_on()
    finally:
        (folder / "prove-g.toml").rmdir()
    session.save(answered(flow, True, "AB", "fastlege", True))
    assert said[-1] == "Utkastet er lagret igjen, med alle svarene."
    assert "Svarene er lagret som utkast prove-g" in session.how_to_go_on()


@pytest.mark.pty
def test_two_real_processes(
    tmp_path: Path, script: str, cli_env: dict[str, str], spawn: object
) -> None:
    """A process holds the draft; the command line refuses it, shows it read-only, takes it over."""
    flow_path = write_flow(tmp_path / "flyt")
    home = Path(cli_env["OMSORGSLINJE_HJEM"])
    holder = textwrap.dedent(
        f"""
        import sys, time
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from test_drafts import answered, blank_draft
        from omsorgslinje.drafts import DraftStore
        from omsorgslinje.draft_session import DraftSession
        from omsorgslinje.loader import load_flow
        flow = load_flow(__import__("pathlib").Path({str(flow_path)!r}))
        said = []
        s = DraftSession(DraftStore(), blank_draft(flow, "prove-h"), said.append)
        s.save(answered(flow, True, "AB"))
        print("klar", flush=True)
        sys.stdin.readline()
        s.save(answered(flow, True, "AB", "fastlege"))
        print("lost" if s.lost else "saved", flush=True)
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", holder],
        env=cli_env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None and proc.stdin is not None
        assert proc.stdout.readline().strip() == "klar"
        run = lambda *a: subprocess.run(  # noqa: E731
            [script, *a],
            env=cli_env,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=60,
        )
        refused = run("utkast", "fortsett", "prove-h")
        assert refused.returncode == 2
        assert "er åpent i et annet vindu" in refused.stderr
        shown = run("utkast", "vis", "prove-h")
        assert shown.returncode == 0, shown.stderr
        assert "- Initialer eller saksreferanse? AB" in shown.stdout
        # taking over in a terminal: the other window's next answer is not saved
        taking = spawn(["utkast", "fortsett", "prove-h", "--ta-over", "--enkel"])  # type: ignore[operator]
        taking.expect("Hvilken rolle har du")
        proc.stdin.write("\n")
        proc.stdin.flush()
        assert proc.stdout.readline().strip() == "lost"
    finally:
        proc.kill()
        proc.wait()
    assert (home / "data" / "utkast" / "prove-h.toml").exists()
    time.sleep(0)


def test_when_the_draft_cannot_be_saved_ctrl_c_saves_the_answers_elsewhere(
    flow: Flow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from omsorgslinje import run
    from omsorgslinje.answers import merge

    folder = tmp_path / "utkast"
    said: list[str] = []
    session = DraftSession(DraftStore(folder), blank_draft(flow, "prove-r"), said.append)
    session.save(answered(flow, True, "AB"))
    (folder / "prove-r.toml").unlink()
    (folder / "prove-r.toml").mkdir()  # the draft can no longer be written
    session.save(answered(flow, True, "AB", "fastlege"))
    assert "Trykk Ctrl-C for å lagre svarene som en svarfil i mappen du står i" in said[-1]
    here = tmp_path / "her"
    here.mkdir()
    monkeypatch.chdir(here)
    message = run._stopped(session, flow=flow)
    rescued = here / "omsorgslinje-svar-prove-r.toml"
    assert f"svarene er lagret i {rescued}" in message
    assert f"omsorgslinje start prove --svar {rescued}" in message
    assert oct(rescued.stat().st_mode & 0o777) == oct(0o600)
    assert merge([rescued], flow).answers["rolle"] == "fastlege"


def test_taking_the_lock_waits_for_no_disk_flush_and_a_save_still_flushes(
    flow: Flow, store: DraftStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lock is taken before the first question: a flush to the disk costs milliseconds
    there, and a lock needs none (a crash makes it stale anyway). The draft's answers are
    still flushed. (os.fsync is watched, and still called.)"""
    import os

    from conftest import mode

    flushed: list[int] = []
    real = os.fsync

    def watched(fd: int) -> None:
        flushed.append(fd)
        real(fd)

    monkeypatch.setattr(os, "fsync", watched)
    draft = blank_draft(flow, "prove-a")
    session = DraftSession(store, draft)
    lock = lock_path(store.directory, "prove-a")
    assert lock.read_text(encoding="utf-8").startswith(f"{os.getpid()}:")
    assert mode(lock) == 0o600
    assert flushed == []
    session.save(answered(flow, True, "AB"))
    assert flushed  # the answers are on the disk
