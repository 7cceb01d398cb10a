"""No error message, on any path the tests can reach, contains an answer or a raw control code.

Every answer below holds a marker; each case makes the run fail in another way, and stderr (and
stdout) is searched for the marker.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import PROVE_ANSWERS, PROVE_FLOW, write_flow

MARKER = "HEMMELIGMARKØR"

ANSWERS = (
    PROVE_ANSWERS.replace('"Kort beskrivelse."', f'"{MARKER} beskrivelse"')
    .replace('"Jordmor"', f'"{MARKER}"')
    .replace('initialer = "AB"', 'initialer = "ABX"')
)

BROKEN_TEMPLATES = {
    "answer as a key": "{{ svar[beskrivelse] }}",
    "answer as a key, nested": "{{ svar[svar.annen_rolle] }}",
    "attribute of an answer": "{{ beskrivelse.nope }}",
    "attribute of an answer after a filter": "{{ (beskrivelse | upper).nope }}",
    "answer in arithmetic": "{{ beskrivelse + 1 }}",
    "answer compared with a number": "{% if beskrivelse > 3 %}x{% endif %}",
    "answer as a number": "{{ beskrivelse | int // 0 }}",
    "answer to the sandbox": "{{ beskrivelse.__class__ }}",
    "answer in a loop": "{% for x in beskrivelse %}{{ x.nope }}{% endfor %}",
}


@pytest.mark.parametrize("template", BROKEN_TEMPLATES.values(), ids=BROKEN_TEMPLATES.keys())
def test_a_failing_template_never_quotes_an_answer(run_cli, tmp_path: Path, template: str):
    flow = write_flow(
        tmp_path / "flyt",
        PROVE_FLOW,
        templates={"prove-notat.md.j2": template + "\n", "prove-soknad.md.j2": "# S\n"},
    )
    svar = tmp_path / "svar.toml"
    svar.write_text(ANSWERS, encoding="utf-8")
    r = run_cli(["start", flow, "--svar", svar])
    assert r.returncode != 0
    assert r.stderr.strip(), "a failure says what failed"
    assert MARKER not in r.stderr and MARKER not in r.stdout
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize(
    "line",
    [
        f'antall_barn = "{MARKER}"',
        f'rolle = "{MARKER}"',
        f'samtykke_dato = "{MARKER}"',
        f'samtykke = "{MARKER}"',
        f'gjelder_hvem = ["{MARKER}"]',
        f'initialer = "{MARKER} {MARKER} {MARKER}"',
    ],
)
def test_a_wrong_answer_in_a_file_is_named_by_its_step_not_its_text(
    run_cli, flow_file, tmp_path: Path, line: str
):
    key = line.split(" = ")[0]
    body = "\n".join(line if row.startswith(f"{key} = ") else row for row in ANSWERS.splitlines())
    svar = tmp_path / "svar.toml"
    svar.write_text(body + "\n", encoding="utf-8")
    r = run_cli(["start", flow_file, "--svar", svar, "--ikke-interaktiv"])
    assert r.returncode == 2
    assert f": {key}: " in r.stderr
    assert MARKER not in r.stderr


def test_two_files_that_disagree_are_named_without_their_answers(
    run_cli, flow_file, tmp_path: Path
):
    one = tmp_path / "en.toml"
    one.write_text(ANSWERS, encoding="utf-8")
    two = tmp_path / "to.toml"
    two.write_text(ANSWERS.replace(f'"{MARKER} beskrivelse"', f'"{MARKER} annen"'), "utf-8")
    r = run_cli(["start", flow_file, "--svar", one, "--svar", two])
    assert r.returncode == 2
    assert "beskrivelse: Steget er besvart ulikt" in r.stderr
    assert MARKER not in r.stderr


def test_an_escape_sequence_in_a_key_is_shown_not_sent(run_cli, flow_file, tmp_path: Path):
    svar = tmp_path / "svar.toml"
    svar.write_text('[svar]\n"\\u001b]0;tittel\\u0007\\u001b[2J" = 1\n', encoding="utf-8")
    r = run_cli(["start", flow_file, "--svar", svar, "--ikke-interaktiv"])
    assert r.returncode == 2
    assert "\x1b" not in r.stderr and "\x07" not in r.stderr
    assert "^[]0;tittel^G^[[2J" in r.stderr
