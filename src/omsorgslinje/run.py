"""Running a flow: answers in (files, prompts), documents out (stdout, a file, a directory).

The imperative shell around the engine. Everything it decides is plain: which answers, which
front end, which documents, where they go. Errors are raised as OmsorgslinjeError; the command
line maps them to messages and exit codes.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .answers import answers_document, merge
from .drafts import Draft, DraftError, DraftSession, DraftStore, new_id, now, stamp
from .engine import Interview, missing_required, resolve, with_defaults
from .errors import Interrupted, MissingAnswersError, OmsorgslinjeError, UsageError
from .loader import load_flow
from .model import DOCUMENT_FORMATS, Document, Flow
from .output import write_private, write_stdout
from .render import Case, applicable_documents, render
from .ui.console import say, warn
from .values import Value

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


def _check_format(fmt: str) -> None:
    if fmt not in DOCUMENT_FORMATS:
        raise UsageError(f"Ukjent format «{fmt}». Velg en av: {', '.join(DOCUMENT_FORMATS)}.")


def _missing_message(flow: Flow, missing: list[str]) -> str:
    lines = [f"Mangler svar på {len(missing)} påkrevde spørsmål i flyten «{flow.id}»:"]
    lines += [f"  - {sid}: {flow.step(sid).prompt}" for sid in missing]
    lines.append(
        "Legg svarene i [svar]-tabellen i svarfilen, eller svar på spørsmålene i en terminal "
        "(uten --ikke-interaktiv)."
    )
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


def _front_end(opts: RunOptions) -> object:
    if opts.plain or not terminal_can_do_more():
        from .ui.plain import PlainFrontEnd

        return PlainFrontEnd()
    from .ui.terminal import TerminalFrontEnd

    return TerminalFrontEnd()


def draft_options(opts: RunOptions) -> dict[str, object]:
    """What a draft keeps of the options, to finish the same way later (paths made absolute)."""
    return {
        "format": opts.fmt,
        "ut": str(opts.out.absolute()) if opts.out is not None else None,
        "ut_mappe": str(opts.out_dir.absolute()) if opts.out_dir is not None else None,
        "dokument": opts.document,
        "deler": list(opts.parts),
        "enkel": opts.plain,
    }


def _stopped(session: DraftSession | None, what: str = "Avbrutt.") -> str:
    if session is None:
        return f"{what} Ingen utkast er lagret (--uten-utkast)."
    return f"{what} {session.how_to_go_on()}"


def _resume(
    store: DraftStore, draft: Draft, flow: Flow, opts: RunOptions
) -> tuple[Interview, _dt.date]:
    """The interview a draft holds; reports answers the changed flow cannot take."""
    from .drafts import describe_lost, restore

    restored = restore(draft, flow)
    copy = None
    if restored.lost:
        try:
            copy = store.copy_aside(draft)
        except (OSError, OmsorgslinjeError):
            raise DraftError(
                f"Utkastet {draft.id} har svar som flyten ikke lenger kan ta imot, og en kopi "
                "av det kunne ikke lagres. Utkastet er ikke endret."
            ) from None
    for line in describe_lost(restored, draft, copy):
        warn(line)
    return restored.iv, opts.date or draft.date


def _completed(
    flow: Flow, answers: dict[str, Value | None], scope: frozenset[str] | None
) -> tuple[dict[str, Value | None], list[str]]:
    """The answers with the defaults filled in, and the required steps still unanswered."""
    filled = with_defaults(flow, answers, scope)
    return filled, [s.id for s in missing_required(flow, filled, scope)]


def _offer_draft(store: DraftStore, flow: Flow, front: object, opts: RunOptions) -> Draft | None:
    """The flow's latest draft, when the user chooses to continue it."""
    found, messages = store.latest_for(flow.id)
    for line in messages:
        warn(line)
    if found is None:
        return None
    from .ui.resume import ask_continue

    question = (
        f"Du har et utkast av «{flow.title}» ({found.id}), startet "
        f"{stamp(found.started)}, sist endret {stamp(found.changed)}: "
        f"{found.answered} av {found.total} spørsmål besvart."
    )
    if not ask_continue(front, question):
        return None
    found.options = draft_options(opts)
    return found


def _new_draft(flow: Flow, date: _dt.date, opts: RunOptions) -> Draft:
    started = now()
    return Draft(
        id=new_id(flow.id, started),
        flow_id=flow.id,
        flow_version=flow.version,
        flow_path=str(Path(flow.path).absolute()) if flow.path else "",
        started=started,
        changed=started,
        date=date,
        options=draft_options(opts),
    )


def _interview(
    flow: Flow,
    opts: RunOptions,
    iv: Interview,
    date: _dt.date,
    store: DraftStore,
    draft: Draft | None,
) -> tuple[Interview, _dt.date, DraftSession | None]:
    """Ask the user, saving a draft after every answer (unless --uten-utkast)."""
    from .ui.conduct import conduct

    front = _front_end(opts)
    if draft is None and not opts.no_draft and not opts.answers_files:
        draft = _offer_draft(store, flow, front, opts)
    resumed = draft is not None
    if draft is not None:
        iv, date = _resume(store, draft, flow, opts)
        draft.date = date
    session: DraftSession | None = None
    if not opts.no_draft:
        draft = draft or _new_draft(flow, date, opts)
        draft.flow_version = flow.version
        session = DraftSession(store, draft, warn)
        session.save(iv)
    from .ui.signals import Signalled, stopped_cleanly

    try:
        with stopped_cleanly(defer=getattr(front, "defers_signals", False)):
            iv = conduct(
                iv,
                front,  # type: ignore[arg-type]
                on_change=session.save if session is not None else (lambda iv: None),
                resumed=resumed,
            )
    except (KeyboardInterrupt, EOFError):
        raise Interrupted(_stopped(session)) from None
    except Signalled as sig:
        raise Interrupted(_stopped(session, "Avsluttet."), 128 + sig.signum) from None
    return iv, date, session


def gather(
    flow: Flow, opts: RunOptions, resume: Draft | None = None
) -> tuple[Interview, _dt.date, DraftSession | None]:
    """Answers from files, a draft and, when interactive, from the user."""
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
    store = DraftStore()
    if interactive_wanted(opts):
        return _interview(
            flow, opts, Interview.start(flow, aset.answers, scope), date, store, resume
        )
    if resume is not None:  # a draft finished without asking: it must hold every answer
        iv, date = _resume(store, resume, flow, opts)
        answers, missing = _completed(flow, dict(iv.answers), iv.scope)
        if missing:
            raise MissingAnswersError(
                f"Utkastet {resume.id} er ikke ferdig. Fortsett det i en terminal: "
                f"`omsorgslinje utkast fortsett {resume.id}`."
            )
        return Interview.start(flow, answers, iv.scope), date, DraftSession(store, resume)
    answers, missing = _completed(flow, aset.answers, scope)
    if missing:
        raise MissingAnswersError(_missing_message(flow, missing))
    return Interview.start(flow, answers, scope), date, None


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
        # render everything first: a template error writes nothing
        texts: list[tuple[Path, str]] = []
        if opts.fmt != "toml":
            for doc in docs:
                path = opts.out_dir / f"{doc.filename or doc.name}.{EXTENSIONS[opts.fmt]}"
                texts.append((path, render(case, doc, opts.fmt)))
        record = opts.out_dir / f"{flow.id}-svar.toml"
        texts.append((record, render(case, flow.primary_document, "toml")))
        _write_all(texts, opts.overwrite)
        for path, _ in texts:
            say(f"Skrev {path}")
        return
    doc = pick_document(case, opts.document)
    _deliver(render(case, doc, opts.fmt), opts.out, opts.overwrite, doc.title)


def _write_all(texts: list[tuple[Path, str]], overwrite: bool) -> None:
    """Write every file, or none: on failure, files this run created are removed again."""
    from .errors import WriteError

    if not overwrite:
        for path, _ in texts:
            if path.exists():
                raise WriteError(
                    f"Filen {path} finnes fra før. Bruk --overskriv for å erstatte den."
                )
    created: list[Path] = []
    try:
        for path, text in texts:
            existed = path.exists()
            write_private(path, text, overwrite=overwrite)
            if not existed:
                created.append(path)
    except BaseException:
        for path in created:
            with contextlib.suppress(OSError):
                path.unlink()
        raise


def _deliver(text: str, out: Path | None, overwrite: bool, what: str) -> None:
    if out is None:
        write_stdout(text)
        return
    write_private(out, text, overwrite=overwrite)
    say(f"Skrev {what} til {out}")


def _precheck(opts: RunOptions) -> None:
    _check_format(opts.fmt)
    if opts.out is not None and opts.out_dir is not None:
        raise UsageError("Bruk enten --ut eller --ut-mappe, ikke begge.")
    if opts.out is not None and not opts.overwrite and opts.out.is_file():
        from .errors import WriteError

        raise WriteError(
            f"Filen {opts.out} finnes fra før. Bruk --overskriv for å erstatte den, "
            "eller velg et annet navn."
        )


def _clean_up(store: DraftStore) -> None:
    from .drafts import clean_up_old

    for line in clean_up_old(store):
        warn(line)


def _finish(
    flow: Flow,
    iv: Interview,
    date: _dt.date,
    opts: RunOptions,
    session: DraftSession | None,
) -> int:
    """Write the documents; then the draft goes (unless --behold-utkast). Kept on failure."""
    try:
        emit(flow, iv, date, opts)
    except OmsorgslinjeError as exc:
        if session is not None and session.path.exists():
            exc.message = f"{exc.message}\n{session.how_to_go_on()}"
        raise
    if session is not None:
        if opts.keep_draft:
            if session.path.exists():
                say(f"Utkastet {session.id} er beholdt (--behold-utkast).")
        else:
            session.delete()
    return 0


def run_flow(ref: str, opts: RunOptions) -> int:
    _precheck(opts)
    _clean_up(DraftStore())
    flow = resolve_flow(ref)
    iv, date, session = gather(flow, opts)
    return _finish(flow, iv, date, opts, session)


def resume_flow(draft_ref: str | None, overrides: dict[str, object]) -> int:
    """`omsorgslinje utkast fortsett [ID]`: the newest draft, or the one named."""
    store = DraftStore()
    _clean_up(store)
    if draft_ref is None:
        drafts, messages = store.scan()
        for line in messages:
            warn(line)
        if not drafts:
            raise DraftError("Det finnes ingen utkast å fortsette.")
        draft = drafts[0]
        if len(drafts) > 1:
            say(
                f"Fortsetter det sist endrede utkastet, {draft.id}. "
                "Se alle med `omsorgslinje utkast liste`."
            )
    else:
        draft = store.load(draft_ref)
    saved = dict(draft.options)
    opts = RunOptions(
        plain=bool(saved.get("enkel", False)),
        fmt=str(saved.get("format", "md")),
        out=Path(str(saved["ut"])) if saved.get("ut") else None,
        document=str(saved["dokument"]) if saved.get("dokument") else None,
        out_dir=Path(str(saved["ut_mappe"])) if saved.get("ut_mappe") else None,
        parts=[str(p) for p in saved.get("deler", []) or []],
    )
    for key, value in overrides.items():
        if value is not None and value is not False:
            setattr(opts, key, value)
    if overrides.get("out") is not None:
        opts.out_dir = None
    if overrides.get("out_dir") is not None:
        opts.out = None
    try:
        _precheck(opts)
    except OmsorgslinjeError as exc:
        exc.message += (
            f"\nUtkastet {draft.id} er ikke endret; fortsett med "
            f"`omsorgslinje utkast fortsett {draft.id}` og andre valg."
        )
        raise
    flow = _flow_of(draft)
    draft.options = draft_options(opts)
    iv, date, session = gather(flow, opts, resume=draft)
    return _finish(flow, iv, date, opts, session)


def _flow_of(draft: Draft) -> Flow:
    """The flow a draft belongs to: its file when that still exists, else by id."""
    if draft.flow_path and Path(draft.flow_path).is_file():
        return load_flow(Path(draft.flow_path))
    try:
        return resolve_flow(draft.flow_id)
    except UsageError:
        raise DraftError(
            f"Fant ikke flyten «{draft.flow_id}» som utkastet {draft.id} hører til"
            + (f" (filen {draft.flow_path} finnes ikke lenger)." if draft.flow_path else ".")
        ) from None
