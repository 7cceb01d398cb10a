"""The JSON Schema of the flow format: valid draft 2020-12, the loader's source of keys, and
every built-in flow validates against it."""

from __future__ import annotations

import io
import json
import tomllib
from contextlib import redirect_stdout
from pathlib import Path

import jsonschema
import pytest
from conftest import PROVE_FLOW, REPO

from omsorgslinje import loader_fields
from omsorgslinje.__main__ import main
from omsorgslinje.model import STEP_TYPES

SCHEMA = json.loads(loader_fields.SCHEMA_PATH.read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
BUILT_IN = sorted((REPO / "flows").glob("*.toml"))


def test_schema_is_valid_draft_2020_12() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("path", BUILT_IN, ids=lambda p: p.name)
def test_built_in_flow_validates(path: Path) -> None:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    errors = [f"{list(e.path)}: {e.message}" for e in VALIDATOR.iter_errors(data)]
    assert errors == []


def test_there_are_built_in_flows() -> None:
    assert {p.stem for p in BUILT_IN} >= {"oppdager", "henvisning"}


def test_test_flow_validates() -> None:
    assert list(VALIDATOR.iter_errors(tomllib.loads(PROVE_FLOW))) == []


def test_loader_keys_come_from_the_schema() -> None:
    defs = SCHEMA["$defs"]
    assert set(SCHEMA["properties"]) == loader_fields.TOP_KEYS
    assert set(defs["flow"]["properties"]) == loader_fields.FLOW_KEYS
    assert set(defs["step"]["properties"]) == loader_fields.STEP_KEYS
    assert set(defs["document"]["properties"]) == loader_fields.DOCUMENT_KEYS
    assert set(defs["choice"]["properties"]) == loader_fields.CHOICE_KEYS
    assert set(defs["action"]["properties"]) == loader_fields.ACTION_KEYS
    assert set(defs["validation"]["properties"]) == loader_fields.VALIDATION_KEYS
    assert tuple(defs["step"]["properties"]["type"]["enum"]) == STEP_TYPES


def test_schema_rejects_what_the_loader_rejects() -> None:
    data = tomllib.loads(PROVE_FLOW)
    data["steps"][0]["hjelp"] = "skrivefeil"
    data["steps"][1]["type"] = "tall"
    del data["steps"][2]["choices"]
    messages = [e.message for e in VALIDATOR.iter_errors(data)]
    assert len(messages) == 3, messages


def test_docs_reference_names_every_key() -> None:
    docs = (REPO / "docs" / "flows.md").read_text(encoding="utf-8")
    for key in (
        loader_fields.FLOW_KEYS
        | loader_fields.STEP_KEYS
        | loader_fields.DOCUMENT_KEYS
        | loader_fields.ACTION_KEYS
    ):
        assert f"| `{key}` |" in docs, key


def test_flyt_skjema_prints_the_file() -> None:
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["flyt", "skjema"]) == 0
    assert json.loads(out.getvalue()) == SCHEMA
