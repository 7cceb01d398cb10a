"""Running a prompt_toolkit application on the terminal itself (/dev/tty), not on stdout.

`in_tty` builds and runs one question there, so that stdout stays free for the document even
with `omsorgslinje oppdager > notat.md`; a closed terminal or SIGTERM while it is up is raised
at the safe points before and after.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .choose import ListPrompt, wrap
from .common import term_width
from .signals import raise_pending, watch

MAX_WIDTH = 100


def panel_width() -> int:
    return max(30, min(term_width(), MAX_WIDTH))


def in_tty(build: Callable[[], Any], after: Callable[[Any], str] | None = None) -> Any:
    """Build an application inside the tty session and run it.

    A prompt_toolkit application takes its input and output when it is built, so it must be
    built inside `create_app_session_from_tty`: built outside, it writes to stdout, and with
    `> notat.md` the prompts would end up in the document.
    """
    from prompt_toolkit import print_formatted_text
    from prompt_toolkit.application.current import create_app_session_from_tty
    from prompt_toolkit.formatted_text import FormattedText

    raise_pending()
    with create_app_session_from_tty():
        app = build()
        watch(app)
        answer = app.run()
        line = after(answer) if after is not None else ""
        if line:
            width = min(app.output.get_size().columns, MAX_WIDTH)
            for part in wrap(line, width - 2, "  ", ""):
                print_formatted_text(FormattedText([("bold", part)]))
    raise_pending()  # a closed terminal or SIGTERM while the question was up
    return answer


def ask_list(prompt: ListPrompt) -> Any:
    return in_tty(prompt.application, prompt.summary)


class PromptApp:
    """A PromptSession run as one application (`run()` as `in_tty` expects)."""

    def __init__(self, session: Any, default: str) -> None:
        self.session = session
        self.default = default
        self.app = session.app

    def __getattr__(self, name: str) -> Any:
        return getattr(self.app, name)

    def run(self) -> Any:
        return self.session.prompt(default=self.default, accept_default=False)


def tty_lines() -> int:
    import os
    import sys

    for stream in (sys.stderr, sys.stdin):
        try:
            return os.get_terminal_size(stream.fileno()).lines
        except (AttributeError, ValueError, OSError):
            continue
    return 0
