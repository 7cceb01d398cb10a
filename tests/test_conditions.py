"""Conditions as data (conditions.py): every condition of the shipped flows is kept as a tree,
the tree gives Jinja's answer (and Jinja's exception) for any context, and a run from the
checked-flow cache asks its first question without importing Jinja."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from omsorgslinje import conditions, expr, flow_cache
from omsorgslinje.loader import load_flow

FLOWS = sorted((REPO / "flows").glob("*.toml"))


@pytest.mark.parametrize("path", FLOWS, ids=lambda p: p.stem)
def test_every_condition_of_the_shipped_flows_is_kept_as_data(path: Path) -> None:
    flow = load_flow(path)
    sources = flow_cache.condition_sources(flow)
    assert sources
    assert [s for s in sources if expr.tree_of(s) is None] == []
    data = flow_cache.to_data(flow)
    assert data is not None
    kept = json.loads(json.dumps(data["conditions"]))
    assert [source for source, _ in kept] == sources
    assert all(conditions.is_tree(tree) for _, tree in kept)


def jinja(source: str, context: dict[str, Any]) -> Any:
    """Jinja's own answer: the compiled expression, never the tree."""
    return expr.compile_condition(source)(**context)


def outcome(fn: Any, *args: Any) -> tuple[str, Any]:
    try:
        return ("verdi", bool(fn(*args)))
    except Exception as exc:
        return ("feil", type(exc).__name__)


NAMES = ["a", "b", "c", "situasjon"]
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.sampled_from(["ja", "nei", "", "x"]),
    st.lists(st.sampled_from(["ja", "nei", "x"]), max_size=3),
)
LITERALS = st.sampled_from(["'ja'", "'nei'", "''", "0", "1", "true", "false", "none", "2.5"])


def expressions(depth: int = 3) -> st.SearchStrategy[str]:
    leaf = st.one_of(st.sampled_from(NAMES), LITERALS)
    if depth == 0:
        return leaf
    sub = expressions(depth - 1)
    seq = st.lists(sub, min_size=0, max_size=3)
    return st.one_of(
        leaf,
        st.tuples(sub, st.sampled_from(["and", "or"]), sub).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"
        ),
        sub.map(lambda e: f"(not {e})"),
        st.tuples(
            sub,
            st.lists(
                st.tuples(st.sampled_from(["==", "!=", "<", "<=", ">", ">=", "in", "not in"]), sub),
                min_size=1,
                max_size=2,
            ),
        ).map(lambda t: "(" + t[0] + "".join(f" {op} {e}" for op, e in t[1]) + ")"),
        seq.map(lambda items: "[" + ", ".join(items) + "]"),
        seq.map(lambda items: "(" + "".join(f"{i}, " for i in items) + ")" if items else "()"),
    )


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    source=expressions(),
    context=st.dictionaries(st.sampled_from(NAMES), VALUES, max_size=len(NAMES)),
)
def test_a_tree_gives_jinjas_answer(source: str, context: dict[str, Any]) -> None:
    tree = expr.tree_of(source)
    assert tree is not None, source
    assert conditions.is_tree(json.loads(json.dumps(tree)))
    # through the tree where it can (a missing name goes to Jinja), and Jinja alone
    assert outcome(expr.evaluate, source, context) == outcome(jinja, source, context)


@pytest.mark.parametrize(
    "source",
    [
        "a | length > 0",  # a filter
        "a is defined",  # a test
        "kommune.ring('x')",  # an attribute and a call
        "a[0] == 'x'",  # an item
        "a ~ 'x'",  # an operator that is not a comparison
        "'x' if a else 'y'",
    ],
)
def test_what_is_not_kept_as_data_goes_to_jinja(source: str) -> None:
    assert expr.tree_of(source) is None


def test_a_missing_name_is_jinjas_error() -> None:
    from jinja2 import UndefinedError

    with pytest.raises(UndefinedError):
        expr.evaluate("ukjent == 'x'", {})
    assert expr.evaluate("false and ukjent", {}) is False  # never looked at, as in Jinja


@pytest.mark.parametrize(
    "raw",
    [
        None,
        [],
        ["kode", "x"],
        ["name", 1],
        ["const", [1]],
        ["const", float("nan")],
        ["and", ["name", "a"]],
        ["compare", ["name", "a"], []],
        ["compare", ["name", "a"], [["is", ["name", "b"]]]],
        ["tuple", ["name", "a"]],
        ["not", ["not"] * 3],
        ["not"] * 100,
    ],
)
def test_data_that_is_not_a_tree_is_refused(raw: Any) -> None:
    assert not conditions.is_tree(raw)


def test_a_run_from_the_cache_asks_without_jinja(tmp_path: Path) -> None:
    """From the cache, the interview's path (every condition of the flow) needs no Jinja."""
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from omsorgslinje import cache, flow_cache\n"
        "from omsorgslinje.engine import resolve\n"
        "store = cache.open_cache(print)\n"
        "flow = flow_cache.load_flow(Path(sys.argv[1]), store)\n"
        "answers = {s.id: s.choices[0].value for s in flow.steps if s.choices}\n"
        "resolve(flow, answers)\n"
        "print('jinja2' in sys.modules)\n"
    )
    for name in ("oppdager", "henvisning"):
        flow = REPO / "flows" / f"{name}.toml"
        args = [sys.executable, "-c", code, str(flow)]
        env = {**os.environ, "OMSORGSLINJE_HJEM": str(tmp_path / name)}
        env.pop("OMSORGSLINJE_INGEN_BUFFER", None)
        first = subprocess.run(args, capture_output=True, text=True, check=True, env=env)
        again = subprocess.run(args, capture_output=True, text=True, check=True, env=env)
        assert first.stdout.strip() == "True"  # checked, with Jinja, and written to the cache
        assert again.stdout.strip() == "False", again.stderr
