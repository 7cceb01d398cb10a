"""`omsorgslinje flyt sjekk`: every problem in a flow file, the loader's and deeper ones.

The loader finds what stops a run (syntax, unknown keys, ids, conditions naming unknown or
later steps). This module adds what a routine owner wants to know before a run goes wrong:
choices listed twice, steps that can never be asked, empty or split sections, action texts
and templates that use names no step defines, missing templates, steps without `source`.

Pure except for reading the flow and its template files. Linear in the number of steps: each
condition is decided by trying at most `MAX_CASES` combinations of the answers it names.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import Problem
from .loader import LineIndex, build_partial, read_toml
from .model import Document, Flow, Step

if TYPE_CHECKING:
    from jinja2 import Environment, nodes

MAX_CASES = 4096  # combinations of answers tried per condition
MAX_MULTI_CHOICES = 8  # a multiselect with more choices has too many subsets to try


def check_file(path: Path) -> list[Problem]:
    """Every problem in one flow file, in file order; warnings have `warning=True`."""
    data, text, problems = read_toml(path)
    if data is None:
        return problems
    flow, problems = build_partial(data, text, str(path))
    raw_steps = data.get("steps")
    raw = [s for s in raw_steps if isinstance(s, dict)] if isinstance(raw_steps, list) else []
    problems = problems + check_flow(flow, text, raw)
    if flow.id and flow.id != path.stem:
        problems.append(
            Problem(
                str(path),
                f"Flyt-id-en «{flow.id}» er ikke filnavnet ({path.name}): "
                f"`omsorgslinje start {flow.id}` finner ikke flyten. Kall filen {flow.id}.toml.",
                LineIndex.of(text).key_line("id", span=LineIndex.of(text).table_span("flow")),
                warning=True,
            )
        )
    return sorted(problems, key=lambda p: (p.file != str(path), p.file, p.line or 0))


def check_flow(
    flow: Flow, text: str = "", raw_steps: list[dict[str, Any]] | None = None
) -> list[Problem]:
    """The checks beyond the loader, on a flow read as far as possible."""
    lines = _Lines(flow, LineIndex.of(text))
    out: list[Problem] = []
    out += check_choices(flow, lines)
    out += check_sources(flow)
    unreachable, reach_problems = check_reachability(flow, lines)
    out += reach_problems
    out += check_sections(flow, lines, raw_steps or [], unreachable)
    out += check_texts(flow, lines)
    out += check_templates(flow)
    return out


# ------------------------------------------------------------------------------------------
# Where things are


@dataclass
class _Lines:
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


def _problem(
    flow: Flow, message: str, line: int | None, step: str | None = None, *, warning: bool = False
) -> Problem:
    return Problem(flow.path, message, line, step, warning)


# ------------------------------------------------------------------------------------------
# Choices, sources, sections


def check_choices(flow: Flow, lines: _Lines) -> list[Problem]:
    out = []
    for step in flow.steps:
        seen: dict[str, int] = {}
        for choice in step.choices:
            seen[choice.value] = seen.get(choice.value, 0) + 1
            if seen[choice.value] > 1:
                out.append(
                    _problem(
                        flow,
                        f"Valget «{choice.value}» står to ganger. Hver verdi må være unik i steget.",
                        lines.value(step, choice.value, seen[choice.value]),
                        step.id,
                    )
                )
    return out


def check_sources(flow: Flow) -> list[Problem]:
    return [
        _problem(
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
    flow: Flow, lines: _Lines, raw_steps: list[dict[str, Any]], unreachable: set[str]
) -> list[Problem]:
    out = []
    for raw in raw_steps:
        section = raw.get("section")
        if isinstance(section, str) and not section.strip() and isinstance(raw.get("id"), str):
            sid = raw["id"]
            line = lines.key(flow.step(sid), "section") if flow.has_step(sid) else None
            out.append(
                _problem(
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
                    _problem(
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
                _problem(
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


def check_reachability(flow: Flow, lines: _Lines) -> tuple[set[str], list[Problem]]:
    """Steps, actions and documents whose condition can never hold."""
    out: list[Problem] = []
    unreachable: set[str] = set()

    def foreign(source: str, key: str, line: int | None, sid: str | None) -> None:
        for name, value in _foreign_values(flow, source):
            choices = ", ".join(c.value for c in flow.step(name).choices)
            out.append(
                _problem(
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
                _problem(
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
                    _problem(
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
                _problem(
                    flow,
                    f"Dokumentet «{doc.name}» lages aldri: betingelsen «{doc.when}» er aldri sann.",
                    line,
                )
            )
    return unreachable, out


# ------------------------------------------------------------------------------------------
# Texts and templates: names no step defines


def _text_names(text: str) -> set[str]:
    """The names a short text reads: loaded names less the ones it sets itself. (Cheaper than
    jinja2.meta, which runs the code generator; short texts seldom set anything.)"""
    from jinja2 import nodes

    from .expr import environment
    from .loader import parse_text

    if "{" not in text:
        return set()
    try:
        tree = parse_text(text)
    except Exception:
        return set()  # the loader reports syntax errors
    loaded = {n.name for n in tree.find_all(nodes.Name) if n.ctx == "load"}
    own = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    return loaded - own - set(environment().globals)


def check_texts(flow: Flow, lines: _Lines) -> list[Problem]:
    """`{{ ... }}` in prompts, help and next-step texts may use only step ids; a prompt or
    help only earlier ones (it is shown before the later ones are answered)."""
    out = []
    seen: set[str] = set()
    ids = set(flow.index)
    for step in flow.steps:
        for key, text in (("prompt", step.prompt), ("help", step.help)):
            for name in sorted(_text_names(text)):
                if name in seen:
                    continue
                later = flow.has_step(name)
                out.append(
                    _problem(
                        flow,
                        f"«{key}» bruker «{name}», som "
                        + (
                            "ikke er besvart ennå når steget vises."
                            if later
                            else "ikke er et steg i flyten."
                        ),
                        lines.key(step, key),
                        step.id,
                        warning=later,
                    )
                )
        seen.add(step.id)
        for action in step.actions:
            for key, text in (("what", action.what), ("who", action.who), ("when", action.when)):
                for name in sorted(_text_names(text) - ids):
                    out.append(
                        _problem(
                            flow,
                            f"«{key}» i et neste steg bruker «{name}», som ikke er et steg i flyten.",
                            lines.key(step, key),
                            step.id,
                        )
                    )
    return out


@cache
def context_names() -> frozenset[str]:
    """The names every template sees besides the step ids (render.context, documented in
    docs/flows.md), found by building the context of a one-step flow."""
    from .expr import environment
    from .model import Document
    from .render import Case, context

    probe = Flow(
        id="probe",
        title="",
        version="",
        source="",
        steps=(Step(id="probe_step", type="text", prompt=""),),
        documents=(Document(name="d", template="d.md.j2", title=""),),
    )
    names = set(context(Case(probe, {}, _dt.date(2000, 1, 1)), "md")) - {"probe_step"}
    return frozenset(names | set(environment().globals))


def _template_names(doc: Document) -> list[str]:
    base = doc.template.removesuffix(".j2").removesuffix(".md")
    return [base + ".md.j2", base + ".txt.j2"]


def check_templates(flow: Flow) -> list[Problem]:
    """Each document's template (and the ones it includes): found, valid Jinja, known names."""
    from jinja2 import TemplateNotFound

    from .render import template_env

    env = template_env(flow)
    known = context_names() | set(flow.index)
    out: list[Problem] = []
    done: set[str] = set()
    for doc in flow.documents:
        if not doc.template:
            continue
        md_name, txt_name = _template_names(doc)
        try:
            _source(env, md_name)
        except TemplateNotFound:
            where = ", ".join(str(d) for d in _template_dirs(flow))
            out.append(
                _problem(
                    flow,
                    f"Fant ikke malen «{md_name}» for dokumentet «{doc.name}». Leter i: {where}.",
                    _doc_line(flow, doc),
                )
            )
            continue
        queue = [md_name]
        try:
            _source(env, txt_name)
            queue.append(txt_name)
        except TemplateNotFound:
            pass
        while queue:
            name = queue.pop(0)
            if name in done:
                continue
            done.add(name)
            out += _check_template(flow, env, name, known, queue)
    return out


def _template_dirs(flow: Flow) -> list[Path]:
    from .resources import template_dirs

    return template_dirs(flow.path)


def _doc_line(flow: Flow, doc: Document) -> int | None:
    if not flow.path:
        return None
    try:
        text = Path(flow.path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return _Lines(flow, LineIndex.of(text)).document(doc, "template")


def _source(env: Environment, name: str) -> tuple[str, str]:
    assert env.loader is not None
    source, filename, _ = env.loader.get_source(env, name)
    return source, filename or name


def _check_template(
    flow: Flow, env: Environment, name: str, known: Iterable[str], queue: list[str]
) -> list[Problem]:
    from jinja2 import TemplateNotFound, TemplateSyntaxError, meta, nodes

    try:
        source, filename = _source(env, name)
    except TemplateNotFound:
        return [_problem(flow, f"Fant ikke malen «{name}», som en annen mal bruker.", None)]
    except (OSError, UnicodeDecodeError) as exc:
        return [Problem(name, f"Kunne ikke lese malen: {type(exc).__name__}.")]
    from .expr import syntax_message

    try:
        tree = env.parse(source, name, filename)
        # compiling finds what parsing does not: an unknown filter, a block defined twice
        env.compile(tree, name, filename)
    except TemplateSyntaxError as exc:  # TemplateAssertionError too
        return [
            Problem(filename, f"Ugyldig Jinja i malen: {syntax_message(exc.message)}", exc.lineno)
        ]
    out: list[Problem] = [
        Problem(filename, f"Ukjent test «{test.name}» i malen.", test.lineno)
        for test in tree.find_all(nodes.Test)
        if test.name not in env.tests
    ]
    for ref in meta.find_referenced_templates(tree):
        if ref is not None:
            queue.append(ref)
    # meta counts a name set only inside an {% if %} as undeclared; a name the template
    # assigns anywhere is its own, not one the flow must define
    own = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    own |= {n.target for n in tree.find_all(nodes.Import)}
    for imp in tree.find_all(nodes.FromImport):
        own |= {name if isinstance(name, str) else name[1] for name in imp.names}
    unknown = set(meta.find_undeclared_variables(tree)) - set(known) - own
    first: dict[str, int] = {}
    for node in tree.find_all(nodes.Name):
        if node.name in unknown and node.ctx == "load":
            first.setdefault(node.name, node.lineno)
    for var in sorted(unknown, key=lambda v: (first.get(v, 0), v)):
        out.append(
            Problem(
                filename,
                f"Malen bruker «{var}», som verken er et steg i flyten «{flow.id}» eller et "
                "navn malen får (se docs/flows.md).",
                first.get(var),
            )
        )
    return out


def summary(problems: list[Problem], files: int) -> str:
    errors = sum(1 for p in problems if not p.warning)
    warnings = len(problems) - errors
    what = "flyt" if files == 1 else "flyter"
    if not problems:
        return f"Sjekket {files} {what}: ingen problemer."
    parts = []
    if errors:
        parts.append(f"{errors} feil")
    if warnings:
        parts.append(f"{warnings} {'advarsel' if warnings == 1 else 'advarsler'}")
    return f"Sjekket {files} {what}: {' og '.join(parts)}."


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(not p.warning for p in problems)


__all__ = ["check_file", "check_flow", "has_errors", "summary"]
