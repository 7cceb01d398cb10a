"""The last word on a flow's form: `flow_schema.json`, run as code (`flow_schema_check.py`).

The loader's own checks give the precise messages; when they find nothing, the flow is still
checked against the schema, so that a flow the schema refuses is never loaded. The first rule
broken becomes a Norwegian problem with the line where it is written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .loader_fields import Reader

_TYPES = {
    "string": "tekst",
    "boolean": "true eller false",
    "number": "et tall",
    "array": "en liste",
    "object": "en tabell",
}
_PART = re.compile(r"\.?([^.\[\]]+)|\[(\d+)\]")


def _where(name: str) -> tuple[list[str], int | None]:
    """`data.steps[2].choices[0].value` → (["steps", "choices", "value"], 2)."""
    parts: list[str] = []
    step: int | None = None
    for m in _PART.finditer(name.removeprefix("data")):
        if m.group(1) is not None:
            parts.append(m.group(1))
        elif parts == ["steps"] and step is None:
            step = int(m.group(2))
    return parts, step


def _line(r: Reader, parts: list[str], step: int | None) -> int | None:
    key = parts[-1] if parts else None
    if step is not None:
        return (r.idx.key_line(key, step) if key and key != "steps" else None) or r.idx.step_line(
            step
        )
    if len(parts) >= 3 and parts[:2] == ["flow", "documents"]:
        span = r.idx.table_span(f"flow.documents.{parts[2]}")
        if len(parts) > 3 and span is not None:
            return r.idx.key_line(parts[-1], span=span) or span[0] + 1
        return (span[0] + 1) if span else r.idx.key_line(parts[2])
    if key is None:
        return 1
    span = r.idx.table_span("flow") if parts[0] == "flow" and len(parts) > 1 else None
    return r.idx.key_line(key, span=span) or r.idx.key_line(key)


def _message(rule: str | None, message: str, parts: list[str], step: int | None) -> str:
    key = parts[-1] if parts else ""
    where = f"«{key}»" if key else "Filen"
    if rule == "type":
        wanted = message.rsplit(" must be ", 1)[-1]
        return f"{where} må være {_TYPES.get(wanted, wanted)}."
    if rule == "minLength":
        return f"{where} kan ikke være tom."
    if rule in ("minItems", "minProperties"):
        return f"{where} kan ikke være tom: skriv minst én."
    if rule == "required":
        missing = re.findall(r"'([^']+)'", message)
        return f"Mangler {', '.join(f'«{m}»' for m in missing)} i {where}."
    if rule == "additionalProperties":
        unknown = re.findall(r"'([^']+)'", message)
        return f"Ukjent nøkkel {', '.join(f'«{u}»' for u in unknown)} i {where}."
    if rule == "pattern":
        return f"{where} må bestå av små bokstaver a–z, tall og _, og begynne med en bokstav."
    if rule == "enum":
        allowed = re.findall(r"'([^']+)'", message.rsplit(" must be one of ", 1)[-1])
        listing = f" Tillatt: {', '.join(allowed)}." if allowed else ""
        return f"{where} har en verdi flytformatet ikke kjenner.{listing}"
    if rule == "oneOf":
        return f"{where} må være et malnavn (tekst) eller en tabell med «template»."
    if rule in ("not", "else", "then") and step is not None:
        return "Bare select og multiselect har valg («choices»), og de må ha minst ett."
    return f"{where} følger ikke flytformatet (flow_schema.json, regelen «{rule}»)."


def check_schema(r: Reader, data: Mapping[str, Any]) -> None:
    """Add a problem when the flow breaks a rule of the schema."""
    from . import flow_schema_check

    generated: Any = flow_schema_check  # generated code, untyped
    try:
        generated.validate(data)
    except generated.SchemaError as exc:
        _report(r, data, _inner(exc, data))


def _inner(exc: Any, data: Mapping[str, Any]) -> Any:
    """For a document table that fits neither form, the rule the table form breaks."""
    parts, _ = _where(exc.name or "data")
    if exc.rule != "oneOf" or len(parts) != 3 or parts[:2] != ["flow", "documents"]:
        return exc
    from . import flow_schema_check

    generated: Any = flow_schema_check
    table = data.get("flow", {}).get("documents", {}).get(parts[2])
    check: Any = next(
        (f for name, f in vars(generated).items() if name.endswith("___defs_document")), None
    )
    if not isinstance(table, dict) or check is None:
        return exc
    try:
        check(table, {}, exc.name)
    except generated.SchemaError as inner:
        return inner
    return exc


def _report(r: Reader, data: Mapping[str, Any], exc: Any) -> None:
    parts, step = _where(exc.name or "data")
    sid = None
    if step is not None:
        steps = data.get("steps")
        raw = steps[step] if isinstance(steps, list) and step < len(steps) else None
        sid = raw.get("id") if isinstance(raw, dict) else None
    r.problem(
        _message(exc.rule, exc.message, parts, step),
        _line(r, parts, step),
        sid if isinstance(sid, str) else None,
    )
