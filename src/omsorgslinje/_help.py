"""The top-level help, stored as text so `omsorgslinje --help` answers without importing Typer.

`omsorgslinje --help` is the most-run command and must feel instant; Typer and Click alone take
several times Python's own start-up. The stored text is what Typer renders at 80 columns; a test
compares the two, and `python -m omsorgslinje._help` writes it anew after a change to the CLI.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

STORED = Path(__file__).with_name("main_help.txt")
WIDTH = 80
HELP_ARGS = ((), ("--help",), ("-h",), ("--hjelp",))


def render_live() -> str:
    """The help exactly as Typer prints it, at the stored width."""
    import io
    from contextlib import redirect_stdout

    import click

    from .cli import app
    from .i18n import install

    install()
    out = io.StringIO()
    old = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = str(WIDTH)
    try:
        with redirect_stdout(out), contextlib.suppress(click.exceptions.Exit):
            app(args=["--help"], prog_name="omsorgslinje", standalone_mode=False)
    finally:
        if old is None:
            os.environ.pop("COLUMNS", None)
        else:
            os.environ["COLUMNS"] = old
    return out.getvalue()


def stored() -> str | None:
    """The stored help when it can stand in for the live one (a terminal wide enough)."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        try:
            columns = os.get_terminal_size(sys.stdout.fileno()).columns
        except (OSError, ValueError, AttributeError):
            columns = WIDTH
    if columns < WIDTH:
        return None
    try:
        return STORED.read_text(encoding="utf-8")
    except OSError:
        return None


if __name__ == "__main__":
    STORED.write_text(render_live(), encoding="utf-8")
    print(f"Skrev {STORED}")
