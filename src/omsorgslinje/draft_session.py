"""One interview's draft: saved after every answer, and resumed against the flow as it is now.

`DraftSession.save` is the interview loop's `on_change`; a failing save never stops the
interview. `restore` rebuilds the interview a draft holds, and reports answers the flow no
longer has or accepts (by step id, never the answer).
"""

from __future__ import annotations

from dataclasses import field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .draft_file import Draft, now
from .drafts import DraftStore
from .errors import InvalidValue, WriteError
from .fastclass import dataclass

if TYPE_CHECKING:
    from .engine import Interview
    from .model import Flow
    from .values import Value


RESCUE_OFFER = (
    "Trykk Ctrl-C for å lagre svarene som en svarfil i mappen du står i, eller svar videre: "
    "lagringen prøves igjen etter neste svar."
)


def progress_of(iv: Interview) -> tuple[int, int]:
    """How far: questions answered among the questions that apply, and their count."""
    asking = [sid for sid in iv.path if iv.flow.step(sid).asks]
    counted = iv.counted
    return sum(1 for sid in asking if sid in counted), len(asking)


def capture(draft: Draft, iv: Interview) -> Draft:
    """The draft updated to where the interview stands."""
    answered, total = progress_of(iv)
    return replace(
        draft,
        answers=iv.flow.storable(iv.answers),  # identifying answers never reach the disk
        cursor=iv.cursor,
        trail=tuple(iv.trail),
        editing=iv.editing,
        scope=iv.scope,
        answered=answered,
        total=total,
        changed=now(),
        reference=case_reference(iv),
    )


def case_reference(iv: Interview) -> str:
    """The answer to the first question for initials or a case reference (never an
    identifying step): what `utkast liste` shows to tell two cases apart."""
    from .values import is_reference_step

    for step in iv.flow.steps:
        if is_reference_step(step) and not step.identifying:
            value = iv.answers.get(step.id)
            if isinstance(value, str):
                return value[:40]
    return ""


# -- resuming ----------------------------------------------------------------------------------


@dataclass
class Restored:
    iv: Interview
    gone: list[str]  # steps answered in the draft that the flow no longer has
    unfit: list[str]  # steps whose saved answer the flow no longer accepts
    version_changed: bool
    # identifying steps (never saved) before the point reached: asked again
    asked_again: list[str] = field(default_factory=list)

    @property
    def lost(self) -> list[str]:
        return [*self.gone, *self.unfit]


def restore(draft: Draft, flow: Flow) -> Restored:
    """The interview a draft holds, against the flow as it is now.

    With the same flow version and every answer still fitting, the interview stands exactly
    where it stopped (also mid-way through changing an answer). Otherwise it resumes at the
    first step that applies and has no answer; answers to steps that are gone, or that no
    longer fit their step, are reported by step id.
    """
    from .engine import Interview
    from .values import coerce

    answers: dict[str, Value | None] = {}
    gone: list[str] = []
    unfit: list[str] = []
    for key, value in draft.answers.items():
        sid = flow.current_id(key)  # a step renamed since the draft was saved
        if not flow.has_step(sid):
            gone.append(key)
            continue
        step = flow.step(sid)
        if value is None:
            answers[sid] = None
            continue
        try:
            answers[sid] = coerce(step, step.current_value(value))
        except InvalidValue:
            unfit.append(sid)
    scope = draft.scope
    if scope is not None:
        scope = frozenset(flow.current_id(s) for s in scope if flow.has_step(flow.current_id(s)))
    version_changed = draft.flow_version != flow.version
    fresh = Interview.start(flow, answers, scope)
    trail = tuple(
        sid for s in draft.trail if flow.has_step(sid := flow.current_id(s)) and sid in answers
    )
    if version_changed or gone or unfit:
        iv = replace(fresh, trail=trail)
    else:
        cursor = None if draft.cursor is None else flow.current_id(draft.cursor)
        if cursor is not None and cursor not in fresh.path:
            cursor = fresh.pending()
        iv = replace(
            fresh, cursor=cursor, trail=trail, editing=draft.editing and cursor is not None
        )
    # identifying answers are never in a draft: those the user had given are asked again,
    # beginning with the first, before the interview goes on from where it stopped
    stop = len(flow.steps) if iv.cursor is None else flow.index[iv.cursor]
    again = [
        s for s in iv.path if flow.step(s).identifying and s not in answers and flow.index[s] < stop
    ]
    if again:
        iv = replace(iv, cursor=again[0], editing=False, revisiting=False)
    return Restored(iv, gone, unfit, version_changed, again)


# -- settings ----------------------------------------------------------------------------------


class DraftSession:
    """The draft of the interview under way: `save` is the interview loop's `on_change`.

    A failing save never stops the interview: the first failure is reported once (through
    `warn`) and saving is tried again at the next answer.
    """

    def __init__(
        self, store: DraftStore, draft: Draft, warn: Any = None, take_over: bool = False
    ) -> None:
        from .draft_lock import DraftLock

        self.store = store
        self.draft = draft
        self.warn = warn
        self.failed = False
        self.saved = False
        self.lost = False  # taken over in another window, or deleted there
        self.unsaved = 0  # answers given since the last save that succeeded
        self.saved_at: str | None = None
        self.lock = DraftLock(store.directory, draft.id)
        self.lock.acquire(take_over)  # raises DraftLocked when another window has it

    @property
    def id(self) -> str:
        return self.draft.id

    @property
    def path(self) -> Path:
        return self.store.path_of(self.draft.id)

    def save(self, iv: Interview) -> None:
        """After every move: the answers and where the interview stands. A draft with no
        question answered and nothing typed is not written (there is nothing to keep)."""
        self.draft = capture(self.draft, iv)
        self.draft.typing = {}
        self._write()

    def save_typing(self, step_id: str, text: str) -> None:
        """The text being typed at `step_id` (every few seconds, and on any interruption),
        so that an interruption loses at most seconds. Never for an identifying step."""
        self.draft.typing = {step_id: text} if text.strip() else {}
        self._write()

    @property
    def empty(self) -> bool:
        return self.draft.answered == 0 and not self.draft.typing

    def _write(self) -> None:
        if self.empty and not self.draft.path and not self.saved:
            return
        if self.lost:
            self.unsaved += 1
            return
        if not self.lock.held():
            self.lost = True
            self.unsaved += 1
            if self.warn is not None:
                self.warn(
                    f"Advarsel: utkastet {self.id} er tatt over eller slettet i et annet vindu. "
                    "Det du svarer her fra nå, lagres ikke."
                )
            return
        try:
            self.store.save(self.draft)
        except WriteError as exc:
            self.unsaved += 1
            self.failed = True
            if self.warn is not None:  # every time, until a save succeeds
                self.warn(f"Advarsel: {self._not_saved()} {exc.message}")
            return
        if self.failed and self.warn is not None:
            self.warn("Utkastet er lagret igjen, med alle svarene.")
        self.failed = False
        self.unsaved = 0
        self.saved = True
        self.saved_at = self.draft.changed.strftime("%H.%M.%S")

    def _not_saved(self) -> str:
        n = self.unsaved
        what = "1 svar" if n == 1 else f"{n} svar"
        if not self.saved:
            said = "Utkastet kunne ikke lagres; ingen av svarene er lagret ennå."
        else:
            said = f"Utkastet ble sist lagret kl. {self.saved_at}; {what} etter det er ikke lagret."
        return said + " " + RESCUE_OFFER

    def rescue(self, flow: Flow, folder: Path | None = None) -> Path | None:
        """When the draft cannot be saved where drafts live: the answers (never the identifying
        ones) as an answers file in another place, by default the folder the user stands in.
        Returns where, or None when that failed too."""
        import tomli_w

        from .answers import answers_document
        from .output import write_private

        answers = {sid: v for sid, v in self.draft.answers.items() if not flow.identifying(sid)}
        doc = answers_document(flow, answers, self.draft.date, list(answers))
        target = (folder or Path.cwd()) / f"omsorgslinje-svar-{self.id}.toml"
        try:
            write_private(target, tomli_w.dumps(doc), overwrite=True)
        except (OSError, WriteError):
            return None
        return target

    def delete(self) -> None:
        if self.lock.held():
            self.store.delete(self.draft.id)
        self.lock.release()

    def drop_if_empty(self) -> bool:
        """On an interruption: a draft with nothing answered and nothing typed is not kept."""
        if not self.empty:
            return False
        if self.saved or self.path.exists():
            self.delete()
        self.saved = False
        return True

    def how_to_go_on(self) -> str:
        if self.lost:
            return (
                f"Utkastet {self.id} ble tatt over eller slettet i et annet vindu; "
                f"{self.unsaved} svar gitt her etter det er ikke lagret."
            )
        if self.empty and not self.saved:
            return "Ingen spørsmål var besvart ennå, så det er ikke lagret noe utkast."
        if self.failed or not self.saved:
            return self._not_saved()
        return (
            f"Svarene er lagret som utkast {self.id}; fortsett med "
            f"`omsorgslinje utkast fortsett {self.id}`. Utkastet ligger i {self.path}."
        )


def describe_lost(restored: Restored, draft: Draft, copy: Path | None) -> list[str]:
    """Messages for a draft resumed against a changed flow. Step ids only, never answers."""
    lines: list[str] = []
    if restored.version_changed:
        lines.append(
            f"Flyten «{draft.flow_id}» er endret siden utkastet ble laget "
            f"(versjon {draft.flow_version or 'ukjent'} → {restored.iv.flow.version}). "
            "Du fortsetter der svarene fortsatt passer."
        )
    if restored.gone:
        lines.append(
            "Disse stegene finnes ikke lenger, og svarene på dem er ikke med videre: "
            + ", ".join(restored.gone)
            + "."
        )
    if restored.unfit:
        lines.append(
            "Disse svarene passer ikke lenger til steget og må gis på nytt: "
            + ", ".join(restored.unfit)
            + "."
        )
    if copy is not None and restored.lost:
        lines.append(f"Utkastet slik det var, er tatt vare på i {copy}.")
    if restored.asked_again:
        lines.append(
            "Navn, fødselsnummer og adresser lagres aldri i utkastet: du blir spurt om dem igjen."
        )
    return lines
