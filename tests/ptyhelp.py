"""Helpers for the end-to-end tests that drive the installed script in a pseudo-terminal.

Shared by test_e2e_pty.py, test_e2e_henvisning_pty.py and test_interrupt_e2e.py: keys, the
instructions the full-screen prompts show, patterns that survive the terminal's wrapping and
styling, and `Session`, one run of a command in a pty.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")

TIMEOUT = 30  # generous: a loaded machine (CI, xdist) is slow to start, fsync and exit

# keys
UP = "\x1b[A"
DOWN = "\x1b[B"
ENTER = "\r"
F1 = "\x1bOP"
CTRL_B = "\x02"
CTRL_U = "\x15"
SUBMIT_TEXTAREA = "\x1b\r"

# what the full-screen prompts show
PROGRESS = r"(?:Spørsmål \d+\b|Til informasjon)"
INFO = "Enter går videre"
LIST = "Enter bekrefter"
REVIEW = "Er svarene riktige?"
PANEL = "Til informasjon"
MORE = "Enter viser resten"

ESCAPES = re.compile(r"\x1b(\[[0-9;?]*[ -/]*[@-~]|O.|[()][0-9A-Za-z]|[=>78])")


def loose(text: str) -> str:
    """A pattern for `text` that also matches when the terminal wrapped or styled it."""
    gap = r"(?:[\r\n]|\x1b\[[0-9;?]*[A-Za-z])*"
    # a wrapped line may lose the space where it broke, or indent its continuation; a space may
    # be a no-break space (ui.common.keep_together)
    return gap.join(
        r"(?:[ \u00a0\r\n]|\x1b\[[0-9;?]*[A-Za-z])*" if c == " " else re.escape(c) for c in text
    )


def screen(text: str) -> str:
    """Output without escape sequences (for messages in assertion failures)."""
    return ESCAPES.sub("", text).replace("\r", "")


class Session:
    """A command spawned in a pty, with helpers to wait for prompts and answer them.

    `command` is a line for bash (`/bin/bash -c command`) or an argv list. `timeout` is how long
    `expect` waits (and pexpect's own default); `delaybeforesend` is pexpect's pause before each
    send (None: none). Everything the terminal shows is kept in `out` (`text` joins it).
    """

    def __init__(
        self,
        command: str | Sequence[str],
        env: dict[str, str],
        cwd: Path,
        *,
        timeout: float = TIMEOUT,
        dimensions: tuple[int, int] = (50, 140),
        delaybeforesend: float | None = 0.05,
    ) -> None:
        argv = ["/bin/bash", "-c", command] if isinstance(command, str) else list(command)
        self.timeout = timeout
        self.child = pexpect.spawn(
            argv[0],
            argv[1:],
            env=env,
            cwd=str(cwd),
            dimensions=dimensions,
            encoding="utf-8",
            timeout=timeout,
        )
        self.child.delaybeforesend = delaybeforesend
        self.out: list[str] = []
        self.child.logfile_read = self

    # logfile protocol: keep everything the terminal got
    def write(self, data: str) -> None:
        self.out.append(data)

    def flush(self) -> None:
        pass

    @property
    def text(self) -> str:
        return "".join(self.out)

    def expect(self, pattern: object, timeout: float | None = None) -> int:
        try:
            return int(
                self.child.expect(pattern, timeout=self.timeout if timeout is None else timeout)
            )
        except pexpect.TIMEOUT:
            raise AssertionError(
                f"Ventet på {pattern!r}; skjermen slutter med:\n{screen(self.text)[-3000:]}"
            ) from None
        except pexpect.EOF:
            raise AssertionError(
                f"Programmet sluttet før {pattern!r}:\n{screen(self.text)[-3000:]}"
            ) from None

    def step(self, number: int) -> None:
        """Wait for the progress line of question `number` (questions only; information
        panels have no number: wait for PANEL)."""
        self.expect(rf"Spørsmål {number}\b")

    def send(self, keys: str) -> None:
        self.child.send(keys)

    def ready(self, hint: str) -> None:
        """Wait until the prompt shows its instruction, then keys are safe to send."""
        self.expect(loose(hint))

    def review(self) -> None:
        """Wait for the review's question, paging through the answers on the way."""
        while self.expect([loose(REVIEW), loose(MORE)]) == 1:
            self.send(ENTER)

    def save_all(self, folder: Path) -> None:
        """At the end, when the case has documents not yet delivered: save them all in
        `folder` (the first choice)."""
        self.expect(loose("Hva vil du gjøre med dokumentene?"))
        self.expect(loose("Enter bekrefter"))
        self.send("1" + ENTER)
        self.expect("Hvilken mappe")
        self.send(str(folder) + ENTER)

    def end(self) -> tuple[int | None, str]:
        """Wait until the program exits: its exit status (None if a signal ended it) and the
        output since the last match."""
        self.expect(pexpect.EOF)
        output = self.child.before or ""
        self.child.close()
        return self.child.exitstatus, output

    def finish(self) -> int:
        """Wait until the program exits; its exit status (-1 if a signal ended it)."""
        code, _ = self.end()
        return code if code is not None else -1

    def close(self) -> None:
        """End the child if it still runs (a test that reaped it itself has nothing to end)."""
        try:
            if self.child.isalive():
                self.child.terminate(force=True)
        except (pexpect.ExceptionPexpect, OSError):
            pass
