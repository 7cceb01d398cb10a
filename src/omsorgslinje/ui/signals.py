"""A closed terminal (SIGHUP) or SIGTERM while asking: the interview stops cleanly and the draft
is kept, as with Ctrl-C.

The plain front end reads standard input: there the handler raises at once, which ends the read.
The full-screen front end runs prompt_toolkit's event loop, and a signal can land anywhere in it:
inside one of its tasks (printed as "Unhandled exception in event loop", then it waits for Enter)
or while a loop is being built or torn down (left half-made). So there the handler never raises:
it notes the signal, asks a running prompt to end (from its loop, between tasks), and the front end
raises at its next safe point (`raise_pending`: before and after every prompt); a prompt that
starts just after a signal ends itself at its first drawing (`watch`).
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_pending: list[int] = []
_defer = [False]


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
    if not _defer[0]:
        raise Signalled(signum)
    _pending.append(signum)
    app = _running_app()
    if app is not None:
        with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
            app.loop.call_soon_threadsafe(_end, app, signum)


def watch(app: Any) -> None:
    """Let a prompt that is about to run end itself when a signal came just before it did:
    the handler cannot reach an application that is not running yet."""

    def check(_: object) -> None:
        if _pending:
            _end(app, _pending[0])

    app.after_render += check


def raise_pending() -> None:
    """At a safe point of the full-screen front end: stop if a signal came."""
    if _pending:
        raise Signalled(_pending[0])


@contextmanager
def stopped_cleanly(defer: bool) -> Iterator[None]:
    """While asking, SIGHUP and SIGTERM stop the interview with Signalled.

    `defer`: the front end runs an event loop and calls `raise_pending` at its safe points.
    """
    import signal

    _pending.clear()
    _defer[0] = defer
    old: dict[int, Any] = {}
    for name in ("SIGHUP", "SIGTERM"):
        sig = getattr(signal, name, None)
        if sig is None:
            continue
        with contextlib.suppress(ValueError, OSError):  # not in the main thread
            old[sig] = signal.signal(sig, _handler)
    try:
        yield
        raise_pending()  # a signal after the last prompt: the interview still stops
    finally:
        for sig, previous in old.items():
            with contextlib.suppress(ValueError, OSError):
                signal.signal(sig, previous)
        _pending.clear()
        _defer[0] = False
