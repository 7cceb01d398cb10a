"""Flow files (TOML) to the model. Every problem is collected with file, line and step id.

`read_flow` returns the flow and the problems found; `load_flow` raises FlowError when any
problem is an error. Checks here are the ones every run needs; `check.py` adds the deeper
ones of `omsorgslinje flyt sjekk`. Reading the file is in `toml_text.py`, reading the fields
of its tables in `loader_fields.py`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, cast

from .errors import FlowError, Problem
from .loader_fields import (
    ACTION_KEYS,
    CHOICE_KEYS,
    DOCUMENT_KEYS,
    FLOW_KEYS,
    ID_PATTERN,
    STEP_KEYS,
    TOP_KEYS,
    VALIDATION_KEYS,
    Plus,
    Reader,
    check_expression,
    check_names,
    check_text,
)
from .loader_names import check_renames, read_glossary, read_renames
from .model import (
    GLOBAL_NAMES,
    STEP_TYPES,
    TEMPLATE_NAMES,
    Action,
    Choice,
    Document,
    Flow,
    Step,
    StepType,
    Validation,
    safe_filename,
)
from .toml_text import read_toml


def _documents(r: Reader, flow_table: Mapping[str, Any]) -> tuple[Document, ...]:
    raw = flow_table.get("documents")
    if raw is None:
        r.problem("Flyten har ingen dokumenter ([flow.documents]).", r.idx.key_line("flow"))
        return ()
    if not isinstance(raw, dict):
        r.problem("«documents» må være en tabell.", r.idx.key_line("documents"))
        return ()
    if not raw:
        r.problem(
            "Flyten har ingen dokumenter: [flow.documents] er tom. "
            "Skriv minst ett, for eksempel [flow.documents.notat] med template.",
            r.idx.key_line("documents"),
        )
        return ()
    docs: list[Document] = []
    for name, spec in raw.items():
        if isinstance(spec, str):
            spec = {"template": spec}
        r.span = r.idx.table_span(f"flow.documents.{name}")
        if not isinstance(spec, dict):
            r.problem(f"Dokumentet «{name}» må være en tabell.", r.idx.key_line(name))
            continue
        if not ID_PATTERN.match(name):
            r.problem(
                f"Dokumentnavnet «{name}» må bestå av små bokstaver a–z, tall og _.",
                r.idx.key_line(name),
            )
        r.unknown_keys(spec, DOCUMENT_KEYS, f"dokumentet «{name}»", None, None)
        template = r.string(spec, "template", f"dokumentet «{name}»", None, None, required=True)
        when = spec.get("when")
        if when is not None and not isinstance(when, str):
            r.problem("«when» må være tekst.", r.line("when", None))
            when = None
        if when:
            check_expression(r, when, "when", None, None)
        filename = r.string(spec, "filename", "", None, None, default="")
        if filename and not safe_filename(filename):
            r.problem(
                f"«filename» for dokumentet «{name}» må være et filnavn uten mappe: ikke «/», "
                "«\\» eller «:», ikke «..», og ikke skjult (begynne med punktum).",
                r.line("filename", None),
            )
            filename = ""
        docs.append(
            Document(
                name=name,
                template=template,
                title=r.string(spec, "title", "", None, None, default=name),
                primary=r.boolean(spec, "primary", None, None, False),
                when=when,
                filename=filename,
            )
        )
    r.span = None
    primaries = [d.name for d in docs if d.primary]
    if len(primaries) > 1:
        r.problem(f"Bare ett dokument kan være primært, men {', '.join(primaries)} er det.")
    if docs and not primaries:
        first = docs[0]
        docs[0] = Document(
            first.name, first.template, first.title, True, first.when, first.filename
        )
    return tuple(docs)


def _step(
    r: Reader, n: int, raw: Mapping[str, Any], earlier: set[str], all_ids: set[str]
) -> Step | None:
    line = r.idx.step_line(n)
    sid_raw = raw.get("id")
    sid = sid_raw if isinstance(sid_raw, str) else None
    where = f"steg nr. {n + 1}" if sid is None else f"steget «{sid}»"
    if sid is None:
        r.problem(f"Mangler «id» i {where}.", line)
    elif not ID_PATTERN.match(sid):
        r.problem(
            "Steg-id må begynne med en liten bokstav og bestå av a–z, tall og _ "
            "(den brukes i betingelser og maler).",
            line,
            sid,
        )
    elif sid in earlier:
        r.problem("Steg-id-en er brukt før i flyten. Hver id må være unik.", line, sid)
    elif sid in TEMPLATE_NAMES or sid in GLOBAL_NAMES:
        r.problem(
            f"Steg-id-en «{sid}» er reservert: malene bruker navnet til noe annet. "
            f"Reserverte navn: {', '.join(TEMPLATE_NAMES + GLOBAL_NAMES)}.",
            line,
            sid,
        )
    r.unknown_keys(raw, STEP_KEYS, where, n, sid)
    stype = r.string(raw, "type", where, n, sid, required=True)
    if stype and stype not in STEP_TYPES:
        r.problem(
            f"Ukjent stegtype «{stype}». Tillatte typer: {', '.join(STEP_TYPES)}.",
            r.idx.key_line("type", n),
            sid,
        )
    prompt = r.string(raw, "prompt", where, n, sid, required=True)
    when = raw.get("when")
    if when is not None and not isinstance(when, str):
        r.problem("«when» må være tekst.", r.idx.key_line("when", n), sid)
        when = None
    if when and check_expression(r, when, "when", n, sid):
        # every id not earlier is later (or the step itself): no set built per step
        check_names(r, when, "when", n, sid, earlier, all_ids)
    for key in ("prompt", "help"):
        if isinstance(raw.get(key), str):
            check_text(r, raw[key], key, n, sid)

    choices: list[Choice] = []
    for c in r.tables(raw, "choices", n, sid or ""):
        r.unknown_keys(c, CHOICE_KEYS, f"et valg i {where}", n, sid)
        value = c.get("value")
        if not isinstance(value, str) or not value:
            r.problem("Hvert valg må ha en «value» (tekst).", r.idx.key_line("choices", n), sid)
            continue
        choices.append(
            Choice(
                value=value,
                label=r.string(c, "label", "", n, sid, default=value),
                help=r.string(c, "help", "", n, sid),
                exclusive=r.boolean(c, "exclusive", n, sid, False),
            )
        )
    if stype != "multiselect" and any(c.exclusive for c in choices):
        r.problem("Bare valg i et multiselect-steg kan være «exclusive».", line, sid)
    if stype in ("select", "multiselect") and not choices:
        r.problem(f"Et steg av typen {stype} må ha valg («choices»).", line, sid)
    if choices and stype not in ("select", "multiselect"):
        r.problem(f"Bare select og multiselect kan ha valg, ikke {stype}.", line, sid)

    actions: list[Action] = []
    for a in r.tables(raw, "actions", n, sid or ""):
        r.unknown_keys(a, ACTION_KEYS, f"et neste steg i {where}", n, sid)
        what = r.string(a, "what", f"et neste steg i {where}", n, sid, required=True)
        cond = a.get("if")
        if cond is not None and not isinstance(cond, str):
            r.problem("«if» må være tekst.", r.idx.key_line("if", n), sid)
            cond = None
        if cond and check_expression(r, cond, "if", n, sid):
            check_names(r, cond, "if", n, sid, Plus(earlier, sid), all_ids)
        who = r.string(a, "who", "", n, sid)
        due = r.string(a, "when", "", n, sid)
        for key, text in (("what", what), ("who", who), ("when", due)):
            check_text(r, text, key, n, sid)
        actions.append(Action(what=what, who=who, when=due, condition=cond))

    validation = None
    vraw = raw.get("validation")
    if vraw is not None:
        if not isinstance(vraw, dict):
            r.problem("«validation» må være en tabell.", r.idx.key_line("validation", n), sid)
        else:
            r.unknown_keys(vraw, VALIDATION_KEYS, f"validation i {where}", n, sid)
            pattern = r.string(vraw, "pattern", "", n, sid) or None
            if pattern:
                try:
                    re.compile(pattern)
                except re.error as exc:
                    r.problem(
                        f"Ugyldig regulært uttrykk i «pattern»: {exc}",
                        r.idx.key_line("pattern", n),
                        sid,
                    )
                    pattern = None
            validation = Validation(
                pattern=pattern,
                min=r.number(vraw, "min", n, sid or ""),
                max=r.number(vraw, "max", n, sid or ""),
                message=r.string(vraw, "message", "", n, sid) or None,
            )

    previous_ids, previous_values = read_renames(r, raw, n, sid, choices)
    if sid is None or not stype or stype not in STEP_TYPES:
        return None
    default = raw.get("default")
    if isinstance(default, str) and "{{" in default:
        # a default worked out from earlier answers («{{ ... }}»): its syntax now, its value
        # when the step is asked (a value that does not fit is then no default)
        check_text(r, default, "default", n, sid)
    elif default is not None and stype in STEP_TYPES:
        from .errors import InvalidValue
        from .values import coerce

        probe = Step(id=sid, type=cast(StepType, stype), prompt=prompt, choices=tuple(choices))
        try:
            coerce(probe, default)
        except InvalidValue as exc:
            r.problem(f"Ugyldig «default»: {exc.message}", r.idx.key_line("default", n), sid)
            default = None
    if raw.get("identifying") is True and (stype == "info" or default is not None):
        what = "et info-steg tar ikke imot svar" if stype == "info" else "fjern «default»"
        r.problem(
            f"«identifying» gjelder svar brukeren gir, og står aldri i flytfilen: {what}.",
            r.idx.key_line("identifying", n),
            sid,
        )
    return Step(
        id=sid,
        type=cast(StepType, stype),
        prompt=prompt,
        help=r.string(raw, "help", where, n, sid),
        source=r.string(raw, "source", where, n, sid),
        when=when or None,
        required=r.boolean(raw, "required", n, sid, stype != "info"),
        default=default,
        choices=tuple(choices),
        validation=validation,
        section=r.string(raw, "section", where, n, sid),
        actions=tuple(actions),
        line=line,
        identifying=r.boolean(raw, "identifying", n, sid, False),
        level=r.string(raw, "level", where, n, sid) or "info",
        previous_ids=previous_ids,
        previous_values=previous_values,
    )


def _written(r: Reader, line: int | None) -> str | None:
    """The value of `key = value` on a line, as written in the file."""
    if line is None:
        return None
    m = re.match(r"^\s*[\w\"']+\s*=\s*([^#]*?)\s*(#.*)?$", r.idx.lines[line - 1])
    return m.group(1) if m else None


def build_flow(data: Mapping[str, Any], text: str, path: str) -> tuple[Flow | None, list[Problem]]:
    """Turn parsed TOML into a Flow, collecting every problem. No flow when any problem."""
    flow, problems = build_partial(data, text, path)
    return (None, problems) if problems else (flow, [])


def build_partial(data: Mapping[str, Any], text: str, path: str) -> tuple[Flow, list[Problem]]:
    """The flow as far as it could be read (steps that are broken or repeat an id are left
    out), and every problem. `flyt sjekk` runs its deeper checks on this."""
    r = Reader(path, text)
    for key in data:
        if key not in TOP_KEYS:
            r.problem(
                f"Ukjent nøkkel «{key}» øverst i filen. Tillatte: [flow] og [[steps]].",
                r.idx.key_line(key),
            )
    flow_table = data.get("flow")
    if not isinstance(flow_table, dict):
        r.problem("Mangler tabellen [flow] med id, title, version, source og documents.", 1)
        flow_table = {}
    r.span = r.idx.table_span("flow")
    r.unknown_keys(flow_table, FLOW_KEYS, "[flow]", None, None)
    fid = r.string(flow_table, "id", "[flow]", None, None, required=True)
    if fid and not ID_PATTERN.match(fid):
        r.problem("Flyt-id må bestå av små bokstaver a–z, tall og _.", r.line("id", None))
    title = r.string(flow_table, "title", "[flow]", None, None, required=True)
    version = flow_table.get("version", "")
    if isinstance(version, int | float) and not isinstance(version, bool):
        line = r.line("version", None)
        written = _written(r, line) or str(version)
        lost = f" (som tall blir {written} lest som {version})" if written != str(version) else ""
        r.problem(f'«version» må være tekst i anførselstegn: version = "{written}"{lost}.', line)
        version = ""
    elif not isinstance(version, str) or not version:
        r.problem(
            "Mangler «version» (tekst) i [flow].", r.line("version", None) or r.line("flow", None)
        )
        version = ""
    source = r.string(flow_table, "source", "[flow]", None, None, required=True)
    r.span = None
    documents = _documents(r, flow_table)

    raw_steps = data.get("steps", [])
    if not isinstance(raw_steps, list) or not all(isinstance(s, dict) for s in raw_steps):
        r.problem("«steps» må skrives som [[steps]]-tabeller.", r.idx.key_line("steps"))
        raw_steps = []
    if not raw_steps:
        r.problem("Flyten har ingen steg ([[steps]]).")
    all_ids = {s["id"] for s in raw_steps if isinstance(s.get("id"), str)}
    earlier: set[str] = set()
    numbered: list[tuple[int, Step]] = []  # the steps read, each with its number in the file
    kept: set[str] = set()
    for n, raw in enumerate(raw_steps):
        step = _step(r, n, raw, earlier, all_ids)
        sid = raw.get("id")
        if isinstance(sid, str):
            earlier.add(sid)
        if step is not None and step.id not in kept:
            numbered.append((n, step))
            kept.add(step.id)
    check_renames(r, numbered)
    for doc in documents:
        if doc.when:
            r.span = r.idx.table_span(f"flow.documents.{doc.name}")
            check_names(r, doc.when, "when", None, None, earlier, set())
    r.span = None
    if not any(not p.warning for p in r.problems):
        from .loader_schema import check_schema

        check_schema(r, data)
    flow = Flow(
        id=fid,
        title=title,
        version=version,
        source=source,
        steps=tuple(step for _, step in numbered),
        documents=documents,
        description=r.string(flow_table, "description", "", None, None),
        intro=r.string(flow_table, "intro", "", None, None),
        path=path,
        glossary=read_glossary(r, flow_table),
    )
    return flow, r.problems


def read_flow(path: Path) -> tuple[Flow | None, list[Problem]]:
    data, text, problems = read_toml(path)
    if data is None:
        return None, problems
    return build_flow(data, text, str(path))


def read_flow_partial(path: Path) -> tuple[Flow | None, list[Problem]]:
    """Like `read_flow`, but the flow as far as it could be read also when there are problems
    (None only when the file is not TOML)."""
    data, text, problems = read_toml(path)
    if data is None:
        return None, problems
    return build_partial(data, text, str(path))


def load_flow(path: Path) -> Flow:
    """A flow ready to run; FlowError with every problem when it has errors. Read and checked
    anew every time; the shell may keep the checked model between runs (flow_cache.py)."""
    flow, problems = read_flow(path)
    errors = [p for p in problems if not p.warning]
    if flow is None or errors:
        raise FlowError(errors or problems)
    return flow


def iter_problems(problems: Iterable[Problem]) -> list[str]:
    return [str(p) for p in problems]
