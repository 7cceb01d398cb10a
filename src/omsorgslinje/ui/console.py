"""Messages to the terminal (stderr), never to stdout: stdout carries the document alone.

Lines are styled by ui/box.py, without rich; `console()` (rich) is for the Markdown document
shown at the end, and is imported only then.
"""

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
    """No terminal on stderr (a log, a pipe): plain lines, as they are."""
    try:
        return not sys.stderr.isatty()
    except (AttributeError, ValueError):
        return True


def say(text: str, style: str = "") -> None:
    """One message line on the terminal, wrapped at word boundaries to its width."""
    try:
        if _plain():
            sys.stderr.write(text + "\n")
            sys.stderr.flush()
            return
        # wrapped at word boundaries to the terminal's width (never mid-word, as a soft wrap
        # by the terminal would do)
        from .box import styled_lines, write

        write(styled_lines(text, style))
    except Exception:
        # the terminal may be gone (a closed window): then nothing can be shown
        with contextlib.suppress(OSError, ValueError):
            sys.stderr.write(text + "\n")


def error(text: str) -> None:
    say(text, "bold red")


def warn(text: str) -> None:
    say(text, "yellow")
