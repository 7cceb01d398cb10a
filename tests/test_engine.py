"""The pure interview engine: what to ask next, back, edit, which answers count.

Unit tests on the test flow `prove`, and property tests (hypothesis) over generated flows with
an independent oracle for `when` conditions: the same answers always give the same path, and no
hidden step's answer ever reaches `records.record()` or a rendered document.
"""

from __future__ import annotations

import datetime as _dt
import random
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import PROVE_FLOW, write_flow
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from omsorgslinje.engine import Interview, missing_required, resolve, with_defaults
from omsorgslinje.errors import FlowError, InvalidValue
from omsorgslinje.loader import build_flow, load_flow
from omsorgslinje.model import Action, Choice, Document, Flow, Step
from omsorgslinje.records import record
from omsorgslinje.render import Case, applicable_documents, render

DATE = _dt.date(2026, 11, 22)


def flow_of(text: str, path: str = "flyt.toml") -> Flow:
    flow, problems = build_flow(tomllib.loads(text), text, path)
    assert flow is not None, [str(p) for p in problems]
    return flow


@pytest.fixture
def prove(tmp_path: Path) -> Flow:
    return load_flow(write_flow(tmp_path))


def drive(iv: Interview, replies: Mapping[str, object], limit: int = 200) -> Interview:
    """Answer every step asked from `replies` (info steps: acknowledged) until done."""
    for _ in range(limit):
        if iv.done:
            return iv
        assert iv.step is not None
        iv = iv.answer(True if iv.step.type == "info" else replies[iv.step.id])
    raise AssertionError("the interview did not finish")


FULL = {
    "initialer": "AB",
    "rolle": "annen",
    "annen_rolle": "Jordmor",
    "samtykke": True,
    "samtykke_dato": "01.11.2026",
    "gjelder_hvem": ["gravid", "barn"],
    "antall_barn": "2",
    "beskrivelse": "Kort.",
}


# --- start and the path ------------------------------------------------------------------------


def test_start_asks_the_first_step(prove: Flow) -> None:
    iv = Interview.start(prove)
    assert iv.cursor == "velkommen"
    assert not iv.can_go_back()
    assert iv.position() == (1, 6)


def test_path_without_answers_skips_conditional_steps(prove: Flow) -> None:
    res = resolve(prove, {})
    assert res.path == (
        "velkommen",
        "initialer",
        "rolle",
        "samtykke",
        "gjelder_hvem",
        "beskrivelse",
    )
    assert dict(res.counted) == {}
    # hidden and unanswered steps are none, a multiselect the empty list
    assert res.context["annen_rolle"] is None
    assert res.context["gjelder_hvem"] == []


def test_answers_open_steps_in_order(prove: Flow) -> None:
    iv = Interview.start(prove).answer(True).answer("AB").answer("annen")
    assert iv.cursor == "annen_rolle"
    iv = iv.answer("Jordmor").answer("nei")
    assert iv.cursor == "gjelder_hvem"  # samtykke_dato does not apply
    iv = iv.answer(["barn"])
    assert iv.cursor == "antall_barn"
    iv = iv.answer("3").answer("")
    assert iv.done
    assert iv.counted["beskrivelse"] is None  # optional, asked and left empty
    assert iv.counted["antall_barn"] == 3
    assert iv.path == (
        "velkommen",
        "initialer",
        "rolle",
        "annen_rolle",
        "samtykke",
        "gjelder_hvem",
        "antall_barn",
        "beskrivelse",
    )


def test_full_drive_counts_exactly_the_path(prove: Flow) -> None:
    iv = drive(Interview.start(prove), FULL)
    assert iv.done
    assert set(iv.counted) == set(iv.path)
    assert iv.counted["samtykke_dato"] == _dt.date(2026, 11, 1)
    assert iv.counted["gjelder_hvem"] == ["gravid", "barn"]


def test_invalid_answer_raises_and_changes_nothing(prove: Flow) -> None:
    iv = Interview.start(prove).answer(True).answer("AB")
    with pytest.raises(InvalidValue) as exc:
        iv.answer("sjef")
    assert "helsesykepleier, fastlege, annen" in exc.value.message
    with pytest.raises(InvalidValue):
        iv.answer("")  # required
    assert iv.cursor == "rolle"
    assert "rolle" not in iv.answers


def test_validation_limits_apply(prove: Flow) -> None:
    iv = Interview.start(prove, {"velkommen": True, "initialer": "AB", "rolle": "fastlege"})
    iv = iv.answer("nei")
    assert iv.cursor == "gjelder_hvem"
    with pytest.raises(InvalidValue):
        iv.answer([])  # min = 1 choice
    iv = Interview.start(prove).answer(True)
    with pytest.raises(InvalidValue):
        iv.answer("x" * 21)  # max = 20 characters


def test_answer_when_done_is_an_error(prove: Flow) -> None:
    iv = drive(Interview.start(prove), FULL)
    with pytest.raises(RuntimeError):
        iv.answer("x")


# --- going back --------------------------------------------------------------------------------


def test_back_returns_to_previous_steps_asked(prove: Flow) -> None:
    iv = Interview.start(prove).answer(True).answer("AB").answer("annen")
    assert iv.back().cursor == "rolle"
    assert iv.back().back().cursor == "initialer"
    assert iv.back().back().back().cursor == "velkommen"
    first = iv.back().back().back()
    assert not first.can_go_back()
    assert first.back() == first  # nothing before the first step


def test_back_keeps_answers_and_prefills(prove: Flow) -> None:
    iv = Interview.start(prove).answer(True).answer("AB").answer("annen").answer("Jordmor")
    back = iv.back()
    assert back.cursor == "annen_rolle"
    assert back.answers["annen_rolle"] == "Jordmor"  # shown as the pre-filled answer


def test_back_then_change_hides_and_goes_on(prove: Flow) -> None:
    iv = Interview.start(prove).answer(True).answer("AB").answer("annen").answer("Jordmor")
    iv = iv.back().back()
    assert iv.cursor == "rolle"
    iv = iv.answer("fastlege")
    assert iv.cursor == "samtykke"  # annen_rolle no longer applies
    assert "annen_rolle" not in iv.counted
    assert "annen_rolle" not in iv.path


def test_back_skips_steps_that_no_longer_apply(prove: Flow) -> None:
    iv = Interview.start(prove).answer(True).answer("AB").answer("annen").answer("Jordmor")
    # answering rolle again (from going back twice) hides annen_rolle, which is on the trail
    iv = iv.back().back().answer("fastlege")
    assert iv.cursor == "samtykke"
    assert iv.back().cursor == "rolle"


def test_back_from_the_end(prove: Flow) -> None:
    iv = drive(Interview.start(prove), FULL)
    assert iv.back().cursor == "beskrivelse"


# --- changing an answer (the review) -----------------------------------------------------------


def test_edit_change_hides_later_step_and_finishes(prove: Flow) -> None:
    iv = drive(Interview.start(prove), FULL)
    iv = iv.edit("rolle").answer("fastlege")
    assert iv.done
    assert "annen_rolle" not in iv.counted
    assert iv.answers["annen_rolle"] == "Jordmor"  # kept, so that changing back restores it
    doc = render(Case(prove, iv.answers, DATE), prove.primary_document, "md")
    assert "Jordmor" not in doc
    assert "Annen rolle: Ikke aktuelt" in doc
    assert "annen_rolle" not in record(Case(prove, iv.answers, DATE))["svar"]


def test_edit_change_back_restores_hidden_answer(prove: Flow) -> None:
    iv = drive(Interview.start(prove), FULL)
    iv = iv.edit("rolle").answer("fastlege").edit("rolle").answer("annen")
    assert iv.done
    assert iv.counted["annen_rolle"] == "Jordmor"


def test_edit_that_opens_a_step_asks_it(prove: Flow) -> None:
    answers = {**FULL, "samtykke": "nei"}
    del answers["samtykke_dato"]
    iv = drive(Interview.start(prove), answers)
    assert "samtykke_dato" not in iv.path
    iv = iv.edit("samtykke").answer("ja")
    assert not iv.done
    assert iv.cursor == "samtykke_dato"
    iv = iv.answer("02.11.2026")
    assert iv.done
    assert iv.counted["samtykke_dato"] == _dt.date(2026, 11, 2)


def test_edit_asks_every_step_that_now_applies(prove: Flow) -> None:
    answers = {**FULL, "rolle": "fastlege", "samtykke": False, "gjelder_hvem": ["gravid"]}
    iv = drive(Interview.start(prove), answers)
    iv = iv.edit("gjelder_hvem").answer(["gravid", "barn"])
    assert iv.cursor == "antall_barn"
    iv = iv.answer("1")
    assert iv.done
    iv = iv.edit("rolle").answer("annen")
    assert iv.cursor == "annen_rolle"


def test_edit_of_a_hidden_step_is_refused(prove: Flow) -> None:
    iv = drive(Interview.start(prove), {**FULL, "rolle": "fastlege"})
    with pytest.raises(KeyError):
        iv.edit("annen_rolle")


def test_start_resumes_at_the_first_unanswered_step(prove: Flow) -> None:
    iv = Interview.start(prove, {"velkommen": True, "initialer": "AB", "rolle": "fastlege"})
    assert iv.cursor == "samtykke"


# --- missing_required, with_defaults, scope ----------------------------------------------------


def test_missing_required_lists_applying_required_steps_in_order(prove: Flow) -> None:
    assert [s.id for s in missing_required(prove, {})] == [
        "initialer",
        "rolle",
        "samtykke",
        "gjelder_hvem",
    ]
    missing = missing_required(
        prove, {"rolle": "annen", "samtykke": True, "gjelder_hvem": ["barn"]}
    )
    assert [s.id for s in missing] == ["initialer", "annen_rolle", "samtykke_dato", "antall_barn"]
    # an answer None ("left empty") is missing for a required step
    assert missing_required(prove, {"initialer": None})[0].id == "initialer"


def test_missing_required_in_scope(prove: Flow) -> None:
    scope = frozenset({"samtykke", "samtykke_dato"})
    assert [s.id for s in missing_required(prove, {}, scope)] == ["samtykke"]


DEFAULTS_FLOW = """\
[flow]
id = "standard"
title = "Standardverdier"
version = "1"
source = "Test"
documents = { notat = "notat.md.j2" }

[[steps]]
id = "a"
type = "confirm"
prompt = "A?"
default = true

[[steps]]
id = "b"
type = "select"
prompt = "B?"
when = "a"
default = "y"
choices = [{ value = "x" }, { value = "y" }]

[[steps]]
id = "c"
type = "number"
prompt = "C?"
when = "b == 'y'"
default = 5

[[steps]]
id = "d"
type = "text"
prompt = "D?"
when = "not a"
default = "skjult"

[[steps]]
id = "e"
type = "multiselect"
prompt = "E?"
default = ["q"]
choices = [{ value = "p" }, { value = "q" }]
"""


def test_with_defaults_follows_defaults_in_one_pass() -> None:
    flow = flow_of(DEFAULTS_FLOW)
    out = with_defaults(flow, {})
    assert out == {"a": True, "b": "y", "c": 5, "e": ["q"]}  # d is hidden: no default
    assert missing_required(flow, out) == []


def test_with_defaults_keeps_answers_and_respects_conditions() -> None:
    flow = flow_of(DEFAULTS_FLOW)
    out = with_defaults(flow, {"a": False, "e": ["p"]})
    assert out == {"a": False, "d": "skjult", "e": ["p"]}
    out = with_defaults(flow, {"b": "x"})
    assert out == {"a": True, "b": "x", "e": ["q"]}  # c hidden by b's answer


def test_with_defaults_in_scope() -> None:
    flow = flow_of(DEFAULTS_FLOW)
    out = with_defaults(flow, {}, frozenset({"b", "c"}))
    # a is outside the scope: no default, so b (when = "a") does not apply either
    assert out == {}
    out = with_defaults(flow, {"a": True}, frozenset({"c"}))
    assert out == {"a": True}  # b is outside the scope and unanswered: c does not apply


def test_scope_asks_only_its_steps(prove: Flow) -> None:
    scope = frozenset({"samtykke", "samtykke_dato"})
    iv = Interview.start(prove, {}, scope)
    assert iv.cursor == "samtykke"
    assert iv.path == ("samtykke",)
    iv = iv.answer("ja")
    assert iv.cursor == "samtykke_dato"
    assert iv.position() == (2, 2)
    iv = iv.answer("01.11.2026")
    assert iv.done
    assert set(iv.answers) == {"samtykke", "samtykke_dato"}


def test_failing_condition_is_a_flow_error_naming_the_step() -> None:
    flow = flow_of(
        DEFAULTS_FLOW.replace("when = \"b == 'y'\"", 'when = "b > 3"'),
        path="/tmp/standard.toml",
    )
    with pytest.raises(FlowError) as exc:
        resolve(flow, {"a": True, "b": "x"})
    text = exc.value.message
    assert "/tmp/standard.toml" in text
    assert "c:" in text
    assert "when" in text


def test_position_counts_only_steps_that_apply(prove: Flow) -> None:
    iv = Interview.start(prove).answer(True).answer("AB")
    assert iv.position() == (3, 6)
    iv = iv.answer("annen")
    assert iv.position() == (4, 7)


# --- property tests over generated flows -------------------------------------------------------

ASKING = ("text", "confirm", "select", "multiselect", "number")
TYPES = (*ASKING, "info")
VALUES = ("a", "b", "c")


@dataclass(frozen=True)
class Cond:
    """A `when` condition over an earlier step, with its own Python meaning (the oracle)."""

    kind: str
    ref: str
    arg: Any = None

    def source(self) -> str:
        r = self.ref
        return {
            "true": f"{r}",
            "false": f"not {r}",
            "eq": f"{r} == '{self.arg}'",
            "ne": f"{r} != '{self.arg}'",
            "in": f"'{self.arg}' in {r}",
            "gt": f"{r} is not none and {r} > {self.arg}",
            "set": f"{r} is not none",
        }[self.kind]

    def holds(self, ctx: Mapping[str, Any]) -> bool:
        v = ctx[self.ref]
        if self.kind == "true":
            return bool(v)
        if self.kind == "false":
            return not v
        if self.kind == "eq":
            return bool(v == self.arg)
        if self.kind == "ne":
            return bool(v != self.arg)
        if self.kind == "in":
            return self.arg in v
        if self.kind == "gt":
            return v is not None and v > self.arg
        return v is not None


KINDS = {
    "confirm": ("true", "false"),
    "select": ("eq", "ne"),
    "multiselect": ("in",),
    "number": ("gt", "set"),
    "text": ("set",),
}


@dataclass(frozen=True)
class Spec:
    types: tuple[str, ...]
    conds: tuple[tuple[Cond, ...], ...]  # all must hold
    required: tuple[bool, ...]


@st.composite
def specs(draw: st.DrawFn) -> Spec:
    n = draw(st.integers(1, 9))
    types: list[str] = []
    conds: list[tuple[Cond, ...]] = []
    required: list[bool] = []
    for i in range(n):
        types.append(draw(st.sampled_from(TYPES)))
        earlier = [j for j in range(i) if types[j] != "info"]
        these: list[Cond] = []
        if earlier:
            for _ in range(draw(st.integers(0, 2))):
                j = draw(st.sampled_from(earlier))
                kind = draw(st.sampled_from(KINDS[types[j]]))
                arg = (
                    draw(st.integers(0, 9))
                    if kind == "gt"
                    else draw(st.sampled_from(VALUES))
                    if kind in ("eq", "ne", "in")
                    else None
                )
                these.append(Cond(kind, f"s{j}", arg))
        conds.append(tuple(these))
        required.append(types[-1] != "info" and draw(st.booleans()))
    return Spec(tuple(types), tuple(conds), tuple(required))


def marker(i: int) -> str:
    return f"MERKE{i}X"


def label(i: int, v: str) -> str:
    return f"Etikett{i}{v.upper()}Z"


def build(spec: Spec, directory: Path) -> Flow:
    steps = []
    for i, (t, conds, req) in enumerate(zip(spec.types, spec.conds, spec.required, strict=True)):
        sid = f"s{i}"
        when = " and ".join(f"({c.source()})" for c in conds) or None
        choices = (
            tuple(Choice(v, label(i, v)) for v in VALUES) if t in ("select", "multiselect") else ()
        )
        actions = (
            (Action(what=f"Tiltak for {{{{ {sid} }}}}", who="Oppdager"),) if t == "text" else ()
        )
        steps.append(
            Step(
                id=sid,
                type=t,
                prompt=f"Spørsmål {i}?" if t != "info" else f"Informasjon {i}.",
                source=f"Kilde {i}",
                when=when,
                required=req,
                choices=choices,
                section=f"Del {i // 3}",
                actions=actions,
            )
        )
    n = len(steps)
    return Flow(
        id="generert",
        title="Generert flyt",
        version="1",
        source="Generert",
        steps=tuple(steps),
        documents=(Document("notat", f"gen-{n}.md.j2", "Notat", primary=True),),
        path=str(directory / "generert.toml"),
    )


def valid_values(t: str, i: int, required: bool) -> st.SearchStrategy[Any]:
    """Values the step accepts (as `parse` returns them)."""
    base: st.SearchStrategy[Any]
    if t == "text":
        base = st.just(marker(i))
    elif t == "confirm":
        base = st.booleans()
    elif t == "select":
        base = st.sampled_from(VALUES)
    elif t == "multiselect":
        base = st.lists(st.sampled_from(VALUES), min_size=1, unique=True).map(
            lambda vs: sorted(vs, key=VALUES.index)
        )
    elif t == "number":
        base = st.integers(0, 12)
    else:
        return st.just(True)
    return base if required else st.one_of(st.none(), base)


@st.composite
def cases(draw: st.DrawFn) -> tuple[Spec, dict[str, Any], dict[str, Any]]:
    """A flow spec, a full set of valid answers, and a partial one (any subset of it)."""
    spec = draw(specs())
    full: dict[str, Any] = {}
    for i, t in enumerate(spec.types):
        full[f"s{i}"] = draw(valid_values(t, i, spec.required[i]))
    keep = draw(st.lists(st.sampled_from(sorted(full)), unique=True)) if full else []
    partial = {k: full[k] for k in keep if spec.types[int(k[1:])] != "info"}
    return spec, full, partial


def oracle(spec: Spec, answers: Mapping[str, Any]) -> tuple[tuple[str, ...], dict[str, Any]]:
    """Path and counted answers computed without the engine or Jinja."""
    ctx: dict[str, Any] = {}
    path: list[str] = []
    counted: dict[str, Any] = {}
    for i, t in enumerate(spec.types):
        sid = f"s{i}"
        applies = all(c.holds(ctx) for c in spec.conds[i])
        value: Any = [] if t == "multiselect" else None
        if applies:
            path.append(sid)
            if sid in answers:
                counted[sid] = answers[sid]
                if answers[sid] is not None:
                    value = answers[sid]
        ctx[sid] = value
    return tuple(path), counted


@pytest.fixture(scope="module")
def gen_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Templates for generated flows: every step raw and as shown, sections, next steps."""
    d = tmp_path_factory.mktemp("generert")
    tdir = d / "templates"
    tdir.mkdir()
    for n in range(1, 10):
        lines = ["# Notat", ""]
        for i in range(n):
            lines.append(f"- s{i}: {{{{ vis('s{i}') }}}} / {{{{ s{i} }}}} / {{{{ svar.s{i} }}}}")
        lines += [
            "",
            "{% for del in seksjoner %}",
            "## {{ del.navn }}",
            "{% for s in del.steg %}",
            "| {{ s.spørsmål }} | {{ s.svar }} |",
            "{% endfor %}",
            "{% endfor %}",
            "{% for n in neste_steg %}",
            "- **{{ n.hva }}** ({{ n.hvem }})",
            "{% endfor %}",
            "{% for k in kilder %}{{ k }}; {% endfor %}",
        ]
        (tdir / f"gen-{n}.md.j2").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return d


PROPS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@PROPS
@given(cases(), st.randoms(use_true_random=False))
def test_same_answers_same_path(
    gen_dir: Path, case: tuple[Spec, dict[str, Any], dict[str, Any]], rnd: random.Random
) -> None:
    spec, _, partial = case
    flow = build(spec, gen_dir)
    first = resolve(flow, partial)
    items = list(partial.items())
    rnd.shuffle(items)
    again = resolve(flow, dict(items))
    assert first.path == again.path
    assert dict(first.counted) == dict(again.counted)
    assert dict(first.context) == dict(again.context)
    path, counted = oracle(spec, partial)
    assert first.path == path
    assert dict(first.counted) == counted


@PROPS
@given(cases())
def test_driving_the_interview_gives_the_resolved_path(
    gen_dir: Path, case: tuple[Spec, dict[str, Any], dict[str, Any]]
) -> None:
    spec, full, _ = case
    flow = build(spec, gen_dir)
    iv = drive(Interview.start(flow), full)
    path, counted = oracle(spec, full)
    assert iv.path == path
    assert dict(iv.counted) == counted
    assert missing_required(flow, iv.answers) == []


def hidden_markers(flow: Flow, answers: Mapping[str, Any]) -> tuple[set[str], set[str]]:
    """Marker texts of answered text/select/multiselect steps: (hidden ones, counted ones)."""
    res = resolve(flow, answers)
    hidden: set[str] = set()
    shown: set[str] = set()
    for sid, value in answers.items():
        step = flow.step(sid)
        i = int(sid[1:])
        texts: set[str] = set()
        if step.type == "text" and value is not None:
            texts = {marker(i)}
        elif step.type == "select" and value is not None:
            texts = {label(i, value)}
        elif step.type == "multiselect" and value:
            texts = {label(i, v) for v in value}
        (shown if sid in res.path else hidden).update(texts)
    return hidden, shown


def check_no_hidden_answer(flow: Flow, answers: Mapping[str, Any]) -> None:
    case = Case(flow, answers, DATE)
    res = resolve(flow, answers)
    hidden, shown = hidden_markers(flow, answers)
    rec = record(case)
    assert set(rec["svar"]) <= set(res.path)
    assert {n["steg"] for n in rec.get("neste_steg", [])} <= set(res.path)
    for fmt in ("md", "txt", "toml"):
        text = render(case, flow.primary_document, fmt)
        for h in hidden:
            assert h not in text, (fmt, h)
        if fmt != "toml":
            for s in shown:
                assert s in text, (fmt, s)  # the template does show answers
    # the documents are the same as from the counted answers alone
    only = Case(flow, dict(res.counted), DATE)
    for fmt in ("md", "txt", "toml"):
        assert render(case, flow.primary_document, fmt) == render(only, flow.primary_document, fmt)


@PROPS
@given(cases())
def test_hidden_answers_never_reach_a_document(
    gen_dir: Path, case: tuple[Spec, dict[str, Any], dict[str, Any]]
) -> None:
    spec, full, _ = case
    flow = build(spec, gen_dir)
    # every step answered, also those that do not apply
    answers = {k: v for k, v in full.items() if spec.types[int(k[1:])] != "info"}
    check_no_hidden_answer(flow, answers)


MOVES = st.lists(
    st.tuples(st.sampled_from(["svar", "svar", "tilbake", "endre"]), st.integers(0, 50)),
    max_size=40,
)


@PROPS
@given(cases(), cases(), MOVES)
def test_any_moves_keep_the_invariants(
    gen_dir: Path,
    case: tuple[Spec, dict[str, Any], dict[str, Any]],
    other: tuple[Spec, dict[str, Any], dict[str, Any]],
    moves: list[tuple[str, int]],
) -> None:
    """Random answers, backs and edits: only steps that apply count; done means complete;
    the finished case's documents hold no hidden answer."""
    spec, full, _ = case
    flow = build(spec, gen_dir)
    # a second set of valid answers for the same steps, to change answers to
    alt: dict[str, Any] = {}
    ospec, ofull, _ = other
    for sid, value in full.items():
        i = int(sid[1:])
        ok = i < len(ospec.types) and ospec.types[i] == spec.types[i]
        alt[sid] = ofull[sid] if ok and (value is not None or not spec.required[i]) else value
        if spec.required[i] and alt[sid] is None:
            alt[sid] = value
    iv = Interview.start(flow)
    for move, n in moves:
        if move == "svar" and not iv.done:
            assert iv.step is not None
            source = alt if n % 2 else full
            iv = iv.answer(True if iv.step.type == "info" else source[iv.step.id])
        elif move == "tilbake":
            before = iv
            iv = iv.back()
            assert iv.cursor is None or iv.cursor in iv.path
            if iv.cursor != before.cursor:
                assert iv.cursor in iv.answers  # back only goes to a step answered before
                assert not iv.editing
            else:
                assert iv == before  # nowhere to go back to
        elif move == "endre" and iv.done and iv.path:
            iv = iv.edit(iv.path[n % len(iv.path)])
        res = resolve(flow, iv.answers)
        assert iv.cursor is None or iv.cursor in iv.path
        assert set(iv.counted) <= set(iv.path)
        assert dict(iv.counted) == {k: iv.answers[k] for k in res.path if k in iv.answers}
        if iv.done:
            assert all(sid in iv.answers for sid in iv.path)
            assert missing_required(flow, iv.answers) == []
    iv = drive(iv, full)
    assert all(sid in iv.counted for sid in iv.path)
    check_no_hidden_answer(flow, iv.answers)


@PROPS
@given(cases())
def test_toml_record_replays_to_the_same_documents(
    gen_dir: Path, case: tuple[Spec, dict[str, Any], dict[str, Any]]
) -> None:
    spec, full, _ = case
    flow = build(spec, gen_dir)
    answers = {k: v for k, v in full.items() if spec.types[int(k[1:])] != "info"}
    rec = record(Case(flow, answers, DATE))
    replay = Case(flow, rec["svar"], rec["omsorgslinje"]["dato"])
    for fmt in ("md", "toml"):
        assert render(replay, flow.primary_document, fmt) == render(
            Case(flow, answers, DATE), flow.primary_document, fmt
        )
    assert [d.name for d in applicable_documents(replay)] == rec["omsorgslinje"]["dokumenter"]


def test_prove_flow_text_is_a_valid_flow() -> None:
    flow = flow_of(PROVE_FLOW)
    assert [s.type for s in flow.steps] == [
        "info",
        "text",
        "select",
        "text",
        "confirm",
        "date",
        "multiselect",
        "number",
        "textarea",
    ]


# --- answers given in advance (files, drafts) and walking forward after going back ----------


def test_answers_from_a_file_are_not_asked_again(prove: Flow) -> None:
    given = {"initialer": "AB", "rolle": "annen", "annen_rolle": "Jordmor"}
    iv = Interview.start(prove, given)
    assert iv.cursor == "velkommen"  # the info step has no answer in a file
    iv = iv.answer(True)
    assert iv.cursor == "samtykke"  # initialer, rolle and annen_rolle are answered already


def test_after_going_back_each_following_step_is_shown_until_the_first_unanswered(
    prove: Flow,
) -> None:
    iv = Interview.start(prove).answer(True).answer("AB").answer("annen").answer("Jordmor")
    assert iv.cursor == "samtykke"
    back = iv.back().back()
    assert back.cursor == "rolle"
    again = back.answer("annen")
    assert again.cursor == "annen_rolle"  # answered, shown again with its answer
    assert again.answer("Jordmor").cursor == "samtykke"  # the first unanswered step
    assert not again.answer("Jordmor").revisiting
