"""Flow files (TOML) to the model. Every problem is collected with file, line and step id.

`read_flow` returns the flow and the problems found; `load_flow` raises FlowError when any
problem is an error. Checks here are the ones every run needs; `check.py` adds the deeper
ones of `omsorgslinje flyt sjekk`.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from .errors import FlowError, Problem

if TYPE_CHECKING:
    import tomllib
else:
    try:  # tomli's wheels are compiled (mypyc): about four times faster on a large flow
        import tomli as tomllib
    except ImportError:  # pragma: no cover - the standard library's pure-Python parser
        import tomllib

from .model import (
    STEP_TYPES,
    TEMPLATE_NAMES,
    Action,
    Choice,
    Document,
    Flow,
    Step,
    StepType,
    Validation,
)

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
SCHEMA_PATH = Path(__file__).with_name("flow_schema.json")


def _schema_keys() -> dict[str, set[str]]:
    """The allowed keys of each table, read from the JSON Schema: the format's single source."""
    import json

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    defs = schema["$defs"]
    keys = {name: set(defs[name]["properties"]) for name in defs if "properties" in defs[name]}
    keys["top"] = set(schema["properties"])
    return keys


_KEYS = _schema_keys()
FLOW_KEYS = _KEYS["flow"]
DOCUMENT_KEYS = _KEYS["document"]
STEP_KEYS = _KEYS["step"]
CHOICE_KEYS = _KEYS["choice"]
ACTION_KEYS = _KEYS["action"]
VALIDATION_KEYS = _KEYS["validation"]
TOP_KEYS = _KEYS["top"]
_LINE_COL = re.compile(r"\(at line (\d+), column (\d+)\)")
_STEPS_HEADER = re.compile(r"^\s*\[\[\s*steps\s*\]\]\s*(#.*)?$")
_ID_LINE = re.compile(r"""^\s*id\s*=\s*["']([^"']*)["']""")


@dataclass
class LineIndex:
    """Where things are in the file text: tomllib keeps no positions, so we find them."""

    lines: list[str]
    step_starts: list[int] = field(default_factory=list)  # 0-based line of each [[steps]]

    @classmethod
    def of(cls, text: str) -> LineIndex:
        lines = text.splitlines()
        starts = [i for i, line in enumerate(lines) if _STEPS_HEADER.match(line)]
        return cls(lines, starts)

    def step_range(self, n: int) -> tuple[int, int]:
        if n >= len(self.step_starts):
            return 0, len(self.lines)
        start = self.step_starts[n]
        end = self.step_starts[n + 1] if n + 1 < len(self.step_starts) else len(self.lines)
        return start, end

    def step_line(self, n: int) -> int | None:
        if n >= len(self.step_starts):
            return None
        start, end = self.step_range(n)
        for i in range(start, end):
            if _ID_LINE.match(self.lines[i]):
                return i + 1
        return start + 1

    def key_line(
        self, key: str, n: int | None = None, span: tuple[int, int] | None = None
    ) -> int | None:
        """The line of `key = ...` (or a [table] named key) in step n, in span, or anywhere.

        A key at the start of a line wins; otherwise a key inside an inline table
        (`{ value = "a", lable = "b" }`) on a line of the range.
        """
        if span is not None:
            start, end = span
        elif n is not None:
            start, end = self.step_range(n)
        else:
            start, end = 0, len(self.lines)
        k = re.escape(key)
        pat = re.compile(rf"^\s*(\[\[?\s*[\w.]*\b{k}\s*\]\]?|[\"']?{k}[\"']?\s*=)")
        for i in range(start, end):
            if pat.match(self.lines[i]):
                return i + 1
        inline = re.compile(rf"[{{,]\s*[\"']?{k}[\"']?\s*=")
        for i in range(start, end):
            if inline.search(self.lines[i]):
                return i + 1
        return None

    def table_span(self, dotted: str) -> tuple[int, int] | None:
        """The lines of a table `[dotted]` up to the next table header."""
        parts = [re.escape(p) for p in dotted.split(".")]
        head = re.compile(r"^\s*\[\s*" + r"\s*\.\s*".join(parts) + r"\s*\]\s*(#.*)?$")
        for i, line in enumerate(self.lines):
            if head.match(line):
                end = i + 1
                while end < len(self.lines) and not re.match(r"^\s*\[", self.lines[end]):
                    end += 1
                return i, end
        return None


_TOML_REASONS: tuple[tuple[str, str], ...] = (
    (r"Cannot declare (.+) twice", r"\1 er skrevet to ganger"),
    (
        r"Cannot mutate immutable namespace (.+)",
        r"\1 er allerede gitt som verdi og kan ikke utvides",
    ),
    (r"Cannot redefine namespace (.+)", r"tabellen \1 er allerede definert"),
    (r"Cannot overwrite a value", "en verdi er gitt to ganger"),
    (r"Duplicate inline table key (.+)", r"nøkkelen \1 står to ganger i samme {}-tabell"),
    (r"Escaped character is not a Unicode scalar value", "ugyldig \\u-tegn i teksten"),
    (r"Expected '=' after a key in a key/value pair", "mangler «=» etter nøkkelen"),
    (r"Expected ']' at the end of a table declaration", "mangler «]» i tabelloverskriften"),
    (r"Expected ']]' at the end of an array declaration", "mangler «]]» i overskriften"),
    (r"Expected (.+)", r"ventet \1"),
    (r"Found invalid character (.+)", r"ugyldig tegn \1"),
    (r"Illegal character (.+)", r"ulovlig tegn \1 i teksten"),
    (r"Invalid date or datetime", "ugyldig dato eller tidspunkt"),
    (r"Invalid hex value", "ugyldig heksadesimal verdi"),
    (r"Invalid initial character for a key part", "ugyldig tegn først i en nøkkel"),
    (r"Invalid statement", "ugyldig linje"),
    (r"Invalid value", "ugyldig verdi (tekst må stå i anførselstegn)"),
    (r"Unclosed array", "listen er ikke lukket med «]»"),
    (r"Unclosed inline table", "{}-tabellen er ikke lukket med «}»"),
    (r"Unescaped '\\' in a string", "«\\» i tekst må skrives «\\\\»"),
    (r"Unterminated string", "teksten mangler avsluttende anførselstegn"),
)
_AT_END = re.compile(r"\(at end of document\)")


def _toml_reason(reason: str) -> str:
    for pattern, norwegian in _TOML_REASONS:
        m = re.fullmatch(pattern, reason)
        if m:
            return m.expand(norwegian)
    return reason


def toml_syntax_problem(path: str, exc: ValueError, text: str = "") -> Problem:
    """A TOML syntax error with line and column. On Python 3.11 the error has no `lineno`,
    so they are read from the message («(at line 3, column 5)»)."""
    msg = str(exc)
    m = _LINE_COL.search(msg)
    line = int(m.group(1)) if m else None
    column = f", kolonne {m.group(2)}" if m else ""
    if m is None and _AT_END.search(msg):
        line = max(1, len(text.splitlines()))
        column = ", ved slutten av filen"
    reason = _AT_END.sub("", _LINE_COL.sub("", msg)).strip()
    return Problem(path, f"Ugyldig TOML{column}: {_toml_reason(reason)}.", line)


def read_toml(path: Path) -> tuple[dict[str, Any] | None, str, list[Problem]]:
    """Read a TOML file; problems instead of exceptions (missing file, encoding, syntax)."""
    name = str(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return None, "", [Problem(name, "Filen finnes ikke.")]
    except IsADirectoryError:
        return None, "", [Problem(name, "Dette er en mappe, ikke en fil.")]
    except PermissionError:
        return None, "", [Problem(name, "Mangler tilgang til å lese filen.")]
    except UnicodeDecodeError as exc:
        return None, "", [Problem(name, f"Filen er ikke gyldig UTF-8 (byte {exc.start}).")]
    except OSError as exc:
        return None, "", [Problem(name, f"Kunne ikke lese filen: {exc.strerror}.")]
    try:
        return tomllib.loads(text), text, []
    except tomllib.TOMLDecodeError as exc:  # tomli's and tomllib's are both ValueErrors
        return None, text, [toml_syntax_problem(name, exc, text)]


class _Reader:
    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.idx = LineIndex.of(text)
        self.problems: list[Problem] = []
        self.span: tuple[int, int] | None = None  # the document table being read, if any

    def line(self, key: str, n: int | None) -> int | None:
        return self.idx.key_line(key, n, self.span if n is None else None)

    def problem(self, message: str, line: int | None = None, step: str | None = None) -> None:
        self.problems.append(Problem(self.path, message, line, step))

    def unknown_keys(
        self,
        table: Mapping[str, Any],
        allowed: set[str],
        where: str,
        n: int | None,
        step: str | None,
    ) -> None:
        for key in table:
            if key not in allowed:
                hint = ", ".join(sorted(allowed))
                self.problem(
                    f"Ukjent nøkkel «{key}» i {where}. Tillatte nøkler: {hint}.",
                    self.line(key, n),
                    step,
                )

    def string(
        self,
        table: Mapping[str, Any],
        key: str,
        where: str,
        n: int | None,
        step: str | None,
        *,
        required: bool = False,
        default: str = "",
    ) -> str:
        if key not in table:
            if required:
                if n is not None:
                    line = self.idx.step_line(n)
                elif self.span is not None:
                    line = self.span[0] + 1
                else:
                    line = self.idx.key_line("flow")
                self.problem(f"Mangler «{key}» i {where}.", line, step)
            return default
        value = table[key]
        if not isinstance(value, str):
            self.problem(f"«{key}» må være tekst.", self.line(key, n), step)
            return default
        return value

    def boolean(
        self, table: Mapping[str, Any], key: str, n: int | None, step: str | None, default: bool
    ) -> bool:
        value = table.get(key, default)
        if not isinstance(value, bool):
            self.problem(f"«{key}» må være true eller false.", self.line(key, n), step)
            return default
        return value

    def number(self, table: Mapping[str, Any], key: str, n: int, step: str) -> float | None:
        value = table.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problem(f"«{key}» må være et tall.", self.line(key, n), step)
            return None
        return float(value)

    def tables(
        self, table: Mapping[str, Any], key: str, n: int, step: str
    ) -> list[Mapping[str, Any]]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.problem(f"«{key}» må være en liste av tabeller.", self.line(key, n), step)
            return []
        return cast(list[Mapping[str, Any]], value)


def _check_expression(r: _Reader, source: str, key: str, n: int | None, step: str | None) -> bool:
    from jinja2 import TemplateSyntaxError

    from .expr import compile_condition, syntax_message

    try:
        compile_condition(source)
    except TemplateSyntaxError as exc:
        r.problem(
            f"Ugyldig Jinja-uttrykk i «{key}»: {syntax_message(exc.message)}", r.line(key, n), step
        )
        return False
    return True


@lru_cache(maxsize=8192)
def parse_text(source: str) -> Any:
    """The Jinja syntax tree of a short text (a prompt, an action); raises
    TemplateSyntaxError. Kept, so `flyt sjekk` need not parse the text again."""
    from .expr import environment

    return environment().parse(source)


def _check_text(r: _Reader, source: str, key: str, n: int | None, step: str | None) -> None:
    if "{" not in source:
        return
    from jinja2 import TemplateSyntaxError

    from .expr import syntax_message

    try:
        parse_text(source)
    except TemplateSyntaxError as exc:
        r.problem(f"Ugyldig Jinja i «{key}»: {syntax_message(exc.message)}", r.line(key, n), step)


@dataclass(frozen=True)
class _Plus:
    """A set and one more name, without copying the set (loading stays linear)."""

    names: Container[str]
    extra: str | None

    def __contains__(self, name: object) -> bool:
        return name == self.extra or name in self.names


def check_names(
    r: _Reader,
    source: str,
    key: str,
    n: int | None,
    step: str | None,
    earlier: Container[str],
    later: Container[str],
    *,
    expression: bool = True,
) -> None:
    """A condition may name only steps that come before it. A name that is not in `earlier`
    is reported as a later step when it is in `later`, else as unknown."""
    from .expr import environment, names_in

    try:
        names = names_in(source, expression=expression)
    except Exception:  # syntax errors are reported by _check_expression
        return
    names -= set(environment().globals)
    for name in sorted(names):
        if name in earlier:
            continue
        line = r.line(key, n)
        if name in later:
            r.problem(
                f"«{key}» viser til steget «{name}», som kommer senere i flyten. "
                "En betingelse kan bare bruke svar på tidligere steg.",
                line,
                step,
            )
        else:
            r.problem(f"«{key}» viser til «{name}», som ikke er et steg i flyten.", line, step)


def _documents(r: _Reader, flow_table: Mapping[str, Any]) -> tuple[Document, ...]:
    raw = flow_table.get("documents")
    if raw is None:
        r.problem("Flyten har ingen dokumenter ([flow.documents]).", r.idx.key_line("flow"))
        return ()
    if not isinstance(raw, dict):
        r.problem("«documents» må være en tabell.", r.idx.key_line("documents"))
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
            _check_expression(r, when, "when", None, None)
        docs.append(
            Document(
                name=name,
                template=template,
                title=r.string(spec, "title", "", None, None, default=name),
                primary=r.boolean(spec, "primary", None, None, False),
                when=when,
                filename=r.string(spec, "filename", "", None, None, default=""),
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
    r: _Reader, n: int, raw: Mapping[str, Any], earlier: set[str], all_ids: set[str]
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
    elif sid in TEMPLATE_NAMES:
        r.problem(
            f"Steg-id-en «{sid}» er reservert: malene bruker navnet til noe annet. "
            f"Reserverte navn: {', '.join(TEMPLATE_NAMES)}.",
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
    if when and _check_expression(r, when, "when", n, sid):
        # every id not earlier is later (or the step itself): no set built per step
        check_names(r, when, "when", n, sid, earlier, all_ids)
    for key in ("prompt", "help"):
        if isinstance(raw.get(key), str):
            _check_text(r, raw[key], key, n, sid)

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
            )
        )
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
        if cond and _check_expression(r, cond, "if", n, sid):
            check_names(r, cond, "if", n, sid, _Plus(earlier, sid), all_ids)
        who = r.string(a, "who", "", n, sid)
        due = r.string(a, "when", "", n, sid)
        for key, text in (("what", what), ("who", who), ("when", due)):
            _check_text(r, text, key, n, sid)
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

    if sid is None or not stype or stype not in STEP_TYPES:
        return None
    default = raw.get("default")
    if default is not None and stype in STEP_TYPES:
        from .errors import InvalidValue
        from .values import coerce

        probe = Step(id=sid, type=cast(StepType, stype), prompt=prompt, choices=tuple(choices))
        try:
            coerce(probe, default)
        except InvalidValue as exc:
            r.problem(f"Ugyldig «default»: {exc.message}", r.idx.key_line("default", n), sid)
            default = None
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
    )


def build_flow(data: Mapping[str, Any], text: str, path: str) -> tuple[Flow | None, list[Problem]]:
    """Turn parsed TOML into a Flow, collecting every problem. No flow when any problem."""
    flow, problems = build_partial(data, text, path)
    return (None, problems) if problems else (flow, [])


def build_partial(data: Mapping[str, Any], text: str, path: str) -> tuple[Flow, list[Problem]]:
    """The flow as far as it could be read (steps that are broken or repeat an id are left
    out), and every problem. `flyt sjekk` runs its deeper checks on this."""
    r = _Reader(path, text)
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
        version = str(version)
    if not isinstance(version, str) or not version:
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
    steps: list[Step] = []
    kept: set[str] = set()
    for n, raw in enumerate(raw_steps):
        step = _step(r, n, raw, earlier, all_ids)
        sid = raw.get("id")
        if isinstance(sid, str):
            earlier.add(sid)
        if step is not None and step.id not in kept:
            steps.append(step)
            kept.add(step.id)
    for doc in documents:
        if doc.when:
            r.span = r.idx.table_span(f"flow.documents.{doc.name}")
            check_names(r, doc.when, "when", None, None, earlier, set())
    r.span = None
    flow = Flow(
        id=fid,
        title=title,
        version=version,
        source=source,
        steps=tuple(steps),
        documents=documents,
        description=r.string(flow_table, "description", "", None, None),
        intro=r.string(flow_table, "intro", "", None, None),
        path=path,
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
    """A flow ready to run; FlowError with every problem when it has errors.

    A flow loaded cleanly before from the very same bytes comes from the cache (see cache.py).
    """
    from .cache import cached_flow, store_flow

    hit = cached_flow(path)
    if isinstance(hit, Flow):
        return hit
    flow, problems = read_flow(path)
    errors = [p for p in problems if not p.warning]
    if flow is None or errors:
        raise FlowError(errors or problems)
    store_flow(path, flow)
    return flow


def iter_problems(problems: Iterable[Problem]) -> list[str]:
    return [str(p) for p in problems]
