"""Identifying answers (`identifying = true`: names, national identity numbers, addresses) reach
only the document the user asked for: never a draft, the cache, the answers record or the
journal note. Driven as a user would: the acute examples in a pty (interrupted, resumed,
finished) and replayed from files; afterwards the whole temporary home (drafts, configuration,
cache, XDG folders) and the output folder are searched for the answers.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import CliResult
from ptyhelp import ENTER, INFO, LIST, PROGRESS, SUBMIT_TEXTAREA, Session, loose, screen

pytestmark = pytest.mark.pty

ROOT = Path(__file__).resolve().parent.parent
Run = Callable[..., CliResult]

# each identifying question, by a part of its prompt, with an answer that is easy to find again
MARKERS = {
    "Ditt fulle navn": "Kari Merkelappmelder",
    "Barnets fulle navn": "Ola Merkelappbarn",
    "fødselsnummer": "01022412345",
    "Adressen der barnet": "Merkelappveien 7, 2609 Lillehammer",
    "Navnet på en av foreldrene": "Mor Merkelappmor",
    "Telefonnummeret til denne forelderen": "98765432",
    "Navnet på den andre forelderen": "Far Merkelappfar",
    "Telefonnummeret til den andre forelderen": "91234567",
}
KINDS = [
    INFO,
    "mellomrom krysser av",
    LIST,
    "dd.mm.åååå, eller",
    "Et tall ·",
    "Flere linjer:",
    "< tilbake",
]


def identity_choice(tmp_path: Path, example: str, **more: str) -> Path:
    """The example's answers file, choosing to give the identifying data in the document (its
    [svar] table comes last, so more answers are appended to it)."""
    text = (ROOT / "examples" / f"oppdager-{example}.toml").read_text(encoding="utf-8")
    assert 'melding_identitet = "skjema"' in text
    text = text.replace('melding_identitet = "skjema"', 'melding_identitet = "dokument"')
    text += "".join(f"{k} = {json.dumps(v, ensure_ascii=False)}\n" for k, v in more.items())
    path = tmp_path / f"{example}-identitet-{len(more)}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def answer(s: Session, *, stop_after: int | None = None) -> list[str]:
    """Answer each question until the review: the identifying ones with their marker, optional
    ones left empty, info and lists with Enter. With `stop_after`, press Ctrl-C once that many
    identifying answers are given. Returns the identifying prompts met."""
    met: list[str] = []
    for _ in range(80):
        if s.expect([PROGRESS, "Gjennomgang av svarene"]) == 1:
            return met
        s.expect(r"\?(?:\x1b\[[0-9;]*m)* ([^\x1b\r\n]+)")
        question = screen(s.child.match.group(1)).strip()
        kind = KINDS[s.expect([loose(k) for k in KINDS])]
        marker = next((v for k, v in MARKERS.items() if k in question), None)
        if stop_after is not None and len(met) == stop_after:
            s.send("\x03")
            return met
        if marker is not None:
            met.append(question)
            s.send("\x15" + marker + ENTER)
        elif kind == "Flere linjer:":
            s.send(SUBMIT_TEXTAREA)
        elif kind in (LIST, "mellomrom krysser av"):
            s.send("1" + ENTER)
        elif kind == INFO:
            s.send(ENTER)
        else:
            s.send("\x15" + ENTER)
    raise AssertionError("kom aldri til gjennomgangen")


def found_in(folder: Path) -> dict[str, list[str]]:
    """For every marker, the files under `folder` that hold it (as text or bytes)."""
    hits: dict[str, list[str]] = {}
    for path in folder.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        for marker in MARKERS.values():
            if marker.encode("utf-8") in data:
                hits.setdefault(marker, []).append(str(path.relative_to(folder)))
    return hits


@pytest.mark.parametrize("example", ["akutt", "akutt-henting", "melding"])
def test_identifying_answers_only_in_the_report_interactive(
    spawn: Callable[..., Session], tmp_path: Path, home: Path, example: str
) -> None:
    out = tmp_path / "sak"
    s = spawn(["oppdager", "--svar", identity_choice(tmp_path, example), "--ut-mappe", out])
    # interrupted after three identifying answers: the draft holds none of them
    met = answer(s, stop_after=3)
    assert len(met) == 3
    code, output = s.end()
    assert code == 130, screen(output)
    drafts = [p for p in home.rglob("*.toml") if "utkast" in p.parts]
    assert len(drafts) == 1, drafts
    draft = tomllib.loads(drafts[0].read_text(encoding="utf-8"))
    assert draft["svar"]["melding_identitet"] == "dokument"
    assert found_in(home) == {}
    # resumed: the identifying questions are asked again, then the documents are written
    s = spawn(["utkast", "fortsett"])
    met = answer(s)
    assert len(met) == len(MARKERS), met
    s.review()
    s.send("1" + ENTER)
    assert s.finish() == 0, screen(s.text)[-2000:]
    assert found_in(home) == {}, "identifiserende svar i hjemmemappen"
    # the search covered what the tool keeps there: the cache of compiled flows and templates
    cached = [
        p
        for p in home.rglob("*")
        if p.is_file() and any("cache" in d for d in p.relative_to(home).parts)
    ]
    assert cached, "ingen hurtigbuffer"
    hits = found_in(out)
    assert set(hits) == set(MARKERS.values())
    assert {f for files in hits.values() for f in files} == {"oppdager-bekymringsmelding.md"}
    assert not [p for p in home.rglob("*.toml") if "utkast" in p.parts]


@pytest.mark.parametrize("example", ["akutt", "akutt-henting", "melding"])
def test_identifying_answers_only_in_the_report_replayed(
    run_cli: Run, tmp_path: Path, home: Path, example: str
) -> None:
    keys = [
        "melder_navn",
        "barn_navn",
        "barn_fnr",
        "barn_adresse",
        "foresatt1_navn",
        "foresatt1_telefon",
        "foresatt2_navn",
        "foresatt2_telefon",
    ]
    case = identity_choice(tmp_path, example, **dict(zip(keys, MARKERS.values(), strict=True)))
    out = tmp_path / "sak"
    r = run_cli(["oppdager", "--svar", case, "--ikke-interaktiv", "--ut-mappe", out])
    assert r.returncode == 0, r.stderr
    hits = found_in(out)
    assert {f for files in hits.values() for f in files} == {"oppdager-bekymringsmelding.md"}
    assert set(hits) == set(MARKERS.values())
    # the answers record replays without them, and says nothing about them
    record = tomllib.loads((out / "oppdager-svar.toml").read_text(encoding="utf-8"))
    assert not set(keys) & set(record["svar"])
    assert not set(keys) & set(record["omsorgslinje"].get("ikke_besvart", []))
    # the form's record has them, in the form's field names
    for fmt in ("json", "toml"):
        r = run_cli(
            [
                "oppdager",
                "--svar",
                case,
                "--ikke-interaktiv",
                "--dokument",
                "bekymringsmelding",
                "--format",
                fmt,
            ]
        )
        assert r.returncode == 0, r.stderr
        data = json.loads(r.stdout) if fmt == "json" else tomllib.loads(r.stdout)
        assert data["offentligBarn"][0]["fnr"] == "01022412345"
        assert data["foresatte"][1]["personnavn"] == "Far Merkelappfar"
    # the journal note and the case record, in every format, have none of them
    for fmt in ("md", "txt", "toml", "json"):
        r = run_cli(["oppdager", "--svar", case, "--ikke-interaktiv", "--format", fmt])
        assert r.returncode == 0, r.stderr
        assert not [m for m in MARKERS.values() if m in r.stdout], fmt
    assert found_in(home) == {}


def test_interrupted_at_the_review_the_identifying_questions_come_again(
    spawn: Callable[..., Session], tmp_path: Path, home: Path
) -> None:
    """A draft stopped at the review has every other answer; the identifying ones were never
    saved, so resuming asks them again (and says why) instead of writing a report without them."""
    out = tmp_path / "sak"
    s = spawn(["oppdager", "--svar", identity_choice(tmp_path, "melding"), "--ut-mappe", out])
    assert len(answer(s)) == len(MARKERS)
    s.review()
    s.send("\x03")
    code, _ = s.end()
    assert code == 130
    assert found_in(home) == {}
    s = spawn(["utkast", "fortsett"])
    s.expect(loose("Navn, fødselsnummer og adresser lagres aldri i utkastet"))
    met = answer(s)
    assert len(met) == len(MARKERS), met
    s.review()
    s.send("1" + ENTER)
    assert s.finish() == 0, screen(s.text)[-2000:]
    hits = found_in(out)
    assert set(hits) == set(MARKERS.values())
    assert found_in(home) == {}
