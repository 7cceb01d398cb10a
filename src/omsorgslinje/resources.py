"""Where the built-in flows and templates are: inside the installed package, or, in a source
checkout, at the repository's top level. User directories (issue: own flows) come first."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable
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
        dirs += [Path(p).absolute() for p in extra.split(os.pathsep) if p]
    dirs.append(user_config_dir().absolute() / "flyter")
    dirs.append(builtin_flows_dir())
    return dirs


def template_dirs(flow_path: str | None = None) -> list[Path]:
    """Template search path: the user's templates override built-in ones of the same name."""
    dirs: list[Path] = []
    extra = os.environ.get("OMSORGSLINJE_MALER")
    if extra:
        dirs += [Path(p).absolute() for p in extra.split(os.pathsep) if p]
    dirs.append(user_config_dir().absolute() / "maler")
    if flow_path:
        here = Path(flow_path).resolve().parent
        dirs += [here / "templates", here / "maler", here]
    dirs.append(builtin_templates_dir())
    return dirs


def find_flow(ref: str) -> Path | None:
    """A flow by id (searched in flow_dirs) or by file path. A flow that exists comes as its
    full path (links resolved), before anything is loaded, cached or recorded from it: a run
    from another folder, or a draft resumed there, finds the same file and its templates."""
    candidate = Path(ref)
    if ref.endswith(".toml") or os.sep in ref:
        if candidate.exists():
            return candidate.resolve()
        return candidate if ref.endswith(".toml") else None
    for d in flow_dirs():
        p = d / f"{ref}.toml"
        if p.is_file():
            return p.resolve()
    return None


def replaced_flow(ref: str, path: Path) -> bool:
    """Whether the flow found for the id `ref` is the user's own file in place of a built-in."""
    if ref.endswith(".toml") or os.sep in ref:
        return False  # a file named by its path: the user chose it
    builtin = builtin_flows_dir() / f"{ref}.toml"
    return builtin.is_file() and path.resolve() != builtin.resolve()


def replaced_templates(
    flow_path: str | None, names: Iterable[str], uses: Callable[[Path], Iterable[str]]
) -> list[tuple[str, Path]]:
    """The built-in templates that the user's own files replace for a flow: each of `names`
    and what they import or include (`uses` reads those names from a template file), looked up
    as rendering does. Nothing is read when no own file has a built-in's name."""
    builtin = builtin_templates_dir()
    own = [d for d in template_dirs(flow_path) if d != builtin]
    try:
        shadowing = {p.name for d in own if d.is_dir() for p in d.iterdir()} & {
            p.name for p in builtin.iterdir()
        }
    except OSError:
        return []
    if not shadowing:
        return []
    found: list[tuple[str, Path]] = []
    seen: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        file = next((d / name for d in [*own, builtin] if (d / name).is_file()), None)
        if file is None:
            continue
        if name in shadowing and file.parent != builtin:
            found.append((name, file))
        with contextlib.suppress(Exception):
            todo += uses(file)
    return sorted(found)
