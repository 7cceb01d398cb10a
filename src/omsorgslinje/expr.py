"""The one expression language: a sandboxed Jinja environment.

`when` conditions, action texts and document templates all use it, so a routine owner learns
one syntax. Undefined names are errors (StrictUndefined), never empty text.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

from .conditions import Missing
from .conditions import evaluate as evaluate_tree
from .conditions import render as render_tree

if TYPE_CHECKING:
    from jinja2.sandbox import SandboxedEnvironment

    from .conditions import Tree


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


def table_cell(value: object) -> str:
    """Text for one cell of a Markdown table: on one line, with `|` escaped."""
    text = "" if value is None else str(value)
    return text.replace("\r\n", " ").replace("\n", " ").replace("|", "\\|")


def address_fields(value: object) -> dict[str, str]:
    """An address as one line («Storgata 1, 2609 Lillehammer») in a form's fields:
    adresselinje1, postnummer, poststed. What does not end in a four-digit postcode and a place
    stays whole in adresselinje1; nothing is guessed."""
    import re

    text = " ".join(("" if value is None else str(value)).split())
    m = re.fullmatch(r"(.+?),?\s+(\d{4})\s+(\D.*)", text)
    if m is None:
        return {"adresselinje1": text} if text else {}
    return {"adresselinje1": m.group(1), "postnummer": m.group(2), "poststed": m.group(3)}


@cache
def environment() -> SandboxedEnvironment:
    from jinja2 import StrictUndefined

    from .sandbox import BoundedSandbox

    env = BoundedSandbox(
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["dato"] = format_date
    # tojson keeps the template's order (a form's records follow the form) and the letters æøå
    env.policies["json.dumps_kwargs"] = {"sort_keys": False, "ensure_ascii": False}
    env.filters["ja_nei"] = yes_no
    env.filters["celle"] = table_cell
    env.filters["adresse"] = address_fields
    from .contacts import Contacts

    env.globals["kommune"] = Contacts()  # no profile until kommune.activate chooses one
    env.globals.update(_INSTALLED)
    return env


# globals installed before the environment was made: it takes them when it is (Jinja is then
# not loaded before the first question just to hold the profile)
_INSTALLED: dict[str, object] = {}


def install_globals(values: Mapping[str, object]) -> None:
    """Names every expression and template sees from now on (the municipality profile:
    kommune.activate). Compiled texts and templates look globals up when they run."""
    _INSTALLED.update(values)
    if environment.cache_info().currsize:
        environment().globals.update(values)


# source -> tree (conditions.py) of every expression seen: made when Jinja compiles one, or
# handed over by the shell from the checked-flow cache (learn_trees). None: not kept as data.
_TREES: dict[str, Tree | None] = {}


@cache
def _expression(source: str) -> tuple[Callable[..., Any], tuple[str, ...]]:
    """An expression compiled (once per process) and the names it uses. Raises
    jinja2.TemplateSyntaxError."""
    from jinja2 import TemplateSyntaxError, nodes
    from jinja2.environment import TemplateExpression
    from jinja2.parser import Parser

    from .conditions import from_jinja

    env = environment()
    parser = Parser(env, source, state="variable")
    expr = parser.parse_expression()
    if not parser.stream.eos:
        raise TemplateSyntaxError(
            f"Mer tekst etter uttrykket: «{parser.stream.current.value}» "
            "(mangler en operator, som and, or eller ==?).",
            parser.stream.current.lineno,
        )
    expr.set_environment(env)
    # find_all yields the descendants only: a bare name (`when = "akutt"`) is the root
    found = [expr, *expr.find_all(nodes.Name)]
    names = tuple(sorted({n.name for n in found if isinstance(n, nodes.Name) and n.ctx == "load"}))
    _TREES.setdefault(source, from_jinja(expr))
    body = [nodes.Assign(nodes.Name("result", "store"), expr, lineno=1)]
    python = env.compile(nodes.Template(body, lineno=1), raw=True)
    code = compile(python, "<betingelse>", "exec")
    template = env.template_class.from_code(env, code, env.make_globals(None))
    return TemplateExpression(template, undefined_to_none=False), names


def compile_condition(source: str) -> Callable[..., Any]:
    """Compile a `when`/`if` expression once; raises jinja2.TemplateSyntaxError."""
    return _expression(source)[0]


def tree_of(source: str) -> Tree | None:
    """The expression as data (conditions.py), None when it is not kept as data; raises
    jinja2.TemplateSyntaxError."""
    if source not in _TREES:
        _expression(source)
    return _TREES.get(source)


def learn_trees(trees: Mapping[str, Tree]) -> None:
    """Trees of expressions parsed in an earlier run (the checked-flow cache, which keeps only
    what `tree_of` gave): evaluating them needs no Jinja."""
    for source, tree in trees.items():
        _TREES.setdefault(source, tree)


def evaluate(source: str, context: Mapping[str, object]) -> bool:
    """Whether the expression holds: as data where it can be (no Jinja, no compiling), through
    Jinja where it cannot or where a name is not in the context (Jinja then says why)."""
    tree = _TREES.get(source)
    if tree is not None:
        try:
            return bool(evaluate_tree(tree, context))
        except Missing:
            pass
    return bool(compile_condition(source)(**context))


# source -> tree of every short text seen with `{`, as _TREES for expressions
_TEXT_TREES: dict[str, Tree | None] = {}


@cache
def _compile_text(source: str) -> Any:
    from .conditions import text_from_jinja

    env = environment()
    parsed = env.parse(source)
    _TEXT_TREES.setdefault(source, text_from_jinja(parsed))
    return env.from_string(parsed)


def text_tree_of(source: str) -> Tree | None:
    """A short text as data (conditions.py), None when it is not kept as data; raises
    jinja2.TemplateSyntaxError."""
    if source not in _TEXT_TREES:
        from .conditions import text_from_jinja

        _TEXT_TREES[source] = text_from_jinja(environment().parse(source))
    return _TEXT_TREES[source]


def learn_text_trees(trees: Mapping[str, Tree]) -> None:
    """Trees of texts parsed in an earlier run (the checked-flow cache)."""
    for source, tree in trees.items():
        _TEXT_TREES.setdefault(source, tree)


def render_text(source: str, context: Mapping[str, object]) -> str:
    """Render a short text (an action, a default) that may hold `{{ ... }}`: as data where it
    can be, through Jinja where it cannot or where a name is not in the context."""
    if "{" not in source:
        return source
    tree = _TEXT_TREES.get(source)
    if tree is not None:
        try:
            return render_tree(tree, context)
        except Missing:
            pass
    return str(_compile_text(source).render(**context))


def names_in(source: str, *, expression: bool) -> set[str]:
    """The free variables of an expression or a template (for load-time checks)."""
    if expression:
        return set(_expression(source)[1])
    from jinja2 import meta

    return set(meta.find_undeclared_variables(environment().parse(source)))


_TOKENS = {
    "end of print statement": "slutten av {{ … }}",
    "end of statement block": "slutten av {% … %}",
    "end of template": "slutten av teksten",
    "name": "et navn",
    "end of comment": "slutten av {# … #}",
}


def _alternatives(tags: str) -> str:
    """Jinja's "'elif' or 'else' or 'endif'" as «elif», «else» eller «endif»."""
    names = [f"«{t.strip().strip(chr(39))}»" for t in tags.split(" or ")]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " eller " + names[-1]


def _token(name: str) -> str:
    return _TOKENS.get(name, f"«{name}»")


def syntax_message(message: str | None) -> str:
    """Jinja's syntax error in Norwegian, for the messages a routine owner meets; others are
    kept as Jinja wrote them, after a Norwegian lead."""
    import re

    text = (message or "").strip()
    rules: list[tuple[str, Callable[[re.Match[str]], str]]] = [
        (
            r"Unexpected end of template\. Jinja was looking for the following tags: (.+)\. "
            r"The innermost block that needs to be closed is '(\w+)'\.",
            lambda m: (
                f"Teksten slutter før blokken «{m.group(2)}» er lukket "
                f"(ventet {_alternatives(m.group(1))})."
            ),
        ),
        (
            r"Encountered unknown tag '(\w+)'\. Jinja was looking for the following tags: (.+)\. "
            r"The innermost block that needs to be closed is '(\w+)'\.",
            lambda m: (
                f"Uventet «{m.group(1)}»: blokken «{m.group(3)}» er ikke lukket "
                f"(ventet {_alternatives(m.group(2))})."
            ),
        ),
        (r"Encountered unknown tag '(\w+)'\.?", lambda m: f"Ukjent kode «{{% {m.group(1)} %}}»."),
        (
            r"unexpected end of template, expected '(.+)'\.?",
            lambda m: f"Teksten slutter for tidlig: ventet {_token(m.group(1))}.",
        ),
        (
            r"expected token '(.+)', got '(.+)'",
            lambda m: f"Ventet {_token(m.group(1))}, men fant {_token(m.group(2))}.",
        ),
        (
            r"Expected an expression, got '(.+)'",
            lambda m: f"Ventet et uttrykk, men fant {_token(m.group(1))}.",
        ),
        (
            r"unexpected char [\"']?(.)[\"']? at (\d+)",
            lambda m: f"Uventet tegn {m.group(1)} (et anførselstegn som ikke er lukket?).",
        ),
        (r"(Mer tekst etter uttrykket.*)", lambda m: m.group(1)),
        (r"No filter named '(.+)'\.?", lambda m: f"Ukjent filter «{m.group(1)}»."),
        (r"No test named '(.+)'(?: found)?\.?", lambda m: f"Ukjent test «{m.group(1)}»."),
        (
            r"access to attribute '(.+)' of '(.+)' object is unsafe\.?",
            lambda m: f"«{m.group(1)}» er ikke tillatt i maler (de kjører i en sandkasse).",
        ),
        (r"block '(.+)' defined twice", lambda m: f"Blokken «{m.group(1)}» er definert to ganger."),
        (r"unexpected '(.+)'", lambda m: f"Uventet {_token(m.group(1))}."),
    ]
    for pattern, say in rules:
        m = re.fullmatch(pattern, text)
        if m:
            return say(m)
    return f"Jinja melder: {text}"
