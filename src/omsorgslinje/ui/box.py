"""Styled lines and boxes on the terminal (stderr) without rich.

The first screen of an interview (the introduction's box, the progress line, a warning) is
drawn here, because importing rich costs more than the time a user waits for the first
question is allowed to grow (benchmarks/bench.py). It draws what rich drew: a rounded box
with its title in the top border (a heavy one for an urgent panel), lines wrapped at word
boundaries to the terminal's width, the same escape codes, none without a terminal or with
TERM=dumb, no colours (bold and dim kept) with NO_COLOR. rich is still used, loaded lazily,
to show a Markdown document at the end.
"""

from __future__ import annotations

import os
import re
import sys
from typing import TextIO

ROUNDED = "╭─╮│╰╯"
HEAVY = "┏━┓┃┗┛"
ASCII = "+-+|++"

_ATTRIBUTES = {"bold": "1", "dim": "2", "italic": "3", "underline": "4"}
_COLOURS = {
    "black": "30",
    "red": "31",
    "green": "32",
    "yellow": "33",
    "blue": "34",
    "magenta": "35",
    "cyan": "36",
    "white": "37",
}


def can_style(stream: TextIO | None = None) -> bool:
    """Whether escape codes may be written to `stream` (stderr): as rich decides it."""
    env = os.environ
    stream = sys.stderr if stream is None else stream
    compatible = env.get("TTY_COMPATIBLE", "")
    if compatible in ("0", "1"):
        terminal = compatible == "1"
    elif env.get("FORCE_COLOR") is not None:
        terminal = env.get("FORCE_COLOR") != ""
    else:
        try:
            terminal = stream.isatty()
        except (AttributeError, ValueError, OSError):
            terminal = False
    return terminal and env.get("TERM", "").lower() not in ("dumb", "unknown")


def codes(style: str) -> str:
    """The SGR parameters of a style such as "bold red" or "dim"; colours dropped with
    NO_COLOR (set, even empty), attributes kept."""
    colours = "NO_COLOR" not in os.environ
    found = []
    for word in style.split():
        if word in _ATTRIBUTES:
            found.append(_ATTRIBUTES[word])
        elif word in _COLOURS and colours:
            found.append(_COLOURS[word])
    return ";".join(found)


def paint(text: str, style: str, stream: TextIO | None = None) -> str:
    """`text` in `style`, when the stream takes escape codes."""
    sgr = codes(style) if style and text and can_style(stream) else ""
    return f"\x1b[{sgr}m{text}\x1b[0m" if sgr else text


def screen_width() -> int:
    """The terminal's width as rich takes it: COLUMNS, else the first standard stream that is
    a terminal, else 80."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    for fd in (0, 1, 2):
        try:
            return os.get_terminal_size(fd).columns or 80
        except (OSError, ValueError):
            continue
    return 80


def cells(text: str) -> int:
    """Columns `text` takes on the terminal (wide characters count two)."""
    if text.isascii():
        return len(text)
    from wcwidth import wcswidth

    width = wcswidth(text)
    return width if width >= 0 else len(text)


def lines_of(text: str, width: int) -> list[str]:
    """`text` wrapped at word boundaries to `width` columns; its own line breaks kept, a word
    longer than a line folded."""
    width = max(1, width)
    out: list[str] = []
    for line in text.expandtabs(8).split("\n"):
        line = line.rstrip()
        if cells(line) <= width:
            out.append(line)
            continue
        out += _divided(line, width)
    return out


def _divided(line: str, width: int) -> list[str]:
    """A line too long for `width`, broken as rich breaks it: before a word that does not fit,
    and a word longer than a whole line folded at the line's end."""
    out: list[str] = []
    current = ""
    for word in re.findall(r"\s*\S+\s*", line):
        if current and cells(current) + cells(word.rstrip()) > width:
            out.append(current.rstrip())
            current = ""
        while cells(current + word.rstrip()) > width:
            room = width - cells(current)
            cut = 1
            while cut < len(word) and cells(word[: cut + 1]) <= room:
                cut += 1
            out.append((current + word[:cut]).rstrip())
            current, word = "", word[cut:]
        current += word
    out.append(current.rstrip())
    return out


def fit(text: str, width: int) -> str:
    """`text` cut to `width` columns, with «…» where it was cut."""
    if cells(text) <= width:
        return text
    while text and cells(text) > width - 1:
        text = text[:-1]
    return text + "…"


def panel(
    body: str,
    width: int,
    title: str = "",
    style: str = "",
    frame: str = ROUNDED,
    title_left: bool = False,
) -> str:
    """A box `width` columns wide (at most the terminal's), `body` wrapped inside with one
    space either side, `title` in the top border (centred, or at the left), the border drawn
    in `style`."""
    width = max(4, min(width, screen_width()))
    encoding = (getattr(sys.stderr, "encoding", None) or "utf-8").lower().replace("-", "")
    if not encoding.startswith("utf"):
        frame = ASCII
    tl, h, tr, v, bl, br = tuple(frame)
    inner = width - 4
    if title:
        head = fit(f" {title} ", inner)
        excess = inner - cells(head)
        left = 0 if title_left else excess // 2
        top = tl + h * (1 + left) + head + h * (excess - left + 1) + tr
    else:
        top = tl + h * (width - 2) + tr
    rows = [paint(top, style)]
    side = paint(v, style)
    for line in lines_of(body, inner):
        rows.append(f"{side} {line}{' ' * (inner - cells(line))} {side}")
    rows.append(paint(bl + h * (width - 2) + br, style))
    return "\n".join(rows)


def write(text: str) -> None:
    """`text` and a line break on stderr, at once."""
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def styled_lines(text: str, style: str = "") -> str:
    """A message wrapped to the terminal's width, each line in `style`."""
    return "\n".join(paint(line, style) for line in lines_of(text, screen_width()))
