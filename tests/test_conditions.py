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
    # texts: those without a filter or a call to the municipality profile
    texts = json.loads(json.dumps(data["texts"]))
    assert texts
    assert all(conditions.is_text_tree(tree) for _, tree in texts)
    left = [s for s in flow_cache.text_sources(flow) if s not in dict(texts)]
    assert all(("|" in s or "kommune." in s) for s in left), left


def jinja(source: str, context: dict[str, Any]) -> Any:
    """Jinja's own answer: the compiled expression, never the tree."""
    return expr.compile_condition(source)(**context)


def rendered(fn: Any, *args: Any) -> tuple[str, Any]:
    """What `fn` gives, or the kind of exception it raises."""
    try:
        return ("svar", fn(*args))
    except Exception as exc:
        return ("feil", type(exc).__name__)


def outcome(fn: Any, *args: Any) -> tuple[str, Any]:
    """A condition's truth, or the kind of exception it raises."""
    return rendered(lambda *a: bool(fn(*a)), *args)


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
        st.tuples(sub, sub, sub).map(lambda t: f"({t[0]} if {t[1]} else {t[2]})"),
    )


def outputs() -> st.SearchStrategy[str]:
    """`{{ e }}`, and `{{ e if t }}` (no else: Jinja prints nothing when t is false)."""
    return st.one_of(
        expressions(2).map(lambda e: "{{ " + e + " }}"),
        st.tuples(expressions(1), expressions(1)).map(
            lambda t: "{{ " + f"{t[0]} if {t[1]}" + " }}"
        ),
    )


def texts(depth: int = 2) -> st.SearchStrategy[str]:
    words = st.sampled_from(["", "Ring ", " i dag", "\n- ", "  ", "æøå "])
    out = outputs()
    if depth == 0:
        part = st.one_of(words, out)
    else:
        inner = texts(depth - 1)
        block = st.tuples(
            expressions(1),
            inner,
            st.lists(st.tuples(expressions(1), inner), max_size=2),
            st.none() | inner,
        ).map(
            lambda t: (
                "{% if "
                + t[0]
                + " %}"
                + t[1]
                + "".join("{% elif " + e + " %}" + b for e, b in t[2])
                + ("" if t[3] is None else "{% else %}" + t[3])
                + "{% endif %}"
            )
        )
        part = st.one_of(words, out, block)
    return st.lists(part, max_size=4).map("".join)


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


def jinja_text(source: str, context: dict[str, Any]) -> str:
    return str(expr.environment().from_string(source).render(**context))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    source=texts().map(lambda t: t + "{{ a }}"),
    context=st.dictionaries(st.sampled_from(NAMES), VALUES, max_size=len(NAMES)),
)
def test_a_text_tree_gives_jinjas_text(source: str, context: dict[str, Any]) -> None:
    tree = expr.text_tree_of(source)
    assert tree is not None, source
    assert conditions.is_text_tree(json.loads(json.dumps(tree)))
    assert rendered(expr.render_text, source, context) == rendered(jinja_text, source, context)
    assert rendered(conditions.render, tree, context) in (
        rendered(jinja_text, source, context),
        ("feil", "Missing"),
    )


@pytest.mark.parametrize(
    "source",
    [
        "{{ a | dato }}",  # a filter
        "{{ kommune.ring('legevakt') }}",  # a call
        "{% for x in a %}{{ x }}{% endfor %}",  # a loop
        "{{ (a if b) == c }}",  # an if without else, not printed at once
        "{% set x = 1 %}{{ x }}",
    ],
)
def test_a_text_not_kept_as_data_goes_to_jinja(source: str) -> None:
    assert expr.text_tree_of(source) is None


@pytest.mark.parametrize(
    "source",
    [
        "a | length > 0",  # a filter
        "a is defined",  # a test
        "kommune.ring('x')",  # an attribute and a call
        "a[0] == 'x'",  # an item
        "a ~ 'x'",  # an operator that is not a comparison
        "'x' if a",  # an if without else
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
        ["cond", ["name", "a"], ["name", "b"]],
    ],
)
def test_data_that_is_not_a_tree_is_refused(raw: Any) -> None:
    assert not conditions.is_tree(raw)
    assert not conditions.is_text_tree(["text", [["out", raw]]])


@pytest.mark.parametrize(
    "raw",
    [
        ["text"],
        ["text", "ord"],
        ["text", [1]],
        ["text", [["kode", "x"]]],
        ["text", [["if", [], []]]],
        ["text", [["if", [[["name", "a"], "ord"]], []]]],
        ["text", [["if", [[["name", "a"], []]]]]],
        ["tekst", []],
    ],
)
def test_data_that_is_not_a_text_tree_is_refused(raw: Any) -> None:
    assert not conditions.is_text_tree(raw)


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
