"""Running a flow: answers in (files, prompts), documents out (stdout, a file, a directory).

The imperative shell around the engine. Everything it decides is plain: which answers, which
front end, which documents, where they go. Errors are raised as OmsorgslinjeError; the command
line maps them to messages and exit codes. The options are in `run_options.py`, the documents
in `run_documents.py`; this module gathers the answers and runs a flow or a draft to the end.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .draft_file import Draft, DraftError, new_id, now, stamp
from .drafts import DraftStore
from .engine import Interview, missing_required, resolve, with_defaults
from .errors import (
    DRAFT_ATTRIBUTE,
    Interrupted,
    MissingAnswersError,
    OmsorgslinjeError,
)
from .model import Flow
from .run_options import (
    RunOptions,
    check_destination,
    draft_options,
    flow_of,
    interactive_wanted,
    missing_message,
    precheck,
    recorded_profile,
    resolve_flow,
    section_scope,
    terminal_can_do_more,
    use_profile,
)
from .ui.console import say, warn
from .values import Value

if TYPE_CHECKING:
    from .draft_session import DraftSession


def _front_end(opts: RunOptions) -> object:
    if opts.plain or not terminal_can_do_more():
        from .ui.plain import PlainFrontEnd

        return PlainFrontEnd()
    from .ui.terminal import TerminalFrontEnd

    return TerminalFrontEnd()


def _stopped(session: DraftSession | None, what: str = "Avbrutt.", flow: Flow | None = None) -> str:
    if session is not None:
        session.lock.release()  # the draft is free for the next window at once
    if session is None:
        return f"{what} Ingen utkast er lagret (--uten-utkast)."
    if session.failed and flow is not None:
        # the draft folder could not take the last answers: save them somewhere else
        rescued = session.rescue(flow)
        if rescued is not None:
            return (
                f"{what} Utkastet kunne ikke lagres, så svarene er lagret i {rescued} (bare "
                f"lesbar for deg). Fortsett med `omsorgslinje start {flow.id} --svar {rescued}`; "
                "slett filen når dokumentene er laget."
            )
    return f"{what} {session.how_to_go_on()}"


def _resume(
    store: DraftStore, draft: Draft, flow: Flow, opts: RunOptions
) -> tuple[Interview, _dt.date]:
    """The interview a draft holds; reports answers the changed flow cannot take."""
    from .draft_session import describe_lost, restore

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
        f"{found.answered} spørsmål besvart."
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
        typed = {k: v for k, v in draft.typing.items() if not flow.identifying(k)}
        from .draft_session import DraftSession  # an interview's drafts: not for a replay

        session = DraftSession(store, draft, warn, take_over=opts.take_over)
        session.save(iv)
        # text typed before an interruption goes back in its box; text being typed reaches
        # the draft every few seconds
        front.typed = typed  # type: ignore[attr-defined]
        front.on_typing = _typing_saver(flow, session)  # type: ignore[attr-defined]
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
        _keep_typing(flow, front, session)
        raise Interrupted(_stopped(session, flow=flow)) from None
    except Signalled as sig:
        _keep_typing(flow, front, session)
        raise Interrupted(_stopped(session, "Avsluttet.", flow), 128 + sig.signum) from None
    except Exception as exc:
        name_draft(exc, session)
        raise
    return iv, date, session


def name_draft(exc: BaseException, session: DraftSession | None) -> None:
    """An internal error leaving the interview carries where its saved draft is, for the
    message in __main__ (the path only, never what the draft holds)."""
    if session is not None and session.saved and not isinstance(exc, OmsorgslinjeError):
        with contextlib.suppress(Exception):
            setattr(exc, DRAFT_ATTRIBUTE, session.path)


def _typing_saver(flow: Flow, session: DraftSession) -> Callable[[str, str], None]:
    def save(step_id: str, text: str) -> None:
        if not flow.identifying(step_id):
            session.save_typing(step_id, text)

    return save


def _keep_typing(flow: Flow, front: object, session: DraftSession | None) -> None:
    """On any interruption: the text being typed into the draft; then a draft with nothing
    in it is not kept."""
    if session is None:
        return
    unsaved = getattr(front, "unsaved", None)
    if unsaved and not flow.identifying(unsaved[0]):
        session.save_typing(*unsaved)
    session.drop_if_empty()


def gather(
    flow: Flow, opts: RunOptions, resume: Draft | None = None
) -> tuple[Interview, _dt.date, DraftSession | None]:
    """Answers from files, a draft and, when interactive, from the user."""
    given: dict[str, Value | None] = {}
    origin: dict[str, str] = {}
    file_date: _dt.date | None = None
    if opts.answers_files:  # (without any, answers.py and the TOML reader are not loaded)
        from .answers import merge

        aset = merge(opts.answers_files, flow)
        given, origin, file_date = aset.answers, aset.origin, aset.date
    date = opts.date or file_date or _dt.date.today()
    scope = section_scope(flow, opts.parts)
    counted = resolve(flow, given).counted
    for sid in given:
        if sid not in counted:
            warn(
                f"Merk: svaret på «{sid}» ({origin[sid]}) teller ikke, "
                "fordi steget ikke gjelder med de andre svarene."
            )
    store = DraftStore()
    if interactive_wanted(opts):
        return _interview(flow, opts, Interview.start(flow, given, scope), date, store, resume)
    if resume is not None:  # a draft finished without asking: it must hold every answer
        iv, date = _resume(store, resume, flow, opts)
        answers, missing = _completed(flow, dict(iv.answers), iv.scope)
        if missing:
            raise MissingAnswersError(
                f"Utkastet {resume.id} er ikke ferdig. Fortsett det i en terminal: "
                f"`omsorgslinje utkast fortsett {resume.id}`."
            )
        from .draft_session import DraftSession

        session = DraftSession(store, resume, warn, take_over=opts.take_over)
        return Interview.start(flow, answers, iv.scope), date, session
    answers, missing = _completed(flow, given, scope)
    if missing:
        raise MissingAnswersError(missing_message(flow, missing, answers))
    return Interview.start(flow, answers, scope), date, None


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
    """Write the documents; then the draft goes (unless --behold-utkast). Kept on failure,
    and kept while a document of the case has not been delivered."""
    from . import run_ending

    remaining: list[object] = []
    try:
        if run_ending.wanted(opts):
            remaining = list(
                run_ending.finish(flow, iv, date, opts, session.id if session else None)
            )
        else:
            from .run_documents import emit  # the documents: not needed to ask

            emit(flow, iv, date, opts)
    except (KeyboardInterrupt, EOFError):
        raise Interrupted(_stopped(session)) from None
    except Exception as exc:
        name_draft(exc, session)
        if session is not None:
            session.lock.release()
        if not isinstance(exc, OmsorgslinjeError):
            raise
        if session is not None and session.path.exists():
            exc.message = (
                f"{exc.message}\nSvarene er tatt vare på i utkastet {session.path}. "
                f"Dokumentet får du med `omsorgslinje utkast fortsett {session.id} --ut FIL` "
                "(eller --ut-mappe MAPPE)."
            )
        raise
    if remaining:
        if session is not None and not session.path.exists():
            session.store.save(session.draft)  # answers from files only: kept all the same
        warn(run_ending.keep_message(remaining, session.id if session else None))  # type: ignore[arg-type]
        if session is not None:
            session.lock.release()
        return 0
    if session is not None:
        if opts.keep_draft:
            if session.path.exists():
                say(f"Utkastet {session.id} er beholdt (--behold-utkast).")
            session.lock.release()
        else:
            session.delete()
    return 0


def run_flow(ref: str, opts: RunOptions) -> int:
    precheck(opts)
    if opts.kommune is None:  # a case's record names the profile its documents were made with
        opts.kommune = recorded_profile(opts.answers_files)
    use_profile(opts)
    _clean_up(DraftStore())
    flow = resolve_flow(ref)
    check_destination(opts, flow)
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
    from .draft_lock import DraftLock

    # another window holding it: say so before anything else is checked or asked
    DraftLock(store.directory, draft.id).check(bool(overrides.get("take_over")))
    saved = dict(draft.options)
    opts = RunOptions(
        plain=bool(saved.get("enkel", False)),
        fmt=str(saved.get("format", "md")),
        out=Path(str(saved["ut"])) if saved.get("ut") else None,
        document=str(saved["dokument"]) if saved.get("dokument") else None,
        out_dir=Path(str(saved["ut_mappe"])) if saved.get("ut_mappe") else None,
        parts=[str(p) for p in saved.get("deler", []) or []],
        kommune=str(saved["kommune"]) if saved.get("kommune") else None,
    )
    for key, value in overrides.items():
        if value is not None and value is not False:
            setattr(opts, key, value)
    if overrides.get("out") is not None:
        opts.out_dir = None
    if overrides.get("out_dir") is not None:
        opts.out = None
    try:
        precheck(opts)
        use_profile(opts)
    except OmsorgslinjeError as exc:
        exc.message += (
            f"\nUtkastet {draft.id} er ikke endret; fortsett med "
            f"`omsorgslinje utkast fortsett {draft.id}` og andre valg."
        )
        raise
    flow = flow_of(draft)
    try:
        check_destination(opts, flow)
    except OmsorgslinjeError as exc:
        exc.message += (
            f"\nUtkastet {draft.id} er ikke endret; fortsett med "
            f"`omsorgslinje utkast fortsett {draft.id}` og andre valg (--ut, --ut-mappe, "
            "--overskriv)."
        )
        raise
    draft.options = draft_options(opts)
    iv, date, session = gather(flow, opts, resume=draft)
    return _finish(flow, iv, date, opts, session)
