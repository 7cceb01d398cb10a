"""The one expression language: a sandboxed Jinja environment.

`when` conditions, action texts and document templates all use it, so a routine owner learns
one syntax. Undefined names are errors (StrictUndefined), never empty text.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jinja2.sandbox import SandboxedEnvironment

MONTHS = (
    "januar",
    "februar",
    "mars",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "desember",
)


def format_date(value: object, style: str = "kort") -> str:
    """A date in Norwegian: 22.11.2026, or `lang`: 22. november 2026."""
    if isinstance(value, str):
        try:
            parsed = _dt.date.fromisoformat(value)
        except ValueError:
            return value
        value = parsed
    if isinstance(value, _dt.date):
        if style == "lang":
            return f"{value.day}. {MONTHS[value.month - 1]} {value.year}"
        return value.strftime("%d.%m.%Y")
    return "" if value is None else str(value)


def yes_no(value: object) -> str:
    if value is None:
        return "ikke besvart"
    return "Ja" if value else "Nei"


@cache
def environment() -> SandboxedEnvironment:
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment(
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["dato"] = format_date
    env.filters["ja_nei"] = yes_no
    return env


@cache
def _expression(source: str) -> tuple[Callable[..., Any], tuple[str, ...]]:
    """Compile an expression (or take its code from the cache) and find the names it uses.

    Does what `Environment.compile_expression` does, keeping the compiled code so the next run
    need not parse, generate and compile again. Raises jinja2.TemplateSyntaxError.
    """
    from jinja2.environment import TemplateExpression

    from .cache import expressions

    env = environment()
    store = expressions()
    hit = store.get(source)
    if hit is None:
        from jinja2 import TemplateSyntaxError, nodes
        from jinja2.parser import Parser

        parser = Parser(env, source, state="variable")
        expr = parser.parse_expression()
        if not parser.stream.eos:
            raise TemplateSyntaxError(
                f"uventet «{parser.stream.current.value}» etter uttrykket",
                parser.stream.current.lineno,
            )
        expr.set_environment(env)
        # find_all yields the descendants only: a bare name (`when = "akutt"`) is the root
        found = [expr, *expr.find_all(nodes.Name)]
        names = tuple(
            sorted({n.name for n in found if isinstance(n, nodes.Name) and n.ctx == "load"})
        )
        body = [nodes.Assign(nodes.Name("result", "store"), expr, lineno=1)]
        python = env.compile(nodes.Template(body, lineno=1), raw=True)
        code = compile(python, "<betingelse>", "exec")
        store.put(source, code, names)
    else:
        code, names = hit
    template = env.template_class.from_code(env, code, env.make_globals(None))
    return TemplateExpression(template, undefined_to_none=False), names


def compile_condition(source: str) -> Callable[..., Any]:
    """Compile a `when`/`if` expression once; raises jinja2.TemplateSyntaxError."""
    return _expression(source)[0]


def evaluate(source: str, context: Mapping[str, object]) -> bool:
    return bool(compile_condition(source)(**context))


@cache
def _compile_text(source: str) -> Any:
    return environment().from_string(source)


def render_text(source: str, context: Mapping[str, object]) -> str:
    """Render a short text (an action, a default) that may hold `{{ ... }}`."""
    if "{" not in source:
        return source
    return str(_compile_text(source).render(**context))


def names_in(source: str, *, expression: bool) -> set[str]:
    """The free variables of an expression or a template (for load-time checks)."""
    if expression:
        return set(_expression(source)[1])
    from jinja2 import meta

    return set(meta.find_undeclared_variables(environment().parse(source)))
