"""Where the built-in flows and templates are: inside the installed package, or, in a source
checkout, at the repository's top level. User directories (issue: own flows) come first."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _builtin(name: str) -> Path:
    inside = _PACKAGE / name
    if inside.is_dir():
        return inside
    return _PACKAGE.parent.parent / name  # src/omsorgslinje -> repository root


@cache
def builtin_flows_dir() -> Path:
    return _builtin("flows")


@cache
def builtin_templates_dir() -> Path:
    return _builtin("templates")


def user_config_dir() -> Path:
    home = os.environ.get("OMSORGSLINJE_HJEM")
    if home:
        return Path(home) / "config"
    from platformdirs import user_config_path

    return user_config_path("omsorgslinje", appauthor=False)


def user_data_dir() -> Path:
    home = os.environ.get("OMSORGSLINJE_HJEM")
    if home:
        return Path(home) / "data"
    from platformdirs import user_data_path

    return user_data_path("omsorgslinje", appauthor=False)


def flow_dirs() -> list[Path]:
    """Directories searched for flows, the user's own first."""
    dirs: list[Path] = []
    extra = os.environ.get("OMSORGSLINJE_FLYTER")
    if extra:
        dirs += [Path(p) for p in extra.split(os.pathsep) if p]
    dirs.append(user_config_dir() / "flyter")
    dirs.append(builtin_flows_dir())
    return dirs


def template_dirs(flow_path: str | None = None) -> list[Path]:
    """Template search path: the user's templates override built-in ones of the same name."""
    dirs: list[Path] = []
    extra = os.environ.get("OMSORGSLINJE_MALER")
    if extra:
        dirs += [Path(p) for p in extra.split(os.pathsep) if p]
    dirs.append(user_config_dir() / "maler")
    if flow_path:
        here = Path(flow_path).resolve().parent
        dirs += [here / "templates", here / "maler", here]
    dirs.append(builtin_templates_dir())
    return dirs


def find_flow(ref: str) -> Path | None:
    """A flow by id (searched in flow_dirs) or by file path."""
    candidate = Path(ref)
    if ref.endswith(".toml") or os.sep in ref:
        return candidate if candidate.exists() or ref.endswith(".toml") else None
    for d in flow_dirs():
        p = d / f"{ref}.toml"
        if p.is_file():
            return p
    return None
