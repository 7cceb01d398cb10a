"""One window per draft: a lock file beside the draft, naming the process that holds it.

`.ID.lock` holds a token (process id and a random part). A second instance that opens the same
draft is refused with a message that offers to take it over (`--ta-over`) or to look at it
read-only (`utkast vis`). Taking over writes a new token; the first window sees at its next
save that the draft is no longer its own and stops saving, so a draft deleted after its
documents were written is never brought back. A lock whose process is gone is stale and taken.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from .draft_file import DraftError
from .errors import OmsorgslinjeError


class DraftLocked(DraftError):
    """The draft is open in another window."""


def lock_path(directory: Path, draft_id: str) -> Path:
    return directory / f".{draft_id}.lock"


def _holder(path: Path) -> tuple[int | None, str]:
    try:
        token = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None, ""
    pid, _, _ = token.partition(":")
    return (int(pid) if pid.isdigit() else None), token


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):
        return True  # another user's process, or no way to tell: treat as alive
    return True


class DraftLock:
    """This process's hold on one draft."""

    def __init__(self, directory: Path, draft_id: str) -> None:
        self.path = lock_path(directory, draft_id)
        self.draft_id = draft_id
        self.token = f"{os.getpid()}:{os.urandom(8).hex()}"
        self.written = False

    def check(self, take_over: bool = False) -> None:
        """Raise DraftLocked when another live window holds the draft (and not taking over)."""
        pid, token = _holder(self.path)
        if token and token != self.token and pid is not None and _alive(pid) and not take_over:
            raise DraftLocked(
                f"Utkastet {self.draft_id} er åpent i et annet vindu (prosess {pid}). "
                "Fortsett der; eller se svarene uten å endre noe med "
                f"`omsorgslinje utkast vis {self.draft_id}`; eller ta det over med "
                f"`omsorgslinje utkast fortsett {self.draft_id} --ta-over` (det andre vinduet "
                "slutter da å lagre)."
            )

    def acquire(self, take_over: bool = False) -> None:
        """Hold the draft, or raise DraftLocked when another live window holds it."""
        from .output import ensure_private_dir, write_private

        self.check(take_over)
        try:
            ensure_private_dir(self.path.parent, tighten=True)
            # not flushed to the disk (a flush costs milliseconds before the first question):
            # a lock a crash loses, or leaves empty, is free, as a crash makes it anyway
            write_private(self.path, self.token + "\n", overwrite=True, sync=False)
        except (OSError, OmsorgslinjeError):
            return  # no lock where nothing can be written: saving will say so
        self.written = True

    def held(self) -> bool:
        """Still ours? (False once another window took the draft over, or it was deleted.)"""
        _, token = _holder(self.path)
        if not self.written:  # the folder could not be written to: ours unless someone's
            return not token
        return token == self.token

    def release(self) -> None:
        if self.held():
            with contextlib.suppress(OSError):
                self.path.unlink()
