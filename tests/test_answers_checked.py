"""An answer from a file is checked exactly as a typed one: the type, required, min, max and
pattern, and no control characters; every problem is listed at once, and none quotes an answer."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import PROVE_ANSWERS

MARKER = "HEMMELIGMARKØR"


def _file(tmp_path: Path, body: str, name: str = "svar.toml") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def _replace(key: str, value: str) -> str:
    lines = [
        f"{key} = {value}" if line.startswith(f"{key} = ") else line
        for line in PROVE_ANSWERS.splitlines()
    ]
    return "\n".join(lines) + "\n"


def test_every_rule_of_a_typed_answer_applies_and_all_problems_come_at_once(
    run_cli, flow_file, tmp_path
):
    body = _replace("initialer", f'"{MARKER} Nordmann 01019012345"')
    body = body.replace("antall_barn = 2", "antall_barn = -999999")
    svar = _file(tmp_path, body)
    r = run_cli(["start", flow_file, "--svar", svar, "--ikke-interaktiv"])
    assert r.returncode == 2, r.stderr
    assert "initialer: Skriv høyst 20 tegn." in r.stderr
    assert "antall_barn: Tallet må være minst 1." in r.stderr
    # each problem names the file and line
    assert f"{svar}:2: initialer" in r.stderr
    assert MARKER not in r.stderr and MARKER not in r.stdout


@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_nan_and_infinity_are_not_numbers(run_cli, flow_file, tmp_path, value):
    svar = _file(tmp_path, PROVE_ANSWERS.replace("antall_barn = 2", f"antall_barn = {value}"))
    r = run_cli(["start", flow_file, "--svar", svar, "--ikke-interaktiv"])
    assert r.returncode == 2
    assert "antall_barn: Svaret må være et tall" in r.stderr


def test_an_empty_list_is_no_answer_to_a_required_question(run_cli, flow_file, tmp_path):
    svar = _file(tmp_path, _replace("gjelder_hvem", "[]"))
    r = run_cli(["start", flow_file, "--svar", svar, "--ikke-interaktiv"])
    assert r.returncode == 2
    assert "gjelder_hvem" in r.stderr
    assert "Mangler svar" in r.stderr or "mangler" in r.stderr.lower()


@pytest.mark.parametrize("char", ["\\u0000", "\\u001b]52;c;SGVp\\u0007", "\\u001b[2J", "\\u0007"])
def test_control_characters_are_refused(run_cli, flow_file, tmp_path, char):
    svar = _file(tmp_path, _replace("beskrivelse", f'"{MARKER}{char}"'))
    r = run_cli(["start", flow_file, "--svar", svar, "--ikke-interaktiv"])
    assert r.returncode == 2
    assert "beskrivelse: Svaret inneholder et kontrolltegn (U+00" in r.stderr
    assert MARKER not in r.stderr
    assert "\x1b" not in r.stderr


def test_line_separators_become_newlines(run_cli, flow_file, tmp_path):
    import tomllib

    svar = _file(tmp_path, _replace("beskrivelse", '"a\\r\\nb\\u2028c\\u0085d\\re"'))
    r = run_cli(["start", flow_file, "--svar", svar, "--format", "toml"])
    assert r.returncode == 0, r.stderr
    assert tomllib.loads(r.stdout)["svar"]["beskrivelse"] == "a\nb\nc\nd\ne"


def test_a_year_before_1000_is_refused(run_cli, flow_file, tmp_path):
    svar = _file(tmp_path, _replace("samtykke_dato", "0999-11-01"))
    r = run_cli(["start", flow_file, "--svar", svar, "--ikke-interaktiv"])
    assert r.returncode == 2
    assert "samtykke_dato: Året må ha fire sifre" in r.stderr


def test_a_flow_id_that_is_not_text_is_an_error(run_cli, flow_file, tmp_path):
    svar = _file(tmp_path, "[omsorgslinje]\nflyt = 5\n\n" + PROVE_ANSWERS)
    r = run_cli(["start", flow_file, "--svar", svar, "--ikke-interaktiv"])
    assert r.returncode == 2
    assert f"{svar}:2: «flyt» må være flytens id som tekst" in r.stderr


def test_a_byte_order_mark_is_read(run_cli, flow_file, tmp_path):
    svar = tmp_path / "svar.toml"
    svar.write_bytes("\ufeff".encode() + PROVE_ANSWERS.encode())
    r = run_cli(["start", flow_file, "--svar", svar, "--format", "toml"])
    assert r.returncode == 0, r.stderr


def test_a_flow_file_with_a_byte_order_mark_is_read(run_cli, flow_file, answers_file):
    flow_file.write_bytes("\ufeff".encode() + flow_file.read_bytes())
    r = run_cli(["start", flow_file, "--svar", answers_file, "--format", "toml"])
    assert r.returncode == 0, r.stderr


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("[svar]\nbeskrivelse = " + "[" * 5000 + "]" * 5000 + "\n", "inne i hverandre"),
        ("[svar]\nantall_barn = " + "9" * 5000 + "\n", "for mange sifre"),
    ],
)
def test_deep_nesting_and_huge_integers_are_bad_input(run_cli, flow_file, tmp_path, body, message):
    svar = _file(tmp_path, body)
    r = run_cli(["start", flow_file, "--svar", svar, "--ikke-interaktiv"])
    assert r.returncode == 2, r.stderr
    assert message in r.stderr
    assert "Traceback" not in r.stderr
