"""TOML files: reading them with problems instead of exceptions, and finding lines.

tomllib keeps no positions, so `LineIndex` finds the line of a key, a step or a table in the
file text; `read_toml` turns a missing file, bad encoding or bad syntax into a Problem with a
Norwegian message (line and column where the parser gives them). Used for flows, answers files
and `flyt sjekk`.
"""

from __future__ import annotations

import re
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import Problem
from .fastclass import dataclass

if TYPE_CHECKING:
    from types import ModuleType

_LINE_COL = r"\(at line (\d+), column (\d+)\)"  # compiled for an error only (re keeps it)
_STEPS_HEADER = re.compile(r"^\s*\[\[\s*steps\s*\]\]\s*(#.*)?$")
_ID_LINE = re.compile(r"""^\s*id\s*=\s*["']([^"']*)["']""")


@dataclass
class LineIndex:
    """Where things are in the file text: tomllib keeps no positions, so we find them."""

    lines: list[str]
    step_starts: list[int] = field(default_factory=list)  # 0-based line of each [[steps]]

    @classmethod
    def of(cls, text: str) -> LineIndex:
        lines = text.splitlines()
        starts = [i for i, line in enumerate(lines) if _STEPS_HEADER.match(line)]
        return cls(lines, starts)

    def step_range(self, n: int) -> tuple[int, int]:
        if n >= len(self.step_starts):
            return 0, len(self.lines)
        start = self.step_starts[n]
        end = self.step_starts[n + 1] if n + 1 < len(self.step_starts) else len(self.lines)
        return start, end

    def step_line(self, n: int) -> int | None:
        if n >= len(self.step_starts):
            return None
        start, end = self.step_range(n)
        for i in range(start, end):
            if _ID_LINE.match(self.lines[i]):
                return i + 1
        return start + 1

    def key_line(
        self, key: str, n: int | None = None, span: tuple[int, int] | None = None
    ) -> int | None:
        """The line of `key = ...` (or a [table] named key) in step n, in span, or anywhere.

        A key at the start of a line wins; otherwise a key inside an inline table
        (`{ value = "a", lable = "b" }`) on a line of the range.
        """
        if span is not None:
            start, end = span
        elif n is not None:
            start, end = self.step_range(n)
        else:
            start, end = 0, len(self.lines)
        k = re.escape(key)
        pat = re.compile(rf"^\s*(\[\[?\s*[\w.]*\b{k}\s*\]\]?|[\"']?{k}[\"']?\s*=)")
        for i in range(start, end):
            if pat.match(self.lines[i]):
                return i + 1
        inline = re.compile(rf"[{{,]\s*[\"']?{k}[\"']?\s*=")
        for i in range(start, end):
            if inline.search(self.lines[i]):
                return i + 1
        return None

    def table_span(self, dotted: str) -> tuple[int, int] | None:
        """The lines of a table `[dotted]` up to the next table header."""
        parts = [re.escape(p) for p in dotted.split(".")]
        head = re.compile(r"^\s*\[\s*" + r"\s*\.\s*".join(parts) + r"\s*\]\s*(#.*)?$")
        for i, line in enumerate(self.lines):
            if head.match(line):
                end = i + 1
                while end < len(self.lines) and not re.match(r"^\s*\[", self.lines[end]):
                    end += 1
                return i, end
        return None


_TOML_REASONS: tuple[tuple[str, str], ...] = (
    (r"Cannot declare (.+) twice", r"\1 er skrevet to ganger"),
    (
        r"Cannot mutate immutable namespace (.+)",
        r"\1 er allerede gitt som verdi og kan ikke utvides",
    ),
    (r"Cannot redefine namespace (.+)", r"tabellen \1 er allerede definert"),
    (r"Cannot overwrite a value", "en verdi er gitt to ganger"),
    (r"Duplicate inline table key (.+)", r"nøkkelen \1 står to ganger i samme {}-tabell"),
    (r"Escaped character is not a Unicode scalar value", "ugyldig \\u-tegn i teksten"),
    (r"Expected '=' after a key in a key/value pair", "mangler «=» etter nøkkelen"),
    (r"Expected ']' at the end of a table declaration", "mangler «]» i tabelloverskriften"),
    (r"Expected ']]' at the end of an array declaration", "mangler «]]» i overskriften"),
    (r"Expected (.+)", r"ventet \1"),
    (r"Found invalid character (.+)", r"ugyldig tegn \1"),
    (r"Illegal character (.+)", r"ulovlig tegn \1 i teksten"),
    (r"Invalid date or datetime", "ugyldig dato eller tidspunkt"),
    (r"Invalid hex value", "ugyldig heksadesimal verdi"),
    (r"Invalid initial character for a key part", "ugyldig tegn først i en nøkkel"),
    (r"Invalid statement", "ugyldig linje"),
    (r"Invalid value", "ugyldig verdi (tekst må stå i anførselstegn)"),
    (r"Unclosed array", "listen er ikke lukket med «]»"),
    (r"Unclosed inline table", "{}-tabellen er ikke lukket med «}»"),
    (r"Unescaped '\\' in a string", "«\\» i tekst må skrives «\\\\»"),
    (r"Unterminated string", "teksten mangler avsluttende anførselstegn"),
)
_AT_END = r"\(at end of document\)"


def _toml_reason(reason: str) -> str:
    for pattern, norwegian in _TOML_REASONS:
        m = re.fullmatch(pattern, reason)
        if m:
            return m.expand(norwegian)
    return reason


def toml_syntax_problem(path: str, exc: ValueError, text: str = "") -> Problem:
    """A TOML syntax error with line and column. On Python 3.11 the error has no `lineno`,
    so they are read from the message («(at line 3, column 5)»)."""
    msg = str(exc)
    m = re.search(_LINE_COL, msg)
    line = int(m.group(1)) if m else None
    column = f", kolonne {m.group(2)}" if m else ""
    if m is None and re.search(_AT_END, msg):
        line = max(1, len(text.splitlines()))
        column = ", ved slutten av filen"
    reason = re.sub(_AT_END, "", re.sub(_LINE_COL, "", msg)).strip()
    return Problem(path, f"Ugyldig TOML{column}: {_toml_reason(reason)}.", line)


def _parser() -> ModuleType:
    """The TOML parser, imported when the first file is read (not before the first question):
    tomli, whose wheels are compiled (mypyc, about four times faster on a large flow), or the
    standard library's tomllib."""
    try:
        import tomli

        return tomli
    except ImportError:  # pragma: no cover - the standard library's pure-Python parser
        import tomllib

        return tomllib


def parse_toml(text: str) -> dict[str, Any]:
    """TOML text to data, with the parser read_toml uses; raises ValueError."""
    data: dict[str, Any] = _parser().loads(text)
    return data


def read_toml(path: Path) -> tuple[dict[str, Any] | None, str, list[Problem]]:
    """Read a TOML file; problems instead of exceptions (missing file, encoding, syntax)."""
    name = str(path)
    try:
        text = path.read_bytes().decode("utf-8")
        # Windows Notepad starts a UTF-8 file with a byte-order mark; TOML has no use for it
        text = text.removeprefix("\ufeff")
    except FileNotFoundError:
        return None, "", [Problem(name, "Filen finnes ikke.")]
    except IsADirectoryError:
        return None, "", [Problem(name, "Dette er en mappe, ikke en fil.")]
    except PermissionError:
        return None, "", [Problem(name, "Mangler tilgang til å lese filen.")]
    except UnicodeDecodeError as exc:
        return None, "", [Problem(name, f"Filen er ikke gyldig UTF-8 (byte {exc.start}).")]
    except OSError as exc:
        return None, "", [Problem(name, f"Kunne ikke lese filen: {exc.strerror}.")]
    parser = _parser()
    try:
        return parser.loads(text), text, []
    except parser.TOMLDecodeError as exc:  # tomli's and tomllib's are both ValueErrors
        return None, text, [toml_syntax_problem(name, exc, text)]
    except RecursionError:
        return (
            None,
            text,
            [Problem(name, "Filen har for mange tabeller eller lister inne i hverandre.")],
        )
    except ValueError:  # an integer of thousands of digits (Python's limit on int())
        return None, text, [Problem(name, "Filen har et tall med for mange sifre.")]
