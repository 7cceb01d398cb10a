"""Checked flows kept between runs, as data: after a flow file loads without errors, its model
is written as JSON to the guarded cache folder (cache.py), keyed on a checksum of the file's
bytes and on the code tag (which hashes the loader, the model and the flow schema). A later run
of exactly these bytes with exactly this code builds the model from the JSON and skips the
load-time checks, which these bytes have already passed.

Data only: JSON read into the model's own frozen classes, every field checked for its type; no
pickle, no marshal, nothing that can run. An entry of the wrong shape is ignored and the flow is
loaded and checked anew (and the entry written again). A flow whose defaults JSON cannot hold
exactly (dates, tables) is not kept. `flyt sjekk` never reads from here: it checks every time.

This is the shell's module: the command line hands it the cache (cache.session).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from .cache import FLOW, DiskCache
from .conditions import Tree, is_text_tree, is_tree
from .expr import learn_text_trees, learn_trees, text_tree_of, tree_of
from .model import STEP_TYPES, Action, Choice, Document, Flow, Step, Validation

PREFIX = FLOW
_SCALARS = (str, bool, int, float)


def entry_name(store: DiskCache, checksum: str) -> str:
    return f"{PREFIX}-{checksum}-{store.tag}.json"


# --- the model to data and back ---------------------------------------------------------------


def _plain_default(value: object) -> bool:
    if value is None or isinstance(value, _SCALARS):
        return True
    return isinstance(value, list) and all(isinstance(v, _SCALARS) for v in value)


def condition_sources(flow: Flow) -> list[str]:
    """Every `when` and `if` expression of the flow, each once, in the file's order."""
    found = [s.when for s in flow.steps] + [a.condition for s in flow.steps for a in s.actions]
    found += [d.when for d in flow.documents]
    return list(dict.fromkeys(x for x in found if x))


def text_sources(flow: Flow) -> list[str]:
    """Every text of the flow with `{{ … }}` or `{% … %}` that is filled in while it runs."""
    found: list[object] = []
    for s in flow.steps:
        found += [s.prompt, s.help, s.default]
        found += [x for a in s.actions for x in (a.what, a.who, a.when)]
    return list(dict.fromkeys(x for x in found if isinstance(x, str) and "{" in x))


def to_data(flow: Flow) -> dict[str, Any] | None:
    """The flow as JSON data; None when a value would not come back exactly the same."""
    if not all(_plain_default(s.default) for s in flow.steps):
        return None
    return {
        # the conditions as data (conditions.py): a run from here needs no Jinja to ask
        "conditions": [
            [source, tree] for source in condition_sources(flow) if (tree := tree_of(source))
        ],
        "texts": [
            [source, tree] for source in text_sources(flow) if (tree := text_tree_of(source))
        ],
        "id": flow.id,
        "title": flow.title,
        "version": flow.version,
        "source": flow.source,
        "description": flow.description,
        "intro": flow.intro,
        "glossary": [[k, v] for k, v in flow.glossary.items()],
        "documents": [
            [d.name, d.template, d.title, d.primary, d.when, d.filename] for d in flow.documents
        ],
        "steps": [
            {
                "id": s.id,
                "type": s.type,
                "prompt": s.prompt,
                "help": s.help,
                "source": s.source,
                "when": s.when,
                "required": s.required,
                "default": s.default,
                "choices": [[c.value, c.label, c.help, c.exclusive] for c in s.choices],
                "validation": None
                if s.validation is None
                else [
                    s.validation.pattern,
                    s.validation.min,
                    s.validation.max,
                    s.validation.message,
                ],
                "section": s.section,
                "actions": [[a.what, a.who, a.when, a.condition] for a in s.actions],
                "line": s.line,
                "identifying": s.identifying,
                "level": s.level,
                "previous_ids": list(s.previous_ids),
                "previous_values": [list(p) for p in s.previous_values],
            }
            for s in flow.steps
        ],
    }


class Shape(Exception):
    """Cached data that is not what to_data writes."""


def _is(value: Any, *types: type) -> Any:
    # bool is an int in Python: a number field must not take true/false, nor a text field 1
    if value is None and type(None) in types:
        return value
    if isinstance(value, bool) and bool not in types:
        raise Shape
    if not isinstance(value, types):
        raise Shape
    return value


# JSON gives exactly these types: a check of the type alone (a few thousand of them a load)
def _str(value: Any) -> str:
    if type(value) is not str:
        raise Shape
    return value


def _opt_str(value: Any) -> str | None:
    if value is not None and type(value) is not str:
        raise Shape
    return value


def _num(value: Any) -> float | None:
    return _is(value, int, float, type(None))  # type: ignore[no-any-return]


def _bool(value: Any) -> bool:
    if type(value) is not bool:
        raise Shape
    return value


def _list(value: Any, size: int | None = None) -> list[Any]:
    if type(value) is not list or (size is not None and len(value) != size):
        raise Shape
    return value


def _validation(raw: Any) -> Validation:
    pattern, low, high, message = _list(raw, 4)
    return Validation(_opt_str(pattern), _num(low), _num(high), _opt_str(message))


def _step(raw: Any) -> Step:
    if not isinstance(raw, dict) or set(raw) != STEP_FIELDS:
        raise Shape
    kind = _str(raw["type"])
    if kind not in STEP_TYPES:
        raise Shape
    default = raw["default"]
    if not _plain_default(default):
        raise Shape
    validation = raw["validation"]
    line = raw["line"]
    if line is not None:
        _is(line, int)
    return Step(
        id=_str(raw["id"]),
        type=kind,  # type: ignore[arg-type]
        prompt=_str(raw["prompt"]),
        help=_str(raw["help"]),
        source=_str(raw["source"]),
        when=_opt_str(raw["when"]),
        required=_bool(raw["required"]),
        default=default,
        choices=tuple(
            Choice(_str(v), _str(label), _str(h), _bool(x))
            for v, label, h, x in (_list(c, 4) for c in _list(raw["choices"]))
        ),
        validation=None if validation is None else _validation(validation),
        section=_str(raw["section"]),
        actions=tuple(
            Action(_str(w), _str(who), _str(when), _opt_str(cond))
            for w, who, when, cond in (_list(a, 4) for a in _list(raw["actions"]))
        ),
        line=line,
        identifying=_bool(raw["identifying"]),
        level=_str(raw["level"]),
        previous_ids=tuple(_str(x) for x in _list(raw["previous_ids"])),
        previous_values=tuple(
            (_str(a), _str(b)) for a, b in (_list(p, 2) for p in _list(raw["previous_values"]))
        ),
    )


STEP_FIELDS = {
    "id",
    "type",
    "prompt",
    "help",
    "source",
    "when",
    "required",
    "default",
    "choices",
    "validation",
    "section",
    "actions",
    "line",
    "identifying",
    "level",
    "previous_ids",
    "previous_values",
}
FLOW_FIELDS = {"id", "title", "version", "source", "description", "intro", "glossary"}
FLOW_FIELDS |= {"documents", "steps", "conditions", "texts"}


def trees_from_data(raw: Any, flow: Flow, key: str) -> dict[str, Tree]:
    """The trees of the conditions («conditions») or texts («texts») to_data wrote, each
    checked; raises Shape on anything else."""
    if not isinstance(raw, dict):
        raise Shape
    texts = key == "texts"
    sources = set(text_sources(flow) if texts else condition_sources(flow))
    trees: dict[str, Tree] = {}
    for pair in _list(raw.get(key)):
        source, tree = _list(pair, 2)
        if _str(source) not in sources or source in trees:
            raise Shape
        if not (is_text_tree(tree) if texts else is_tree(tree)):
            raise Shape
        trees[source] = tree
    return trees


def from_data(raw: Any, path: str) -> Flow:
    """The flow from data to_data wrote; raises Shape on anything else."""
    if not isinstance(raw, dict) or set(raw) != FLOW_FIELDS:
        raise Shape
    glossary = {_str(k): _str(v) for k, v in (_list(p, 2) for p in _list(raw["glossary"]))}
    documents = tuple(
        Document(_str(n), _str(t), _str(title), _bool(p), _opt_str(w), _str(f))
        for n, t, title, p, w, f in (_list(d, 6) for d in _list(raw["documents"]))
    )
    steps = tuple(_step(s) for s in _list(raw["steps"]))
    if not steps or not documents or len({s.id for s in steps}) != len(steps):
        raise Shape
    return Flow(
        id=_str(raw["id"]),
        title=_str(raw["title"]),
        version=_str(raw["version"]),
        source=_str(raw["source"]),
        steps=steps,
        documents=documents,
        description=_str(raw["description"]),
        intro=_str(raw["intro"]),
        path=path,
        glossary=glossary,
    )


# --- the shell's side ---------------------------------------------------------------------------


def load_flow(path: Path, store: DiskCache | None) -> Flow:
    """loader.load_flow, through the cache when there is one: the same flow, the same errors."""
    if store is None or not store.active:
        from .loader import load_flow as check_and_load

        return check_and_load(path)
    try:
        data = path.read_bytes()
    except OSError:
        from .loader import load_flow as check_and_load

        return check_and_load(path)  # its own message for a missing or unreadable file
    checksum = hashlib.sha256(data).hexdigest()
    name = entry_name(store, checksum)
    cached = store.read(name)
    if cached is not None:
        try:
            entry = json.loads(cached)
            if (
                isinstance(entry, dict)
                and entry.get("tag") == store.tag
                and entry.get("sha256") == checksum
            ):
                cached_flow = from_data(entry.get("flow"), str(path))
                learn_trees(trees_from_data(entry.get("flow"), cached_flow, "conditions"))
                learn_text_trees(trees_from_data(entry.get("flow"), cached_flow, "texts"))
                return cached_flow
        except (ValueError, Shape, TypeError, RecursionError):
            pass  # not what this code writes: load, check and write it anew
    flow = _checked(path, data)
    if flow is None:
        from .loader import load_flow as check_and_load

        return check_and_load(path)  # raises with every problem, as without the cache
    shaped = to_data(flow)
    if shaped is not None:
        entry_text = json.dumps(
            {"tag": store.tag, "sha256": checksum, "flow": shaped}, ensure_ascii=False
        )
        store.write(name, entry_text.encode("utf-8"))
    return flow


def _checked(path: Path, data: bytes) -> Flow | None:
    """The flow of exactly these bytes, checked as loader.load_flow checks; None when it has
    errors (then loader.load_flow reports them)."""
    from .loader import build_flow
    from .toml_text import parse_toml

    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
        parsed = parse_toml(text)
    except (ValueError, RecursionError):
        return None
    flow, problems = build_flow(parsed, text, str(path))
    if flow is None or any(not p.warning for p in problems):
        return None
    return flow
