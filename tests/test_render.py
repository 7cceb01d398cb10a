"""The template context: reserved names, info texts filled in from answers."""

import datetime
from pathlib import Path

import pytest
from conftest import TINY_FLOW

from omsorgslinje.errors import FlowError
from omsorgslinje.loader import build_flow, load_flow
from omsorgslinje.model import TEMPLATE_NAMES
from omsorgslinje.render import Case, context

FLOW = (
    TINY_FLOW
    + """

[[steps]]
id = "info"
type = "info"
prompt = "Husk å melde for {{ navn }}."
source = "Test"
"""
)


def _flow(text: str):
    import tomllib

    flow, problems = build_flow(tomllib.loads(text), text, "t.toml")
    return flow, problems


def test_context_names_besides_step_ids_are_exactly_the_reserved_names() -> None:
    flow, _ = _flow(FLOW)
    ctx = context(Case(flow, {"navn": "AB", "info": True}, datetime.date(2026, 11, 20)), "md")
    assert set(ctx) - {s.id for s in flow.steps} == set(TEMPLATE_NAMES)


def test_info_text_in_documents_is_filled_in_from_answers() -> None:
    flow, _ = _flow(FLOW)
    ctx = context(Case(flow, {"navn": "AB", "info": True}, datetime.date(2026, 11, 20)), "md")
    assert ctx["informasjon"][0]["tekst"] == "Husk å melde for AB."


@pytest.mark.parametrize("name", ["gjelder", "svar", "dato"])
def test_a_step_may_not_take_a_template_name(name: str, tmp_path: Path) -> None:
    path = tmp_path / "t.toml"
    path.write_text(FLOW.replace('id = "navn"', f'id = "{name}"').replace("{{ navn }}", "x"))
    with pytest.raises(FlowError) as err:
        load_flow(path)
    assert f"{name}: Steg-id-en «{name}» er reservert" in err.value.message
    assert f"{path}:" in err.value.message


def test_a_routine_owners_template_can_use_the_shared_pieces(tmp_path: Path, run_cli) -> None:
    """docs/flows.md, «Felles byggeklosser»: an own flow's template imports felles.j2 and uses
    the `celle` filter; `flyt sjekk` finds nothing wrong, and the document says what it should."""
    from conftest import write_flow

    from omsorgslinje.render import render

    flow_text = (
        TINY_FLOW
        + """
[[steps]]
id = "merknad"
type = "textarea"
prompt = "Merknad?"
required = false
source = "Test"
"""
    )
    template = (
        '{% import "felles.j2" as felles with context %}\n'
        "- Navn: {{ felles.felt('navn') }}\n"
        "- Merknad: {{ felles.felt('merknad') }}\n\n"
        '| Navn | Merknad |\n|---|---|\n| {{ navn }} | {{ "Malens|egen\\ntekst" | celle }} |\n'
    )
    path = write_flow(tmp_path / "egen", flow_text, {"t.md.j2": template}, name="t.toml")
    flow = load_flow(path)
    checked = run_cli(["flyt", "sjekk", path])
    assert checked.returncode == 0 and "ingen problemer" in checked.stderr, checked
    md = render(
        Case(flow, {"navn": "A|B\nC"}, datetime.date(2026, 11, 20)), flow.documents[0], "md"
    )
    assert "- Merknad: Ikke fylt ut" in md
    assert "| A\\|B<br>C | Malens\\|egen tekst |" in md


def _folder(run_cli, flow: Path, answers: Path, out: Path) -> dict[str, str]:
    r = run_cli(["start", flow, "--svar", answers, "--ut-mappe", out, "--dato", "20.11.2026"])
    assert r.returncode == 0, r.stderr
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(out.iterdir())}


def test_a_template_that_reads_format_gets_its_own_plain_text(run_cli, tmp_path: Path) -> None:
    """The note's Markdown and plain text share one rendering only where no template names
    `format`; a template that does gets each format as it asks."""
    from conftest import PROVE_ANSWERS, PROVE_NOTAT, PROVE_SOKNAD, write_flow

    answers = tmp_path / "svar.toml"
    answers.write_text(PROVE_ANSWERS, encoding="utf-8")
    asks = (
        PROVE_NOTAT + "\n{% if format == 'txt' %}Til journalen.{% else %}**Markdown.**{% endif %}\n"
    )
    flow = write_flow(
        tmp_path / "spor", templates={"prove-notat.md.j2": asks, "prove-soknad.md.j2": PROVE_SOKNAD}
    )
    files = _folder(run_cli, flow, answers, tmp_path / "ut")
    assert "**Markdown.**" in files["prove-notat.md"]
    assert "Til journalen." in files["prove-notat.txt"]
    assert "Markdown." not in files["prove-notat.txt"]
    # the same when the word is in a template the note imports
    imports = PROVE_NOTAT + "\n{% import 'felles-prove.j2' as f with context %}{{ f.slutt() }}\n"
    macro = "{% macro slutt() %}{{ 'Til journalen.' if format == 'txt' else 'Markdown.' }}{% endmacro %}"
    flow = write_flow(
        tmp_path / "importert",
        templates={
            "prove-notat.md.j2": imports,
            "prove-soknad.md.j2": PROVE_SOKNAD,
            "felles-prove.j2": macro,
        },
    )
    files = _folder(run_cli, flow, answers, tmp_path / "ut-importert")
    assert "Markdown." in files["prove-notat.md"]
    assert "Til journalen." in files["prove-notat.txt"]
    # a comment naming the word changes nothing; the shared rendering gives the same files as
    # one rendering a format
    quiet = PROVE_NOTAT + "\n{# plain text comes from this Markdown: no format of its own #}\n"
    flow = write_flow(
        tmp_path / "stille",
        templates={"prove-notat.md.j2": quiet, "prove-soknad.md.j2": PROVE_SOKNAD},
    )
    shared = _folder(run_cli, flow, answers, tmp_path / "ut2")
    single = run_cli(["start", flow, "--svar", answers, "-f", "txt", "--dato", "20.11.2026"])
    assert single.returncode == 0, single.stderr
    assert shared["prove-notat.txt"] == single.stdout
