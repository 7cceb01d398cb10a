"""ui/lines.py: lines read from standard input as `readline` gives them, and a Ctrl-C that lands
just before the read still ends it (the race that once lost a Ctrl-C in a loaded CI run)."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator

import pytest

from omsorgslinje.ui.lines import _Lines, read_line


@pytest.fixture
def pipe() -> Iterator[tuple[int, int]]:
    r, w = os.pipe()
    yield r, w
    for fd in (r, w):
        with contextlib.suppress(OSError):  # closed by the test
            os.close(fd)


def lines_of(reader: _Lines, n: int) -> list[str]:
    return [reader.readline() for _ in range(n)]


TYPED = "ja\r\nnei\rÆøå, «sitat»\n\nsist"


def test_lines_end_as_readline_ends_them(pipe: tuple[int, int]) -> None:
    r, w = pipe
    os.write(w, TYPED.encode())
    os.close(w)
    got = lines_of(_Lines(r, "utf-8", "strict"), 6)
    assert got == ["ja\n", "nei\n", "Æøå, «sitat»\n", "\n", "sist", ""]
    # the lines Python's own text layer gives for the same bytes
    own = io.TextIOWrapper(io.BytesIO(TYPED.encode()), encoding="utf-8")
    assert got == [own.readline() for _ in range(6)]


def test_a_carriage_return_last_waits_for_what_follows(pipe: tuple[int, int]) -> None:
    r, w = pipe
    reader = _Lines(r, "utf-8", "strict")
    os.write(w, b"en\r")
    os.write(w, b"\nto\n")  # one line "en", not "en" and an empty one
    assert lines_of(reader, 2) == ["en\n", "to\n"]
    os.write(w, b"tre\r")
    os.close(w)
    assert lines_of(reader, 2) == ["tre\n", ""]


def test_lines_held_back_are_not_lost_between_reads(pipe: tuple[int, int]) -> None:
    r, w = pipe
    os.write(w, b"1\n2\n3\n")  # typed ahead: one os.read gets all three
    reader = _Lines(r, "utf-8", "strict")
    assert reader.readline() == "1\n"
    os.write(w, b"4\n")
    assert lines_of(reader, 3) == ["2\n", "3\n", "4\n"]


def test_any_other_stream_is_read_its_own_way() -> None:
    assert read_line(io.StringIO("a\nb")) == "a\n"


RACE = textwrap.dedent(
    """
    import os, signal, sys, threading, time
    from omsorgslinje.ui.lines import read_line

    go = threading.Event()

    def interrupt():
        go.wait()
        time.sleep(0.3)
        os.kill(os.getpid(), signal.SIGINT)

    threading.Thread(target=interrupt, daemon=True).start()
    # the main thread blocks SIGINT, so the kernel hands it to the other thread: Python notes it,
    # but nothing wakes the main thread's read, exactly as when Ctrl-C lands just before read(2)
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    go.set()
    try:
        line = read_line() if sys.argv[1] == "lines" else sys.stdin.readline()
    except KeyboardInterrupt:
        print("avbrutt", flush=True)
        sys.exit(130)
    print("lest", repr(line), flush=True)
    """
)


def _race(how: str, timeout: float) -> tuple[int, str]:
    """The exit code and output of RACE, its standard input an open pipe never written to."""
    with subprocess.Popen(
        [sys.executable, "-c", RACE, how],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    ) as child:
        try:
            code = child.wait(timeout=timeout)
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
        assert child.stdout is not None
        return code, child.stdout.read()


def test_a_ctrl_c_noted_but_not_acted_on_still_ends_the_read() -> None:
    assert _race("lines", timeout=20) == (130, "avbrutt\n")


def test_the_race_is_real_with_a_bare_readline() -> None:
    """The control: without the slices, the same Ctrl-C leaves readline waiting for a line."""
    with pytest.raises(subprocess.TimeoutExpired):
        _race("readline", timeout=2)
