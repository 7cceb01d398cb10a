"""Compiled-code caches, as Python keeps .pyc files: Jinja templates and `when` conditions are
compiled once and the code reused while the source is unchanged. It is what makes a replay
instant. Only compiled code is stored (never answers), in the user's cache directory (0700).

A cache that cannot be read or written is ignored: the code is compiled again.
`OMSORGSLINJE_INGEN_BUFFER=1` turns the caches off.
"""

from __future__ import annotations

import atexit
import contextlib
import marshal
import os
import sys
from functools import cache
from pathlib import Path
from typing import Any

MAX_ENTRIES = 20_000
CACHE_FORMAT = 2  # raise when what is cached changes meaning (2: names of bare-name conditions)


def enabled() -> bool:
    return not os.environ.get("OMSORGSLINJE_INGEN_BUFFER")


@cache
def cache_dir() -> Path | None:
    if not enabled():
        return None
    home = os.environ.get("OMSORGSLINJE_HJEM")
    if home:
        path = Path(home) / "cache"
    else:
        from platformdirs import user_cache_path

        path = user_cache_path("omsorgslinje", appauthor=False)
    try:
        from .output import ensure_private_dir

        ensure_private_dir(path, tighten=True)
    except OSError:
        return None
    return path


def _tag() -> str:
    from jinja2 import __version__ as jinja_version

    from . import __version__

    py = f"py{sys.version_info[0]}{sys.version_info[1]}"
    return f"{__version__}-c{CACHE_FORMAT}-jinja{jinja_version}-{py}"


class ExpressionCache:
    """{expression source: (code object, names it uses)}, read once, written at exit."""

    def __init__(self) -> None:
        self.entries: dict[str, tuple[Any, tuple[str, ...]]] = {}
        self.dirty = False
        self.path: Path | None = None
        directory = cache_dir()
        if directory is None:
            return
        self.path = directory / f"uttrykk-{_tag()}.marshal"
        try:
            data = marshal.loads(self.path.read_bytes())
            if isinstance(data, dict):
                self.entries = data
        except (OSError, ValueError, EOFError, TypeError):
            self.entries = {}
        atexit.register(self.save)

    def get(self, source: str) -> tuple[Any, tuple[str, ...]] | None:
        return self.entries.get(source)

    def put(self, source: str, code: Any, names: tuple[str, ...]) -> None:
        if self.path is None:
            return
        if len(self.entries) >= MAX_ENTRIES:
            self.entries = {}
        self.entries[source] = (code, names)
        self.dirty = True

    def save(self) -> None:
        if not self.dirty or self.path is None:
            return
        with contextlib.suppress(Exception):
            from .output import write_private_bytes

            write_private_bytes(self.path, marshal.dumps(self.entries))
            self.dirty = False


@cache
def expressions() -> ExpressionCache:
    return ExpressionCache()


def template_bytecode_cache() -> Any:
    """Jinja's own bytecode cache for document templates, or None."""
    directory = cache_dir()
    if directory is None:
        return None
    from jinja2 import FileSystemBytecodeCache

    sub = directory / "maler"
    try:
        from .output import ensure_private_dir

        ensure_private_dir(sub, tighten=True)
    except OSError:
        return None
    return FileSystemBytecodeCache(str(sub), pattern=f"%s-{_tag()}.cache")


def _flow_file(path: Path) -> Path | None:
    directory = cache_dir()
    if directory is None:
        return None
    import zlib

    key = zlib.crc32(str(path.resolve()).encode("utf-8"))
    return directory / "flyter" / f"{path.stem}-{key:08x}-{_tag()}.pickle"


def cached_flow(path: Path) -> Any:
    """The flow loaded earlier from exactly these bytes at this path, or None.

    The cache holds the file's bytes beside the flow, and is used only when they are equal, so
    an edited flow is always read and checked anew.
    """
    target = _flow_file(path)
    if target is None:
        return None
    try:
        import pickle

        source, flow = pickle.loads(target.read_bytes())
        if source == path.read_bytes():
            return flow
    except Exception:
        return None
    return None


def store_flow(path: Path, flow: Any) -> None:
    target = _flow_file(path)
    if target is None:
        return
    with contextlib.suppress(Exception):
        import pickle

        from .output import ensure_private_dir, write_private_bytes

        ensure_private_dir(target.parent, tighten=True)
        write_private_bytes(target, pickle.dumps((path.read_bytes(), flow), protocol=5))
