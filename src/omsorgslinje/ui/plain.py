"""The plain front end (`--enkel`): one line per prompt, numbered choices, no cursor movement.

For screen readers and simple terminals. Reads standard input, writes the terminal (stderr).
At every prompt: `<` goes back, `?` shows help and source, Enter keeps the answer shown in [ ].
"""

from __future__ import annotations

import sys
from typing import TextIO

from ..engine import Interview
from ..model import Flow, Step
from ..values import as_input, display
from .choose import GLOSSARY, wrap
from .common import BACK, FINISH, HELP, as_shown, glossary_text, help_text, progress, review_rows
from .lines import read_line


class PlainFrontEnd:
    def __init__(self, stdin: TextIO | None = None, out: TextIO | None = None) -> None:
        self.stdin = stdin or sys.stdin
        self.out = out or sys.stderr
        self.glossary: dict[str, str] = {}
        # lines of a multi-line answer entered so far: (step id, text), kept on interruption
        self.unsaved: tuple[str, str] | None = None
        # texts typed before an interruption, offered again on resume
        self.typed: dict[str, str] = {}

    def write(self, text: str = "") -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def read(self, prompt: str) -> str:
        self.out.write(prompt)
        self.out.flush()
        line = read_line(self.stdin)
        if not line:
            raise EOFError
        return line.rstrip("\n")

    def ask_line(self, prompt: str) -> str:
        """`read` after `prompt` wrapped at words to the terminal: the last line of it is the
        line the answer is typed on."""
        head, _, last = self.fit(prompt.rstrip()).rpartition("\n")
        if head:
            self.write(head)
        return self.read(last + " ")

    def start(self, flow: Flow, resumed: bool) -> None:
        self.glossary = dict(getattr(flow, "glossary", None) or {})
        word = "Fortsetter" if resumed else "Starter"
        self.write(f"{word}: {flow.title}")
        if resumed:
            from .common import RESUMED

            self.write(self.fit(RESUMED))
        elif flow.intro.strip():
            self.write(self.fit(flow.intro))
        self.write(
            self.fit(
                "Ved hvert spørsmål: < går tilbake, ? viser hjelp og kilde, "
                "Enter beholder svaret i [ ]." + (" ?? viser ordlisten." if self.glossary else "")
            )
        )
        self.write()

    def invalid(self, message: str) -> None:
        self.write(self.fit(f"Feil: {message}"))

    def fit(self, text: str) -> str:
        """Text wrapped at word boundaries to the terminal (never broken mid-word)."""
        from .common import term_width, wrapped

        return wrapped(text, min(term_width(), 100))

    def ask(self, iv: Interview) -> object:
        assert iv.step is not None
        step = as_shown(iv, iv.step)
        self.write(self.fit(progress(iv).line()))
        current: object = iv.answers.get(step.id)
        if current is None and step.default is not None:
            current = step.default
        while True:
            reply = self._prompt(step, current)
            if reply == HELP:
                self.write(self.fit(help_text(step, self.glossary)))
                continue
            if reply == GLOSSARY:
                self.write(self.fit(glossary_text(self.glossary)))
                continue
            return reply

    def _prompt(self, step: Step, current: object) -> object:
        if step.type == "info":
            from .common import term_width, wrapped

            lead = "VIKTIG: " if step.level == "urgent" else ""
            # the marker is part of the text that is wrapped, so no line runs past the edge
            self.write(wrapped(lead + step.prompt, min(term_width(), 100)))
            line = self.read("Trykk Enter for å gå videre: ").strip()
            return _special(line) or True
        if step.type in ("select", "multiselect", "confirm"):
            return self._choose(step, current)
        if step.type == "textarea":
            shown = as_input(step, current) or self.typed.get(step.id, "")
            self.write(self.fit(step.prompt))
            if shown:
                what = "Nå" if current is not None else "Det du skrev før avbruddet"
                self.write(f"[{what}: {shown}]  (Enter på første linje beholder dette)")
            self.write("Skriv teksten. Avslutt med en tom linje.")
            lines: list[str] = []
            while True:
                line = self.read("> ")
                if not lines:
                    special = _special(line.strip())
                    if special:
                        return special
                if not line.strip():
                    break
                lines.append(line)
                self.unsaved = (step.id, "\n".join(lines))
            self.unsaved = None
            self.typed.pop(step.id, None)
            return "\n".join(lines) if lines else shown
        hint = {"date": " (dd.mm.åååå, «i dag» eller «i morgen»)", "number": " (tall)"}.get(
            step.type, ""
        )
        if step.type == "date" and "dd.mm" in step.prompt:  # the prompt shows the form already
            hint = " («i dag» og «i morgen» går også)"
        if not step.required and "kan stå tomt" not in step.prompt:
            hint += " (kan stå tomt)"
        shown = as_input(step, current)
        line = self.ask_line(f"{step.prompt}{hint}{f' [{shown}]' if shown else ''}: ").strip()
        return _special(line) or (line if line else shown)

    def _choose(self, step: Step, current: object) -> object:
        """Numbered choices; a number or the beginning of a label picks, as in full screen.
        Nothing is chosen by Enter alone unless an answer or the step's `default` is shown."""
        from .choose import Item, match

        if step.type == "confirm":
            items = [Item("Ja", True), Item("Nei", False)]
        else:
            items = [Item(c.label, c.value, c.help) for c in step.choices]
        multi = step.type == "multiselect"
        self.write(self.fit(step.prompt))
        for n, it in enumerate(items, 1):
            self.write(_hanging(f"  {n}) ", it.label))
            if it.help:
                self.write(_hanging("       ", it.help))
        if current in (None, []) and step.default is not None:
            current = step.default
        if current in (None, []):
            shown = ""
        elif step.type == "confirm":
            shown = "Ja" if current else "Nei"
        else:
            shown = display(step, current)
        n = len(items)
        numbers = f"{', '.join(str(i) for i in range(1, n))} eller {n}" if 1 < n <= 3 else f"1–{n}"
        ask = (
            f"Skriv numrene ({numbers}), skilt med komma"
            if multi
            else f"Skriv {numbers}"
            if n <= 3
            else f"Skriv et nummer ({numbers})"
        )
        if not step.required:
            ask += " (kan stå tomt)"
        while True:
            line = self.ask_line(f"{ask}{f' [{shown}]' if shown else ''}: ").strip()
            special = _special(line)
            if special:
                return special
            if not line:
                if shown:
                    return current
                if not step.required:
                    return [] if multi else ""
                self.write(f"Dette spørsmålet må besvares. {ask}.")
                continue
            parts = [p for p in line.replace(" ", ",").split(",") if p] if multi else [line]
            picked: list[object] = []
            wrong = ""
            for part in parts:
                exact = [i for i, it in enumerate(items) if it.value == part]
                hits = exact or match(items, part)
                if len(hits) != 1:
                    wrong = part
                    break
                picked.append(items[hits[0]].value)
            if wrong:
                self.write(f"«{wrong}» er ikke et av valgene. {ask}.")
                continue
            return picked if multi else picked[0]

    def review(self, iv: Interview) -> str:
        rows = review_rows(iv)
        self.write()
        self.write("Gjennomgang av svarene:")
        section = None
        for n, (_, sec, prompt, answer) in enumerate(rows, 1):
            if sec != section:
                self.write(sec or "Svar")
                section = sec
            self.write(_hanging(f"  {n}) ", f"{prompt} — {answer}"))
        while True:
            line = self.ask_line(
                "Skriv ja for å lage dokumentene, nummeret på et svar du vil endre "
                f"(1–{len(rows)}), eller < for å gå tilbake: "
            ).strip()
            if line.lower() in ("ja", "j"):
                return FINISH
            if line in ("<", "\x02"):
                return BACK
            if line.isdigit() and 1 <= int(line) <= len(rows):
                return rows[int(line) - 1][0]
            self.write(f"Skriv ja, et nummer fra 1 til {len(rows)}, eller <.")


def _hanging(lead: str, text: str) -> str:
    """`text` after `lead` («  2) »), wrapped at words as the full-screen lists wrap it, its
    next lines indented under the text."""
    from .common import term_width

    return "\n".join(wrap(text, min(term_width(), 100), " " * len(lead), lead))


def _special(line: str) -> str | None:
    if line in ("<", "\x02"):  # Ctrl-B goes back here too, as in the full-screen prompts
        return BACK
    if line == "??":
        return GLOSSARY
    if line == "?":
        return HELP
    return None
