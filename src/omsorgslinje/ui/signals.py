"""A closed terminal (SIGHUP) or SIGTERM while asking: the interview stops cleanly and the draft
is kept, as with Ctrl-C.

A full-screen prompt runs prompt_toolkit's event loop; a signal can land in the middle of one of
its tasks (reading keys, accepting an answer), and an exception raised there is printed as
"Unhandled exception in event loop" with a traceback, then waits for Enter. So while a prompt is
running, the handler only asks the prompt to end (from the loop, between tasks), and the prompt's
caller raises afterwards (`raise_pending`), also when the prompt had just been answered.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_pending: list[int] = []


class Signalled(SystemExit):
    """The interview was stopped by a signal; exit code 128 + the signal's number."""

    def __init__(self, signum: int) -> None:
        super().__init__(128 + signum)
        self.signum = signum


def _running_app() -> Any:
    current = sys.modules.get("prompt_toolkit.application.current")
    app = current.get_app_or_none() if current is not None else None
    if app is not None and app.is_running and app.loop is not None and not app.loop.is_closed():
        return app
    return None


def _end(app: Any, signum: int) -> None:
    if app.is_running and not app.future.done():
        app.exit(exception=Signalled(signum))


def _handler(signum: int, frame: object) -> None:
    app = _running_app()
    if app is None:
        raise Signalled(signum)
    _pending.append(signum)
    app.loop.call_soon_threadsafe(_end, app, signum)


def raise_pending() -> None:
    """After a prompt returns: stop here if a signal came while it was running."""
    if _pending:
        raise Signalled(_pending[0])


@contextmanager
def stopped_cleanly() -> Iterator[None]:
    """While asking, SIGHUP and SIGTERM raise Signalled (see the module's text)."""
    import signal

    _pending.clear()
    old: dict[int, Any] = {}
    for name in ("SIGHUP", "SIGTERM"):
        sig = getattr(signal, name, None)
        if sig is None:
            continue
        with contextlib.suppress(ValueError, OSError):  # not in the main thread
            old[sig] = signal.signal(sig, _handler)
    try:
        yield
    finally:
        for sig, previous in old.items():
            with contextlib.suppress(ValueError, OSError):
                signal.signal(sig, previous)
        _pending.clear()
