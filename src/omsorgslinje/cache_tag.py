"""Which code made a cache entry: the package version, a hash of the modules that compile or
check what is cached, Jinja's version and Python's. Entries of another tag are not used."""

from __future__ import annotations

import hashlib
import sys
from functools import cache
from pathlib import Path

FORMAT = 3  # raise when what a file holds changes meaning
# the modules whose code decides what is compiled, and how
SOURCES = (
    "expr.py",
    "conditions.py",
    "sandbox.py",
    "render.py",
    "cache.py",
    "cache_tag.py",
    # and what reads and checks a flow, whose model flow_cache.py keeps
    "flow_cache.py",
    "loader.py",
    "loader_fields.py",
    "loader_names.py",
    "loader_schema.py",
    "flow_schema_check.py",
    "flow_schema.json",
    "toml_text.py",
    "model.py",
)


@cache
def code_tag() -> str:
    """Names the code that makes and reads the cache: a new version, an edited module (in a
    checkout), another Jinja or Python each get fresh files."""
    from . import __version__

    jinja_version = _jinja_version()

    digest = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for name in SOURCES:
        digest.update(name.encode())
        digest.update((here / name).read_bytes())
    return (
        f"{__version__}-f{FORMAT}-{digest.hexdigest()[:16]}"
        f"-jinja{jinja_version}-{sys.implementation.cache_tag}"
    )


def _jinja_version() -> str:
    """Jinja's version, read from its package without importing it (which takes a quarter of
    the time to the first question): the cache is opened before anything needs Jinja."""
    import re
    from importlib.util import find_spec

    try:
        spec = find_spec("jinja2")
        if spec is not None and spec.origin:
            text = Path(spec.origin).read_text(encoding="utf-8")
            found = re.search(r"^__version__\s*=\s*[\"']([^\"']+)[\"']", text, re.M)
            if found:
                return found.group(1)
    except (OSError, ValueError, ImportError):
        pass
    from jinja2 import __version__ as imported

    return imported
