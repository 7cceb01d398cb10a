"""The interview loop: ask what the engine says is next, until the user finishes the review.

Front ends only ask and show; this loop owns the moves (answer, back, edit), and reports every
change so the shell can save a draft.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from ..engine import Interview
from ..errors import InvalidValue
from ..model import Flow
from ..values import identity_warning, typed
from .common import BACK, FINISH


class FrontEnd(Protocol):
    def start(self, flow: Flow, resumed: bool) -> None: ...

    def ask(self, iv: Interview) -> object:
        """The raw answer to the current step, or BACK. Raises KeyboardInterrupt."""

    def invalid(self, message: str) -> None: ...

    def review(self, iv: Interview) -> str:
        """FINISH, BACK, or the id of a step to change."""


def _collect_garbage_again() -> None:
    """After the first answer: the garbage collector on again (the entry point turns it off
    while the tool starts), the objects made so far left out of its passes."""
    import gc

    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def conduct(
    iv: Interview,
    front: FrontEnd,
    on_change: Callable[[Interview], None] = lambda iv: None,
    resumed: bool = False,
) -> Interview:
    front.start(iv.flow, resumed)
    warned: dict[str, str] = {}  # step id: the text warned about (sent again, it is kept)
    while True:
        while not iv.done:
            reply = front.ask(iv)
            if reply == BACK:
                if not iv.can_go_back():
                    front.invalid("Du er ved første spørsmål.")
                iv = iv.back()
                on_change(iv)
                continue
            step = iv.step
            if step is not None and isinstance(reply, str):
                warning = identity_warning(step, reply)
                if warning and warned.get(step.id) != reply.strip():
                    warned[step.id] = reply.strip()
                    front.invalid(warning)
                    typed_before = getattr(front, "typed", None)
                    if isinstance(typed_before, dict):
                        typed_before[step.id] = reply  # back in the box, to correct or keep
                    continue
            try:
                iv = iv.answer(typed(iv.step, reply) if iv.step is not None else reply)
            except InvalidValue as exc:
                front.invalid(exc.message)
                continue
            on_change(iv)
            _collect_garbage_again()
        choice = front.review(iv)
        if choice == FINISH:
            return iv
        target = iv.path[-1] if choice == BACK else choice
        iv = iv.edit(target)
