"""The first screen of an interview comes up quickly (issue 9, «Speed the user feels»): what the
first question does not need is not imported before it, and the boxes drawn without rich
(ui/box.py) look as rich drew them."""

from __future__ import annotations

import io
import re
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from ptyhelp import LIST, Session, loose

REPO = Path(__file__).resolve().parents[1]

# Modules the first question of `oppdager` does without (each costs start-up time): rich (the
# boxes are ui/box.py), the answers files' reader and the TOML reader (no --svar), and the
# municipality profile's contacts (no profile is configured)
NOT_BEFORE_FIRST_QUESTION = (
    "rich",
    "omsorgslinje.answers",
    "omsorgslinje.toml_text",
    "tomli",
    "omsorgslinje.contacts",
)

IMPORTED = re.compile(r"import time:\s+\d+ \|\s+\d+ \|\s*([\w.]+)")


def imported_before_first_question(cli_env: dict[str, str], cwd: Path) -> set[str]:
    """The modules imported before the first question of `oppdager` is on screen (from
    `-X importtime`, whose lines go to the terminal like everything else on stderr)."""
    argv = [sys.executable, "-X", "importtime", "-m", "omsorgslinje", "oppdager"]
    env = {k: v for k, v in cli_env.items() if k != "PYTHONDONTWRITEBYTECODE"}
    found: set[str] = set()
    for _ in range(2):  # the second run starts from the checked-flow cache, as users do
        s = Session(argv, env, cwd, dimensions=(50, 100))
        try:
            s.expect("Er noen i akutt fare")
            s.expect(loose(LIST))
            found = {m.group(1) for m in IMPORTED.finditer(s.text)}
        finally:
            s.close()
    assert "omsorgslinje.run" in found  # the measurement saw our own modules
    return found


def test_the_first_question_does_not_wait_for_what_it_does_not_need(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    found = imported_before_first_question(cli_env, tmp_path)
    early = sorted(
        name
        for name in found
        if any(name == m or name.startswith(m + ".") for m in NOT_BEFORE_FIRST_QUESTION)
    )
    assert not early, f"importert før første spørsmål: {early}"


# --- the boxes look as rich drew them ---------------------------------------------------

SGR = re.compile(r"\x1b\[([0-9;]*)m")


def cells(output: str) -> list[list[tuple[str, frozenset[str]]]]:
    """What a terminal shows: each line's characters with their attributes (a space's
    attributes do not show; trailing spaces neither)."""
    rows = []
    state: frozenset[str] = frozenset()
    for line in output.split("\n"):
        row = []
        i = 0
        while i < len(line):
            m = SGR.match(line, i)
            if m:
                params = [p for p in m.group(1).split(";") if p]
                new = set(state)
                for p in params or ["0"]:
                    new = set() if p == "0" else new | {p}
                state = frozenset(new)
                i = m.end()
                continue
            row.append((line[i], state if line[i] != " " else frozenset()))
            i += 1
        while row and row[-1][0] == " ":
            row.pop()
        rows.append(row)
    while rows and not rows[-1]:
        rows.pop()
    return rows


def _flow_texts() -> list[str]:
    """Every longer text of the two routines (introductions, panels, help, choices)."""
    texts: list[str] = []

    def walk(x: object) -> None:
        if isinstance(x, dict):
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)
        elif isinstance(x, str) and len(x) > 20 and "[" not in x:
            texts.append(x)  # (rich read «[…]» as markup; a box shows it as written)

    for name in ("oppdager", "henvisning"):
        walk(tomllib.loads((REPO / "flows" / f"{name}.toml").read_text(encoding="utf-8")))
    return texts[::7]


@pytest.mark.parametrize("no_color", [False, True])
@pytest.mark.parametrize("columns", [40, 60, 100, 200])
def test_boxes_and_lines_look_as_rich_drew_them(
    monkeypatch: pytest.MonkeyPatch, columns: int, no_color: bool
) -> None:
    from rich import box as rich_box
    from rich.console import Console
    from rich.panel import Panel

    from omsorgslinje.ui import box
    from omsorgslinje.ui.common import wrapped

    monkeypatch.setenv("COLUMNS", str(columns))
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("TERM", "xterm")
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    else:
        monkeypatch.delenv("NO_COLOR", raising=False)
    width = min(columns, 100)
    kinds: dict[str, tuple[dict[str, Any], tuple[Any, ...], dict[str, Any]]] = {
        "intro": ({"title": "Starter: Oppdager"}, ("Starter: Oppdager",), {}),
        "help": ({"title": "Hjelp", "border_style": "cyan"}, ("Hjelp", "cyan"), {}),
        "info": ({"border_style": "cyan"}, ("", "cyan"), {}),
        "urgent": (
            {
                "title": "VIKTIG",
                "title_align": "left",
                "border_style": "bold red",
                "box": rich_box.HEAVY,
            },
            ("VIKTIG", "bold red", box.HEAVY),
            {"title_left": True},
        ),
    }
    texts = _flow_texts()
    assert len(texts) > 50
    for text in texts:
        body = wrapped(text, width - 4)
        for kind, (theirs, ours, ours_kw) in kinds.items():
            out = io.StringIO()
            console = Console(file=out, force_terminal=True, width=columns, highlight=False)
            console.print(Panel(body, width=width, **theirs), soft_wrap=False)
            drawn = box.panel(body, width, *ours, **ours_kw)
            assert cells(drawn) == cells(out.getvalue()), (kind, drawn, out.getvalue())
        for style in ("", "dim", "bold red", "yellow"):
            out = io.StringIO()
            console = Console(file=out, force_terminal=True, width=columns, highlight=False)
            console.print(text, style=style or None, markup=False, soft_wrap=False, emoji=False)
            drawn = box.styled_lines(text, style)
            assert cells(drawn) == cells(out.getvalue()), (style, drawn, out.getvalue())


def test_no_escape_codes_without_a_terminal_or_on_a_dumb_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from omsorgslinje.ui import box

    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("TTY_COMPATIBLE", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert box.paint("x", "bold red", io.StringIO()) == "x"  # not a terminal
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert box.paint("x", "bold red", io.StringIO()) == "\x1b[1;31mx\x1b[0m"
    monkeypatch.setenv("TERM", "dumb")
    assert box.paint("x", "bold red", io.StringIO()) == "x"
