"""The full-screen list prompt: one choice (select, Ja/Nei) or several (multiselect).

Built on prompt_toolkit directly (questionary's lists move the highlight with `j`/`k` and open
with the first choice highlighted, so a hurried `j` for «ja» or a lone Enter recorded an answer
the user never gave). Here:

- nothing is highlighted unless the step has an answer already or an explicit `default`;
  Enter with nothing highlighted only says what is needed;
- letters and digits pick, never move: a number picks the numbered choice, letters pick the
  choice whose label begins with them (`j` Ja, `n` Nei, `ann` «Annen rolle»); arrows move;
- the explanation of the highlighted choice is shown whole, wrapped to the terminal, below
  the list; every line is wrapped at word boundaries to the terminal's width (read from the
  terminal itself, not from standard output, on every drawing).
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Sequence
from typing import Any

from ..fastclass import dataclass
from .common import BACK, HELP

GLOSSARY = "\x00ordliste"


@dataclass(frozen=True)
class Item:
    label: str
    value: object
    help: str = ""


def wrap(text: str, width: int, indent: str = "", first: str | None = None) -> list[str]:
    """`text` wrapped at word boundaries; paragraphs (blank lines) kept, single breaks joined."""
    out: list[str] = []
    lead = indent if first is None else first
    for para in text.strip().split("\n\n"):
        joined = re.sub(r"(§§?) (?=\d)", "\\1\u00a0", " ".join(para.split()))
        if not joined:
            continue
        if out:
            out.append("")
        out += textwrap.wrap(
            joined,
            max(10, width),
            initial_indent=lead,
            subsequent_indent=indent,
            break_long_words=True,
            break_on_hyphens=False,
        ) or [lead]
        lead = indent
    return out


def match(items: Sequence[Item], typed: str) -> list[int]:
    """The items `typed` picks: its number, or the labels it begins (case and accents kept)."""
    typed = typed.strip().casefold()
    if not typed:
        return []
    if typed.isdigit():
        n = int(typed)
        return [n - 1] if 1 <= n <= len(items) else []
    return [
        i
        for i, it in enumerate(items)
        if it.label.casefold().startswith(typed) or _unnumbered(it.label).startswith(typed)
    ]


def _unnumbered(label: str) -> str:
    """A label without the routine's own number before it («1. Uklar bekymring»), folded:
    its first letter picks it too."""
    head, dot, rest = label.partition(". ")
    return rest.casefold() if dot and head.isdigit() else ""


class ListPrompt:
    """State and keys of one list prompt; `run()` asks and returns the value, BACK or HELP."""

    def __init__(
        self,
        message: str,
        items: Sequence[Item],
        *,
        multi: bool = False,
        selected: object = None,
        validate: Callable[[object], str | None] | None = None,
        hint: str = "",
        glossary: bool = False,
    ) -> None:
        self.message = message
        self.items = list(items)
        self.multi = multi
        self.validate = validate
        self.glossary = glossary
        self.typed = ""
        self.note = ""
        self.checked: list[bool] = [False] * len(self.items)
        self.cursor: int | None = None
        if multi and isinstance(selected, list | tuple):
            for i, it in enumerate(self.items):
                self.checked[i] = it.value in selected
        elif not multi and selected is not None:
            for i, it in enumerate(self.items):
                if it.value == selected:
                    self.cursor = i
        self.hint = hint or self.default_hint()

    def default_hint(self) -> str:
        n = len(self.items)
        numbers = f"1–{n}" if n > 1 else "1"
        keys = "< tilbake · ? hjelp" + (" · F2 ordliste" if self.glossary else "")
        if self.multi:
            return (
                f"Skriv nummeret ({numbers}) eller første bokstav for å krysse av, "
                f"mellomrom krysser av den markerte, Enter bekrefter · {keys}"
            )
        return (
            f"Skriv nummeret ({numbers}) eller første bokstav, eller bruk piltastene; "
            f"Enter bekrefter · {keys}"
        )

    # -- moves ------------------------------------------------------------------------------

    def type_key(self, ch: str) -> None:
        self.note = ""
        self.typed += ch
        hits = match(self.items, self.typed)
        if self.multi:
            more = self.typed.isdigit() and int(self.typed) * 10 <= len(self.items)
            if len(hits) == 1 and not more:
                self.toggle(hits[0])
                self.typed = ""
            elif not hits and not more:
                self.note = f"Ingen valg passer med «{self.typed}»."
                self.typed = ""
            return
        if len(hits) == 1:
            self.cursor = hits[0]
        elif hits:
            self.cursor = None
            self.note = "Flere valg begynner slik: skriv en bokstav til."
        else:
            self.cursor = None
            self.note = f"Ingen valg passer med «{self.typed}»."

    def erase(self) -> None:
        self.typed = self.typed[:-1]
        self.note = ""
        if not self.multi:
            hits = match(self.items, self.typed)
            self.cursor = hits[0] if len(hits) == 1 else None

    def move(self, delta: int) -> None:
        self.typed = ""
        self.note = ""
        if not self.items:
            return
        if self.cursor is None:
            self.cursor = 0 if delta > 0 else len(self.items) - 1
        else:
            self.cursor = (self.cursor + delta) % len(self.items)

    def toggle(self, i: int) -> None:
        self.checked[i] = not self.checked[i]
        self.cursor = i

    def space(self) -> None:
        if not self.multi:
            return
        if self.cursor is None:
            self.note = "Marker et valg med piltastene først, eller skriv nummeret."
            return
        self.toggle(self.cursor)

    def enter(self) -> tuple[bool, object]:
        """(done, value)."""
        value: object
        if self.multi:
            if self.typed:
                self.typed = ""
            value = [it.value for it, c in zip(self.items, self.checked, strict=True) if c]
        else:
            if self.cursor is None:
                n = len(self.items)
                self.note = (
                    f"Velg et svar: skriv nummeret (1–{n}) eller første bokstav, "
                    "eller bruk piltastene, og trykk Enter."
                    if n > 1
                    else "Skriv 1 og trykk Enter."
                )
                return False, None
            value = self.items[self.cursor].value
        if self.validate is not None:
            problem = self.validate(value)
            if problem:
                self.note = problem
                return False, None
        return True, value

    # -- drawing ----------------------------------------------------------------------------

    def lines(self, width: int) -> list[tuple[str, str]]:
        width = max(20, min(width, 100))
        out: list[tuple[str, str]] = []

        def add(style: str, text: str) -> None:
            out.append((style, text + "\n"))

        for line in wrap(self.message, width - 2, "  ", "? "):
            add("class:question", line)
        digits = len(str(len(self.items)))
        for i, it in enumerate(self.items):
            here = i == self.cursor
            box = ("[x] " if self.checked[i] else "[ ] ") if self.multi else ""
            first = f"{'»' if here else ' '} {str(i + 1).rjust(digits)}) {box}"
            pad = " " * len(first)
            for line in wrap(it.label, width - 1, pad, first):
                add("class:highlighted" if here else "class:choice", line)
        if self.cursor is not None and self.items[self.cursor].help:
            add("", "")
            for line in wrap(self.items[self.cursor].help, width - 1, "    "):
                add("class:explanation", line)
        add("", "")
        if self.multi:
            ticked = [str(i + 1) for i, c in enumerate(self.checked) if c]
            add(
                "class:status",
                f"  Krysset av: {', '.join(ticked)}" if ticked else "  Ingen krysset av ennå.",
            )
        elif self.typed:
            typed = self.typed if len(self.typed) <= 20 else "…" + self.typed[-19:]
            add("class:status", f"  Du skrev: {typed}")
        for line in wrap(self.hint, width - 1, "  "):
            add("class:hint", line)
        if self.note:
            for line in wrap(self.note, width - 1, "  "):
                add("class:note", line)
        return out

    # -- running ----------------------------------------------------------------------------

    def application(self) -> Any:
        from prompt_toolkit.application import Application
        from prompt_toolkit.formatted_text import FormattedText
        from prompt_toolkit.key_binding import KeyBindings
        from prompt_toolkit.layout import Layout
        from prompt_toolkit.layout.containers import Window
        from prompt_toolkit.layout.controls import FormattedTextControl
        from prompt_toolkit.styles import Style

        kb = KeyBindings()

        @kb.add("up")
        @kb.add("c-p")
        def _up(event: Any) -> None:
            self.move(-1)

        @kb.add("down")
        @kb.add("c-n")
        def _down(event: Any) -> None:
            self.move(1)

        @kb.add("enter")
        def _enter(event: Any) -> None:
            done, value = self.enter()
            if done:
                event.app.exit(result=value)

        @kb.add(" ")
        def _space(event: Any) -> None:
            self.space()

        @kb.add("backspace")
        def _erase(event: Any) -> None:
            self.erase()

        @kb.add("<", eager=True)
        @kb.add("c-b", eager=True)
        def _back(event: Any) -> None:
            event.app.exit(result=BACK)

        @kb.add("?", eager=True)
        @kb.add("f1", eager=True)
        def _help(event: Any) -> None:
            event.app.exit(result=HELP)

        if self.glossary:

            @kb.add("f2", eager=True)
            def _glossary(event: Any) -> None:
                event.app.exit(result=GLOSSARY)

        @kb.add("c-c", eager=True)
        def _interrupt(event: Any) -> None:
            event.app.exit(exception=KeyboardInterrupt)

        @kb.add("c-d", eager=True)
        def _eof(event: Any) -> None:
            event.app.exit(exception=EOFError)

        @kb.add("<any>")
        def _key(event: Any) -> None:
            ch = event.data
            if len(ch) == 1 and (ch.isalnum() or ch in "-–'"):
                self.type_key(ch)

        def text() -> FormattedText:
            from prompt_toolkit.application.current import get_app

            try:
                width = get_app().output.get_size().columns
            except Exception:
                width = 80
            return FormattedText(self.lines(width))

        style = Style.from_dict(
            {
                "question": "bold",
                "highlighted": "reverse bold",
                "explanation": "italic",
                "hint": "#888888",
                "status": "",
                "note": "bold #cc0000",
            }
        )
        control = FormattedTextControl(text, focusable=True, show_cursor=False)
        return Application(
            layout=Layout(Window(control, wrap_lines=True, dont_extend_height=True)),
            key_bindings=kb,
            style=style,
            full_screen=False,
            mouse_support=False,
            erase_when_done=True,
        )

    def summary(self, value: object) -> str:
        """The line left on screen once answered: the question and the choice."""
        if value in (BACK, HELP, GLOSSARY):
            return ""
        labels = [
            it.label
            for it in self.items
            if it.value == value or (isinstance(value, list) and it.value in value)
        ]
        return f"? {self.message.strip()} {'; '.join(labels) if labels else '(ingen)'}"
