"""Reading the fields of a flow's tables: typed values, unknown keys, Jinja and names.

The allowed keys of each table come from `flow_schema.json`, the format's single source. A
`Reader` collects every problem with file, line and step id; `check_expression`,
`check_text` and `check_names` check the Jinja in conditions and texts.
"""

from __future__ import annotations

import re
from collections.abc import Container, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

from .errors import Problem
from .fastclass import dataclass
from .toml_text import LineIndex

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


class Reader:
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


def check_expression(r: Reader, source: str, key: str, n: int | None, step: str | None) -> bool:
    from jinja2 import TemplateSyntaxError

    from .expr import compile_condition, syntax_message
    from .sandbox import TimeLimit, time_limit

    try:
        with time_limit(COMPILE_SECONDS):  # one bad file never hangs loading or `flyt liste`
            compile_condition(source)
    except TemplateSyntaxError as exc:
        r.problem(
            f"Ugyldig Jinja-uttrykk i «{key}»: {syntax_message(exc.message)}", r.line(key, n), step
        )
        return False
    except (TimeLimit, RecursionError, MemoryError):
        r.problem(
            f"Jinja-uttrykket i «{key}» er for stort eller for dypt til å tolkes "
            f"(stoppet etter {COMPILE_SECONDS:g} sekunder eller for mange nivåer).",
            r.line(key, n),
            step,
        )
        return False
    return True


COMPILE_SECONDS = 5.0


@lru_cache(maxsize=8192)
def parse_text(source: str) -> Any:
    """The Jinja syntax tree of a short text (a prompt, an action); raises
    TemplateSyntaxError. Kept, so `flyt sjekk` need not parse the text again."""
    from .expr import environment

    return environment().parse(source)


def check_text(r: Reader, source: str, key: str, n: int | None, step: str | None) -> None:
    if "{" not in source:
        return
    from jinja2 import TemplateSyntaxError

    from .expr import syntax_message

    try:
        parse_text(source)
    except TemplateSyntaxError as exc:
        r.problem(f"Ugyldig Jinja i «{key}»: {syntax_message(exc.message)}", r.line(key, n), step)


@dataclass(frozen=True)
class Plus:
    """A set and one more name, without copying the set (loading stays linear)."""

    names: Container[str]
    extra: str | None

    def __contains__(self, name: object) -> bool:
        return name == self.extra or name in self.names


def check_names(
    r: Reader,
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
    except Exception:  # syntax errors are reported by check_expression
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
