"""Writing files privately and atomically: a temporary file in the same directory, fsync,
rename. Mode 0600, directories 0700. No half-written file is ever left behind."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import sys
import tempfile
from pathlib import Path

from .errors import WriteError

# POSIX: owners, modes and signals mean what they say. Elsewhere (Windows) the calls that need
# them are skipped or answered plainly; nothing here fails at import.
POSIX = os.name == "posix"

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


def ensure_private_dir(path: Path, *, tighten: bool = False) -> None:
    """Make `path` and every missing folder above it with mode 0700, whatever the umask.

    A folder that exists keeps its mode (a team's shared 2775 folder given to --ut-mappe, or
    the current folder), unless `tighten` says it is the tool's own (drafts, cache).
    """
    path = Path(path)
    missing: list[Path] = []
    probe = path
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:
            continue  # made by another process in between: not ours to change
        # mkdir's mode passes through the umask; a fresh folder is ours to set
        with contextlib.suppress(OSError):
            folder.chmod(0o700)
    if tighten and not missing:
        with contextlib.suppress(OSError):
            path.chmod(0o700)
    if not path.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, "not a directory", str(path))


def write_private(path: Path, text: str, *, overwrite: bool = True, sync: bool = True) -> None:
    """Write `text` to `path` atomically with mode 0600. Raises WriteError (exit code 1)."""
    write_private_bytes(path, text.encode("utf-8"), overwrite=overwrite, sync=sync)


def write_private_bytes(
    path: Path, data: bytes, *, overwrite: bool = True, sync: bool = True
) -> None:
    """Write `data` to `path` atomically with mode 0600. Raises WriteError (exit code 1).
    `sync=False`: not flushed to the disk (a lock, which a crash makes stale anyway)."""
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
    tmp: Path | None = None
    try:
        tmp = _staged(path, data, sync=sync)
        if not overwrite and path.exists():
            raise FileExistsError(errno.EEXIST, "exists")
        os.replace(tmp, path)
    except FileExistsError:
        _discard(tmp)
        raise WriteError(
            f"Filen {path} finnes fra før. Bruk --overskriv for å erstatte den."
        ) from None
    except OSError as exc:
        _discard(tmp)
        raise WriteError(f"Kunne ikke skrive {path}: {reason(exc)}.") from None
    except BaseException:  # a signal or Ctrl-C mid-write: no half-written file stays behind
        _discard(tmp)
        raise
    if sync:
        _sync_folder(directory)


def write_private_files(files: list[tuple[Path, bytes]], *, overwrite: bool) -> None:
    """Write several files, all or none as far as the file system allows: every file is
    written and flushed beside its target first, then all are renamed into place, and each
    folder is flushed once (not once a file). If a write fails, nothing is renamed; if a rename
    fails, the files this call created are removed again. Raises WriteError (exit code 1)."""
    regular: list[tuple[Path, bytes]] = []
    special: list[tuple[Path, bytes]] = []
    for path, data in files:
        path = Path(path)
        if path.is_dir():
            raise WriteError(f"Kunne ikke skrive {path}: stien er en mappe.")
        (special if path.exists() and not path.is_file() else regular).append((path, data))
    staged: list[tuple[Path, Path]] = []
    created: list[Path] = []
    current = Path(".")
    try:
        for current, data in regular:
            if not overwrite and current.exists():
                raise FileExistsError(errno.EEXIST, "exists", str(current))
            staged.append((_staged(current, data), current))
        for tmp, current in staged:
            existed = current.exists()
            if not overwrite and existed:
                raise FileExistsError(errno.EEXIST, "exists", str(current))
            os.replace(tmp, current)
            if not existed:
                created.append(current)
    except BaseException as exc:
        for tmp, _ in staged:  # those renamed already are gone under this name
            _discard(tmp)
        for path in created:
            _discard(path)
        if isinstance(exc, FileExistsError):
            raise WriteError(
                f"Filen {current} finnes fra før. Bruk --overskriv for å erstatte den."
            ) from None
        if isinstance(exc, OSError):
            raise WriteError(f"Kunne ikke skrive {current}: {reason(exc)}.") from None
        raise
    for folder in dict.fromkeys(path.parent for _, path in staged):
        _sync_folder(folder)
    for path, data in special:  # a device or a pipe (/dev/null): written straight to it
        write_private_bytes(path, data, overwrite=overwrite)


def _staged(path: Path, data: bytes, *, sync: bool = True) -> Path:
    """`data` in a new private temporary file beside `path` (flushed to disk unless `sync` is
    false); its path. The name is unpredictable (mkstemp: 0600, O_EXCL) and holds our process
    id, so that a later run can tell a leftover of a killed process."""
    directory = path.parent if str(path.parent) else Path(".")
    fd, name = tempfile.mkstemp(
        prefix=f".{path.name}.{os.getpid()}-", suffix=TEMP_SUFFIX, dir=directory
    )
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            if sync:
                os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:
        _discard(Path(name))
        raise
    return Path(name)


def _discard(tmp: Path | None) -> None:
    if tmp is not None:
        with contextlib.suppress(OSError):
            tmp.unlink()


def _sync_folder(directory: Path) -> None:
    with contextlib.suppress(OSError):
        dfd = os.open(directory if str(directory) else ".", os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)


TEMP_SUFFIX = ".omsorgslinje.tmp"
_TEMP_NAME = re.compile(r"^\..+\.(\d+)-[^.]+" + re.escape(TEMP_SUFFIX) + "$")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if not POSIX:  # on Windows signal 0 is CTRL_C_EVENT: never send it; no way to tell
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError, OverflowError):
        return True  # someone else's process, or no way to tell: leave the file alone
    return True


def remove_stale_temporaries(directory: Path) -> int:
    """Delete our temporary files that a killed process left in `directory` (they may hold
    answers). Only files owned by this user, whose process is gone. Returns how many."""
    removed = 0
    getuid = getattr(os, "getuid", None)
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return 0
    for entry in entries:
        m = _TEMP_NAME.match(entry.name)
        if not m or _alive(int(m.group(1))):
            continue
        try:
            if getuid is not None and entry.stat(follow_symlinks=False).st_uid != getuid():
                continue
            os.unlink(entry.path)
            removed += 1
        except OSError:
            continue
    return removed


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


# set by __main__ when the process started with standard output closed (`>&-`)
STDOUT_CLOSED = False


def _utf8_stdout() -> None:
    """A document piped on Windows goes out as UTF-8, not the ANSI code page (which has no
    «→» and would end in an error). POSIX terminals and pipes are left as they are."""
    if POSIX or sys.stdout is None:
        return
    encoding = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "")
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if encoding != "utf8" and reconfigure is not None:
        with contextlib.suppress(OSError, ValueError):
            reconfigure(encoding="utf-8")


def write_stdout(text: str | bytes) -> None:
    """Text, or the bytes of a binary file (docx) to a pipe or a file (never a terminal: the
    options are refused before, see run_options.precheck)."""
    if STDOUT_CLOSED:
        raise WriteError(
            "Standard ut var lukket da kommandoen startet, så det som skulle skrives dit, har "
            "ingen steder å gå. Et dokument kan skrives med --ut FIL eller --ut-mappe MAPPE."
        )
    _utf8_stdout()
    try:
        if isinstance(text, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(text)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(text)
            sys.stdout.flush()
    except BrokenPipeError:
        # the reader went away (`| pbcopy` where there is none, `| head`): the document did
        # not arrive whole, which is an error (the draft is kept)
        _silence_stdout()
        raise WriteError(
            "Standard ut ble lukket før hele dokumentet var skrevet (programmet etter | "
            "finnes ikke eller sluttet å lese)."
        ) from None
    except OSError as exc:
        _silence_stdout()
        raise WriteError(f"Kunne ikke skrive til standard ut: {reason(exc)}.") from None
