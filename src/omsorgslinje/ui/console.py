"""Messages to the terminal (stderr), never to stdout: stdout carries the document alone."""

from __future__ import annotations

import contextlib
import os
import sys
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console


@cache
def console() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False, no_color="NO_COLOR" in os.environ or None)


def _plain() -> bool:
    """No terminal on stderr (a log, a pipe): plain lines, and rich is not even imported."""
    try:
        return not sys.stderr.isatty()
    except (AttributeError, ValueError):
        return True


def say(text: str, style: str = "") -> None:
    """One message line on the terminal. Falls back to plain stderr if rich cannot write."""
    try:
        if _plain():
            sys.stderr.write(text + "\n")
            sys.stderr.flush()
            return
        # wrapped at word boundaries to the terminal's width (never mid-word, as a soft wrap
        # by the terminal would do)
        console().print(text, style=style or None, markup=False, soft_wrap=False)
    except Exception:
        # the terminal may be gone (a closed window): then nothing can be shown
        with contextlib.suppress(OSError, ValueError):
            sys.stderr.write(text + "\n")


def error(text: str) -> None:
    say(text, "bold red")


def warn(text: str) -> None:
    say(text, "yellow")
