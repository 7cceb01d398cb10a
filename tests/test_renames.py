"""Stable ids: a step renamed (`previous_ids`) or a choice value renamed (`previous_values`)
keeps answers files, merged answers and drafts written before loading and meaning the same.

`tests/data/svar-2026.1/` holds the examples exactly as written for the flows of version 2026.1
(`tests/data/flyter-2026.1/`). Each must still load, and replay to the same documents as the
example of today, once the questions that are new since then are answered.
"""

from __future__ import annotations

import datetime as dt
import io
import tomllib
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from conftest import PROVE_FLOW, REPO, write_flow

from omsorgslinje.__main__ import main
from omsorgslinje.answers import merge, read_answers_file
from omsorgslinje.check import check_file
from omsorgslinje.draft_file import Draft, from_toml, to_toml
from omsorgslinje.draft_session import restore
from omsorgslinje.engine import resolve
from omsorgslinje.errors import AnswersError
from omsorgslinje.loader import load_flow
from omsorgslinje.render import Case, applicable_documents, render

OLD_ANSWERS = sorted((REPO / "tests" / "data" / "svar-2026.1").glob("*.toml"))
OLD_FLOWS = REPO / "tests" / "data" / "flyter-2026.1"


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OMSORGSLINJE_HJEM", str(tmp_path / "hjem"))
    monkeypatch.delenv("OMSORGSLINJE_FLYTER", raising=False)


def flow_of(path: Path) -> str:
    return tomllib.loads(path.read_text("utf-8"))["omsorgslinje"]["flyt"]


def test_there_are_old_answers_files_for_every_example() -> None:
    assert {p.name for p in OLD_ANSWERS} >= {
        "oppdager-akutt.toml",
        "oppdager-uklar-bekymring.toml",
        "henvisning-full.toml",
    }


@pytest.mark.parametrize("old_file", OLD_ANSWERS, ids=lambda p: p.stem)
def test_an_answers_file_written_for_2026_1_replays_to_the_same_meaning(old_file: Path) -> None:
    fid = flow_of(old_file)
    flow = load_flow(REPO / "flows" / f"{fid}.toml")
    old_flow = load_flow(OLD_FLOWS / f"{fid}.toml")
    old = merge([old_file], flow)  # loads: no unknown id, no unknown value
    today = merge([REPO / "examples" / old_file.name], flow)
    assert old.date == today.date
    # every answer of the old file means what today's example says
    for sid, value in old.answers.items():
        assert today.answers.get(sid) == value, sid
    # what today's example adds are answers to questions the old flow did not ask here
    renamed = {
        flow.current_id(s) for s in resolve(old_flow, merge([old_file], old_flow).answers).path
    }
    added = set(today.answers) - set(old.answers)
    assert not (added & renamed), added & renamed
    # so the old file and those answers give today's documents, word for word
    supplement = {sid: today.answers[sid] for sid in added}
    assert old.date is not None and today.date is not None
    again = Case(flow, {**old.answers, **supplement}, old.date)
    case = Case(flow, today.answers, today.date)
    docs = applicable_documents(case)
    assert [d.name for d in applicable_documents(again)] == [d.name for d in docs]
    for d in docs:
        assert render(again, d, "md") == render(case, d, "md")


def test_old_ids_and_values_of_oppdager_are_mapped() -> None:
    flow = load_flow(REPO / "flows" / "oppdager.toml")
    assert flow.current_id("akutt_fare_naa") == "akutt_fare"
    answers, _ = read_answers_file(OLD_ANSWERS[0].with_name("oppdager-akutt.toml"), flow)
    assert answers["akutt_fare"] == "ingen"  # «Er noen i fare akkurat nå?» Nei
    assert answers["hjelp_fra"] == ["barnevernstjenesten"]  # was «barneverntjenesten»
    assert answers["situasjon"] == ["akutt_meldeplikt"]  # one situation then, a list now
    assert "akutt_fare_naa" not in answers


def test_a_yes_to_the_old_danger_question_means_a_child_in_danger(tmp_path: Path) -> None:
    flow = load_flow(REPO / "flows" / "oppdager.toml")
    path = tmp_path / "gammel.toml"
    path.write_text("[svar]\nakutt_fare_naa = true\nakutt_barn = true\n", "utf-8")
    assert read_answers_file(path, flow)[0]["akutt_fare"] == "barn"


def test_merging_an_old_file_with_a_new_one(tmp_path: Path) -> None:
    flow = load_flow(REPO / "flows" / "oppdager.toml")
    old = tmp_path / "gammel.toml"
    old.write_text('[svar]\nakutt_fare_naa = false\nhjelp_fra = ["barneverntjenesten"]\n', "utf-8")
    new = tmp_path / "ny.toml"
    new.write_text('[svar]\nakutt_fare = "ingen"\nhjelp_fra = ["barnevernstjenesten"]\n', "utf-8")
    merged = merge([old, new], flow)
    assert merged.answers["akutt_fare"] == "ingen"
    new.write_text('[svar]\nakutt_fare = "voksen"\n', "utf-8")
    with pytest.raises(AnswersError) as exc:
        merge([old, new], flow)
    assert "akutt_fare: Steget er besvart ulikt" in exc.value.message


def test_the_same_step_under_its_old_and_new_id_in_one_file_is_refused(tmp_path: Path) -> None:
    flow = load_flow(REPO / "flows" / "oppdager.toml")
    path = tmp_path / "begge.toml"
    path.write_text('[svar]\nakutt_fare_naa = true\nakutt_fare = "barn"\n', "utf-8")
    with pytest.raises(AnswersError) as exc:
        read_answers_file(path, flow)
    assert f"{path}:3: akutt_fare: Steget «akutt_fare» er besvart to ganger" in exc.value.message


def test_the_cli_replays_an_old_file(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    old = REPO / "tests" / "data" / "svar-2026.1" / "oppdager-uklar-bekymring.toml"
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["oppdager", "--svar", str(old), "--ikke-interaktiv"])
    # the questions that are new since 2026.1 on this path (2026.2: acute danger first; 2026.3:
    # sure or in doubt after a no to the duty, and a report with consent or not), nothing else
    assert code == 2
    assert "akutt_fare: Er noen i akutt fare nå?" in err.getvalue()
    assert "meldeplikt_tvil: Da har du ikke opplysningsplikt" in err.getvalue()
    assert "melde_uten_plikt: Vil du likevel sende en bekymringsmelding" in err.getvalue()
    assert "Mangler svar på 3 påkrevde spørsmål" in err.getvalue()


def _draft(answers: dict, cursor: str, trail: tuple[str, ...], version: str) -> Draft:
    when = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
    return Draft(
        id="oppdager-20261120-1000-ab12",
        flow_id="oppdager",
        flow_version=version,
        flow_path="",
        started=when,
        changed=when,
        date=dt.date(2026, 11, 20),
        answers=answers,
        cursor=cursor,
        trail=trail,
    )


def test_a_draft_saved_with_old_ids_and_values_restores_to_the_same_meaning() -> None:
    flow = load_flow(REPO / "flows" / "oppdager.toml")
    raw = tomllib.loads((OLD_ANSWERS[0].with_name("oppdager-akutt.toml")).read_text("utf-8"))
    old = raw["svar"]
    # through the draft's own TOML, as it lies on disk
    draft = from_toml(
        to_toml(_draft(old, "akutt_fare_naa", ("akutt_barn", "akutt_fare_naa"), "2026.1"))
    )
    restored = restore(draft, flow)
    assert restored.lost == []
    answers = restored.iv.answers
    assert answers["akutt_fare"] == "ingen"
    assert answers["hjelp_fra"] == ["barnevernstjenesten"]
    assert "akutt_fare_naa" not in answers
    assert restored.iv.trail == ("akutt_barn", "akutt_fare")
    # same version: the cursor stands on the renamed step
    same = restore(_draft({"akutt_fare_naa": True}, "akutt_fare_naa", (), flow.version), flow)
    assert same.iv.answers["akutt_fare"] == "barn"
    assert same.iv.step.id == "akutt_fare"


RENAMED = PROVE_FLOW.replace(
    'id = "rolle"\ntype = "select"',
    'id = "rolle"\nprevious_ids = ["yrke"]\nprevious_values = { lege = "fastlege" }\n'
    'type = "select"',
)


def test_a_renamed_step_in_a_routine_owners_flow(tmp_path: Path) -> None:
    flow = load_flow(write_flow(tmp_path / "f", RENAMED))
    answers = tmp_path / "svar.toml"
    answers.write_text('[svar]\nyrke = "lege"\n', "utf-8")
    assert read_answers_file(answers, flow)[0] == {"rolle": "fastlege"}
    assert flow.step("rolle").previous_ids == ("yrke",)
    assert check_file(tmp_path / "f" / "prove.toml") == []


def run(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(args)
    return code, out.getvalue(), err.getvalue()


def _line(text: str, needle: str, occurrence: int = 1) -> int:
    return [i + 1 for i, ln in enumerate(text.splitlines()) if needle in ln][occurrence - 1]


@pytest.mark.parametrize(
    ("change", "needle", "step", "fragment"),
    [
        # an old id that is the id of another step today
        (
            ('id = "annen_rolle"\n', 'id = "annen_rolle"\nprevious_ids = ["rolle"]\n'),
            'previous_ids = ["rolle"]',
            "annen_rolle",
            "«rolle» er id-en til et annet steg",
        ),
        # the same old id in two steps
        (
            ('id = "annen_rolle"\n', 'id = "annen_rolle"\nprevious_ids = ["yrke"]\n'),
            'previous_ids = ["yrke"]',
            "annen_rolle",
            "«yrke» står også i steget «rolle»",
        ),
        # an old value that is still a value of the step
        (("{ lege = ", "{ annen = "), "previous_values", "rolle", "«annen» er fortsatt et valg"),
        # a new value the step does not have
        (
            ('lege = "fastlege"', 'lege = "doktor"'),
            "previous_values",
            "rolle",
            "skal bli «doktor», som ikke er et valg",
        ),
        # the step's own id
        (
            ('previous_ids = ["yrke"]', 'previous_ids = ["rolle"]'),
            'previous_ids = ["rolle"]',
            "rolle",
            "stegets egen id",
        ),
    ],
)
def test_flyt_sjekk_reports_a_rename_that_collides(
    tmp_path: Path, change: tuple[str, str], needle: str, step: str, fragment: str
) -> None:
    text = RENAMED.replace(*change, 1)
    assert text != RENAMED
    path = write_flow(tmp_path / "f", text)
    code, out, err = run(["flyt", "sjekk", str(path)])
    assert code == 1
    hits = [ln for ln in (out + err).splitlines() if fragment in ln]
    line = _line(text, needle, 2 if needle == 'previous_ids = ["yrke"]' else 1)
    assert hits and hits[0].startswith(f"{path}:{line}: {step}: "), out + err


def test_flyt_vis_shows_the_old_names() -> None:
    code, out, _ = run(["flyt", "vis", "oppdager"])
    assert code == 0
    lines = out.splitlines()
    at = lines.index("  - akutt_fare [ett valg] Er noen i akutt fare nå?")
    assert lines[at + 1] == "      (het før: akutt_fare_naa)"
    assert "      · barn «Barn i fare» (før: true)" in lines
    assert any(ln.endswith("(før: barneverntjenesten)") for ln in lines)


def test_an_old_value_inside_a_list_written_as_text(tmp_path: Path) -> None:
    flow = load_flow(REPO / "flows" / "oppdager.toml")
    path = tmp_path / "gammel.toml"
    path.write_text('[svar]\nhjelp_fra = "helsestasjon, barneverntjenesten"\n', "utf-8")
    assert read_answers_file(path, flow)[0]["hjelp_fra"] == ["helsestasjon", "barnevernstjenesten"]
