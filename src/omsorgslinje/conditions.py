"""Conditions and short texts as data: a `when`/`if` expression, or a flow's text with
`{{ … }}` and `{% if %}`, kept as a small tree of plain values.

Most conditions in a flow are names, constants, comparisons, `in`, `and`, `or`, `not`, `… if …
else …`, tuples and lists; most texts are words around such expressions and `{% if %}` blocks.
Such a source is turned, once, from Jinja's syntax tree into nested lists that JSON can hold
(the checked-flow cache keeps them), and evaluated here with the very Python operations Jinja's
compiled code would use (`str()` of each output, the `if`s of Python), so a run from the cache
needs neither Jinja nor a compilation. Anything else (a filter, a test, a call, an attribute, a
loop, a name the context does not hold) is not a tree: the source goes to Jinja, as before.

Pure: no files, no Jinja at import. `tests/test_conditions.py` holds the two evaluators to the
same answers, exceptions included.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Mapping
from typing import Any

# an expression: ["name", id] | ["const", value] | ["and" | "or", a, b] | ["not", a]
#   | ["cond", test, a, b] | ["compare", a, [[op, b], ...]] | ["tuple" | "list", [a, ...]]
# a text: ["text", [part, ...]], a part: "words" | ["out", expression]
#   | ["if", [[test, [part, ...]], ...], [else part, ...]]   (the if and its elifs, in order)
Tree = list[Any]

OPERATORS: dict[str, Callable[[Any, Any], Any]] = {
    "eq": operator.eq,
    "ne": operator.ne,
    "lt": operator.lt,
    "lteq": operator.le,
    "gt": operator.gt,
    "gteq": operator.ge,
    "in": lambda a, b: a in b,
    "notin": lambda a, b: a not in b,
}
MAX_DEPTH = 64  # deeper trees are left to Jinja (and its own limits)
MAX_NODES = 4096


class Missing(Exception):
    """A name the context does not hold: Jinja decides (StrictUndefined, or a global)."""


def _scalar(value: object) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    return value is None or isinstance(value, str | bool | int)


def from_jinja(node: Any) -> Tree | None:
    """The tree of a parsed Jinja expression; None when it uses anything not kept as data."""
    from jinja2 import nodes

    budget = [MAX_NODES]

    def walk(n: Any, depth: int) -> Tree | None:
        budget[0] -= 1
        if depth > MAX_DEPTH or budget[0] < 0:
            return None
        kind = type(n)
        if kind is nodes.Name:
            return ["name", n.name] if n.ctx == "load" else None
        if kind is nodes.Const:
            return ["const", n.value] if _scalar(n.value) else None
        if kind in (nodes.And, nodes.Or):
            left, right = walk(n.left, depth + 1), walk(n.right, depth + 1)
            if left is None or right is None:
                return None
            return ["and" if kind is nodes.And else "or", left, right]
        if kind is nodes.Not:
            inner = walk(n.node, depth + 1)
            return None if inner is None else ["not", inner]
        if kind is nodes.CondExpr:
            if n.expr2 is None:  # no else: Jinja's own «undefined» value
                return None
            parts = [walk(n.test, depth + 1), walk(n.expr1, depth + 1), walk(n.expr2, depth + 1)]
            return None if any(p is None for p in parts) else ["cond", *parts]
        if kind in (nodes.Tuple, nodes.List):
            if kind is nodes.Tuple and n.ctx != "load":
                return None
            items = [walk(item, depth + 1) for item in n.items]
            if any(item is None for item in items):
                return None
            return ["tuple" if kind is nodes.Tuple else "list", items]
        if kind is nodes.Compare:
            first = walk(n.expr, depth + 1)
            ops: list[Any] = []
            for op in n.ops:
                if op.op not in OPERATORS:
                    return None
                right = walk(op.expr, depth + 1)
                if right is None:
                    return None
                ops.append([op.op, right])
            return None if first is None or not ops else ["compare", first, ops]
        return None

    return walk(node, 0)


def text_from_jinja(template: Any) -> Tree | None:
    """The tree of a parsed Jinja text (nodes.Template); None when it uses anything not kept."""
    from jinja2 import nodes

    def body(items: Any, depth: int) -> list[Any] | None:
        out: list[Any] = []
        for item in items:
            if depth > MAX_DEPTH:
                return None
            if type(item) is nodes.Output:
                for child in item.nodes:
                    if type(child) is nodes.TemplateData:
                        out.append(child.data)
                        continue
                    tree = from_jinja(child)
                    if tree is None and type(child) is nodes.CondExpr and child.expr2 is None:
                        # `{{ x if t }}`: Jinja gives its plain Undefined, which prints as ""
                        test, then = from_jinja(child.test), from_jinja(child.expr1)
                        if test is not None and then is not None:
                            tree = ["cond", test, then, ["const", ""]]
                    if tree is None:
                        return None
                    out.append(["out", tree])
            elif type(item) is nodes.If:
                branches = []
                for branch in [item, *item.elif_]:
                    test = from_jinja(branch.test)
                    inner = body(branch.body, depth + 1)
                    if test is None or inner is None:
                        return None
                    branches.append([test, inner])
                otherwise = body(item.else_, depth + 1)
                if otherwise is None:
                    return None
                out.append(["if", branches, otherwise])
            else:
                return None
        return out

    parts = body(template.body, 0) if type(template) is nodes.Template else None
    return None if parts is None else ["text", parts]


def is_text_tree(raw: object) -> bool:
    """Whether data read back (from the cache) is a text `text_from_jinja` could have made."""

    def parts(items: object, depth: int) -> bool:
        if depth > MAX_DEPTH or not isinstance(items, list):
            return False
        for part in items:
            if isinstance(part, str):
                continue
            if not isinstance(part, list) or not part:
                return False
            if part[0] == "out" and len(part) == 2 and is_tree(part[1]):
                continue
            if (
                part[0] == "if"
                and len(part) == 3
                and _branches(part[1], depth)
                and parts(part[2], depth + 1)
            ):
                continue
            return False
        return True

    def _branches(items: object, depth: int) -> bool:
        return (
            isinstance(items, list)
            and bool(items)
            and all(
                isinstance(b, list) and len(b) == 2 and is_tree(b[0]) and parts(b[1], depth + 1)
                for b in items
            )
        )

    return isinstance(raw, list) and len(raw) == 2 and raw[0] == "text" and parts(raw[1], 0)


def render(tree: Tree, context: Mapping[str, object]) -> str:
    """The text, as Jinja renders it (`str()` of every output); raises Missing for a name the
    context does not hold, and whatever Python raises."""
    out: list[str] = []

    def emit(parts: list[Any]) -> None:
        for part in parts:
            if isinstance(part, str):
                out.append(part)
            elif part[0] == "out":
                out.append(str(evaluate(part[1], context)))
            else:
                for test, inner in part[1]:
                    if evaluate(test, context):
                        emit(inner)
                        break
                else:
                    emit(part[2])

    emit(tree[1])
    return "".join(out)


def is_tree(raw: object, depth: int = 0) -> bool:
    """Whether data read back (from the cache) is a tree `from_jinja` could have made."""
    if depth > MAX_DEPTH or not isinstance(raw, list) or not raw:
        return False
    kind, args = raw[0], raw[1:]
    if kind == "name":
        return len(args) == 1 and isinstance(args[0], str)
    if kind == "const":
        return len(args) == 1 and _scalar(args[0])
    if kind in ("and", "or"):
        return len(args) == 2 and all(is_tree(a, depth + 1) for a in args)
    if kind == "not":
        return len(args) == 1 and is_tree(args[0], depth + 1)
    if kind == "cond":
        return len(args) == 3 and all(is_tree(a, depth + 1) for a in args)
    if kind in ("tuple", "list"):
        return (
            len(args) == 1
            and isinstance(args[0], list)
            and all(is_tree(a, depth + 1) for a in args[0])
        )
    if kind == "compare":
        return (
            len(args) == 2
            and is_tree(args[0], depth + 1)
            and isinstance(args[1], list)
            and bool(args[1])
            and all(
                isinstance(p, list)
                and len(p) == 2
                and p[0] in OPERATORS
                and is_tree(p[1], depth + 1)
                for p in args[1]
            )
        )
    return False


def evaluate(tree: Tree, context: Mapping[str, object]) -> object:
    """The value of the expression, as Jinja's compiled code computes it; raises Missing for
    a name the context does not hold, and whatever Python's operators raise."""
    kind = tree[0]
    if kind == "name":
        try:
            return context[tree[1]]
        except KeyError:
            raise Missing(tree[1]) from None
    if kind == "const":
        return tree[1]
    if kind == "and":
        return evaluate(tree[1], context) and evaluate(tree[2], context)
    if kind == "or":
        return evaluate(tree[1], context) or evaluate(tree[2], context)
    if kind == "not":
        return not evaluate(tree[1], context)
    if kind == "cond":
        return evaluate(tree[2] if evaluate(tree[1], context) else tree[3], context)
    if kind == "tuple":
        return tuple(evaluate(item, context) for item in tree[1])
    if kind == "list":
        return [evaluate(item, context) for item in tree[1]]
    if kind == "compare":
        # a chain (`a < b < c`) as Python has it: each operand once, stop at the first false
        left = evaluate(tree[1], context)
        result: object = True
        for op, operand in tree[2]:
            right = evaluate(operand, context)
            result = OPERATORS[op](left, right)
            if not result:
                return result
            left = right
        return result
    raise ValueError(kind)
