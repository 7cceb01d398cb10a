"""The journal note reads as sentences whatever case the user typed the role in.

Users type their role as they say it, in lower case («helsesykepleier», «pedagogisk leder i
barnehage»; the prompt's own example is lower case). A sentence in the note must not start with
it, or the assessment opens with a lower-case word.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path

import pytest

from omsorgslinje.answers import merge
from omsorgslinje.documents import find_document
from omsorgslinje.loader import load_flow
from omsorgslinje.render import Case, render

ROOT = Path(__file__).absolute().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("oppdager-*.toml"))
FLOW = load_flow(ROOT / "flows" / "oppdager.toml")


def _note(path: Path, **changes: object) -> tuple[str, str]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    date = data["omsorgslinje"].get("dato", dt.date(2026, 11, 20))
    answers = dict(merge([path], FLOW).answers)
    role = str(answers["rolle"]).lower()
    answers["rolle"] = role
    answers.update(changes)
    doc = find_document(FLOW, "notat")
    assert doc is not None
    return role, render(Case(FLOW, answers, date), doc, "md")


def _sentences_start_with(role: str, md: str) -> list[str]:
    """Lines of the note, and sentences inside them, that begin with the role."""
    hits = []
    for line in md.splitlines():
        for sentence in re.split(r"(?<=[.!?]) ", line.strip()):
            if sentence.startswith(role):
                hits.append(sentence)
    return hits


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_no_sentence_starts_with_a_lower_case_role(path: Path) -> None:
    role, md = _note(path)
    assert _sentences_start_with(role, md) == []


def test_not_health_personnel_with_a_pregnant_woman_reads_as_a_sentence() -> None:
    path = ROOT / "examples" / "oppdager-gravid.toml"
    role, md = _note(path, helsepersonell=False)
    assert "§ 32 annet ledd gjelder ikke" in md  # the branch is the one under test
    assert _sentences_start_with(role, md) == []


def test_the_outcome_of_a_discussion_says_whose_it_is() -> None:
    hits = 0
    for path in EXAMPLES:
        _, md = _note(path)
        if "Drøftet med" in md:
            assert " De kom fram til:" not in md  # «de»: nobody named
            if "Konklusjonen fra drøftingen:" in md:
                hits += 1
    assert hits >= 1


@pytest.mark.parametrize("unborn", [True, False])
def test_consent_to_a_report_without_a_duty_is_in_the_consent_section(unborn: bool) -> None:
    """A report sent only because someone consented: the note's «Samtykke» says whose consent."""
    path = ROOT / "examples" / "oppdager-uklar-bekymring.toml"
    extra: dict[str, object] = {
        "melde_uten_plikt": "samtykke",
        "melding_observasjoner": "Far luktet alkohol 12.11. og 18.11.",
        "melding_gjort": "Samtale med far 19.11.",
        "melding_foreldre_orientert": "ja",
        "melding_tolk": "nei",
        "melding_vurdering": "Familien trenger hjelp.",
        "melding_identitet": "skjema",
    }
    if unborn:
        extra.update(gjelder_hvem=["gravid"], melding_ufodt=True)
    else:
        extra.update(melding_barn_orientert="nei_alder")
    _, md = _note(path, **extra)
    consent = md.split("## Samtykke", 1)[1]
    whose = "den gravide" if unborn else "foreldrene"
    assert f"sendes med samtykke fra {whose}" in consent


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_the_opening_line_names_whom_it_concerns_without_nested_brackets(path: Path) -> None:
    """«Gjelder: I.J. (et sped- eller småbarn (0–3 år); foreldre …)» read badly: brackets in
    brackets, a semicolon list in prose, and «I.J..» where a reference ends in a full stop."""
    _, md = _note(path)
    answers = dict(merge([path], FLOW).answers)
    opening = next(line for line in md.splitlines() if line.startswith("Dato:"))
    step = FLOW.step("gjelder_hvem")
    labels = [step.choice(v).label.lower() for v in answers["gjelder_hvem"]]
    assert f"Gjelder: {answers['person_ref']} – " in opening
    said = opening.split(" – ", 1)[1]
    assert (
        said
        == (labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " og " + labels[-1]) + "."
    )
    assert ";" not in said and ".." not in opening


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_consent_to_apply_for_a_coordinator_only_when_one_is_applied_for(path: Path) -> None:
    """«samtykker … til søknad om koordinator (familien har koordinator fra før)» contradicted
    itself: no application is made when the family has a coordinator."""
    _, md = _note(path)
    answers = dict(merge([path], FLOW).answers)
    if answers.get("samtykke") != "ja":
        return
    consent = md.split("## Samtykke", 1)[1]
    if answers.get("har_koordinator") == "ja":
        assert "søknad om koordinator" not in consent
        assert "det søkes ikke om koordinator" in consent
    else:
        assert "søknad om koordinator" in consent


def test_some_example_has_consent_and_a_coordinator_already() -> None:
    found = [
        p.stem
        for p in EXAMPLES
        if (a := dict(merge([p], FLOW).answers)).get("samtykke") == "ja"
        and a.get("har_koordinator") == "ja"
    ]
    assert found


def test_a_planned_talk_with_parents_who_must_not_know_is_flagged() -> None:
    """Parents not told because telling them could endanger the child (`nei_fare`), and yet a
    conversation with them planned: the note must not read as a plain go-ahead."""
    path = ROOT / "examples" / "oppdager-akutt.toml"
    _, md = _note(
        path,
        samtale_status="planlagt",
        samtale_dato=dt.date(2026, 11, 21),
        samtale_to=True,
        samtale_med="kollega",
    )
    assert dict(merge([path], FLOW).answers)["melding_foreldre_orientert"] == "nei_fare"
    plan = md.split("## Avtaler og videre plan", 1)[1].split("## Samtykke", 1)[0]
    assert "**Foreldrene skal ikke vite om meldingen ennå" in plan
    assert "21.11.2026 holdes bare hvis barnevernstjenesten har sagt" in plan
    assert "Til samtalen med" not in plan  # the checklist is on screen, not in the journal
