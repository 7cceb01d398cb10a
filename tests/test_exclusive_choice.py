"""A choice that stands alone («Ingenting ennå») cannot be ticked with another, however the
answer comes: typed, from an answers file, or in the built-in flows."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import PROVE_ANSWERS, PROVE_FLOW, real_flow, write_flow

from omsorgslinje.errors import FlowError, InvalidValue
from omsorgslinje.loader import load_flow
from omsorgslinje.values import parse

EXCLUSIVE = PROVE_FLOW.replace(
    '  { value = "rus", label = "Rus i familien" },',
    '  { value = "rus", label = "Rus i familien" },\n  { value = "ingen", label = "Ingen av delene", exclusive = true },',
)


def test_an_exclusive_choice_stands_alone(tmp_path: Path) -> None:
    flow = load_flow(write_flow(tmp_path / "f", EXCLUSIVE))
    step = flow.step("gjelder_hvem")
    assert parse(step, ["ingen"]) == ["ingen"]
    assert parse(step, ["gravid", "barn"]) == ["gravid", "barn"]
    with pytest.raises(InvalidValue) as err:
        parse(step, ["gravid", "ingen"])
    assert err.value.message == "«Ingen av delene» kan ikke velges sammen med andre svar."


def test_an_answers_file_cannot_combine_it(run_cli, tmp_path: Path) -> None:
    flow = write_flow(tmp_path / "f", EXCLUSIVE)
    svar = tmp_path / "svar.toml"
    svar.write_text(
        PROVE_ANSWERS.replace(
            'gjelder_hvem = ["gravid", "barn"]', 'gjelder_hvem = ["barn", "ingen"]'
        ),
        encoding="utf-8",
    )
    r = run_cli(["start", flow, "--svar", svar, "--ikke-interaktiv"])
    assert r.returncode == 2
    assert "gjelder_hvem: «Ingen av delene» kan ikke velges sammen med andre svar." in r.stderr


def test_only_a_multiselect_has_exclusive_choices(tmp_path: Path) -> None:
    text = PROVE_FLOW.replace(
        '{ value = "fastlege", label = "Fastlege" },',
        '{ value = "fastlege", label = "Fastlege", exclusive = true },',
    )
    with pytest.raises(FlowError) as err:
        load_flow(write_flow(tmp_path / "f", text))
    assert "Bare valg i et multiselect-steg kan være «exclusive»." in err.value.message


@pytest.mark.parametrize(
    ("flow_name", "step_id", "alone", "other"),
    [
        ("oppdager", "akutt_gjort", "ingenting", "politi"),
        ("henvisning", "barn_gravid", "ingen", "barn"),
    ],
)
def test_nothing_done_cannot_stand_beside_the_police_called(flow_name, step_id, alone, other):
    path = real_flow(flow_name)
    assert path is not None
    step = load_flow(path).step(step_id)
    with pytest.raises(InvalidValue):
        parse(step, [other, alone])
