"""`omsorgslinje flyt sjekk`: every problem in a flow file, the loader's and deeper ones.

The loader finds what stops a run (syntax, unknown keys, ids, conditions naming unknown or
later steps). This module adds what a routine owner wants to know before a run goes wrong:
choices listed twice, steps that can never be asked, empty or split sections, action texts
and templates that use names no step defines, missing templates, steps without `source`.

The structure (choices, sources, sections, reachability) is checked in `check_structure.py`,
texts and templates in `check_texts.py`. Pure except for reading the flow and its template
files. Linear in the number of steps: each condition is decided by trying at most
`check_structure.MAX_CASES` combinations of the answers it names.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .check_structure import (
    Lines,
    check_choices,
    check_reachability,
    check_sections,
    check_sources,
)
from .check_texts import check_contacts, check_templates, check_texts
from .errors import Problem
from .loader import build_partial
from .model import Flow
from .toml_text import LineIndex, read_toml


def check_file(path: Path) -> list[Problem]:
    """Every problem in one flow file, in file order; warnings have `warning=True`."""
    data, text, problems = read_toml(path)
    if data is None:
        return problems
    flow, problems = build_partial(data, text, str(path))
    raw_steps = data.get("steps")
    raw = [s for s in raw_steps if isinstance(s, dict)] if isinstance(raw_steps, list) else []
    problems = problems + check_flow(flow, text, raw)
    if flow.id and flow.id != path.stem:
        problems.append(
            Problem(
                str(path),
                f"Flyt-id-en «{flow.id}» er ikke filnavnet ({path.name}): "
                f"`omsorgslinje start {flow.id}` finner ikke flyten. Kall filen {flow.id}.toml.",
                LineIndex.of(text).key_line("id", span=LineIndex.of(text).table_span("flow")),
                warning=True,
            )
        )
    return sorted(problems, key=lambda p: (p.file != str(path), p.file, p.line or 0))


def check_flow(
    flow: Flow, text: str = "", raw_steps: list[dict[str, Any]] | None = None
) -> list[Problem]:
    """The checks beyond the loader, on a flow read as far as possible."""
    lines = Lines(flow, LineIndex.of(text))
    out: list[Problem] = []
    out += check_choices(flow, lines)
    out += check_sources(flow)
    unreachable, reach_problems = check_reachability(flow, lines)
    out += reach_problems
    out += check_sections(flow, lines, raw_steps or [], unreachable)
    out += check_texts(flow, lines)
    out += check_contacts(flow, lines)
    out += check_templates(flow)
    return out


def summary(problems: list[Problem], files: int) -> str:
    errors = sum(1 for p in problems if not p.warning)
    warnings = len(problems) - errors
    what = "flyt" if files == 1 else "flyter"
    if not problems:
        return f"Sjekket {files} {what}: ingen problemer."
    parts = []
    if errors:
        parts.append(f"{errors} feil")
    if warnings:
        parts.append(f"{warnings} {'advarsel' if warnings == 1 else 'advarsler'}")
    return f"Sjekket {files} {what}: {' og '.join(parts)}."


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(not p.warning for p in problems)


__all__ = ["check_file", "check_flow", "has_errors", "summary"]
