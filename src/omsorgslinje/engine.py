"""The interview state: what to ask next, going back, changing an answer, which answers count.

Pure: no terminal, no files. An `Interview` is immutable; every move returns a new one.

Answers are kept for every step the user answered, also when a later change hides the step (so
that changing back restores them), but only the answers of steps that apply *count*: they alone
reach conditions of later steps and documents. A key with the value None means "asked and left
empty" (an optional step that was skipped).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field, replace
from functools import cached_property
from types import MappingProxyType

from .errors import FlowError, Problem
from .expr import evaluate
from .fastclass import dataclass
from .model import Flow, Step
from .values import Value, parse


@dataclass(frozen=True)
class Resolution:
    """The steps that apply given a set of answers, and the answers that count."""

    path: tuple[str, ...]
    counted: Mapping[str, Value | None]
    context: Mapping[str, object]


def blank(step: Step) -> object:
    """What a condition sees for a step that is hidden or not answered."""
    return [] if step.type == "multiselect" else None


def applies_in(flow: Flow, step: Step, context: Mapping[str, object]) -> bool:
    """Whether a step applies, given what earlier steps hold. A failing condition is a flow error."""
    if step.when is None:
        return True
    try:
        return evaluate(step.when, context)
    except Exception as exc:
        raise FlowError(
            [
                Problem(
                    flow.path,
                    f"Betingelsen «when» kunne ikke vurderes: {type(exc).__name__}",
                    step.line,
                    step.id,
                )
            ]
        ) from None


def resolve(flow: Flow, answers: Mapping[str, Value | None]) -> Resolution:
    """Walk the flow once, in order: a step applies when its `when` holds over earlier answers."""
    context: dict[str, object] = {}
    path: list[str] = []
    counted: dict[str, Value | None] = {}
    for step in flow.steps:
        applies = applies_in(flow, step, context)
        value: object = blank(step)
        if applies:
            path.append(step.id)
            if step.id in answers:
                counted[step.id] = answers[step.id]
                if answers[step.id] is not None:
                    value = answers[step.id]
        context[step.id] = value
    return Resolution(tuple(path), MappingProxyType(counted), MappingProxyType(context))


def missing_required(
    flow: Flow, answers: Mapping[str, Value | None], scope: frozenset[str] | None = None
) -> list[Step]:
    """Required steps that apply but have no answer (info steps need none)."""
    res = resolve(flow, answers)
    return [
        flow.step(sid)
        for sid in res.path
        if flow.step(sid).asks
        and flow.step(sid).required
        and res.counted.get(sid) is None
        and (scope is None or sid in scope)
    ]


def with_defaults(
    flow: Flow, answers: Mapping[str, Value | None], scope: frozenset[str] | None = None
) -> dict[str, Value | None]:
    """Fill in the default of every step that applies and has no answer, in one pass."""
    from .values import default_of

    context: dict[str, object] = {}
    out = dict(answers)
    for step in flow.steps:
        applies = applies_in(flow, step, context)
        value: object = blank(step)
        if applies:
            if (
                out.get(step.id) is None
                and step.default is not None
                and step.asks
                and (scope is None or step.id in scope)
            ):
                out[step.id] = default_of(step, context)
            if out.get(step.id) is not None:
                value = out[step.id]
        context[step.id] = value
    return out


@dataclass(frozen=True)
class Interview:
    """Where an interview stands: every answer given, the step being asked, the way back."""

    flow: Flow
    answers: Mapping[str, Value | None] = field(default_factory=dict)
    cursor: str | None = None
    trail: tuple[str, ...] = ()
    editing: bool = False
    scope: frozenset[str] | None = None  # only these steps are asked (a writer's part)
    revisiting: bool = False  # walking forward again after going back

    # construction -------------------------------------------------------------------------

    @classmethod
    def start(
        cls,
        flow: Flow,
        answers: Mapping[str, Value | None] | None = None,
        scope: frozenset[str] | None = None,
    ) -> Interview:
        """Begin (or resume) at the first step that applies and is not yet answered."""
        base = cls(flow, dict(answers or {}), scope=scope)
        return replace(base, cursor=base.pending())

    def in_scope(self, step_id: str) -> bool:
        return self.scope is None or step_id in self.scope

    # queries ------------------------------------------------------------------------------

    @cached_property
    def resolution(self) -> Resolution:
        return resolve(self.flow, self.answers)

    @property
    def path(self) -> tuple[str, ...]:
        """The steps that apply (within the scope, when one is set)."""
        path = self.resolution.path
        if self.scope is None:
            return path
        return tuple(sid for sid in path if sid in self.scope)

    @property
    def counted(self) -> Mapping[str, Value | None]:
        """The answers that count: those of steps that apply."""
        return self.resolution.counted

    @property
    def step(self) -> Step | None:
        return self.flow.step(self.cursor) if self.cursor else None

    @property
    def done(self) -> bool:
        return self.cursor is None

    def pending(self) -> str | None:
        """The first step that applies and has not been answered (or acknowledged)."""
        res = self.resolution
        for sid in res.path:
            if sid not in res.counted and self.in_scope(sid):
                return sid
        return None

    def position(self) -> tuple[int, int]:
        """1-based position of the current step among the steps that apply, and their count."""
        path = self.path
        if self.cursor in path:
            return path.index(self.cursor) + 1, len(path)
        return len(path), len(path)

    def can_go_back(self) -> bool:
        return bool(self.trail)

    # moves --------------------------------------------------------------------------------

    def answer(self, raw: object) -> Interview:
        """Answer the current step (raises InvalidValue) and move on."""
        step = self.step
        if step is None:
            raise RuntimeError("no step to answer")
        value = parse(step, raw)
        answers = dict(self.answers)
        answers[step.id] = value
        moved = replace(self, answers=answers, trail=(*self.trail, step.id))
        if self.editing:
            return replace(moved, cursor=moved.pending(), editing=moved.pending() is not None)
        if self.revisiting:
            # after going back, each following step is shown again, with its answer, until the
            # first one not yet answered
            nxt = moved._after(step.id, answered_too=True)
            return replace(moved, cursor=nxt, revisiting=nxt is not None and nxt in moved.counted)
        # going forward: steps answered already (from answers files or a draft) are not asked
        return replace(moved, cursor=moved._after(step.id, answered_too=False))

    def _after(self, step_id: str, *, answered_too: bool) -> str | None:
        """The next step after `step_id` that applies (and, unless `answered_too`, has no
        answer yet); None when the interview is complete.

        When every later step is done but an earlier one is pending (after going back and
        changing an answer that opened a new step), that one is next.
        """
        counted = self.counted
        pos = self.flow.index[step_id]
        for sid in self.path:
            if self.flow.index[sid] > pos and (answered_too or sid not in counted):
                return sid
        return self.pending()

    def back(self) -> Interview:
        """Return to the previous step asked that still applies."""
        trail = list(self.trail)
        path = set(self.path)
        while trail:
            sid = trail.pop()
            if sid in path and sid != self.cursor:
                return replace(self, cursor=sid, trail=tuple(trail), editing=False, revisiting=True)
        return self

    def edit(self, step_id: str) -> Interview:
        """Ask `step_id` again (from the review); afterwards, only steps not yet answered."""
        if step_id not in self.path:
            raise KeyError(step_id)
        return replace(self, cursor=step_id, editing=True)
