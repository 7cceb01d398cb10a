"""`@dataclass`, with only `__init__` compiled.

The standard library's `dataclasses.dataclass` (before Python 3.13) compiles every method it
makes on its own: six compilations for a frozen class, about 1 ms a class, and some twenty
classes lie between `omsorgslinje` and its first question. This one lets the standard library
find the fields (so `dataclasses.fields`, `replace` and `field(...)` work as always) and makes
`__init__` in one small compilation and `__repr__`, `__eq__`, `__hash__` and, for a frozen
class, `__setattr__` and `__delattr__` as closures (nothing to compile), with the standard
library's semantics: fields in order,
defaults and `default_factory`, `__post_init__`, `compare`/`repr`/`hash` per field, equality
only with the same class, a frozen instance refusing assignment with FrozenInstanceError.

Used for every data class of the package; `tests/test_fastclass.py` holds it to the standard
library's behaviour.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import MISSING, FrozenInstanceError
from operator import attrgetter
from typing import Any, TypeVar, dataclass_transform, overload

T = TypeVar("T", bound=type)


@overload
def dataclass(cls: T, /) -> T: ...
@overload
def dataclass(*, frozen: bool = False) -> Callable[[T], T]: ...


@dataclass_transform(field_specifiers=(dataclasses.field, dataclasses.Field))
def dataclass(cls: Any = None, /, *, frozen: bool = False) -> Any:
    """A data class as `dataclasses.dataclass(cls, frozen=frozen)` makes it."""

    def wrap(cls: type) -> type:
        return _make(cls, frozen)

    return wrap if cls is None else wrap(cls)


def _make(cls: type, frozen: bool) -> type:
    has_doc = bool(cls.__dict__.get("__doc__"))
    if not has_doc:
        cls.__doc__ = cls.__name__  # the standard library would inspect a signature to say it
    cls = dataclasses.dataclass(init=False, repr=False, eq=False)(cls)
    fields = dataclasses.fields(cls)
    if any(f.kw_only for f in fields):
        raise TypeError(f"{cls.__name__}: kw_only is not supported here")
    ns: dict[str, Any] = {"MISSING": MISSING, "object_setattr": object.__setattr__}
    params, body = [], []

    def assign(name: str, value: str) -> str:
        if frozen:
            return f"  object_setattr(self, {name!r}, {value})"
        return f"  self.{name} = {value}"

    for i, f in enumerate(fields):
        if f.default_factory is not MISSING:
            ns[f"factory_{i}"] = f.default_factory
            if f.init:
                params.append(f"{f.name}=MISSING")
                body.append(assign(f.name, f"factory_{i}() if {f.name} is MISSING else {f.name}"))
            else:
                body.append(assign(f.name, f"factory_{i}()"))
        elif f.default is not MISSING:
            ns[f"default_{i}"] = f.default
            if f.init:
                params.append(f"{f.name}=default_{i}")
                body.append(assign(f.name, f.name))
            else:
                body.append(assign(f.name, f"default_{i}"))
        elif f.init:
            if params and "=" in params[-1]:
                raise TypeError(f"non-default argument {f.name!r} follows default argument")
            params.append(f.name)
            body.append(assign(f.name, f.name))
    if hasattr(cls, "__post_init__"):
        body.append("  self.__post_init__()")
    source = [f"def __init__(self, {', '.join(params)}):", *(body or ["  pass"])]
    exec(compile("\n".join(source), f"<dataclass {cls.__qualname__}>", "exec"), ns)
    methods: dict[str, Callable[..., Any]] = {"__init__": ns["__init__"]}
    methods.update(_methods(cls, fields, frozen))
    for name, fn in methods.items():
        if name in cls.__dict__ and name not in ("__setattr__", "__delattr__"):
            continue  # the class wrote its own (as the standard library leaves it)
        fn.__qualname__ = f"{cls.__qualname__}.{name}"
        fn.__module__ = cls.__module__
        setattr(cls, name, fn)
    if not frozen and "__hash__" not in cls.__dict__:
        cls.__hash__ = None  # type: ignore[assignment]  # eq without frozen: unhashable
    if not has_doc:
        cls.__doc__ = None
    return cls


def _values(names: list[str]) -> Callable[[Any], tuple[Any, ...]]:
    """The values of these fields of an instance, as a tuple (attrgetter, without compiling)."""
    if not names:
        return lambda obj: ()
    if len(names) == 1:
        one = attrgetter(names[0])
        return lambda obj: (one(obj),)
    return attrgetter(*names)


def _methods(cls: type, fields: tuple[Any, ...], frozen: bool) -> dict[str, Callable[..., Any]]:
    """__repr__, __eq__ and, when frozen, __hash__, __setattr__ and __delattr__, as the standard
    library makes them, but as closures: nothing to compile."""
    compared = _values([f.name for f in fields if f.compare])
    hashed = _values([f.name for f in fields if (f.compare if f.hash is None else f.hash)])
    shown = [(f.name, attrgetter(f.name)) for f in fields if f.repr]
    names = frozenset(f.name for f in fields)
    owner: Any = cls

    def __repr__(self: Any) -> str:
        inner = ", ".join(f"{name}={get(self)!r}" for name, get in shown)
        return f"{self.__class__.__qualname__}({inner})"

    def __eq__(self: Any, other: object) -> bool:
        if other.__class__ is self.__class__:
            return bool(compared(self) == compared(other))
        return NotImplemented

    methods: dict[str, Callable[..., Any]] = {"__repr__": __repr__, "__eq__": __eq__}
    if not frozen:
        return methods

    def __hash__(self: Any) -> int:
        return hash(hashed(self))

    def __setattr__(self: Any, name: str, value: object) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        super(owner, self).__setattr__(name, value)

    def __delattr__(self: Any, name: str) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        super(owner, self).__delattr__(name)

    methods.update(__hash__=__hash__, __setattr__=__setattr__, __delattr__=__delattr__)
    return methods
