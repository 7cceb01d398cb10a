"""The review of every answer before the documents are written, in the full-screen front end:
by section, numbered, wrapped, paged; «Endre» asks for the number of the answer to change."""

from __future__ import annotations

from typing import Any

from .choose import Item, ListPrompt, wrap
from .console import say
from .tty import PromptApp, ask_list, panel_width, tty_lines

MORE = "Enter viser resten · 2 hopper til valgene"


def number_app(count: int) -> Any:
    from prompt_toolkit import PromptSession
    from prompt_toolkit.key_binding import KeyBindings
    from prompt_toolkit.validation import ValidationError, Validator

    kb = KeyBindings()

    @kb.add("c-c", eager=True)
    def _interrupt(event: Any) -> None:
        event.app.exit(exception=KeyboardInterrupt)

    class Check(Validator):
        def validate(self, document: Any) -> None:
            text = document.text.strip()
            if text in ("", "<"):
                return
            if not (text.isdigit() and 1 <= int(text) <= count):
                raise ValidationError(message=f"Skriv et nummer fra 1 til {count}.")

    session: PromptSession[str] = PromptSession(
        # two short lines: one long line was cut mid-word at 60 columns
        f"Nummeret på svaret du vil endre (1–{count}).\nEnter alene går tilbake: ",
        validator=Check(),
        validate_while_typing=False,
        key_bindings=kb,
    )

    class Run(PromptApp):
        def run(self) -> Any:
            text = self.session.prompt().strip()
            return int(text) if text.isdigit() else None

    return Run(session, "")


def show_review(rows: list[tuple[str, str, str, str]]) -> None:
    """The answers by section, numbered, wrapped to the terminal; paged when longer than the
    window, so that none scrolls away unread."""
    import shutil

    width = panel_width()
    lines: list[tuple[str, str]] = [("bold", "Gjennomgang av svarene"), ("", "")]
    section = None
    digits = len(str(len(rows)))
    for n, (_, sec, prompt, answer) in enumerate(rows, 1):
        if sec != section:
            if section is not None:
                lines.append(("", ""))
            lines.append(("bold cyan", sec or "Svar"))
            section = sec
        first = f"{str(n).rjust(digits)}. "
        pad = " " * len(first)
        lines += [("", line) for line in wrap(prompt, width, pad, first)]
        # one arrow per answer; its continuation lines under the answer, not a second «→»
        lines += [("bold", line) for line in wrap(answer, width, pad + "  ", pad + "→ ")]
    try:
        height = tty_lines() or shutil.get_terminal_size().lines
    except OSError:
        height = 24
    page = max(8, height - 6)
    for start in range(0, len(lines), page):
        for style, line in lines[start : start + page]:
            say(line, style)
        if start + page < len(lines):
            left = len(lines) - start - page
            more = ask_list(
                ListPrompt(
                    f"Flere svar ({left} linjer til).",
                    [Item("Vis resten", "mer"), Item("Hopp til valgene", "slutt")],
                    selected="mer",
                    hint=MORE,
                )
            )
            if more != "mer":
                break
