"""Running a flow: answers in (files, prompts), documents out (stdout, a file, a directory).

The imperative shell around the engine. Everything it decides is plain: which answers, which
front end, which documents, where they go. Errors are raised as OmsorgslinjeError; the command
line maps them to messages and exit codes.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .answers import answers_document, merge
from .engine import Interview, missing_required, resolve, with_defaults
from .errors import MissingAnswersError, UsageError
from .loader import load_flow
from .model import DOCUMENT_FORMATS, Document, Flow
from .output import write_private, write_stdout
from .render import Case, applicable_documents, render
from .ui.console import say, warn

EXTENSIONS = {"md": "md", "txt": "txt", "toml": "toml"}


@dataclass
class RunOptions:
    answers_files: list[Path] = field(default_factory=list)
    interactive: bool | None = None  # None: only when standard input is a terminal
    plain: bool = False
    fmt: str = "md"
    out: Path | None = None
    document: str | None = None
    out_dir: Path | None = None
    overwrite: bool = False
    parts: list[str] = field(default_factory=list)
    date: _dt.date | None = None
    keep_draft: bool = False
    no_draft: bool = False


def resolve_flow(ref: str) -> Flow:
    from .resources import find_flow

    path = find_flow(ref)
    if path is None:
        raise UsageError(
            f"Fant ingen flyt som heter «{ref}». Se `omsorgslinje flyt liste`, eller oppgi en fil."
        )
    return load_flow(path)


def slug(text: str) -> str:
    text = text.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def section_scope(flow: Flow, parts: list[str]) -> frozenset[str] | None:
    """The steps of the named sections (by name, slug or a unique beginning of either)."""
    if not parts:
        return None
    names = [s for s in flow.sections if s]
    chosen: list[str] = []
    for part in parts:
        want = slug(part)
        exact = [n for n in names if slug(n) == want]
        hits = exact or [n for n in names if slug(n).startswith(want)]
        if len(hits) != 1:
            listing = "\n".join(f"  - {n}" for n in names)
            what = "passer med flere deler" if hits else "finnes ikke"
            raise UsageError(f"Delen «{part}» {what}. Delene i flyten «{flow.id}»:\n{listing}")
        chosen.append(hits[0])
    return frozenset(s.id for s in flow.steps if s.section in chosen)


def terminal_can_do_more() -> bool:
    term = os.environ.get("TERM", "")
    return bool(term) and term not in ("dumb", "unknown")


def interactive_wanted(opts: RunOptions) -> bool:
    if opts.interactive is False:
        return False
    return sys.stdin.isatty()


def _check_format(fmt: str) -> None:
    if fmt not in DOCUMENT_FORMATS:
        raise UsageError(f"Ukjent format «{fmt}». Velg en av: {', '.join(DOCUMENT_FORMATS)}.")


def _missing_message(flow: Flow, missing: list[str]) -> str:
    lines = [f"Mangler svar på {len(missing)} påkrevde spørsmål i flyten «{flow.id}»:"]
    lines += [f"  - {sid}: {flow.step(sid).prompt}" for sid in missing]
    lines.append("Legg svarene i [svar]-tabellen i svarfilen, eller kjør uten --ikke-interaktiv.")
    return "\n".join(lines)


def pick_document(case: Case, name: str | None) -> Document:
    flow = case.flow
    if name is None:
        return flow.primary_document
    doc = flow.document(name)
    if doc is None:
        names = ", ".join(d.name for d in flow.documents)
        raise UsageError(f"Flyten «{flow.id}» har ikke dokumentet «{name}». Dokumenter: {names}.")
    if doc not in applicable_documents(case):
        raise UsageError(f"Dokumentet «{name}» gjelder ikke i denne saken (vilkår: {doc.when}).")
    return doc


def gather(flow: Flow, opts: RunOptions) -> tuple[Interview, _dt.date]:
    """Answers from files and, when interactive, from the user."""
    aset = merge(opts.answers_files, flow)
    date = opts.date or aset.date or _dt.date.today()
    scope = section_scope(flow, opts.parts)
    counted = resolve(flow, aset.answers).counted
    for sid in aset.answers:
        if sid not in counted:
            warn(
                f"Merk: svaret på «{sid}» ({aset.origin[sid]}) teller ikke, "
                "fordi steget ikke gjelder med de andre svarene."
            )
    if interactive_wanted(opts):
        from .ui.conduct import conduct

        front: object
        if opts.plain or not terminal_can_do_more():
            from .ui.plain import PlainFrontEnd

            front = PlainFrontEnd()
        else:
            from .ui.terminal import TerminalFrontEnd

            front = TerminalFrontEnd()
        iv = Interview.start(flow, aset.answers, scope)
        iv = conduct(iv, front)  # type: ignore[arg-type]
        return iv, date
    answers = with_defaults(flow, aset.answers, scope)
    missing = [s.id for s in missing_required(flow, answers, scope)]
    if missing:
        raise MissingAnswersError(_missing_message(flow, missing))
    return Interview.start(flow, answers, scope), date


def emit(flow: Flow, iv: Interview, date: _dt.date, opts: RunOptions) -> None:
    """Write the documents where the options say."""
    import tomli_w

    case = Case(flow, iv.answers, date)
    if opts.parts:
        ids = [sid for sid in resolve(flow, iv.answers).path if iv.in_scope(sid)]
        text = tomli_w.dumps(answers_document(flow, dict(iv.answers), date, ids))
        _deliver(text, opts.out, opts.overwrite, "delsvarene")
        return
    if opts.out_dir is not None:
        from .output import ensure_private_dir, reason

        try:
            ensure_private_dir(opts.out_dir)
        except OSError as exc:
            from .errors import WriteError

            raise WriteError(f"Kunne ikke lage mappen {opts.out_dir}: {reason(exc)}.") from None
        docs = applicable_documents(case)
        if opts.document:
            docs = [pick_document(case, opts.document)]
        written: list[Path] = []
        if opts.fmt != "toml":
            for doc in docs:
                path = opts.out_dir / f"{doc.filename or doc.name}.{EXTENSIONS[opts.fmt]}"
                write_private(path, render(case, doc, opts.fmt), overwrite=opts.overwrite)
                written.append(path)
        record = opts.out_dir / f"{flow.id}-svar.toml"
        write_private(record, render(case, flow.primary_document, "toml"), overwrite=opts.overwrite)
        written.append(record)
        for path in written:
            say(f"Skrev {path}")
        return
    doc = pick_document(case, opts.document)
    _deliver(render(case, doc, opts.fmt), opts.out, opts.overwrite, doc.title)


def _deliver(text: str, out: Path | None, overwrite: bool, what: str) -> None:
    if out is None:
        write_stdout(text)
        return
    write_private(out, text, overwrite=overwrite)
    say(f"Skrev {what} til {out}")


def run_flow(ref: str, opts: RunOptions) -> int:
    _check_format(opts.fmt)
    if opts.out is not None and opts.out_dir is not None:
        raise UsageError("Bruk enten --ut eller --ut-mappe, ikke begge.")
    flow = resolve_flow(ref)
    iv, date = gather(flow, opts)
    emit(flow, iv, date, opts)
    return 0
