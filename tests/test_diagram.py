"""`omsorgslinje flyt vis`: the flow as mermaid, dot and an indented outline."""

from __future__ import annotations

import io
import shutil
import subprocess
from contextlib import redirect_stdout
from pathlib import Path

import pytest
from conftest import PROVE_FLOW, REPO, write_flow

from omsorgslinje.__main__ import main
from omsorgslinje.diagram import build_graph, dot, mermaid, outline
from omsorgslinje.loader import load_flow
from omsorgslinje.model import Flow


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OMSORGSLINJE_HJEM", str(tmp_path / "hjem"))


@pytest.fixture
def flow(tmp_path: Path) -> Flow:
    return load_flow(write_flow(tmp_path / "f"))


def test_graph_is_linear_and_conditions_sit_on_arrows(flow: Flow) -> None:
    g = build_graph(flow)
    steps = [n for n in g.nodes if n.kind in ("step", "info")]
    assert len(steps) == len(flow.steps)
    labels = {(e.source, e.target): e.label for e in g.edges}
    # rolle (s2) -> annen_rolle (s3) carries the condition; rolle -> samtykke is «ellers»
    assert labels[("s2", "s3")] == "rolle == 'annen'"
    assert labels[("s2", "s4")] == "ellers"
    assert labels[("s3", "s4")] == ""
    # the action of samtykke hangs off it on a dashed arrow with its `if`
    action = next(e for e in g.edges if e.target.startswith("a4_"))
    assert (action.source, action.dashed, action.label) == ("s4", True, "samtykke")
    # sections in order
    assert [name for name, _ in g.sections] == ["Innledning", "Samtykke", "Vurdering"]


def test_consecutive_conditional_steps_meet_in_a_junction(tmp_path: Path) -> None:
    text = PROVE_FLOW.replace(
        'prompt = "Hva gjelder bekymringen?"',
        'prompt = "Hva gjelder bekymringen?"\nwhen = "samtykke"',
    )
    g = build_graph(load_flow(write_flow(tmp_path / "g", text)))
    # samtykke_dato (s5) and gjelder_hvem (s6) both conditional: a junction j6 gathers s5 and
    # the «ellers» from samtykke (s4), then forks to s6 or past it
    into_j6 = sorted((e.source, e.label) for e in g.edges if e.target == "j6")
    assert into_j6 == [("s4", "ellers"), ("s5", "")]
    assert {(e.target, e.label) for e in g.edges if e.source == "j6"} == {
        ("s6", "samtykke"),
        ("j7", "ellers"),  # antall_barn is conditional too: its own junction
    }
    assert len(g.edges) < 4 * len(g.nodes)


def test_mermaid(flow: Flow) -> None:
    text = mermaid(flow)
    assert text.splitlines()[1] == "flowchart TD"
    assert 'subgraph del0["Innledning"]' in text
    assert 's0[/"ℹ velkommen (info): Husk å skrive initialer, ikke navn."/]' in text
    assert 's2 -->|"rolle == #quot;annen#quot;"| s3' not in text  # single quotes kept
    assert "s2 -->|\"rolle == 'annen'\"| s3" in text
    assert 's4 -.->|"samtykke"| a4_0' in text
    assert 'a4_0[["Neste steg: Send søknad for {{ initialer }} (Oppdager, straks)"]]' in text
    assert 'slutt -->|"samtykke"| d_soknad' in text
    assert "class s0 info" in text and "class a4_0 action" in text


def test_mermaid_escapes_quotes_and_brackets(tmp_path: Path) -> None:
    text = PROVE_FLOW.replace(
        'prompt = "Hvilken rolle har du?"', 'prompt = "Hvilken «rolle» [\\"x\\"] <b>?"'
    )
    out = mermaid(load_flow(write_flow(tmp_path / "e", text)))
    assert "Hvilken «rolle» #91;#quot;x#quot;#93; #lt;b#gt;?" in out


def test_dot(flow: Flow) -> None:
    text = dot(flow)
    assert text.startswith("// prove 1.0\ndigraph flyt {")
    assert 'subgraph cluster_0 {\n        label="Innledning";' in text
    assert "s0 [shape=note" in text
    assert "s2 -> s3 [label=\"rolle == 'annen'\"];" in text
    assert 's2 -> s4 [label="ellers", color="#888888"];' in text
    assert 's4 -> a4_0 [label="samtykke", style=dashed];' in text
    assert text.rstrip().endswith("}")


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz er ikke installert")
@pytest.mark.parametrize("name", ["oppdager", "henvisning"])
def test_graphviz_accepts_the_built_in_flows(name: str) -> None:
    source = dot(load_flow(REPO / "flows" / f"{name}.toml"))
    out = subprocess.run(["dot", "-Tsvg"], input=source, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "<svg" in out.stdout


def test_outline(flow: Flow) -> None:
    text = outline(flow)
    assert text.startswith("Prøveflyt for tester\n  id: prove, versjon 1.0\n")
    assert "\nInnledning\n  - velkommen [ℹ info] Husk å skrive initialer, ikke navn.\n" in text
    assert (
        "  hvis rolle == 'annen':\n      - annen_rolle [tekst] Hvilken annen rolle har du?\n"
        in text
    )
    assert "      · helsesykepleier «Helsesykepleier»" in text
    assert (
        "→ neste steg: Send søknad for {{ initialer }} (Oppdager, straks) (hvis samtykke)" in text
    )
    assert "  - soknad: Søknad [prove-soknad.md.j2] (hvis samtykke)" in text


def run(args: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(args)
    return code, out.getvalue()


@pytest.mark.parametrize("fmt", ["tekst", "mermaid", "dot", "MERMAID"])
def test_cli_formats(fmt: str) -> None:
    code, out = run(["flyt", "vis", "oppdager", "--format", fmt])
    assert code == 0 and "akutt_barn" in out


def test_cli_default_is_tekst_and_bad_format_is_exit_2(flow: Flow) -> None:
    assert run(["flyt", "vis", flow.path])[1] == outline(flow)
    assert run(["flyt", "vis", "oppdager", "--format", "svg"])[0] == 2
    assert run(["flyt", "vis", "finnes_ikke"])[0] == 2


@pytest.mark.bench
def test_diagram_is_linear_in_steps() -> None:
    steps = "".join(
        f'[[steps]]\nid = "s{i}"\ntype = "confirm"\nprompt = "?"\nwhen = "s{i - 1}"\n'
        if i
        else '[[steps]]\nid = "s0"\ntype = "confirm"\nprompt = "?"\n'
        for i in range(2000)
    )
    import tomllib

    from omsorgslinje.loader import build_flow

    text = '[flow]\nid="x"\ntitle="x"\nversion="1"\nsource="x"\ndocuments.d="d.md.j2"\n' + steps
    f, problems = build_flow(tomllib.loads(text), text, "x.toml")
    assert f is not None, problems
    g = build_graph(f)
    assert len(g.edges) <= 3 * len(f.steps) + 5
