"""Writing files privately and atomically: a temporary file in the same directory, fsync,
rename. Mode 0600, directories 0700. No half-written file is ever left behind."""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from pathlib import Path

from .errors import WriteError

REASONS = {
    errno.ENOSPC: "det er ikke plass på disken",
    errno.EDQUOT: "diskkvoten er brukt opp",
    errno.EACCES: "du mangler skrivetilgang",
    errno.EPERM: "du mangler skrivetilgang",
    errno.EROFS: "filsystemet er skrivebeskyttet",
    errno.ENOENT: "mappen finnes ikke",
    errno.ENOTDIR: "en del av stien er ikke en mappe",
    errno.EISDIR: "stien er en mappe",
}


def reason(exc: OSError) -> str:
    return REASONS.get(exc.errno or 0, exc.strerror or type(exc).__name__)


def ensure_private_dir(path: Path) -> None:
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        path.chmod(0o700)


def write_private(path: Path, text: str, *, overwrite: bool = True) -> None:
    """Write `text` to `path` atomically with mode 0600. Raises WriteError (exit code 1)."""
    write_private_bytes(path, text.encode("utf-8"), overwrite=overwrite)


def write_private_bytes(path: Path, data: bytes, *, overwrite: bool = True) -> None:
    """Write `data` to `path` atomically with mode 0600. Raises WriteError (exit code 1)."""
    path = Path(path)
    if path.exists() and path.is_dir():
        raise WriteError(f"Kunne ikke skrive {path}: stien er en mappe.")
    if path.exists() and not path.is_file():
        # a device or a pipe (/dev/stdout, a fifo): nothing to rename over; write straight to it
        _write_through(path, data)
        return
    if not overwrite and path.exists():
        raise WriteError(
            f"Filen {path} finnes fra før. Bruk --overskriv for å erstatte den, eller velg et annet navn."
        )
    directory = path.parent if str(path.parent) else Path(".")
    tmp = directory / f".{path.name}.{os.getpid()}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        if not overwrite and path.exists():
            raise FileExistsError(errno.EEXIST, "exists")
        os.replace(tmp, path)
    except FileExistsError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise WriteError(
            f"Filen {path} finnes fra før. Bruk --overskriv for å erstatte den."
        ) from None
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise WriteError(f"Kunne ikke skrive {path}: {reason(exc)}.") from None
    except BaseException:  # a signal or Ctrl-C mid-write: no half-written file stays behind
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    with contextlib.suppress(OSError):
        dfd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)


def _write_through(path: Path, data: bytes) -> None:
    try:
        fd = os.open(path, os.O_WRONLY)
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
        finally:
            os.close(fd)
    except OSError as exc:
        raise WriteError(f"Kunne ikke skrive {path}: {reason(exc)}.") from None


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that flushing at exit cannot fail a second time."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def write_stdout(text: str) -> None:
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        # the reader went away (e.g. `| head`); nothing more to say
        _silence_stdout()
    except OSError as exc:
        _silence_stdout()
        raise WriteError(f"Kunne ikke skrive til standard ut: {reason(exc)}.") from None
