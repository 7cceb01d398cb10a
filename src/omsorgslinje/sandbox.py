"""The bounds of the one Jinja sandbox: flows and templates may come from someone else.

Jinja's immutable sandbox already refuses attributes that reach Python's internals and any
change to a list or dict (a template cannot alter `svar`). On top of it:

- `**`, `*`, `+` and `%` are intercepted: Jinja then no longer folds them at compile time (where
  `2**(2**36)` in a `when` hung loading), and at run time a number or a text that would grow
  past a bound is refused before it is made;
- a call with a size argument past the bound (`'x'.ljust(10**9)`, `center(10**9)`) is refused;
- `time_limit` stops a compilation or a rendering that runs too long (a loop without end), on
  systems that have SIGALRM; elsewhere only the size bounds hold.
"""

from __future__ import annotations

import contextlib
import re
import signal
import threading
from collections.abc import Iterable, Iterator
from typing import Any

from jinja2 import __version__ as _jinja_version
from jinja2.exceptions import SecurityError
from jinja2.runtime import Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment

# the macro shortcut in BoundedSandbox.call copies what Context.call does in Jinja 3.1; with
# another Jinja every call takes Jinja's own way
_MACRO_CALL_KNOWN = _jinja_version.startswith("3.1.")
MAX_SIZE = 1_000_000  # characters of a text, items of a list
MAX_BITS = 4_096  # an integer of about 1,200 digits
SECONDS = 10.0

# a field width or precision in a format string ("%*s", "{:>999999999}")
_WIDE_FORMAT = re.compile(r"\d{7,}")


def _size(value: object) -> int | None:
    if isinstance(value, str | bytes | list | tuple):
        return len(value)
    return None


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox with bounded sizes."""

    intercepted_binops = frozenset({"**", "*", "+", "%"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # filters are called directly, not through `call`: bound their size arguments too
        for name, func in list(self.filters.items()):
            self.filters[name] = _bounded(func)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            _check_power(left, right)
        elif operator == "*":
            _check_product(left, right)
        elif operator == "+":
            ls, rs = _size(left), _size(right)
            if ls is not None and rs is not None and ls + rs > MAX_SIZE:
                raise SecurityError("teksten eller listen blir for lang")
        elif operator == "%" and isinstance(left, str):
            args = right if isinstance(right, tuple) else (right,)
            if "*" in left or _WIDE_FORMAT.search(left) or any(_too_big(a) for a in args):
                raise SecurityError("formateringen blir for bred")
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        if type(__obj) is Macro and _MACRO_CALL_KNOWN:
            # a macro of the template itself: what Context.call does for one (Jinja 3.1: the
            # evaluation context first, the loop's and block's variables dropped), without the
            # checks below, which are for what a macro reaches: every call, operator and
            # attribute inside it comes back through this sandbox
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
            try:
                return __obj(__context.eval_ctx, *args, **kwargs)
            except StopIteration:
                return __self.undefined(
                    "value was undefined because a callable raised a StopIteration exception"
                )
        if _any_too_big(args) or (kwargs and _any_too_big(kwargs.values())):
            raise SecurityError("et tall i kallet er for stort")
        # str.format reaches here wrapped; its format string is the method's own object
        target = getattr(__obj, "__wrapped__", __obj)
        pattern = getattr(target, "__self__", None)
        if isinstance(pattern, str) and _WIDE_FORMAT.search(pattern):
            raise SecurityError("formateringen blir for bred")
        return super().call(__context, __obj, *args, **kwargs)


def _too_big(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_SIZE


def _any_too_big(values: Iterable[object]) -> bool:
    """Whether any value is a number past the bound (a loop: called for every call a template
    makes, so no generator and no tuple)."""
    for value in values:
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_SIZE:
            return True
    return False


def _check_power(base: object, exponent: object) -> None:
    if isinstance(base, int | float) and isinstance(exponent, int | float):
        if isinstance(exponent, float) or isinstance(base, float):
            return  # floats overflow to an error, they do not grow
        if abs(base) > 1 and exponent > 0 and abs(base).bit_length() * exponent > MAX_BITS:
            raise SecurityError("tallet blir for stort")


def _check_product(left: object, right: object) -> None:
    for seq, times in ((left, right), (right, left)):
        n = _size(seq)
        if n is not None and isinstance(times, int) and n * times > MAX_SIZE:
            raise SecurityError("teksten eller listen blir for lang")
    both_int = isinstance(left, int) and isinstance(right, int)
    if both_int and abs(left).bit_length() + abs(right).bit_length() > MAX_BITS:  # type: ignore[arg-type]
        raise SecurityError("tallet blir for stort")


def _bounded(func: Any) -> Any:
    """A filter that refuses a size argument past the bound (`center(10**9)`)."""
    pass_arg = getattr(func, "jinja_pass_arg", None)
    skip = 2 if pass_arg is not None else 1

    def bounded(*args: Any, **kwargs: Any) -> Any:
        # most calls give the filter its value alone: nothing to look at then
        if (len(args) > skip and _any_too_big(args[skip:])) or (
            kwargs and _any_too_big(kwargs.values())
        ):
            raise SecurityError("et tall i filteret er for stort")
        return func(*args, **kwargs)

    # what Jinja reads off a filter (whether it takes the context), without functools.wraps,
    # which copies every attribute of each of some fifty filters as the sandbox is made
    if pass_arg is not None:
        bounded.jinja_pass_arg = pass_arg  # type: ignore[attr-defined]
    bounded.__name__ = getattr(func, "__name__", "filter")
    bounded.__doc__ = getattr(func, "__doc__", None)
    bounded.__wrapped__ = func  # type: ignore[attr-defined]
    return bounded


class TimeLimit(Exception):
    """A compilation or rendering ran past its time limit."""


@contextlib.contextmanager
def time_limit(seconds: float = SECONDS) -> Iterator[None]:
    """Raise TimeLimit inside the block after `seconds` (main thread with SIGALRM only)."""
    if (
        not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
        or signal.getitimer(signal.ITIMER_REAL)[0] > 0  # someone else's timer: leave it
    ):
        yield
        return

    def expired(signum: int, frame: object) -> None:
        raise TimeLimit

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
