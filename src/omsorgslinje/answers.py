"""Answers files: `[svar]` keyed by step id. Read, check against the flow, merge several.

The TOML document of a case is itself an answers file: its `[omsorgslinje]` table names the
flow and the case date, so replaying it gives the same documents.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from dataclasses import field
from pathlib import Path
from typing import Any

from .errors import AnswersError, InvalidValue
from .fastclass import dataclass
from .model import Flow
from .toml_text import LineIndex, read_toml
from .values import Value, allowed_values, check, coerce, display

KNOWN_TABLES = {"svar", "omsorgslinje", "neste_steg"}


@dataclass
class AnswerSet:
    """Answers gathered from one or more files, with the file each answer came from."""

    answers: dict[str, Value | None] = field(default_factory=dict)
    origin: dict[str, str] = field(default_factory=dict)
    date: _dt.date | None = None


def _line(text: str, key: str) -> int | None:
    return LineIndex.of(text).key_line(key) if text else None


def _where(name: str, text: str, key: str) -> str:
    """`file:line` of a key, for an error message (looked up only when there is an error)."""
    line = _line(text, key)
    return f"{name}:{line}" if line else name


def read_answers_file(path: Path, flow: Flow) -> tuple[dict[str, Value | None], _dt.date | None]:
    data, text, problems = read_toml(path)
    name = str(path)
    if data is None:
        raise AnswersError("\n".join(str(p) for p in problems))
    for key in data:
        if key not in KNOWN_TABLES:
            raise AnswersError(
                f"{name}:{_line(text, key) or 1}: Ukjent tabell eller nøkkel «{key}». "
                "Et svarfil har svarene i tabellen [svar], med steg-id som nøkkel."
            )
    meta = data.get("omsorgslinje", {})
    date = None
    if not isinstance(meta, dict):
        raise AnswersError(
            f"{name}:{_line(text, 'omsorgslinje')}: [omsorgslinje] må være en tabell."
        )
    fid = meta.get("flyt")
    if fid is not None and not isinstance(fid, str):
        raise AnswersError(
            f"{name}:{_line(text, 'flyt')}: «flyt» må være flytens id som tekst, "
            f'for eksempel flyt = "{flow.id}".'
        )
    if isinstance(fid, str) and fid != flow.id:
        raise AnswersError(f"{name}: Svarfilen gjelder flyten «{fid}», ikke «{flow.id}».")
    raw_date = meta.get("dato")
    if isinstance(raw_date, _dt.date):
        date = raw_date if not isinstance(raw_date, _dt.datetime) else raw_date.date()
        if date.year < 1000:
            raise AnswersError(f"{name}:{_line(text, 'dato')}: «dato» må ha et firesifret år.")
    elif raw_date is not None:
        raise AnswersError(
            f"{name}:{_line(text, 'dato')}: «dato» må være en TOML-dato, for eksempel 2026-11-22."
        )
    raw = data.get("svar", {})
    if not isinstance(raw, dict):
        raise AnswersError(f"{name}:{_line(text, 'svar')}: [svar] må være en tabell.")
    out: dict[str, Value | None] = {}
    found: list[str] = []
    written: dict[str, str] = {}  # today's id -> the id the file used
    for key, value in raw.items():
        sid = flow.current_id(key)  # a step renamed since the file was written
        if not flow.has_step(sid):
            found.append(
                f"{_where(name, text, key)}: {key}: "
                f"Flyten «{flow.id}» har ikke noe steg med denne id-en."
            )
            continue
        if sid in written:
            found.append(
                f"{_where(name, text, key)}: {key}: Steget «{sid}» er besvart to ganger i "
                f"filen, som «{written[sid]}» og som «{key}» (steget het før «{key}»). "
                "Behold ett av svarene."
            )
            continue
        written[sid] = key
        step = flow.step(sid)
        if not step.asks:
            continue  # an info step: shown, never answered
        try:
            # the same rules as a typed answer: the type, then required, min, max and pattern
            given = coerce(step, step.current_value(value))
            if given is None or given == []:
                if step.required:
                    continue  # not an answer: asked again, or reported as missing
                out[sid] = given
                continue
            out[sid] = check(step, given)
        except InvalidValue as exc:
            hint = ""
            if step.choices and "Tillatte" not in exc.message:
                hint = f" Tillatte verdier: {allowed_values(step)}."
            found.append(f"{_where(name, text, key)}: {sid}: {exc.message}{hint}")
    if found:
        raise AnswersError("\n".join(found))
    return out, date


def merge(paths: Sequence[Path], flow: Flow) -> AnswerSet:
    """Merge several answers files. The same step answered differently is an error.

    The case date is the first file's date that has one (the meeting's file comes first); a
    later file may have another: a writer's part (`--del`) is often written days after.
    """
    result = AnswerSet()
    for path in paths:
        answers, date = read_answers_file(path, flow)
        for sid, value in answers.items():
            if sid in result.answers and result.answers[sid] != value:
                step = flow.step(sid)
                raise AnswersError(
                    f"{sid}: Steget er besvart ulikt i {result.origin[sid]} og {path} "
                    f"(«{step.prompt}»). Bli enige om ett svar og rett den ene filen."
                )
            result.answers[sid] = value
            result.origin[sid] = str(path)
        if date is not None and result.date is None:
            result.date = date
    return result


def answers_document(
    flow: Flow, answers: dict[str, Value | None], date: _dt.date | None, step_ids: Sequence[str]
) -> dict[str, Any]:
    """An answers file holding only the given steps (a writer's part of a shared document)."""
    svar = {
        sid: answers[sid]
        for sid in step_ids
        if answers.get(sid) not in (None, []) and not flow.identifying(sid)
    }
    meta: dict[str, Any] = {"flyt": flow.id, "flytversjon": flow.version}
    if date is not None:
        meta["dato"] = date
    return {"omsorgslinje": meta, "svar": svar}


__all__ = ["AnswerSet", "answers_document", "display", "merge", "read_answers_file"]
