"""`flyt sjekk`, texts and templates: `{{ ... }}` may use only names that a step defines.

Prompts, help and next-step texts may use only step ids (a prompt or help only earlier ones);
templates only step ids and the names the rendering gives them (`context_names`). Missing
templates, and templates that include missing ones, are reported too.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import Problem
from .model import Document, Flow, Step
from .toml_text import LineIndex

if TYPE_CHECKING:
    from jinja2 import Environment

    from .contacts import Profile

from .check_structure import Lines, problem


def _text_names(text: str) -> set[str]:
    """The names a short text reads: loaded names less the ones it sets itself. (Cheaper than
    jinja2.meta, which runs the code generator; short texts seldom set anything.)"""
    from jinja2 import nodes

    from .expr import environment
    from .loader_fields import parse_text

    if "{" not in text:
        return set()
    try:
        tree = parse_text(text)
    except Exception:
        return set()  # the loader reports syntax errors
    loaded = {n.name for n in tree.find_all(nodes.Name) if n.ctx == "load"}
    own = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    return loaded - own - set(environment().globals)


def _profile() -> Profile | None:
    """The municipality profile a run without --kommune would use: a flow may name its own
    contacts when that profile has them. A broken profile counts as none (`kommune sjekk`)."""
    from .kommune import ProfileError, select

    try:
        return select(None).profile
    except ProfileError:
        return None


def _contact_message(key: str, profile: Profile | None) -> str:
    from .contacts import all_keys

    return (
        f"Ukjent kontakt «{key}»: verken kommuneprofilen eller listen over kjente kontakter har "
        f"den. Kjente: {', '.join(all_keys(profile))} (se docs/kommune.md)."
    )


def _text_contacts(text: str, profile: Profile | None) -> list[str]:
    """The unknown contact keys in `kommune.ring("x")` and its kin in a short text."""
    from .contacts import unknown_keys
    from .loader_fields import parse_text

    if "kommune" not in text:
        return []
    try:
        tree = parse_text(text)
    except Exception:
        return []  # the loader reports syntax errors
    return [key for key, _ in unknown_keys(tree, profile)]


def check_contacts(flow: Flow, lines: Lines) -> list[Problem]:
    """Every contact a text names (`kommune.ring("barnevernvakt")`) is a known one."""
    profile = _profile()
    out = []
    for step in flow.steps:
        texts = [("prompt", step.prompt), ("help", step.help)]
        for action in step.actions:
            texts += [("what", action.what), ("who", action.who), ("when", action.when)]
        for key, text in texts:
            for contact in _text_contacts(text, profile):
                out.append(
                    problem(flow, _contact_message(contact, profile), lines.key(step, key), step.id)
                )
    return out


def check_texts(flow: Flow, lines: Lines) -> list[Problem]:
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
                    problem(
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
                        problem(
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
    return [base + ".md.j2", base + ".txt.j2", base + ".json.j2"]


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
        md_name, *others = _template_names(doc)
        try:
            _source(env, md_name)
        except TemplateNotFound:
            where = ", ".join(str(d) for d in _template_dirs(flow))
            out.append(
                problem(
                    flow,
                    f"Fant ikke malen «{md_name}» for dokumentet «{doc.name}». Leter i: {where}.",
                    _doc_line(flow, doc),
                )
            )
            continue
        queue = [md_name]
        for other in others:  # the plain-text form and the record, when the owner wrote them
            try:
                _source(env, other)
                queue.append(other)
            except TemplateNotFound:
                pass
        while queue:
            name = queue.pop(0)
            if name in done:
                continue
            done.add(name)
            from .sandbox import TimeLimit, time_limit

            try:
                with time_limit(10.0):  # one bad template never hangs `flyt sjekk`
                    out += _check_template(flow, env, name, known, queue)
            except (TimeLimit, RecursionError, MemoryError):
                out.append(
                    problem(
                        flow,
                        f"Malen «{name}» er for stor eller har for mange nivåer inne i hverandre "
                        "til å tolkes.",
                        _doc_line(flow, doc),
                    )
                )
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
    return Lines(flow, LineIndex.of(text)).document(doc, "template")


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
        return [problem(flow, f"Fant ikke malen «{name}», som en annen mal bruker.", None)]
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
    from .contacts import unknown_keys

    profile = _profile()
    out += [
        Problem(filename, _contact_message(key, profile), line)
        for key, line in unknown_keys(tree, profile)
    ]
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
