"""Jinja's syntax errors reach a routine owner in Norwegian."""

import pytest
from conftest import TINY_FLOW
from jinja2 import TemplateSyntaxError

from omsorgslinje.expr import compile_condition, environment, syntax_message


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        (
            "{% if x %}",
            "Teksten slutter før blokken «if» er lukket (ventet «elif», «else» eller «endif»).",
        ),
        ("{{ x y }}", "Ventet slutten av {{ … }}, men fant «y»."),
        ("{% foo %}", "Ukjent kode «{% foo %}»."),
        ("{{ x ", "Teksten slutter for tidlig: ventet slutten av {{ … }}."),
        ("{{ 'a }}", "Uventet tegn ' (et anførselstegn som ikke er lukket?)."),
        ("{{ x ) }}", "Uventet «)»."),
    ],
)
def test_template_syntax_errors_in_norwegian(template: str, expected: str) -> None:
    with pytest.raises(TemplateSyntaxError) as err:
        environment().parse(template)
    assert syntax_message(err.value.message) == expected


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ("x y", "Mer tekst etter uttrykket: «y»"),
        ("x ==", "Uventet slutten av teksten."),
        ("(x", "Teksten slutter for tidlig: ventet «)»."),
    ],
)
def test_condition_syntax_errors_in_norwegian(condition: str, expected: str) -> None:
    with pytest.raises(TemplateSyntaxError) as err:
        compile_condition(condition)
    assert syntax_message(err.value.message).startswith(expected)


def test_an_unknown_message_keeps_jinjas_words_after_a_norwegian_lead() -> None:
    assert syntax_message("something new") == "Jinja melder: something new"


FLOW = TINY_FLOW


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{{ navn | nosuch }}", "t.md.j2:1: Ugyldig Jinja i malen: Ukjent filter «nosuch»."),
        (
            "{% block a %}{% endblock %}{% block a %}{% endblock %}",
            "Blokken «a» er definert to ganger.",
        ),
        ("\n{% if navn is nosuch %}x{% endif %}", "t.md.j2:2: Ukjent test «nosuch» i malen."),
    ],
)
def test_flyt_sjekk_finds_what_only_compiling_shows(
    template: str, expected: str, tmp_path, run_cli
) -> None:
    (tmp_path / "t.toml").write_text(FLOW, encoding="utf-8")
    (tmp_path / "t.md.j2").write_text(template, encoding="utf-8")
    r = run_cli(["flyt", "sjekk", tmp_path / "t.toml"])
    assert r.returncode == 1, r.stderr
    assert expected in r.stdout
    assert "Intern feil" not in r.stderr


def test_the_sandbox_saying_no_is_a_message_naming_the_template(tmp_path, run_cli) -> None:
    (tmp_path / "t.toml").write_text(FLOW, encoding="utf-8")
    (tmp_path / "t.md.j2").write_text("{{ navn.__class__ }}\n", encoding="utf-8")
    (tmp_path / "svar.toml").write_text('[svar]\nnavn = "AB"\n', encoding="utf-8")
    r = run_cli(
        ["start", tmp_path / "t.toml", "--svar", tmp_path / "svar.toml", "--ikke-interaktiv"]
    )
    assert r.returncode == 2
    assert "t.md.j2:1: Malen kunne ikke fylles ut: «__class__» er ikke tillatt i maler" in r.stderr
    assert r.stdout == ""
