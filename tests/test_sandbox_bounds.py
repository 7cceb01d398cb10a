"""A flow or template from someone else cannot hang the tool, fill its memory, or change `svar`."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from conftest import PROVE_ANSWERS, PROVE_FLOW, write_flow
from jinja2.exceptions import SecurityError

from omsorgslinje.expr import environment

EXPLOSIVE = [
    "{{ 7 ** (10 ** 7) }}",
    "{{ 2 ** (2 ** 36) }}",
    "{{ 'x' * 10 ** 9 }}",
    "{{ [1] * 10 ** 9 }}",
    "{{ 10 ** 600 * 10 ** 600 * 10 ** 600 }}",
    "{{ 'x'.ljust(10 ** 9) }}",
    "{{ 'x' | center(10 ** 9) }}",
    "{{ '%*s' % (10 ** 9, 'x') }}",
    "{{ '%999999999s' % 'x' }}",
    "{{ '{:>999999999}'.format('x') }}",
    "{{ ('x' * 900000) + ('y' * 900000) }}",
    # a macro is called without the checks (they are for what it reaches): inside it, all hold
    "{% macro m(n) %}{{ 'x' * n }}{% endmacro %}{{ m(10 ** 9) }}",
    "{% macro m(n) %}{{ 'x'.ljust(n) }}{% endmacro %}{{ m(10 ** 9) }}",
    "{% macro m(n) %}{{ 'x' | center(n) }}{% endmacro %}{{ m(n=10 ** 9) }}",
    "{% macro m(f) %}{{ f(10 ** 9) }}{% endmacro %}{{ m('x'.ljust) }}",
]


@pytest.mark.parametrize("source", EXPLOSIVE)
def test_the_sandbox_refuses_what_would_explode(source: str) -> None:
    start = time.monotonic()
    with pytest.raises(SecurityError):
        environment().from_string(source).render()
    assert time.monotonic() - start < 5  # refused, not computed


def test_small_arithmetic_and_text_still_work() -> None:
    env = environment()
    assert env.from_string(
        "{{ 2 ** 10 }} {{ 'ab' * 3 }} {{ 7 % 3 }} {{ '%s!' % 'ja' }}"
    ).render() == ("1024 ababab 1 ja!")
    assert env.from_string("{{ '{:>5}'.format('x') }}").render() == "    x"
    macro = "{% macro m(a, b=2) %}{{ a }}-{{ b }}-{{ varargs | length }}{% endmacro %}"
    assert env.from_string(macro + "{{ m(1) }} {{ m(1, b=3) }}").render() == "1-2-0 1-3-0"


def test_a_template_cannot_change_the_answers() -> None:
    env = environment()
    svar = {"a": "1"}
    with pytest.raises(SecurityError):
        env.from_string("{% set _ = svar.update({'a': '2'}) %}").render(svar=svar)
    with pytest.raises(SecurityError):
        env.from_string("{% set _ = liste.append(1) %}").render(liste=[])
    assert svar == {"a": "1"}


@pytest.mark.parametrize(
    "when", ["7 ** (10 ** 7) > 1", "2 ** (2 ** 36) > 1", "('x' * 10 ** 9) == 'x'"]
)
def test_an_explosive_condition_neither_hangs_loading_nor_listing(
    run_cli, tmp_path: Path, answers_file: Path, when: str
) -> None:
    flow = write_flow(
        tmp_path / "flyter",
        PROVE_FLOW.replace('when = "samtykke"\nfilename', f'when = "{when}"\nfilename'),
    )
    assert f'when = "{when}"' in flow.read_text(encoding="utf-8")
    start = time.monotonic()
    r = run_cli(["flyt", "sjekk", flow], timeout=60)
    assert time.monotonic() - start < 20
    assert "Traceback" not in r.stderr
    r = run_cli(["flyt", "liste"], env={"OMSORGSLINJE_FLYTER": str(flow.parent)}, timeout=60)
    assert "Traceback" not in r.stderr
    r = run_cli(["start", flow, "--svar", answers_file, "--ut-mappe", tmp_path / "ut"], timeout=60)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr


def test_a_template_that_never_ends_is_stopped_with_a_message(run_cli, tmp_path: Path) -> None:
    loop = "{% for i in range(100000) %}{% for j in range(100000) %}{{ j }}{% endfor %}{% endfor %}"
    flow = write_flow(
        tmp_path / "flyt",
        PROVE_FLOW,
        templates={"prove-notat.md.j2": loop, "prove-soknad.md.j2": ""},
    )
    svar = tmp_path / "svar.toml"
    svar.write_text(PROVE_ANSWERS, encoding="utf-8")
    start = time.monotonic()
    r = run_cli(["start", flow, "--svar", svar], timeout=60)
    assert time.monotonic() - start < 40
    assert r.returncode == 2
    assert "Malen brukte mer enn 10 sekunder og ble stoppet" in r.stderr


def test_a_condition_too_deep_to_compile_is_a_flow_problem_not_a_crash(
    run_cli, tmp_path: Path
) -> None:
    deep = "(" * 3000 + "1" + ")" * 3000 + " > 0"
    flow = write_flow(
        tmp_path / "flyt",
        PROVE_FLOW.replace('when = "samtykke"\nfilename', f'when = "{deep}"\nfilename'),
    )
    r = run_cli(["flyt", "sjekk", flow], timeout=60)
    assert r.returncode != 0
    said = r.stdout + r.stderr
    assert "Traceback" not in said and "Intern feil" not in said


def test_a_template_too_deep_to_compile_is_reported_not_a_crash(run_cli, tmp_path: Path) -> None:
    deep = "{{ " + "(" * 3000 + "1" + ")" * 3000 + " }}"
    flow = write_flow(
        tmp_path / "flyt",
        PROVE_FLOW,
        templates={"prove-notat.md.j2": deep, "prove-soknad.md.j2": ""},
    )
    r = run_cli(["flyt", "sjekk", flow], timeout=60)
    said = r.stdout + r.stderr
    assert r.returncode != 0
    assert "for mange nivåer inne i hverandre" in said and "Intern feil" not in said
    svar = tmp_path / "svar.toml"
    svar.write_text(PROVE_ANSWERS, encoding="utf-8")
    r = run_cli(["start", flow, "--svar", svar], timeout=60)
    assert r.returncode == 2
    assert "for mange nivåer inne i hverandre" in r.stderr
