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
from .common import BACK, FINISH, HELP, as_shown, help_text, progress, review_rows


class PlainFrontEnd:
    def __init__(self, stdin: TextIO | None = None, out: TextIO | None = None) -> None:
        self.stdin = stdin or sys.stdin
        self.out = out or sys.stderr

    def write(self, text: str = "") -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def read(self, prompt: str) -> str:
        self.out.write(prompt)
        self.out.flush()
        line = self.stdin.readline()
        if not line:
            raise EOFError
        return line.rstrip("\n")

    def start(self, flow: Flow, resumed: bool) -> None:
        word = "Fortsetter" if resumed else "Starter"
        self.write(f"{word}: {flow.title}")
        if flow.intro.strip():
            self.write(flow.intro.strip())
        self.write(
            "Ved hvert spørsmål: < går tilbake, ? viser hjelp og kilde, Enter beholder svaret i [ ]."
        )
        self.write()

    def invalid(self, message: str) -> None:
        self.write(f"Feil: {message}")

    def ask(self, iv: Interview) -> object:
        assert iv.step is not None
        step = as_shown(iv, iv.step)
        self.write(progress(iv).line())
        current: object = iv.answers.get(step.id)
        if current is None and step.default is not None:
            current = step.default
        while True:
            reply = self._prompt(step, current)
            if reply == HELP:
                self.write(help_text(step))
                continue
            return reply

    def _prompt(self, step: Step, current: object) -> object:
        if step.type == "info":
            self.write(step.prompt.strip())
            line = self.read("Trykk Enter for å gå videre: ").strip()
            return _special(line) or True
        if step.type in ("select", "multiselect"):
            self.write(step.prompt)
            for n, c in enumerate(step.choices, 1):
                self.write(f"  {n}) {c.label}")
            shown = display(step, current) if current not in (None, []) else ""
            ask = "Skriv nummeret" if step.type == "select" else "Skriv numrene, skilt med komma"
            if not step.required:
                ask += " (kan stå tomt)"
            line = self.read(f"{ask}{f' [{shown}]' if shown else ''}: ").strip()
            special = _special(line)
            if special:
                return special
            if not line:
                return current if current not in (None, []) else ""
            picked = []
            for part in line.replace(" ", ",").split(","):
                if not part:
                    continue
                if part.isdigit() and 1 <= int(part) <= len(step.choices):
                    picked.append(step.choices[int(part) - 1].value)
                else:
                    picked.append(part)  # a value typed out; the engine checks it
            return (
                picked[0]
                if step.type == "select" and len(picked) == 1
                else (picked if step.type == "multiselect" else ",".join(picked))
            )
        if step.type == "confirm":
            shown = as_input(step, current)
            line = self.read(f"{step.prompt} (ja/nei){f' [{shown}]' if shown else ''}: ").strip()
            return _special(line) or (line if line else shown)
        if step.type == "textarea":
            shown = as_input(step, current)
            self.write(step.prompt)
            if shown:
                self.write(f"[Nå: {shown}]  (Enter på første linje beholder dette)")
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
            return "\n".join(lines) if lines else shown
        hint = {"date": " (dd.mm.åååå)", "number": " (tall)"}.get(step.type, "")
        shown = as_input(step, current)
        line = self.read(f"{step.prompt}{hint}{f' [{shown}]' if shown else ''}: ").strip()
        return _special(line) or (line if line else shown)

    def review(self, iv: Interview) -> str:
        rows = review_rows(iv)
        self.write()
        self.write("Gjennomgang av svarene:")
        for n, (_, section, prompt, answer) in enumerate(rows, 1):
            prefix = f"{section}: " if section else ""
            self.write(f"  {n}) {prefix}{prompt} — {answer}")
        while True:
            line = self.read(
                "Skriv nummeret på et svar du vil endre, < for å gå tilbake, "
                "eller Enter for å lage dokumentene: "
            ).strip()
            if not line:
                return FINISH
            if line == "<":
                return BACK
            if line.isdigit() and 1 <= int(line) <= len(rows):
                return rows[int(line) - 1][0]
            self.write("Skriv et nummer fra listen.")


def _special(line: str) -> str | None:
    if line == "<":
        return BACK
    if line == "?":
        return HELP
    return None
