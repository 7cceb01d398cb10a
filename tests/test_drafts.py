"""The draft store: saving, reading, resuming against a changed flow, retention, corrupt files.

No terminal here: the interview loop runs with a scripted front end (see test_interrupt_e2e.py
for the real thing).
"""

from __future__ import annotations

import datetime as _dt
import os
import time
from pathlib import Path

import pytest
from conftest import PROVE_FLOW, mode, write_flow

from omsorgslinje import draft_file, draft_session
from omsorgslinje.draft_file import Draft, DraftError, from_toml, new_id, to_toml
from omsorgslinje.draft_session import DraftSession, capture, describe_lost, restore
from omsorgslinje.drafts import (
    CORRUPT_DIR,
    OLDER_DIR,
    DraftStore,
    clean_up_old,
    retention_days,
)
from omsorgslinje.engine import Interview
from omsorgslinje.loader import load_flow
from omsorgslinje.model import Flow
from omsorgslinje.ui.common import BACK
from omsorgslinje.ui.conduct import conduct

SECRET = "Hemmelig Hansen"


@pytest.fixture
def flow(tmp_path: Path) -> Flow:
    return load_flow(write_flow(tmp_path / "flyt"))


@pytest.fixture
def store(tmp_path: Path) -> DraftStore:
    return DraftStore(tmp_path / "utkast")


def blank_draft(flow: Flow, draft_id: str | None = None) -> Draft:
    started = draft_file.now()
    return Draft(
        id=draft_id or new_id(flow.id, started),
        flow_id=flow.id,
        flow_version=flow.version,
        flow_path=flow.path,
        started=started,
        changed=started,
        date=_dt.date(2026, 11, 20),
        options={"format": "md", "ut": None, "deler": []},
    )


def answered(flow: Flow, *replies: object) -> Interview:
    iv = Interview.start(flow)
    for reply in replies:
        iv = iv.answer(reply)
    return iv


class Scripted:
    """A front end that replies from a list, and raises KeyboardInterrupt when it runs out."""

    def __init__(self, replies: list[object]) -> None:
        self.replies = list(replies)

    def start(self, flow: Flow, resumed: bool) -> None:
        pass

    def invalid(self, message: str) -> None:
        raise AssertionError(message)

    def ask(self, iv: Interview) -> object:
        if not self.replies:
            raise KeyboardInterrupt
        return self.replies.pop(0)

    def review(self, iv: Interview) -> str:
        if not self.replies:
            raise KeyboardInterrupt
        return str(self.replies.pop(0))


# -- ids and the file format ---------------------------------------------------------------------


def test_id_is_short_and_readable() -> None:
    when = _dt.datetime(2026, 11, 22, 11, 3)
    draft_id = new_id("oppdager", when)
    assert draft_id.startswith("oppdager-20261122-1103-")
    assert len(draft_id) == len("oppdager-20261122-1103-ab12")


def test_every_value_type_survives_the_round_trip(flow: Flow) -> None:
    iv = answered(
        flow,
        True,
        SECRET,
        "annen",
        'Jordmor\nmed «sitat» og "anførsel"',
        "ja",
        "01.11.2026",
        ["gravid", "barn"],
        "2",
        "",  # the optional textarea, skipped
    )
    assert iv.done
    draft = capture(blank_draft(flow), iv)
    back = from_toml(to_toml(draft))
    assert back.answers == dict(iv.answers)
    assert back.answers["beskrivelse"] is None  # skipped: listed, no value
    assert back.answers["samtykke_dato"] == _dt.date(2026, 11, 1)
    assert back.answers["antall_barn"] == 2
    assert back.cursor is None
    assert back.trail == iv.trail
    assert back.date == _dt.date(2026, 11, 20)
    assert (back.answered, back.total) == (8, 8)


def test_progress_counts_questions_not_info_steps(flow: Flow) -> None:
    draft = capture(blank_draft(flow), answered(flow, True, "AB"))
    assert (draft.answered, draft.total) == (1, 5)


# -- the store -----------------------------------------------------------------------------------


def test_save_is_private(flow: Flow, store: DraftStore) -> None:
    path = store.save(capture(blank_draft(flow), answered(flow, True, SECRET)))
    assert mode(store.directory) == 0o700
    assert mode(path) == 0o600
    assert [p.name for p in store.directory.iterdir()] == [path.name]  # no temporary file left


def test_default_store_lives_in_the_private_user_data_dir(
    flow: Flow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OMSORGSLINJE_HJEM", str(tmp_path / "hjem"))
    store = DraftStore()
    assert store.directory == tmp_path / "hjem" / "data" / "utkast"
    path = store.save(blank_draft(flow))
    assert mode(tmp_path / "hjem" / "data") == 0o700
    assert mode(store.directory) == 0o700
    assert mode(path) == 0o600


def test_a_loose_directory_is_tightened(flow: Flow, store: DraftStore) -> None:
    store.directory.mkdir(mode=0o755)
    store.directory.chmod(0o755)
    store.save(blank_draft(flow))
    assert mode(store.directory) == 0o700


def test_session_saves_after_every_answer_and_back(flow: Flow, store: DraftStore) -> None:
    session = DraftSession(store, blank_draft(flow))
    seen: list[tuple[int, str | None]] = []

    def on_change(iv: Interview) -> None:
        session.save(iv)
        if not session.path.exists():  # an information panel read is no answer: not kept
            seen.append((0, None))
            return
        saved = store.load(session.id)
        seen.append((len(saved.answers), saved.cursor))

    with pytest.raises(KeyboardInterrupt):
        conduct(Interview.start(flow), Scripted([True, "AB", BACK, "CD"]), on_change=on_change)
    assert seen == [(0, None), (2, "rolle"), (2, "initialer"), (2, "rolle")]
    assert store.load(session.id).answers["initialer"] == "CD"


def test_load_by_unique_beginning(flow: Flow, store: DraftStore) -> None:
    store.save(blank_draft(flow, "prove-20261122-1103-aaaa"))
    store.save(blank_draft(flow, "prove-20261122-1103-bbbb"))
    assert store.load("prove-20261122-1103-b").id == "prove-20261122-1103-bbbb"
    with pytest.raises(DraftError, match="flere"):
        store.load("prove-2026")
    with pytest.raises(DraftError, match="finnes ikke"):
        store.load("henvisning")
    with pytest.raises(DraftError, match="gyldig"):
        store.load("../../etc/passwd")


def test_scan_newest_first_and_latest_for(flow: Flow, store: DraftStore) -> None:
    old = blank_draft(flow, "prove-a")
    old.changed = old.changed - _dt.timedelta(hours=2)
    store.save(old)
    store.save(blank_draft(flow, "prove-b"))
    other = blank_draft(flow, "annen-c")
    other.flow_id = "annen"
    store.save(other)
    found, messages = store.scan()
    assert [d.id for d in found][-1] == "prove-a"  # the oldest change last
    latest, _ = store.latest_for("prove")
    assert latest is not None and latest.id == "prove-b"
    assert messages == []


def test_delete_and_delete_all(flow: Flow, store: DraftStore) -> None:
    store.save(blank_draft(flow, "prove-a"))
    store.save(blank_draft(flow, "prove-b"))
    assert store.delete("prove-a")
    assert not store.delete("prove-a")
    (store.directory / "x.toml").write_text("søppel")
    store.scan()  # moves x.toml aside
    assert store.delete_all() == 2
    assert store.paths() == []
    assert not list((store.directory / CORRUPT_DIR).iterdir())


# -- corrupt drafts --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        f'[utkast\nid = "{SECRET}"',  # not TOML
        f'[svar]\ninitialer = "{SECRET}"\n',  # no [utkast]
        '[utkast]\nid = "x"\nflyt = 3\n',  # wrong types
        b"\xff\xfe\x00 ikke utf-8",
    ],
)
def test_corrupt_draft_is_moved_aside_with_a_clear_message(
    store: DraftStore, content: str | bytes
) -> None:
    store.directory.mkdir(mode=0o700)
    path = store.directory / "prove-20261122-1103-dead.toml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(DraftError) as info:
        store.load("prove-20261122-1103-dead")
    message = info.value.message
    assert "kan ikke leses" in message
    assert "flyttet" in message and "ikke slettet" in message
    assert SECRET not in message
    assert not path.exists()
    aside = store.directory / CORRUPT_DIR / path.name
    assert aside.read_bytes() == (content if isinstance(content, bytes) else content.encode())
    assert mode(aside) == 0o600
    assert mode(aside.parent) == 0o700


def test_scan_reports_and_moves_corrupt_drafts(flow: Flow, store: DraftStore) -> None:
    store.save(blank_draft(flow, "prove-ok"))
    (store.directory / "prove-bad.toml").write_text("ikke = [toml", encoding="utf-8")
    (store.directory / "prove-bad2.toml").write_text("ikke = [toml", encoding="utf-8")
    found, messages = store.scan()
    assert [d.id for d in found] == ["prove-ok"]
    assert len(messages) == 2 and all("prove-bad" in m for m in messages)
    # the same name twice in skadet/ does not overwrite the first
    (store.directory / "prove-bad.toml").write_text("igjen = [", encoding="utf-8")
    store.scan()
    assert len(list((store.directory / CORRUPT_DIR).iterdir())) == 3


def test_draft_from_a_newer_program_is_not_read(flow: Flow, store: DraftStore) -> None:
    text = to_toml(blank_draft(flow, "prove-ny")).replace("format = 1", "format = 99")
    store.directory.mkdir(mode=0o700)
    (store.directory / "prove-ny.toml").write_text(text, encoding="utf-8")
    with pytest.raises(DraftError, match="nyere versjon"):
        store.load("prove-ny")


# -- resuming --------------------------------------------------------------------------------------


def test_restore_same_version_is_exact_and_back_still_works(flow: Flow) -> None:
    iv = answered(flow, True, "AB", "annen", "Jordmor")
    draft = from_toml(to_toml(capture(blank_draft(flow), iv)))
    restored = restore(draft, flow)
    assert restored.lost == [] and not restored.version_changed
    assert restored.iv.cursor == iv.cursor == "samtykke"
    assert restored.iv.trail == iv.trail
    assert restored.iv.back().cursor == "annen_rolle"
    assert restored.iv.back().back().cursor == "rolle"


def test_restore_while_editing_from_the_review(flow: Flow) -> None:
    iv = answered(flow, True, "AB", "fastlege", "nei", ["gravid"], "")
    assert iv.done
    iv = iv.edit("rolle")
    restored = restore(from_toml(to_toml(capture(blank_draft(flow), iv))), flow)
    assert restored.iv.cursor == "rolle" and restored.iv.editing
    after = restored.iv.answer("annen")
    assert after.cursor == "annen_rolle"  # the newly opened step, then back to the review


def test_restore_at_the_review(flow: Flow) -> None:
    iv = answered(flow, True, "AB", "fastlege", "nei", ["gravid"], "")
    restored = restore(from_toml(to_toml(capture(blank_draft(flow), iv))), flow)
    assert restored.iv.done
    assert dict(restored.iv.answers) == dict(iv.answers)


def changed_flow(tmp_path: Path, old: str, new: str, version: str = "2.0") -> Flow:
    text = PROVE_FLOW.replace('version = "1.0"', f'version = "{version}"')
    assert old in text
    return load_flow(write_flow(tmp_path / "ny", text.replace(old, new)))


def test_stale_flow_resumes_where_answered_steps_still_exist(flow: Flow, tmp_path: Path) -> None:
    iv = answered(flow, True, SECRET, "annen", "Jordmor", "ja", "01.11.2026")
    draft = from_toml(to_toml(capture(blank_draft(flow), iv)))
    # version 2.0: the step `annen_rolle` is renamed, `rolle` lost the choice `annen`
    newer = changed_flow(tmp_path, 'id = "annen_rolle"', 'id = "hvilken_rolle"')
    newer = load_flow(
        write_flow(
            tmp_path / "ny2",
            PROVE_FLOW.replace('version = "1.0"', 'version = "2.0"')
            .replace('id = "annen_rolle"', 'id = "hvilken_rolle"')
            .replace('  { value = "annen", label = "Annen rolle" },\n', "")
            .replace("when = \"rolle == 'annen'\"", "when = \"rolle == 'fastlege'\""),
        )
    )
    restored = restore(draft, newer)
    assert restored.version_changed
    assert restored.gone == ["annen_rolle"]
    assert restored.unfit == ["rolle"]
    # the answers that still fit are kept; it goes on at the first step without an answer
    assert restored.iv.answers["initialer"] == SECRET
    assert restored.iv.answers["samtykke"] is True
    assert restored.iv.cursor == "rolle"
    assert restored.iv.can_go_back()
    lines = describe_lost(restored, draft, tmp_path / "kopi.toml")
    text = "\n".join(lines)
    assert "1.0 → 2.0" in text and "annen_rolle" in text and "rolle" in text
    assert "kopi.toml" in text
    assert SECRET not in text and "Jordmor" not in text


def test_new_version_with_all_steps_resumes_at_the_first_open_step(
    flow: Flow, tmp_path: Path
) -> None:
    iv = answered(flow, True, "AB")
    draft = from_toml(to_toml(capture(blank_draft(flow), iv)))
    newer = changed_flow(tmp_path, 'prompt = "Beskriv bekymringen kort."', 'prompt = "Beskriv."')
    restored = restore(draft, newer)
    assert restored.version_changed and restored.lost == []
    assert restored.iv.cursor == "rolle"
    assert "endret" in describe_lost(restored, draft, None)[0]


def test_copy_aside_keeps_the_old_draft(flow: Flow, store: DraftStore) -> None:
    draft = capture(blank_draft(flow, "prove-x"), answered(flow, True, SECRET))
    copy = store.copy_aside(draft)
    assert copy.parent == store.directory / OLDER_DIR
    assert mode(copy) == 0o600
    assert from_toml(copy.read_text(encoding="utf-8")).answers["initialer"] == SECRET


# -- retention -------------------------------------------------------------------------------------


def age(path: Path, days: float) -> None:
    when = time.time() - days * 86400
    os.utime(path, (when, when))


def test_retention_deletes_old_drafts_only(flow: Flow, store: DraftStore) -> None:
    old = store.save(blank_draft(flow, "prove-gammel"))
    new = store.save(blank_draft(flow, "prove-ny"))
    age(old, 15)
    age(new, 13)
    (store.directory / CORRUPT_DIR).mkdir()
    bad = store.directory / CORRUPT_DIR / "prove-skadet.toml"
    bad.write_text("x")
    age(bad, 20)
    tmp = store.directory / ".prove-ny.toml.123.tmp"
    tmp.write_text("halvt")
    age(tmp, 0.1)
    fresh_tmp = store.directory / ".prove-ny.toml.456.tmp"
    fresh_tmp.write_text("skrives nå")
    assert store.expire(14) == ["prove-gammel", "skadet/prove-skadet"]
    assert not old.exists() and new.exists() and not bad.exists()
    assert not tmp.exists() and fresh_tmp.exists()


def test_moving_aside_restarts_the_clock(store: DraftStore) -> None:
    store.directory.mkdir(mode=0o700)
    path = store.directory / "prove-old.toml"
    path.write_text("ikke toml [")
    age(path, 30)
    store.scan()
    assert store.expire(14) == []


def test_clean_up_old_reports(
    flow: Flow, store: DraftStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OMSORGSLINJE_UTKAST_DAGER", "3")
    age(store.save(blank_draft(flow, "prove-a")), 4)
    assert clean_up_old(store) == ["Slettet utkast eldre enn 3 dager: prove-a."]
    assert clean_up_old(store) == []


def test_retention_days_from_env_and_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OMSORGSLINJE_HJEM", str(tmp_path))
    monkeypatch.delenv("OMSORGSLINJE_UTKAST_DAGER", raising=False)
    assert retention_days() == (14, None)
    config = tmp_path / "config" / "config.toml"
    config.parent.mkdir()
    config.write_text("[utkast]\ndager = 30\n")
    assert retention_days() == (30, None)
    monkeypatch.setenv("OMSORGSLINJE_UTKAST_DAGER", "7")
    assert retention_days() == (7, None)  # the environment wins
    monkeypatch.setenv("OMSORGSLINJE_UTKAST_DAGER", "sju")
    days, warning = retention_days()
    assert days == 14 and warning is not None and "OMSORGSLINJE_UTKAST_DAGER" in warning
    monkeypatch.delenv("OMSORGSLINJE_UTKAST_DAGER")
    config.write_text("[utkast]\ndager = 0\n")
    days, warning = retention_days()
    assert days == 14 and warning is not None and "dager" in warning
    config.write_text("[utkast\n")
    days, warning = retention_days()
    assert days == 14 and warning is not None and "TOML" in warning


# -- messages --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "code", "said"),
    [(RuntimeError, 70, "Intern feil"), (KeyboardInterrupt, 130, "Avbrutt.")],
    ids=["intern-feil", "ctrl-c"],
)
def test_an_error_after_the_interview_names_the_draft_never_the_answer(
    flow: Flow,
    store: DraftStore,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    error: type[BaseException],
    code: int,
    said: str,
) -> None:
    """The draft's path travels with the error to the message (no module-level «active
    draft»): an internal error or Ctrl-C while the documents are made."""
    from omsorgslinje import __main__, run

    assert not hasattr(draft_session, "ACTIVE")
    session = DraftSession(store, blank_draft(flow, "prove-feil"))
    iv = answered(flow, True, SECRET)
    session.save(iv)

    def interviewed(*args: object, **kwargs: object) -> tuple[object, object, DraftSession]:
        return iv, _dt.date(2026, 11, 20), session

    def boom(*args: object) -> None:
        raise error(f"noe gikk galt med {SECRET}")

    monkeypatch.setattr(run, "gather", interviewed)
    from omsorgslinje import run_documents

    monkeypatch.setattr(run_documents, "emit", boom)  # run imports it when documents are made
    assert __main__.main(["start", flow.path]) == code
    err = capsys.readouterr().err
    assert said in err and "Traceback" not in err
    assert str(session.path) in err and "utkast fortsett prove-feil" in err
    assert SECRET not in err
    assert session.path.exists()


def test_a_failing_save_warns_until_it_succeeds_and_the_interview_goes_on(
    flow: Flow, tmp_path: Path
) -> None:
    blocker = tmp_path / "fil"
    blocker.write_text("")
    warnings: list[str] = []
    session = DraftSession(DraftStore(blocker / "utkast"), blank_draft(flow), warnings.append)
    session.save(answered(flow, True))  # an information panel read: nothing to keep yet
    session.save(answered(flow, True, "AB"))
    session.save(answered(flow, True, SECRET))
    assert len(warnings) == 2 and all("ikke lagres" in w for w in warnings)
    assert not any(SECRET in w for w in warnings)
    assert "kunne ikke lagres" in session.how_to_go_on()
