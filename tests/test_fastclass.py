"""fastclass.dataclass behaves as the standard library's dataclass, for the shapes this package
uses: the same repr, equality, hash, defaults, factories, __post_init__, replace and fields, and a
frozen instance refuses every change with FrozenInstanceError."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from functools import cached_property
from typing import Any

import pytest

from omsorgslinje import fastclass

Maker = Callable[..., Any]


def both(frozen: bool) -> list[Maker]:
    return [
        lambda cls: dataclasses.dataclass(frozen=frozen)(cls),
        lambda cls: fastclass.dataclass(frozen=frozen)(cls),
    ]


def shapes(make: Maker) -> dict[str, type]:
    class Plain:
        """A doc."""

        a: int
        b: str = "x"

    class Factory:
        a: int
        items: list[int] = dataclasses.field(default_factory=list)
        index: dict[str, int] = dataclasses.field(default_factory=dict, compare=False, repr=False)

    class Post:
        a: int
        double: int = dataclasses.field(default=0, init=False)

        def __post_init__(self) -> None:
            object.__setattr__(self, "double", self.a * 2)

    class Cached:
        a: int

        @cached_property
        def twice(self) -> int:
            return self.a * 2

    class Empty:
        pass

    return {c.__name__: make(c) for c in (Plain, Factory, Post, Cached, Empty)}


ARGS: dict[str, tuple[tuple[Any, ...], tuple[Any, ...]]] = {
    "Plain": ((1,), (1, "y")),
    "Factory": ((1,), (1, [2])),
    "Post": ((3,), (4,)),
    "Cached": ((1,), (2,)),
    "Empty": ((), ()),
}


def observe(cls: type, args: tuple[Any, ...], other: tuple[Any, ...]) -> dict[str, Any]:
    one, same, different = cls(*args), cls(*args), cls(*other)
    seen: dict[str, Any] = {
        "repr": repr(one).replace("fastclass", "dataclasses"),
        "eq": (one == same, one == different, one == object(), one != same),
        "fields": [(f.name, f.init, f.compare, f.repr) for f in dataclasses.fields(cls)],
        "replace": repr(dataclasses.replace(one)),
        "asdict": dataclasses.asdict(one),
        "is_dataclass": dataclasses.is_dataclass(one),
        "match_args": getattr(cls, "__match_args__", None),
    }
    try:
        seen["hash"] = hash(one) == hash(same)
    except TypeError as exc:
        seen["hash"] = type(exc).__name__
    for attr in ("a", "new"):
        try:
            setattr(one, attr, 5)
            seen[f"set {attr}"] = getattr(one, attr)
        except Exception as exc:
            seen[f"set {attr}"] = type(exc).__name__
    try:
        del one.a
        seen["del"] = "ok"
    except Exception as exc:
        seen["del"] = type(exc).__name__
    if cls.__name__ == "Cached":
        seen["cached"] = cls(*args).twice
    return seen


@pytest.mark.parametrize("frozen", [True, False])
@pytest.mark.parametrize("name", list(ARGS))
def test_as_the_standard_library(frozen: bool, name: str) -> None:
    standard, fast = (shapes(make)[name] for make in both(frozen))
    args, other = ARGS[name]
    assert observe(fast, args, other) == observe(standard, args, other)


def test_a_default_before_a_field_without_one_is_refused_as_there() -> None:
    class Wrong:
        a: int = 1
        b: int

    with pytest.raises(TypeError):
        dataclasses.dataclass(Wrong)
    with pytest.raises(TypeError):
        fastclass.dataclass(Wrong)


def test_keyword_arguments_and_errors_of_init_as_there() -> None:
    standard, fast = (shapes(make)["Plain"] for make in both(True))
    assert repr(fast(b="z", a=2)).endswith(repr(standard(b="z", a=2)).split(".")[-1])
    for cls in (standard, fast):
        with pytest.raises(TypeError):
            cls()
        with pytest.raises(TypeError):
            cls(1, "x", 3)


def test_every_data_class_of_the_package_is_made_here() -> None:
    """The package uses this decorator, not the standard library's (which is slower to import)."""
    import re

    from conftest import REPO

    standard = re.compile(
        r"^from dataclasses import [^\n]*\bdataclass\b|@dataclasses\.dataclass", re.M
    )
    found = [
        str(p.relative_to(REPO))
        for p in sorted((REPO / "src" / "omsorgslinje").rglob("*.py"))
        if standard.search(p.read_text(encoding="utf-8"))
    ]
    assert found == []
