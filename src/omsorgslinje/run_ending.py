"""The end of an interview in a terminal: what now, and every document delivered.

After «Ja, lag dokumentene» the user sees, on the terminal: the duties that apply, the next
steps with who and when, and each document of the case with where it went. When standard
output is the terminal, the note is shown readably (not raw Markdown) and nothing is written
there; the user saves the documents in a folder or copies one as plain text to the clipboard.
Documents of the case not yet delivered are offered (the coordinator application when consent
was given); the draft is kept until every one has been, so none is lost.
"""

from __future__ import annotations

import datetime as _dt
import sys
from dataclasses import replace
from pathlib import Path

from .engine import Interview
from .errors import OmsorgslinjeError
from .model import Document, Flow
from .render import Case, document_applies, next_steps, render
from .run_documents import emit, folder_paths
from .run_options import RunOptions
from .ui.console import say, warn

FINISHED = "ferdig"
FOLDER = "mappe"


def wanted(opts: RunOptions) -> bool:
    """The ending is for a person at a terminal who asked for the case's documents."""
    from .run_options import interactive_wanted

    if opts.parts or opts.document:
        return False
    try:
        return interactive_wanted(opts) and sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def _stdout_is_terminal() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def duties(iv: Interview) -> list[str]:
    """The first sentence of every urgent panel the interview showed (`level = "urgent"`)."""
    from .ui.common import as_shown, blocks

    out = []
    for sid in iv.path:
        step = iv.flow.step(sid)
        if step.type != "info" or step.level != "urgent":
            continue
        parts = blocks(as_shown(iv, step).prompt)
        if not parts:
            continue
        text = parts[0][1]
        end = text.find(". ")
        out.append(text[: end + 1] if end > 0 else text)
    return out


def summary(case: Case, iv: Interview) -> list[tuple[str, str]]:
    """(style, line) for the terminal: duties and next steps."""
    lines: list[tuple[str, str]] = [("bold", "Ferdig.")]
    found = duties(iv)
    if found:
        lines.append(("bold red", "Plikter:"))
        lines += [("", f"  - {d}") for d in found]
    steps = next_steps(case)
    if steps:
        lines.append(("bold", "Neste steg:"))
        for n, s in enumerate(steps, 1):
            who = ", ".join(p for p in (s["hvem"], s["når"]) if p)
            lines.append(("", f"  {n}. {s['hva']}" + (f" ({who})" if who else "")))
    return lines


def _say_wrapped(lines: list[tuple[str, str]], plain: bool = False) -> None:
    from .ui.choose import wrap
    from .ui.common import term_width

    width = min(term_width(), 100)
    for style, line in lines:
        lead = len(line) - len(line.lstrip())
        marker = line.lstrip().split(" ", 1)[0]
        indent = " " * (lead + len(marker) + 1) if line.startswith("  ") else ""
        for part in wrap(line, width, indent, line[: len(line) - len(line.lstrip())]) or [""]:
            if plain:
                sys.stderr.write(part + "\n")
            else:
                say(part, style)
    sys.stderr.flush()


def show_note(text: str, plain: bool) -> None:
    """A Markdown document, readably on the terminal (rendered by rich; as it is in --enkel)."""
    if plain:
        sys.stderr.write(text + "\n")
        return
    from rich.markdown import Markdown

    from .ui.common import term_width
    from .ui.console import console

    console().print(Markdown(text), width=min(term_width(), 100))


def own_documents(case: Case) -> list[Document]:
    return [d for d in case.flow.documents if document_applies(case, d)]


def finish(
    flow: Flow, iv: Interview, date: _dt.date, opts: RunOptions, draft_id: str | None
) -> list[Document]:
    """Write or offer every document of the case; the ones not delivered in the end."""
    case = Case(flow, iv.answers, date)
    docs = own_documents(case)
    delivered: dict[str, str] = {}
    to_screen = opts.out is None and opts.out_dir is None and _stdout_is_terminal()
    if not to_screen:
        emit(flow, iv, date, opts)
        if opts.out_dir is not None:
            delivered.update({d.name: _in_folder(opts.out_dir, d, opts.fmt) for d in docs})
        else:
            delivered[flow.primary_document.name] = str(opts.out) if opts.out else "standard ut"
    if to_screen:
        show_note(render(case, flow.primary_document, "md"), opts.plain)
        say("")
    _say_wrapped(summary(case, iv), opts.plain)
    remaining = [d for d in docs if d.name not in delivered]
    if remaining:
        shown = flow.primary_document if to_screen else None
        _offer(case, iv, opts, remaining, delivered, shown)
    remaining = [d for d in docs if d.name not in delivered]
    _say_wrapped([("bold", "Dokumentene i saken:")], opts.plain)
    for d in docs:
        where = delivered.get(d.name)
        _say_wrapped([("", f"  - {d.title}: {where if where else 'ikke lagret'}")], opts.plain)
    return remaining


def _offer(
    case: Case,
    iv: Interview,
    opts: RunOptions,
    remaining: list[Document],
    delivered: dict[str, str],
    shown: Document | None,
) -> None:
    from .ui.ending import ask_choice, ask_folder

    while True:
        remaining = [d for d in remaining if d.name not in delivered]
        if not remaining:
            return
        items: list[tuple[str, object]] = [
            (
                "Lagre dokumentet i en mappe"
                if len(remaining) == 1
                else "Lagre begge dokumentene i en mappe"
                if len(remaining) == 2
                else f"Lagre alle de {len(remaining)} dokumentene i en mappe",
                FOLDER,
            ),
        ]
        for d in remaining:
            items.append(
                (f"Kopier {d.title.lower()} som ren tekst til utklippstavlen", ("kopi", d))
            )
        for d in remaining:
            if d != shown:
                items.append((f"Vis {d.title.lower()}", ("vis", d)))
        items.append(("Ferdig for nå (utkastet beholdes til alt er lagret)", FINISHED))
        choice = ask_choice(opts.plain, "Hva vil du gjøre med dokumentene?", items)
        if choice == FINISHED:
            return
        if choice == FOLDER:
            suggestion = f"{case.flow.id}-{case.date:%Y-%m-%d}"
            folder = ask_folder(opts.plain, suggestion)
            if folder is None:
                continue
            try:
                emit(case.flow, iv, case.date, replace(opts, out=None, out_dir=folder))
            except OmsorgslinjeError as exc:
                warn(exc.message)
                continue
            for d in remaining:
                delivered[d.name] = _in_folder(folder, d, opts.fmt)
            continue
        assert isinstance(choice, tuple)
        what, doc = choice
        if what == "vis":
            show_note(render(case, doc, "md"), opts.plain)
            continue
        from .clipboard import copy

        try:
            tool = copy(render(case, doc, "txt"))
        except OmsorgslinjeError as exc:
            warn(exc.message)
            continue
        delivered[doc.name] = "utklippstavlen"
        say(f"{doc.title} er kopiert til utklippstavlen som ren tekst (med {tool}).")


def _in_folder(folder: Path, doc: Document, fmt: str) -> str:
    """The file `--ut-mappe` wrote `doc` to (and the note's plain-text copy beside it)."""
    path, *copies = folder_paths(folder, doc, fmt)
    return str(path) + "".join(f" (og {copy.name})" for copy in copies)


def keep_message(remaining: list[Document], draft_id: str | None) -> str:
    names = ", ".join(d.title for d in remaining)
    if draft_id is None:
        return f"Ikke lagret: {names}. Det finnes ikke noe utkast (--uten-utkast)."
    return (
        f"Ikke lagret ennå: {names}. Utkastet {draft_id} er beholdt; hent dokumentene med "
        f"`omsorgslinje utkast fortsett {draft_id} --ut-mappe MAPPE`."
    )
