"""Running a flow, the options: what the command line asked for, and which flow it names.

`RunOptions` holds them; `resolve_flow` finds a flow by name or file, `section_scope` the steps
of the sections named with `--del`; `interactive_wanted` and `terminal_can_do_more` decide the
front end; `draft_options` is what a draft keeps to finish the same way later.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import sys
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import UsageError
from .fastclass import dataclass
from .model import DOCUMENT_FORMATS, Flow

if TYPE_CHECKING:
    from .draft_file import Draft
    from .values import Value


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
    kommune: str | None = None  # --kommune FIL|ID|ingen (kommune.select)
    take_over: bool = False  # --ta-over: a draft open in another window becomes this one's


def resolve_flow(ref: str) -> Flow:
    """The flow named by id or file, loaded; the user is told when their own flow or templates
    replace built-in ones."""
    from .resources import find_flow

    path = find_flow(ref)
    if path is None:
        raise UsageError(
            f"Fant ingen flyt som heter «{ref}». Se `omsorgslinje flyt liste`, eller oppgi en fil."
        )
    flow = load_flow(path)
    announce_replacements(ref, path, flow)
    return flow


def load_flow(path: Path) -> Flow:
    """The flow in a file, ready to run: through the cache of checked flows (flow_cache.py)
    when it can be used, else read and checked anew. The same flow and errors either way."""
    from . import cache, flow_cache
    from .ui.console import warn

    return flow_cache.load_flow(path, cache.session(warn))


def announce_replacements(ref: str, path: Path, flow: Flow) -> None:
    """Say on stderr which built-in flow and templates the user's own files replace."""
    from .errors import visible
    from .resources import replaced_flow
    from .ui.console import warn

    if replaced_flow(ref, path):
        warn(visible(f"Merk: den innebygde flyten «{ref}» er erstattet av din egen fil {path}."))
    for name, file in replaced_templates(flow):
        warn(visible(f"Merk: den innebygde malen «{name}» er erstattet av din egen fil {file}."))


def replaced_templates(flow: Flow) -> list[tuple[str, Path]]:
    """Built-in templates the user's own files replace for this flow (resources)."""
    from . import resources

    names: list[str] = []
    for doc in flow.documents:
        base = doc.template.removesuffix(".j2").removesuffix(".md")
        names += [doc.template, base + ".md.j2", base + ".txt.j2"]
    return resources.replaced_templates(flow.path, names, _templates_used)


def _templates_used(file: Path) -> list[str]:
    """The templates a template imports, includes or extends (by constant name)."""
    from jinja2 import meta

    from .expr import environment

    source = file.read_text(encoding="utf-8")
    return [n for n in meta.find_referenced_templates(environment().parse(source)) if n]


def slug(text: str) -> str:
    text = text.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def section_scope(flow: Flow, parts: list[str]) -> frozenset[str] | None:
    """The steps of the named sections: by name, or a unique beginning or part of it
    (`--del rusmiddelbruk` for the part «Henvisningen: rusmiddelbruk»)."""
    if not parts:
        return None
    names = [s for s in flow.sections if s]
    chosen: list[str] = []
    for part in parts:
        want = slug(part)
        exact = [n for n in names if slug(n) == want]
        hits = (
            exact
            or [n for n in names if slug(n).startswith(want)]
            or [n for n in names if want in slug(n)]
        )
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


def check_format(fmt: str) -> None:
    if fmt not in DOCUMENT_FORMATS:
        raise UsageError(f"Ukjent format «{fmt}». Velg en av: {', '.join(DOCUMENT_FORMATS)}.")


def draft_options(opts: RunOptions) -> dict[str, object]:
    """What a draft keeps of the options, to finish the same way later (paths made absolute)."""
    return {
        "format": opts.fmt,
        "ut": str(opts.out.absolute()) if opts.out is not None else None,
        "ut_mappe": str(opts.out_dir.absolute()) if opts.out_dir is not None else None,
        "dokument": opts.document,
        "deler": list(opts.parts),
        "enkel": opts.plain,
        "kommune": opts.kommune,
    }


BINARY_TO_TERMINAL = (  # short lines: a narrow terminal does not break them mid-word
    "Et Word-dokument (docx) er en binærfil og kan ikke vises\n"
    "i terminalen. Skriv det til en fil:\n"
    "  --ut notat.docx      ett dokument\n"
    "  --ut-mappe MAPPE     alle dokumentene i saken\n"
    "  > notat.docx         standard ut til en fil"
)


def precheck(opts: RunOptions) -> None:
    """Options that cannot work are refused before the first question is asked."""
    if opts.out is not None and opts.out.suffix.lower() == ".docx":
        if opts.fmt == "md":  # the default: --ut notat.docx makes a Word file, as its name says
            opts.fmt = "docx"
        elif opts.fmt != "docx":
            raise UsageError(
                f"Filen {opts.out} heter .docx, men formatet er {opts.fmt}. "
                "Bruk --format docx, eller et annet filnavn."
            )
    check_format(opts.fmt)
    if (
        opts.fmt == "docx"
        and opts.out is None
        and opts.out_dir is None
        and not opts.parts
        and sys.stdout.isatty()
    ):
        raise UsageError(BINARY_TO_TERMINAL)
    if opts.out is not None and opts.out_dir is not None:
        raise UsageError("Bruk enten --ut eller --ut-mappe, ikke begge.")
    if opts.out is not None and not opts.overwrite and opts.out.is_file():
        from .errors import WriteError

        raise WriteError(
            f"Filen {opts.out} finnes fra før. Bruk --overskriv for å erstatte den, "
            "eller velg et annet navn."
        )


def check_destination(opts: RunOptions, flow: Flow) -> None:
    """Where the documents go is checked before the first question, not after forty answers:
    the folder of --ut exists and can be written, --ut is not a folder; --ut-mappe is a folder
    that can be written (or can be made), and none of the files the flow could write there
    exists without --overskriv."""
    from .errors import WriteError

    def writable(folder: Path, what: str) -> None:
        if not folder.exists():
            raise WriteError(f"Mappen {folder} finnes ikke, så {what} kan ikke skrives der.")
        if not folder.is_dir():
            raise WriteError(f"{folder} er ikke en mappe, så {what} kan ikke skrives der.")
        if not os.access(folder, os.W_OK | os.X_OK):
            raise WriteError(f"Du har ikke skrivetilgang til mappen {folder}.")

    if opts.out is not None:
        if opts.out.is_dir():
            raise WriteError(f"{opts.out} er en mappe. Bruk --ut-mappe for en mappe.")
        writable(opts.out.absolute().parent, str(opts.out))
    if opts.out_dir is not None and not opts.parts:
        folder = opts.out_dir
        if folder.exists():
            writable(folder, "dokumentene")
        else:
            parent = folder.absolute().parent
            writable(parent, f"mappen {folder}")
        if opts.overwrite or not folder.is_dir():
            return
        from .run_documents import EXTENSIONS

        ext = EXTENSIONS.get(opts.fmt, opts.fmt)
        names = [f"{d.filename or d.name}.{ext}" for d in flow.documents]
        if opts.document:
            names = [
                n for n, d in zip(names, flow.documents, strict=True) if d.name == opts.document
            ]
        names.append(f"{flow.id}-svar.toml")
        there = [n for n in names if (folder / n).exists()]
        if there:
            raise WriteError(
                f"Mappen {folder} har allerede {', '.join(there)}. Bruk --overskriv for å "
                "erstatte, eller velg en annen mappe."
            )


def flow_of(draft: Draft) -> Flow:
    """The flow a draft belongs to: its file when that still exists, else by id."""
    from .draft_file import DraftError

    if draft.flow_path and Path(draft.flow_path).is_file():
        flow = load_flow(Path(draft.flow_path))
        announce_replacements(draft.flow_id, Path(draft.flow_path), flow)
        return flow
    try:
        return resolve_flow(draft.flow_id)
    except UsageError:
        raise DraftError(
            f"Fant ikke flyten «{draft.flow_id}» som utkastet {draft.id} hører til"
            + (f" (filen {draft.flow_path} finnes ikke lenger)." if draft.flow_path else ".")
        ) from None


def recorded_profile(paths: list[Path]) -> str | None:
    """`[omsorgslinje] kommune` of the answers files (the TOML record of a case), if any."""
    if not paths:
        return None  # (and the TOML reader is not loaded)
    from .toml_text import read_toml

    for path in paths:
        data, _, _ = read_toml(path)
        meta = data.get("omsorgslinje") if isinstance(data, dict) else None
        value = meta.get("kommune") if isinstance(meta, dict) else None
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def use_profile(opts: RunOptions) -> None:
    """The municipality profile the texts take their numbers from; a broken one stops here,
    before the first question."""
    from .kommune import activate, select

    selected = select(opts.kommune)
    activate(selected)
    if selected.profile is not None:
        from .contacts import stale
        from .ui.console import warn

        old = stale(selected.profile, _dt.date.today())
        if old:
            warn(old)


def missing_message(flow: Flow, missing: list[str], answers: dict[str, Value | None]) -> str:
    """What is missing for a run without questions: every required question at once, worded
    as it would be asked."""
    from .engine import resolve
    from .expr import render_text

    context = resolve(flow, answers).context

    def shown(prompt: str) -> str:  # a question worded by earlier answers, as it would be asked
        try:
            return render_text(prompt, context).strip() if "{" in prompt else prompt
        except Exception:
            return prompt

    lines = [f"Mangler svar på {len(missing)} påkrevde spørsmål i flyten «{flow.id}»:"]
    lines += [f"  - {sid}: {shown(flow.step(sid).prompt)}" for sid in missing]
    lines.append(
        "Legg svarene i [svar]-tabellen i svarfilen, eller svar på spørsmålene i en terminal "
        "(uten --ikke-interaktiv)."
    )
    return "\n".join(lines)
