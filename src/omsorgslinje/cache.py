"""The cache of compiled document templates between runs, as Python keeps .pyc files: a
template is compiled once, and the code is reused while both its source and the code that
compiled it are unchanged. Never answers: only compiled code.

This is the shell's module. The command line opens the cache and hands the template cache to
the renderer; the core (model, loader, expr, values, engine) never touches it. What a command
compiled is written as it is compiled, never from an exit handler.

What is kept is what the benchmark shows is worth it (README, «Hastighet»): compiled templates
save 7–33 % of a run from an answers file; checked flows, as JSON data (flow_cache.py, about
30 ms of CPU time on the replay of henvisning). Compiled conditions (3–10 %) are not kept.

Compiled code is code: a file planted in the cache would run. So the cache is used only when its
folder, and every file read from it, belong to the user and can be written by no one else. The
checks are made on the open folder and the open file (files are opened through the folder's
descriptor, without following links), so nothing can be swapped between the check and the read.
Otherwise the run goes on without the cache and says so once. An entry is keyed on the template
(its name, file and a checksum of its source) and on the code tag (package version, a hash of
the modules that compile, Jinja's and Python's versions); files of other tags are removed. Jinja's
own file format reads a pickle; this one holds no pickle, and an entry of the wrong shape is
ignored and compiled again.

`OMSORGSLINJE_INGEN_BUFFER=1` turns the cache off. Where the checks cannot be made (no POSIX
owners and modes, as on Windows), there is no cache.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import stat
import time
from collections.abc import Callable
from pathlib import Path
from types import CodeType
from typing import Any

from .cache_tag import FORMAT, SOURCES, code_tag  # noqa: F401 - the cache's own names

MAX_FILE = 32 * 1024 * 1024
TEMPLATE = "mal"
FLOW = "flyt"  # checked flows, as JSON data (flow_cache.py)
HEADER = b"omsorgslinje-mal\n"
# what earlier versions left: pickled flows, Jinja's own bytecode files, marshalled conditions
LEGACY_DIRS = ("flyter", "maler")
LEGACY_PREFIXES = ("uttrykk-", "betingelser-")


def enabled() -> bool:
    return not os.environ.get("OMSORGSLINJE_INGEN_BUFFER")


def supported() -> bool:
    """Owners, modes and folder descriptors to check with (POSIX)."""
    return (
        hasattr(os, "getuid")
        and hasattr(os, "O_NOFOLLOW")
        and hasattr(os, "O_DIRECTORY")
        and os.open in os.supports_dir_fd
    )


def cache_root() -> Path:
    home = os.environ.get("OMSORGSLINJE_HJEM")
    if home:
        return Path(home).absolute() / "cache"
    from platformdirs import user_cache_path

    return user_cache_path("omsorgslinje", appauthor=False).absolute()


class Unsafe(Exception):
    """The cache folder or a file in it could be someone else's: not used."""


def _check(st: os.stat_result, what: str, *, folder: bool) -> None:
    if folder and not stat.S_ISDIR(st.st_mode):
        raise Unsafe(f"{what} er ikke en mappe")
    if not folder and not stat.S_ISREG(st.st_mode):
        raise Unsafe(f"{what} er ikke en vanlig fil")
    if st.st_uid != os.getuid():
        raise Unsafe(f"{what} eies av en annen bruker")
    if st.st_mode & 0o022:
        raise Unsafe(f"{what} kan endres av andre enn deg (modus {stat.S_IMODE(st.st_mode):o})")


def template_entry(tag: str, checksum: str, code: CodeType) -> bytes:
    """A cache file: what made it, the source it was compiled from, and the code."""
    return b"".join([HEADER, tag.encode(), b"\n", checksum.encode(), b"\n", marshal.dumps(code)])


def template_code(data: bytes, tag: str, checksum: str, filename: str | None) -> CodeType | None:
    """The code in a cache file when it is exactly what this code writes for this source and
    file; None otherwise (then the template is compiled again)."""
    if not data.startswith(HEADER):
        return None
    parts = data[len(HEADER) :].split(b"\n", 2)
    if len(parts) != 3 or parts[0] != tag.encode() or parts[1] != checksum.encode():
        return None
    try:
        code = marshal.loads(parts[2])
    except (EOFError, ValueError, TypeError):
        return None
    if (
        not isinstance(code, CodeType)
        or code.co_filename != (filename or "<template>")
        or "root" not in code.co_names
    ):
        return None
    return code


class DiskCache:
    """Compiled templates in one private folder (see the module's notes)."""

    def __init__(self, folder: Path, fd: int, tag: str, warn: Callable[[str], None]) -> None:
        self.folder = folder
        self.tag = tag
        self._fd: int | None = fd
        self._warn = warn
        self._templates: Any = None
        try:
            names = os.listdir(fd)
        except OSError:
            names = []
        # files of other tags or earlier versions: removed when this one first writes
        self._pruned = not any(_stale(name, tag) for name in names)

    def templates(self) -> Any:
        """A Jinja bytecode cache that reads and writes through this object, or None."""
        if self._fd is None:
            return None
        if self._templates is None:
            self._templates = _template_cache(self)
        return self._templates

    @property
    def active(self) -> bool:
        return self._fd is not None

    def template_name(self, key: str) -> str:
        return f"{TEMPLATE}-{key}-{self.tag}.jinja"

    def disable(self, why: str) -> None:
        """Stop using the cache for the rest of the run, and say so (once)."""
        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            os.close(self._fd)
        self._fd = None
        self._warn(_unsafe_message(self.folder, why))

    # --- files, through the folder's descriptor -------------------------------------------

    def read(self, name: str) -> bytes | None:
        """The bytes of a file in the folder, when it is safely ours; None when there is none.
        An unsafe file turns the cache off."""
        if self._fd is None:
            return None
        try:
            fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=self._fd)
        except FileNotFoundError:
            return None
        except OSError as exc:
            self.disable(f"filen {name} kan ikke leses trygt ({exc.strerror})")
            return None
        try:
            st = os.fstat(fd)
            _check(st, f"filen {name}", folder=False)
            if st.st_size > MAX_FILE:
                return None
            chunks = []
            while chunk := os.read(fd, 1 << 20):
                chunks.append(chunk)
            return b"".join(chunks)
        except Unsafe as exc:
            self.disable(str(exc))
            return None
        except OSError:
            return None
        finally:
            os.close(fd)

    def write(self, name: str, data: bytes) -> None:
        """Write a file atomically (0600); a cache that cannot be written is no error."""
        if self._fd is None:
            return
        tmp = f".{name}.{os.urandom(6).hex()}.tmp"
        try:
            fd = os.open(
                tmp,
                os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC,
                0o600,
                dir_fd=self._fd,
            )
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view) :]
            finally:
                os.close(fd)
            os.replace(tmp, name, src_dir_fd=self._fd, dst_dir_fd=self._fd)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(tmp, dir_fd=self._fd)
            return
        if not self._pruned:
            self._pruned = True
            self._prune()

    def _prune(self) -> None:
        """Remove what other tags and earlier versions left, and stale temporary files."""
        if self._fd is None:
            return
        import shutil

        try:
            names = os.listdir(self._fd)
        except OSError:
            return
        for name in names:
            try:
                if name in LEGACY_DIRS:
                    shutil.rmtree(name, dir_fd=self._fd)
                elif _stale(name, self.tag):
                    os.unlink(name, dir_fd=self._fd)
                elif name.startswith(".") and name.endswith(".tmp"):
                    st = os.stat(name, dir_fd=self._fd, follow_symlinks=False)
                    if time.time() - st.st_mtime > 3600:
                        os.unlink(name, dir_fd=self._fd)
            except OSError:
                continue

    def close(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._fd)
            self._fd = None


def _stale(name: str, tag: str) -> bool:
    """A file or folder this tool made, for another tag or an earlier version."""
    if name in LEGACY_DIRS or name.startswith(LEGACY_PREFIXES):
        return True
    if name.startswith(f"{TEMPLATE}-"):
        return not name.endswith(f"-{tag}.jinja")
    return name.startswith(f"{FLOW}-") and not name.endswith(f"-{tag}.json")


def _template_cache(store: DiskCache) -> Any:
    """A Jinja bytecode cache on the guarded folder, in this module's own file format (Jinja's
    reads a pickle). Jinja compiles anew whenever the bucket comes back without code."""
    from jinja2.bccache import Bucket, BytecodeCache

    class Templates(BytecodeCache):
        def get_bucket(
            self, environment: Any, name: str, filename: str | None, source: str
        ) -> Bucket:
            bucket = Bucket(
                environment, self.get_cache_key(name, filename), self.get_source_checksum(source)
            )
            data = store.read(store.template_name(bucket.key))
            if data is not None:
                bucket.code = template_code(data, store.tag, bucket.checksum, filename)
            return bucket

        def load_bytecode(self, bucket: Bucket) -> None:  # get_bucket has read it
            pass

        def dump_bytecode(self, bucket: Bucket) -> None:
            if bucket.code is not None:
                entry = template_entry(store.tag, bucket.checksum, bucket.code)
                store.write(store.template_name(bucket.key), entry)

    return Templates()


def _unsafe_message(folder: Path, why: str) -> str:
    from .errors import visible

    return visible(
        f"Hurtigbufferen {folder} brukes ikke: {why}. Kjører uten den (bare litt tregere). "
        "Er mappen din, gjør den privat med `chmod 700`; ellers slett den."
    )


def open_folder(folder: Path) -> int:
    """A descriptor of the cache folder, created 0700 (with its parents) when missing, after
    checking that it is the user's and writable by no one else. Raises Unsafe or OSError."""
    from .output import ensure_private_dir

    ensure_private_dir(folder)  # an existing folder keeps its mode: it is checked instead
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError as exc:
        if os.path.islink(folder):
            raise Unsafe("mappen er en symbolsk lenke") from None
        raise exc
    try:
        _check(os.fstat(fd), "mappen", folder=True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def open_cache(say: Callable[[str], None]) -> DiskCache | None:
    """The cache for this run, or None (turned off, not possible here, or not safe: then the
    user is told once, with `say`)."""
    if not enabled() or not supported():
        return None
    folder = cache_root()
    try:
        fd = open_folder(folder)
    except Unsafe as exc:
        say(_unsafe_message(folder, str(exc)))
        return None
    except OSError:
        return None  # cannot be made (a read-only disk): compile every time, silently
    try:
        return DiskCache(folder, fd, code_tag(), say)
    except Exception:
        with contextlib.suppress(OSError):
            os.close(fd)
        return None


_OPEN: dict[str, DiskCache | None] = {}


def session(say: Callable[[str], None]) -> DiskCache | None:
    """The one cache of this process, opened on first use (by the shell, which says how to
    tell the user)."""
    if "cache" not in _OPEN:
        _OPEN["cache"] = open_cache(say)
    return _OPEN["cache"]


def template_cache(say: Callable[[str], None]) -> Any:
    """The Jinja bytecode cache the shell hands the renderer, or None."""
    opened = session(say)
    return opened.templates() if opened is not None else None


def close() -> None:
    """Let go of the cache folder (the shell calls this when a command ends)."""
    opened = _OPEN.pop("cache", None)
    if opened is not None:
        opened.close()
