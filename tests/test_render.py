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
