"""What a fresh reader found in oppdager (the review of this round), each held by a test."""

from __future__ import annotations

from typing import Any

import pytest
from test_flow_oppdager import FLOW_PATH, ROOT, doc, example, next_steps

from omsorgslinje.engine import resolve
from omsorgslinje.expr import render_text
from omsorgslinje.loader import load_flow


@pytest.fixture(scope="module")
def flow() -> Any:
    return load_flow(FLOW_PATH)


def _prompt(flow: Any, sid: str, answers: dict[str, Any]) -> str:
    return render_text(flow.step(sid).prompt, dict(resolve(flow, answers).context))


def test_the_duty_question_about_a_pregnant_woman_asks_about_children_born(flow: Any) -> None:
    answers = example(flow, "gravid")
    assert answers["gjelder_hvem"] == ["gravid"]
    asked = _prompt(flow, "akutt_barn", answers)
    assert asked.startswith("Plikten gjelder barn som er født, ikke det ufødte barnet.")
    assert "Har hun barn fra før" in asked
    child = _prompt(flow, "akutt_barn", example(flow, "akutt"))
    assert child.startswith("Har du grunn til å tro at et barn blir eller vil bli mishandlet")


def test_an_unborn_child_is_not_asked_for_its_own_words(flow: Any) -> None:
    answers = example(flow, "gravid") | {
        "helsepersonell": False,
        "melde_uten_plikt": "samtykke",
        "melding_ufodt": True,
    }
    path = resolve(flow, answers).path
    assert "melding_ufodt" in path and "melding_barnets_ord" not in path


def test_the_adult_panel_says_what_to_do_when_someone_intoxicated_means_to_drive(flow) -> None:
    answers = example(flow, "voksen-i-fare")
    assert "Ruset og vil kjøre bil" in _prompt(flow, "akutt_voksen_info", answers)


def test_next_steps_name_the_role_never_deg_selv(flow: Any) -> None:
    for name in ("akutt", "akutt-henting", "voksen-i-fare"):
        for step in next_steps(flow, example(flow, name)):
            assert step["hvem"] != "Deg selv", step


def test_paragraph_10a_binds_the_health_worker_of_the_adult(flow: Any) -> None:
    answers = example(flow, "kjent-familie") | {"helsepersonell": True, "barn_parorende": True}
    text = _prompt(flow, "husk_barnet_info", answers)
    assert "Gir du" in text and "helsehjelp til den voksne" in text


def test_who_was_told_what_is_asked_and_reaches_the_note(flow: Any) -> None:
    answers = example(flow, "uklar-bekymring") | {
        "drofting_anonym": False,
        "drofting_grunnlag": "Lederen fikk vite navnet; hun trengte det for å følge opp saken.",
    }
    assert "drofting_grunnlag" in resolve(flow, answers).path
    note = doc(flow, answers)
    assert "Hvem som fikk vite hva, og på hvilket grunnlag:" in note
    assert "hun trengte det for å følge opp saken" in note


def test_the_acute_question_can_be_answered_by_a_first_letter(flow: Any) -> None:
    firsts = [c.label[0].lower() for c in flow.step("akutt_fare").choices]
    assert len(set(firsts)) == len(firsts), firsts


def test_observations_for_a_report_with_consent_reach_the_note(flow: Any) -> None:
    answers = example(flow, "uklar-bekymring") | {
        "melde_uten_plikt": "samtykke",
        "melding_observasjoner": "20.11.: barnet kom uten mat for tredje gang denne uken.",
    }
    note = doc(flow, answers)
    assert "Det undertegnede selv har sett eller hørt:" in note
    assert "barnet kom uten mat for tredje gang" in note


def test_a_talk_with_parents_who_must_not_know_is_held_back(flow: Any) -> None:
    answers = example(flow, "melding") | {"melding_foreldre_orientert": "nei_fare"}
    path = resolve(flow, answers).path
    assert "samtale_vent_info" in path
    assert path.index("samtale_vent_info") < path.index("samtale_status")
    assert flow.step("samtale_vent_info").level == "urgent"
    other = resolve(flow, example(flow, "melding") | {"melding_foreldre_orientert": "ja"}).path
    assert "samtale_vent_info" not in other


def test_next_steps_in_the_journal_do_not_say_du_or_din(flow: Any) -> None:
    import re

    examples = sorted(
        p.stem.removeprefix("oppdager-") for p in (ROOT / "examples").glob("oppdager-*.toml")
    )
    assert len(examples) >= 8
    for name in examples:
        for step in next_steps(flow, example(flow, name)):
            assert not re.search(r"\b(du|din|deg|ditt|dine)\b", step["hva"], re.I), step["hva"]


def test_a_duty_found_ticks_situation_5(flow: Any) -> None:
    from omsorgslinje.engine import Interview, missing_required, with_defaults
    from omsorgslinje.ui.common import as_shown

    answers = example(flow, "akutt")
    del answers["situasjon"]
    # asked: situation 5 is ticked already, the user may add others
    iv = Interview.start(flow, answers)
    while iv.step is not None and iv.step.id != "situasjon":
        iv = iv.answer(True if iv.step.type == "info" else answers.get(iv.step.id))
    assert iv.step is not None and iv.step.id == "situasjon"
    assert as_shown(iv, iv.step).default == ["akutt_meldeplikt"]
    # not asked (an answers file without it): the same follows, and nothing is missing
    completed = with_defaults(flow, answers)
    assert completed["situasjon"] == ["akutt_meldeplikt"]
    assert "situasjon" not in [s.id for s in missing_required(flow, completed)]
    # no duty: nothing is ticked
    calm = example(flow, "uklar-bekymring")
    del calm["situasjon"]
    iv = Interview.start(flow, calm)
    while iv.step is not None and iv.step.id != "situasjon":
        iv = iv.answer(True if iv.step.type == "info" else calm.get(iv.step.id))
    assert as_shown(iv, iv.step).default is None
