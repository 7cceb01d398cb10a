"""Words a flow keeps for its readers and across its versions: the glossary (`[flow.glossary]`)
and renamed steps (`previous_ids`, `previous_values`).

A step that changes its id keeps the old one in `previous_ids`, and a choice value that changes
keeps the old one as a key of `previous_values`, so that answers files and drafts written for
an earlier version still load and mean the same. A rename that could mean two things is an
error: an old id that is also the id of a step, the same old id in two steps, an old value that
is still a value of the step, or a new value the step does not have.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .loader_fields import ID_PATTERN, Reader
from .model import Choice, Step


def read_glossary(r: Reader, flow_table: Mapping[str, Any]) -> dict[str, str]:
    """`[flow.glossary]`: term = explanation, in the file's order."""
    raw = flow_table.get("glossary")
    if raw is None:
        return {}
    span = r.idx.table_span("flow.glossary")
    line = span[0] + 1 if span else r.idx.key_line("glossary")
    if not isinstance(raw, dict):
        r.problem('«glossary» må være en tabell: ord = "forklaring".', line)
        return {}
    out: dict[str, str] = {}
    for term, text in raw.items():
        where = r.idx.key_line(term, span=span) if span else line
        if not term.strip():
            r.problem("Et ord i ordlisten ([flow.glossary]) kan ikke være tomt.", where)
        elif not isinstance(text, str) or not text.strip():
            r.problem(f"Ordet «{term}» i ordlisten må ha en forklaring (tekst).", where)
        else:
            out[term.strip()] = text.strip()
    return out


def read_renames(
    r: Reader,
    raw: Mapping[str, Any],
    n: int,
    sid: str | None,
    choices: Sequence[Choice],
) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """A step's `previous_ids` and `previous_values`, each checked on its own."""
    ids: list[str] = []
    raw_ids = raw.get("previous_ids", [])
    line = r.idx.key_line("previous_ids", n)
    if not isinstance(raw_ids, list) or not all(isinstance(i, str) for i in raw_ids):
        r.problem("«previous_ids» må være en liste med tidligere steg-id-er.", line, sid)
    else:
        for old in raw_ids:
            if not ID_PATTERN.match(old):
                r.problem(
                    f"«{old}» i «previous_ids» er ikke en gyldig steg-id "
                    "(små bokstaver a–z, tall og _, en bokstav først).",
                    line,
                    sid,
                )
            elif old == sid:
                r.problem("«previous_ids» kan ikke inneholde stegets egen id.", line, sid)
            elif old not in ids:
                ids.append(old)
    values: list[tuple[str, str]] = []
    raw_values = raw.get("previous_values")
    if raw_values is None:
        return tuple(ids), ()
    line = r.idx.key_line("previous_values", n)
    if not isinstance(raw_values, dict):
        r.problem('«previous_values» må være en tabell: { gammel = "ny" }.', line, sid)
        return tuple(ids), ()
    if not choices:
        r.problem("Bare et steg med valg («choices») kan ha «previous_values».", line, sid)
        return tuple(ids), ()
    current = {c.value for c in choices}
    for old, new in raw_values.items():
        if not isinstance(new, str) or new not in current:
            shown = new if isinstance(new, str) else "?"
            r.problem(
                f"«previous_values»: «{old}» skal bli «{shown}», som ikke er et valg i steget. "
                f"Valgene er: {', '.join(sorted(current))}.",
                line,
                sid,
            )
        elif old in current:
            r.problem(
                f"«previous_values»: «{old}» er fortsatt et valg i steget, så et gammelt svar "
                "kunne bety to ting. Gi det gamle valget et annet navn, eller fjern det her.",
                line,
                sid,
            )
        else:
            values.append((old, new))
    return tuple(ids), tuple(values)


def check_renames(r: Reader, steps: Sequence[tuple[int, Step]]) -> None:
    """Renames that collide: an old id that is a step's id today, or in two steps.
    `steps` are the steps read, each with its number in the file."""
    today = {s.id for _, s in steps}
    first: dict[str, str] = {}
    for n, step in steps:
        line = r.idx.key_line("previous_ids", n)
        for old in step.previous_ids:
            if old in today:
                r.problem(
                    f"«previous_ids»: «{old}» er id-en til et annet steg i flyten. "
                    "Et svar med den id-en kunne da bety to ting.",
                    line,
                    step.id,
                )
            elif old in first:
                r.problem(
                    f"«previous_ids»: «{old}» står også i steget «{first[old]}». "
                    "En gammel id kan bare føre til ett steg.",
                    line,
                    step.id,
                )
            else:
                first[old] = step.id


__all__ = ["check_renames", "read_glossary", "read_renames"]
