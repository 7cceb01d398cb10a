"""A draft file: the `Draft` record and its TOML (`to_toml`, `from_toml`).

The TOML holds the flow (id, version, file), when the interview started and last changed, the
answers, where the interview stands (cursor, trail, scope), the case date and the options
needed to finish. Reading gives reasons that never hold an answer. Pure: no files here (the
store in `drafts.py` reads and writes them).
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from collections.abc import Mapping
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import OmsorgslinjeError
from .fastclass import dataclass

if TYPE_CHECKING:
    from .values import Value

FORMAT = 1


class DraftError(OmsorgslinjeError):
    """A draft that cannot be found or used."""


class CorruptDraft(Exception):
    """A draft file that cannot be read. Carries the reason (never the content)."""

    def __init__(self, path: Path, why: str) -> None:
        super().__init__(why)
        self.path = path
        self.why = why


@dataclass
class Draft:
    id: str
    flow_id: str
    flow_version: str
    flow_path: str
    started: _dt.datetime
    changed: _dt.datetime
    date: _dt.date
    answers: dict[str, Value | None] = field(default_factory=dict)
    cursor: str | None = None
    trail: tuple[str, ...] = ()
    editing: bool = False
    scope: frozenset[str] | None = None
    answered: int = 0
    total: int = 0
    options: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None
    # text being typed when the interview stopped, by step id: back in its box on resume
    typing: dict[str, str] = field(default_factory=dict)
    # the case reference the user chose to tell cases apart (initials), for `utkast liste`
    reference: str = ""


def now() -> _dt.datetime:
    return _dt.datetime.now().astimezone().replace(microsecond=0)


def new_id(flow_id: str, when: _dt.datetime | None = None) -> str:
    """A short, readable id: `oppdager-20261122-1103-ab12`."""
    when = when or now()
    base = re.sub(r"[^a-z0-9_-]+", "-", flow_id.lower()).strip("-") or "utkast"
    return f"{base}-{when:%Y%m%d-%H%M}-{os.urandom(2).hex()}"


# -- (de)serialising ---------------------------------------------------------------------------


def to_toml(draft: Draft) -> str:
    import tomli_w

    meta: dict[str, Any] = {
        "format": FORMAT,
        "id": draft.id,
        "flyt": draft.flow_id,
        "flytversjon": draft.flow_version,
        "flytfil": draft.flow_path,
        "startet": draft.started,
        "endret": draft.changed,
        "dato": draft.date,
        "spor": list(draft.trail),
        "redigerer": draft.editing,
        "besvart": draft.answered,
        "antall": draft.total,
        # TOML has no null: a step asked and left empty is listed here, with no value in [svar]
        "hoppet_over": [sid for sid, v in draft.answers.items() if v is None],
    }
    if draft.reference:
        meta["saksreferanse"] = draft.reference
    if draft.cursor is not None:
        meta["steg"] = draft.cursor
    if draft.scope is not None:
        meta["omfang"] = sorted(draft.scope)
    doc: dict[str, Any] = {
        "utkast": meta,
        "valg": {k: v for k, v in draft.options.items() if v is not None},
        "svar": {sid: v for sid, v in draft.answers.items() if v is not None},
    }
    if draft.typing:
        doc["under_arbeid"] = dict(draft.typing)
    return tomli_w.dumps(doc)


def _get(
    table: Mapping[str, Any], key: str, kind: type | tuple[type, ...], default: Any = ...
) -> Any:
    if key not in table:
        if default is ...:
            raise ValueError(f"mangler «{key}»")
        return default
    value = table[key]
    if not isinstance(value, kind):
        raise ValueError(f"«{key}» har feil type")
    return value


def from_toml(text: str, path: Path | None = None) -> Draft:
    """Parse a draft. Raises ValueError with a reason that holds no answer content."""
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        raise ValueError("filen er ikke gyldig TOML") from None
    meta = _get(data, "utkast", dict)
    if _get(meta, "format", int) > FORMAT:
        raise ValueError("utkastet er laget av en nyere versjon av omsorgslinje")
    answers_table = _get(data, "svar", dict, {})
    answers: dict[str, Value | None] = dict(answers_table)
    for sid in _get(meta, "hoppet_over", list, []):
        if isinstance(sid, str):
            answers.setdefault(sid, None)
    started = _get(meta, "startet", _dt.datetime)
    changed = _get(meta, "endret", _dt.datetime)
    raw_date = _get(meta, "dato", _dt.date)
    date = raw_date.date() if isinstance(raw_date, _dt.datetime) else raw_date
    scope = _get(meta, "omfang", list, None)
    trail = _get(meta, "spor", list, [])
    if not all(isinstance(s, str) for s in [*trail, *(scope or [])]):
        raise ValueError("«spor» eller «omfang» har feil type")
    return Draft(
        id=_get(meta, "id", str),
        flow_id=_get(meta, "flyt", str),
        flow_version=_get(meta, "flytversjon", str, ""),
        flow_path=_get(meta, "flytfil", str, ""),
        started=started,
        changed=changed,
        date=date,
        answers=answers,
        cursor=_get(meta, "steg", str, None),
        trail=tuple(trail),
        editing=_get(meta, "redigerer", bool, False),
        scope=frozenset(scope) if scope is not None else None,
        answered=_get(meta, "besvart", int, 0),
        total=_get(meta, "antall", int, 0),
        options=_get(data, "valg", dict, {}),
        path=path,
        reference=_get(meta, "saksreferanse", str, ""),
        typing={
            k: v for k, v in _get(data, "under_arbeid", dict, {}).items() if isinstance(v, str)
        },
    )


def stamp(when: _dt.datetime) -> str:
    return when.astimezone().strftime("%d.%m.%Y %H:%M")
