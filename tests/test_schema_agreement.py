"""flow_schema.json and the loader give the same verdict on every flow (issue 13).

Generated flows, valid by construction, are mutated where the schema has something to say (a
key removed, a value of another type, an empty text, an unknown key); the loader and a
maintained validator (jsonschema) must then agree on accept or refuse. The generated code the
loader runs (flow_schema_check.py) must be what the schema gives today.
"""

from __future__ import annotations

import importlib.util
import json
import tomllib
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import tomli_w
from conftest import REPO, TINY_FLOW
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from omsorgslinje.loader import build_flow, read_flow
from omsorgslinje.loader_fields import SCHEMA_PATH
from omsorgslinje.model import STEP_TYPES

SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)

ids = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True)
texts = st.text(st.characters(codec="utf-8", exclude_characters="{}%#\\"), min_size=1, max_size=12)


@st.composite
def flows(draw: st.DrawFn) -> dict[str, Any]:
    """A flow the loader and the schema both accept."""
    flow: dict[str, Any] = {
        "id": draw(ids),
        "title": draw(texts),
        "version": draw(st.from_regex(r"[0-9]{1,4}(\.[0-9]{1,2})?", fullmatch=True)),
        "source": draw(texts),
    }
    for key in ("description", "intro"):
        if draw(st.booleans()):
            flow[key] = draw(texts)
    names = draw(st.lists(ids, min_size=1, max_size=3, unique=True))
    documents: dict[str, Any] = {}
    primary = draw(st.sampled_from([None, *names]))
    for name in names:
        if draw(st.booleans()):
            documents[name] = f"{name}.md.j2"
            continue
        doc: dict[str, Any] = {"template": f"{name}.md.j2"}
        if draw(st.booleans()):
            doc["title"] = draw(texts)
        if name == primary:
            doc["primary"] = True
        if draw(st.booleans()):
            doc["filename"] = name
        documents[name] = doc
    flow["documents"] = documents
    step_ids = draw(st.lists(ids, min_size=1, max_size=4, unique=True))
    steps = []
    for sid in step_ids:
        stype = draw(st.sampled_from(STEP_TYPES))
        step: dict[str, Any] = {"id": sid, "type": stype, "prompt": draw(texts)}
        if stype in ("select", "multiselect"):
            values = draw(st.lists(ids, min_size=1, max_size=3, unique=True))
            step["choices"] = [{"value": v, "label": v.upper()} for v in values]
        for key in ("help", "source", "section"):
            if draw(st.booleans()):
                step[key] = draw(texts)
        if draw(st.booleans()):
            step["required"] = draw(st.booleans())
        if stype in ("text", "textarea") and draw(st.booleans()):
            step["validation"] = {"max": draw(st.integers(1, 99)), "message": draw(texts)}
        if draw(st.booleans()):
            step["actions"] = [{"what": draw(texts), "who": draw(texts), "when": "straks"}]
        steps.append(step)
    return {"flow": flow, "steps": steps}


OTHER_VALUES: list[Any] = ["", 0, 1.5, True, [], {}, "x", ["x"], {"x": 1}]


def _tables(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], Any]]:
    """Every table (dict) in the flow, with its path."""
    out: list[tuple[tuple[Any, ...], Any]] = []
    if isinstance(node, dict):
        out.append((path, node))
        for key, value in node.items():
            out += _tables(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += _tables(value, (*path, i))
    return out


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    data = draw(flows())
    for _ in range(draw(st.integers(1, 2))):
        tables = _tables(data)
        _, table = draw(st.sampled_from(tables))
        what = draw(st.sampled_from(["delete", "retype", "unknown", "empty"]))
        if what == "unknown":
            table[draw(st.sampled_from(["hjelp", "x", "ID", "steg"]))] = "x"
        elif not table:
            continue
        else:
            key = draw(st.sampled_from(sorted(table, key=str)))
            if what == "delete":
                del table[key]
            elif what == "empty":
                table[key] = type(table[key])() if isinstance(table[key], (str, list, dict)) else ""
            else:
                table[key] = draw(st.sampled_from(OTHER_VALUES))
    return data


def verdicts(data: dict[str, Any]) -> tuple[bool, bool, list[str]]:
    text = tomli_w.dumps(data)
    again = tomllib.loads(text)  # what a file gives the loader
    _, problems = build_flow(again, text, "flyt.toml")
    errors = [str(p) for p in problems if not p.warning]
    schema_ok = not list(VALIDATOR.iter_errors(again))
    return not errors, schema_ok, errors


PROPS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.fuzz
@PROPS
@given(flows())
def test_generated_flows_pass_both(data: dict[str, Any]) -> None:
    loader_ok, schema_ok, errors = verdicts(data)
    assert schema_ok
    assert loader_ok, errors


@pytest.mark.fuzz
@PROPS
@given(mutated())
def test_mutated_flows_get_the_same_verdict(data: dict[str, Any]) -> None:
    loader_ok, schema_ok, errors = verdicts(data)
    assert loader_ok == schema_ok, (errors, [e.message for e in VALIDATOR.iter_errors(data)])
    assert all("must" not in e and "data." not in e for e in errors), errors  # Norwegian


# -- the cases the issue names, and the ones found beside them -----------------------------------

FOUND = {
    "empty documents": ('[flow.documents.notat]\ntemplate = "t.md.j2"\n', "[flow.documents]\n"),
    "float version": ('version = "1"', "version = 2026.10"),
    "int version": ('version = "1"', "version = 3"),
    "empty title": ('title = "T"', 'title = ""'),
    "empty prompt": ('prompt = "Initialer?"', 'prompt = ""'),
    "empty when": ('source = "Test"\n', 'source = "Test"\nwhen = ""\n'),
    "empty section": ('source = "Test"\n', 'source = "Test"\nsection = ""\n'),
    "empty choices": ('source = "Test"\n', 'source = "Test"\nchoices = []\n'),
    "empty template": ('template = "t.md.j2"', 'template = ""'),
    "empty short form": (
        '[flow.documents.notat]\ntemplate = "t.md.j2"',
        '[flow.documents]\nnotat = ""',
    ),
    "empty action": ('source = "Test"\n', 'source = "Test"\nactions = [{ what = "" }]\n'),
}


@pytest.mark.parametrize("name", sorted(FOUND))
def test_what_the_schema_refuses_the_loader_refuses(name: str, tmp_path: Path) -> None:
    old, new = FOUND[name]
    assert old in TINY_FLOW[TINY_FLOW.index("[flow]") :]
    text = (
        TINY_FLOW.replace(old, new, 1)
        if name != "empty documents"
        else TINY_FLOW.replace(old, "", 1).replace("[flow]\n", "[flow]\ndocuments = {}\n", 1)
    )
    path = tmp_path / "t.toml"
    path.write_text(text, encoding="utf-8")
    assert list(VALIDATOR.iter_errors(tomllib.loads(text))), "the schema should refuse it"
    flow, problems = read_flow(path)
    assert flow is None and problems, name
    assert all(p.line is not None for p in problems), [str(p) for p in problems]


def test_a_float_version_is_refused_with_the_digits_as_written(tmp_path: Path) -> None:
    path = tmp_path / "t.toml"
    path.write_text(TINY_FLOW.replace('version = "1"', "version = 2026.10"), encoding="utf-8")
    flow, problems = read_flow(path)
    assert flow is None
    assert [p.line for p in problems] == [5]
    assert 'version = "2026.10"' in problems[0].message
    assert "2026.1)" in problems[0].message


def test_empty_documents_stop_at_sjekk_and_start_without_a_crash(
    run_cli: Any, tmp_path: Path
) -> None:
    text = TINY_FLOW.replace('[flow.documents.notat]\ntemplate = "t.md.j2"\n', "").replace(
        "[flow]\n", "[flow]\ndocuments = {}\n", 1
    )
    path = tmp_path / "t.toml"
    path.write_text(text, encoding="utf-8")
    checked = run_cli(["flyt", "sjekk", path])
    assert checked.returncode == 1, checked.stderr + checked.stdout  # flyt sjekk: 1 on errors
    assert "ingen dokumenter" in checked.stdout + checked.stderr
    started = run_cli(["start", path, "--ikke-interaktiv"])
    assert started.returncode == 2, started.stderr
    assert "Intern feil" not in started.stderr and "ingen dokumenter" in started.stderr


def test_the_generated_check_is_the_schema_of_today() -> None:
    spec = importlib.util.spec_from_file_location(
        "gen_flow_schema_check", REPO / "tools" / "gen_flow_schema_check.py"
    )
    assert spec is not None and spec.loader is not None
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    current = (REPO / "src" / "omsorgslinje" / "flow_schema_check.py").read_text(encoding="utf-8")
    assert gen.generate() == current, (
        "flow_schema.json has changed: run `.venv/bin/python tools/gen_flow_schema_check.py`"
    )


def test_a_value_outside_the_schemas_list_names_the_allowed_ones(tmp_path: Path) -> None:
    path = tmp_path / "t.toml"
    path.write_text(TINY_FLOW.replace('type = "text"', 'type = "info"\nlevel = "høy"'), "utf-8")
    flow, problems = read_flow(path)
    assert flow is None
    assert [p.line for p in problems] == [13]
    assert "«level»" in problems[0].message and "info, urgent" in problems[0].message
