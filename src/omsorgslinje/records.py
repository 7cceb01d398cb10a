"""A document as data (`--format toml|json`): the whole case, or the document's own record.

A document whose routine owner wrote `NAME.json.j2` (a template that writes one JSON object,
with the filter `tojson`) is its own record, in the field names of the form it follows, as the
report to barnevernstjenesten follows the national form for public reporters. Empty fields are
left out. Any other document's record is the whole case (`render.record`).
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING, Any

from .errors import TemplateError
from .model import Document
from .render import Case, context, record, render_template, template_env

if TYPE_CHECKING:
    from jinja2 import BytecodeCache


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
