"""The glossary of a flow: `[flow.glossary]` (term = explanation) read into `Flow.glossary`,
in the file's order, checked by the loader and `flyt sjekk`, described by the JSON Schema."""

from __future__ import annotations

import io
import json
import tomllib
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import jsonschema
import pytest
from conftest import PROVE_FLOW, REPO, write_flow

from omsorgslinje.__main__ import main
from omsorgslinje.loader import load_flow
from omsorgslinje.loader_fields import SCHEMA_PATH

GLOSSARY = PROVE_FLOW.replace(
    "\n[[steps]]",
    '\n[flow.glossary]\n"individuell plan" = "En plan for hvem som gjør hva."\n'
    'ansvarsgruppe = "Tjenestene rundt brukeren."\n\n[[steps]]',
    1,
)


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OMSORGSLINJE_HJEM", str(tmp_path / "hjem"))


def run(args: list[str]) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(args)
    return code, out.getvalue() + err.getvalue()


def test_the_glossary_is_read_in_the_files_order(tmp_path: Path) -> None:
    flow = load_flow(write_flow(tmp_path / "f", GLOSSARY))
    assert list(flow.glossary.items()) == [
        ("individuell plan", "En plan for hvem som gjør hva."),
        ("ansvarsgruppe", "Tjenestene rundt brukeren."),
    ]


def test_a_flow_without_a_glossary_has_an_empty_one(tmp_path: Path) -> None:
    assert load_flow(write_flow(tmp_path / "f", PROVE_FLOW)).glossary == {}


@pytest.mark.parametrize(
    ("bad", "fragment"),
    [
        ('ansvarsgruppe = ""', "Ordet «ansvarsgruppe» i ordlisten må ha en forklaring"),
        ("ansvarsgruppe = 3", "Ordet «ansvarsgruppe» i ordlisten må ha en forklaring"),
    ],
)
def test_flyt_sjekk_reports_a_term_without_explanation(
    tmp_path: Path, bad: str, fragment: str
) -> None:
    text = GLOSSARY.replace('ansvarsgruppe = "Tjenestene rundt brukeren."', bad)
    path = write_flow(tmp_path / "f", text)
    code, output = run(["flyt", "sjekk", str(path)])
    assert code == 1
    line = next(i + 1 for i, ln in enumerate(text.splitlines()) if ln.startswith("ansvarsgruppe"))
    assert f"{path}:{line}: {fragment}" in output


def test_the_schema_describes_the_glossary() -> None:
    schema = json.loads(SCHEMA_PATH.read_text("utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    assert list(validator.iter_errors(tomllib.loads(GLOSSARY))) == []
    bad = tomllib.loads(GLOSSARY.replace('"Tjenestene rundt brukeren."', "3"))
    assert list(validator.iter_errors(bad))


def test_docs_describe_the_glossary_and_renames() -> None:
    docs = (REPO / "docs" / "flows.md").read_text("utf-8")
    for key in ("[flow.glossary]", "previous_ids", "previous_values"):
        assert key in docs


def test_the_built_in_oppdager_flow_has_one() -> None:
    flow = load_flow(REPO / "flows" / "oppdager.toml")
    assert "behandlingslinje" in flow.glossary
