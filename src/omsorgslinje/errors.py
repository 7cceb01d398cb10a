"""One small hierarchy of errors. Each carries a Norwegian message and an exit code.

Only the command line layer turns them into output. Messages never contain answer content.
"""

from __future__ import annotations

import re

from .fastclass import dataclass

# Control characters (but newline and tab) shown, never sent: an escape sequence in a file name,
# a key or a flow's text must not redraw the terminal, set its title or fill its clipboard.
# An internal error or Ctrl-C that leaves a run whose draft is saved carries the draft's path
# in this attribute (run.name_draft), for the message in __main__: passed along explicitly,
# no module keeps "the active draft".
DRAFT_ATTRIBUTE = "omsorgslinje_utkast"

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _caret(m: re.Match[str]) -> str:
    code = ord(m.group())
    if code < 0x20:
        return "^" + chr(code + 0x40)
    if code == 0x7F:
        return "^?"
    return f"<U+{code:04X}>"


def visible(text: str) -> str:
    """Text safe to print on a terminal: control characters as ^[ and the like."""
    return _CONTROL.sub(_caret, text)


@dataclass(frozen=True)
class Problem:
    """One problem found in a file: where it is and what is wrong, in Norwegian."""

    file: str
    message: str
    line: int | None = None
    step: str | None = None
    warning: bool = False

    def __str__(self) -> str:
        place = self.file
        if self.line is not None:
            place += f":{self.line}"
        prefix = f"{place}: "
        if self.step:
            prefix += f"{self.step}: "
        if self.warning:
            prefix += "advarsel: "
        return visible(prefix + self.message)


class OmsorgslinjeError(Exception):
    """An error the user can act on. `exit_code` 2 means bad input."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        message = visible(message)
        super().__init__(message)
        self.message = message


class UsageError(OmsorgslinjeError):
    """Bad options or arguments."""


class FlowError(OmsorgslinjeError):
    """A flow file (or its templates) is malformed. Holds every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class AnswersError(OmsorgslinjeError):
    """An answers file is malformed or holds values a step does not allow."""


class MissingAnswersError(OmsorgslinjeError):
    """Required answers are missing in non-interactive mode."""


class TemplateError(OmsorgslinjeError):
    """A document template failed to render."""


class WriteError(OmsorgslinjeError):
    """A document could not be written. The draft is kept."""

    exit_code = 1


class Interrupted(OmsorgslinjeError):
    """The interview was stopped (Ctrl-C, a closed terminal, SIGTERM). The draft is kept.

    Exit code 130 for Ctrl-C, 128 + the signal number for a signal."""

    def __init__(self, message: str, exit_code: int = 130) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class InvalidValue(Exception):
    """An answer that a step does not allow. The message is shown at the prompt."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
