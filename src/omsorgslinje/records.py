"""A document as data (`--format toml|json`): the whole case, or the document's own record.

A document whose routine owner wrote `NAME.json.j2` (a template that writes one JSON object,
with the filter `tojson`) is its own record, in the field names of the form it follows, as the
report to barnevernstjenesten follows the national form for public reporters. Empty fields are
left out. Any other document's record is the whole case (`record`).
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING, Any

from . import __version__
from .errors import TemplateError
from .model import Document
from .render import Case, applicable_documents, context, next_steps, render_template, template_env

if TYPE_CHECKING:
    from jinja2 import BytecodeCache


def record(case: Case) -> dict[str, Any]:
    """The whole case as data: a valid answers file that replays to the same documents.

    Identifying answers (`identifying = true`) are left out: the record is the case's memory,
    and a name or a national identity number belongs only in the document the user asked for.
    """
    case = Case(case.flow, case.flow.storable(case.answers), case.date)
    res = case.resolution
    answers: dict[str, Any] = {}
    for sid in res.path:
        step = case.flow.step(sid)
        value = res.counted.get(sid)
        if step.asks and value is not None and value != []:
            answers[sid] = value
    unanswered = [
        sid
        for sid in res.path
        if case.flow.step(sid).asks
        and not case.flow.step(sid).identifying
        and res.counted.get(sid) in (None, [])
    ]
    out: dict[str, Any] = {
        "omsorgslinje": {
            "flyt": case.flow.id,
            "flytversjon": case.flow.version,
            "dato": case.date,
            "programversjon": __version__,
            "dokumenter": [d.name for d in applicable_documents(case)],
        },
        "svar": answers,
    }
    if unanswered:
        out["omsorgslinje"]["ikke_besvart"] = unanswered
    from .kommune_describe import profile_reference

    profile = profile_reference()
    if profile:  # a replay gives the same numbers and texts (unless --kommune says otherwise)
        out["omsorgslinje"]["kommune"] = profile
    steps = [{k: v for k, v in a.items() if v} for a in next_steps(case)]
    if steps:
        out["neste_steg"] = steps
    return out


def _record_template(
    case: Case, doc: Document, code_cache: BytecodeCache | None = None
) -> str | None:
    """The name of the document's own record template (`NAME.json.j2`), when there is one."""
    from jinja2 import TemplateNotFound

    name = doc.template.removesuffix(".j2").removesuffix(".md") + ".json.j2"
    try:
        template_env(case.flow, code_cache).get_template(name)
    except TemplateNotFound:
        return None
    except Exception:
        pass  # a broken template: render_template reports it with its line
    return name


def _pruned(value: Any) -> Any:
    """A record without empty fields: no None, no empty text, no table left empty by them."""
    if isinstance(value, dict):
        out = {k: _pruned(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v not in (None, "", {})}
    if isinstance(value, list):
        return [v for v in (_pruned(v) for v in value) if v not in (None, "", {})]
    return value


def has_own_record(case: Case, doc: Document) -> bool:
    """Whether the document is data of its own (`NAME.json.j2`), not the whole case."""
    return _record_template(case, doc) is not None


def document_record(
    case: Case, doc: Document, code_cache: BytecodeCache | None = None
) -> dict[str, Any]:
    """The document as data. A document whose routine owner wrote `NAME.json.j2` (a template
    that writes one JSON object, with `tojson`) is its own record, in the field names of the
    form it follows; any other document's record is the whole case (`record`)."""
    import json

    name = _record_template(case, doc, code_cache)
    if name is None:
        return record(case)
    text = render_template(case.flow, name, context(case, "json"), code_cache)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TemplateError(
            f"{name}: Malen gir ikke gyldig JSON (linje {exc.lineno}, kolonne {exc.colno} i "
            "det malen skrev). Skriv verdiene med filteret tojson."
        ) from None
    if not isinstance(data, dict):
        raise TemplateError(f"{name}: Malen må skrive ett JSON-objekt ({{ … }}).")
    return dict(_pruned(data))


def to_json(data: dict[str, Any]) -> str:
    import json

    def plain(value: object) -> str:
        if isinstance(value, _dt.date):
            return value.isoformat()
        raise TypeError(type(value).__name__)

    return json.dumps(data, ensure_ascii=False, indent=2, default=plain) + "\n"
