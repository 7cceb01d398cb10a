"""`flyt sjekk`, the structure: choices, sources, sections, and what can be reached.

Each condition is decided by trying at most `MAX_CASES` combinations of the answers it names;
a step or document whose condition is never true is reported. `Lines` finds where a step, key,
choice value or document is written, for every check's messages.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from .errors import Problem
from .fastclass import dataclass
from .model import Document, Flow, Step
from .toml_text import LineIndex

if TYPE_CHECKING:
    from jinja2 import nodes

MAX_CASES = 4096  # combinations of answers tried per condition
MAX_MULTI_CHOICES = 8  # a multiselect with more choices has too many subsets to try


# Where things are


@dataclass
class Lines:
    flow: Flow
    idx: LineIndex

    def step_no(self, step: Step) -> int | None:
        """The index of the step's [[steps]] table in the file."""
        if step.line is None or not self.idx.step_starts:
            return None
        n = bisect.bisect_right(self.idx.step_starts, step.line - 1) - 1
        return n if n >= 0 else None

    def key(self, step: Step, key: str) -> int | None:
        n = self.step_no(step)
        if n is None:
            return step.line
        return self.idx.key_line(key, n) or step.line

    def value(self, step: Step, value: str, occurrence: int = 1) -> int | None:
        """The line where a choice value is written in the step (the n-th time)."""
        n = self.step_no(step)
        if n is None:
            return step.line
        start, end = self.idx.step_range(n)
        needles = (f'"{value}"', f"'{value}'")
        for i in range(start, end):
            if "value" in self.idx.lines[i] and any(x in self.idx.lines[i] for x in needles):
                occurrence -= 1
                if occurrence == 0:
                    return i + 1
        return self.key(step, "choices")

    def document(self, doc: Document, key: str = "when") -> int | None:
        span = self.idx.table_span(f"flow.documents.{doc.name}")
        return self.idx.key_line(key, span=span) if span else self.idx.key_line(doc.name)


def problem(
    flow: Flow, message: str, line: int | None, step: str | None = None, *, warning: bool = False
) -> Problem:
    return Problem(flow.path, message, line, step, warning)


# ------------------------------------------------------------------------------------------
# Choices, sources, sections


def check_choices(flow: Flow, lines: Lines) -> list[Problem]:
    out = []
    for step in flow.steps:
        seen: dict[str, int] = {}
        for choice in step.choices:
            seen[choice.value] = seen.get(choice.value, 0) + 1
            if seen[choice.value] > 1:
                out.append(
                    problem(
                        flow,
                        f"Valget «{choice.value}» står to ganger. Hver verdi må være unik i steget.",
                        lines.value(step, choice.value, seen[choice.value]),
                        step.id,
                    )
                )
    return out


def check_sources(flow: Flow) -> list[Problem]:
    return [
        problem(
            flow,
            "Steget mangler «source»: skriv hvor i rutinen det kommer fra.",
            step.line,
            step.id,
            warning=True,
        )
        for step in flow.steps
        if not step.source.strip()
    ]


def check_sections(
    flow: Flow, lines: Lines, raw_steps: list[dict[str, Any]], unreachable: set[str]
) -> list[Problem]:
    out = []
    for raw in raw_steps:
        section = raw.get("section")
        if isinstance(section, str) and not section.strip() and isinstance(raw.get("id"), str):
            sid = raw["id"]
            line = lines.key(flow.step(sid), "section") if flow.has_step(sid) else None
            out.append(
                problem(
                    flow,
                    "«section» er tom. Gi delen et navn, eller ta bort nøkkelen.",
                    line,
                    sid,
                )
            )
    runs: dict[str, list[Step]] = {}
    previous: str | None = None
    members: dict[str, list[Step]] = {}
    for step in flow.steps:
        members.setdefault(step.section, []).append(step)
        if step.section != previous:
            if step.section in runs and step.section:
                first = runs[step.section][0]
                out.append(
                    problem(
                        flow,
                        f"Delen «{step.section}» står to steder i flyten (også fra linje "
                        f"{first.line}). Fremdriftslinjen og dokumentene deler den i to; "
                        "flytt stegene sammen.",
                        step.line,
                        step.id,
                        warning=True,
                    )
                )
            runs.setdefault(step.section, []).append(step)
        previous = step.section
    for name, steps in members.items():
        if name and all(s.id in unreachable for s in steps):
            out.append(
                problem(
                    flow,
                    f"Delen «{name}» er tom: ingen av stegene i den kan noen gang stilles.",
                    steps[0].line,
                    steps[0].id,
                )
            )
    return out


# ------------------------------------------------------------------------------------------
# Conditions: values that are no choice, steps that can never be asked


def _blank(step: Step) -> object:
    return [] if step.type == "multiselect" else None


def _domain(step: Step, unreachable: set[str]) -> list[object] | None:
    """Every value a condition can see for the step, or None when there are too many."""
    if step.id in unreachable:
        return [_blank(step)]
    if step.type == "select":
        return [c.value for c in step.choices] + [None]
    if step.type == "confirm":
        return [True, False, None]
    if step.type == "info":
        return [True, None]
    if step.type == "multiselect" and len(step.choices) <= MAX_MULTI_CHOICES:
        values = [c.value for c in step.choices]
        return [
            list(combo)
            for r in range(len(values) + 1)
            for combo in itertools.combinations(values, r)
        ]
    return None


def can_be_true(flow: Flow, source: str, unreachable: set[str]) -> bool | None:
    """Whether a condition holds for some answers; None when that cannot be decided here."""
    from .expr import compile_condition, environment, names_in

    try:
        names = names_in(source, expression=True) - set(environment().globals)
        condition = compile_condition(source)
    except Exception:
        return None  # the loader reports syntax errors
    domains: list[list[object]] = []
    size = 1
    for name in sorted(names):
        if not flow.has_step(name):
            return None
        domain = _domain(flow.step(name), unreachable)
        if domain is None:
            return None
        size *= len(domain)
        if size > MAX_CASES:
            return None
        domains.append(domain)
    ordered = sorted(names)
    for values in itertools.product(*domains):
        try:
            if condition(**dict(zip(ordered, values, strict=True))):
                return True
        except Exception:
            return None
    return False


def _comparisons(source: str) -> Iterator[tuple[str, str, list[str]]]:
    """(step id, operator, literal strings) for each `id == 'v'`, `'v' in id`, `id in [...]`."""
    from jinja2 import nodes

    from .expr import environment

    try:
        tree = environment().parse("{{ " + source + " }}")
    except Exception:
        return
    for cmp in tree.find_all(nodes.Compare):
        left = cmp.expr
        for op in cmp.ops:
            right = op.expr
            for a, b, op_name in ((left, right, op.op), (right, left, "r" + op.op)):
                if isinstance(a, nodes.Name):
                    literals = _literals(b)
                    if literals is not None:
                        yield a.name, op_name, literals
            left = right


def _literals(node: nodes.Node) -> list[str] | None:
    from jinja2 import nodes

    if isinstance(node, nodes.Const) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, nodes.List | nodes.Tuple):
        items = [i.value for i in node.items if isinstance(i, nodes.Const)]
        if len(items) == len(node.items) and all(isinstance(i, str) for i in items):
            return items
    return None


_LITERAL = re.compile(r"'([^'\\]*)'|\"([^\"\\]*)\"")


def _may_hold_foreign(flow: Flow, source: str) -> bool:
    """Cheap test before parsing: some text literal is no choice of any select or
    multiselect step the condition names. (Parsing every condition costs more than the rest
    of the checks together.)"""
    from .expr import names_in

    if "\\" in source:
        return True  # escapes in a literal: let the parser read it
    literals = [a or b for a, b in _LITERAL.findall(source)]
    if not literals:
        return False
    try:
        names = names_in(source, expression=True)
    except Exception:
        return False
    values = {c.value for name in names if flow.has_step(name) for c in flow.step(name).choices}
    return any(lit not in values for lit in literals)


def _foreign_values(flow: Flow, source: str) -> list[tuple[str, str]]:
    """(step id, value) where a condition compares a select or multiselect with a non-choice."""
    out: list[tuple[str, str]] = []
    if not _may_hold_foreign(flow, source):
        return out
    for name, op, literals in _comparisons(source):
        if not flow.has_step(name):
            continue
        step = flow.step(name)
        if step.type not in ("select", "multiselect"):
            continue
        relevant = (
            op in ("eq", "ne", "req", "rne", "in", "notin")
            if step.type == "select"
            else op in ("rin", "rnotin")
        )
        if not relevant:
            continue
        for value in literals:
            if step.choice(value) is None:
                out.append((name, value))
    return out


def check_reachability(flow: Flow, lines: Lines) -> tuple[set[str], list[Problem]]:
    """Steps, actions and documents whose condition can never hold."""
    out: list[Problem] = []
    unreachable: set[str] = set()

    def foreign(source: str, key: str, line: int | None, sid: str | None) -> None:
        for name, value in _foreign_values(flow, source):
            choices = ", ".join(c.value for c in flow.step(name).choices)
            out.append(
                problem(
                    flow,
                    f"«{key}» sammenligner steget «{name}» med «{value}», som ikke er et av "
                    f"valgene ({choices}).",
                    line,
                    sid,
                )
            )

    for step in flow.steps:
        for action in step.actions:
            if action.condition:
                line = lines.key(step, "if")
                foreign(action.condition, "if", line, step.id)
        if not step.when:
            continue
        line = lines.key(step, "when")
        foreign(step.when, "when", line, step.id)
        if can_be_true(flow, step.when, unreachable) is False:
            unreachable.add(step.id)
            out.append(
                problem(
                    flow,
                    f"Steget kan aldri stilles: betingelsen «{step.when}» er aldri sann med "
                    "valgene i stegene den bruker.",
                    line,
                    step.id,
                )
            )
    for step in flow.steps:
        if step.id in unreachable:
            continue
        for action in step.actions:
            if action.condition and can_be_true(flow, action.condition, unreachable) is False:
                out.append(
                    problem(
                        flow,
                        f"Neste steg «{action.what}» kommer aldri med: betingelsen "
                        f"«{action.condition}» er aldri sann.",
                        lines.key(step, "if"),
                        step.id,
                    )
                )
    for doc in flow.documents:
        if not doc.when:
            continue
        line = lines.document(doc)
        foreign(doc.when, "when", line, None)
        if can_be_true(flow, doc.when, unreachable) is False:
            out.append(
                problem(
                    flow,
                    f"Dokumentet «{doc.name}» lages aldri: betingelsen «{doc.when}» er aldri sann.",
                    line,
                )
            )
    return unreachable, out
