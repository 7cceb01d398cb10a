"""Asking at the end of an interview, in the front end's own manner: what to do with the
documents, and which folder to save them in."""

from __future__ import annotations

import sys
from pathlib import Path

from .lines import read_line


def ask_choice(plain: bool, question: str, items: list[tuple[str, object]]) -> object:
    """One of `items` (label, value); nothing is pre-selected. Raises KeyboardInterrupt."""
    if plain:
        out = sys.stderr
        out.write(question + "\n")
        for n, (label, _) in enumerate(items, 1):
            out.write(f"  {n}) {label}\n")
        while True:
            out.write(f"Skriv et nummer (1–{len(items)}): ")
            out.flush()
            line = read_line()
            if not line:
                raise EOFError
            text = line.strip()
            if text.isdigit() and 1 <= int(text) <= len(items):
                return items[int(text) - 1][1]
            out.write(f"Skriv et nummer fra 1 til {len(items)}.\n")
    from .choose import Item, ListPrompt
    from .tty import ask_list

    while True:
        answer = ask_list(
            ListPrompt(
                question,
                [Item(label, value) for label, value in items],
                hint="Skriv nummeret eller bruk piltastene; Enter bekrefter",
            )
        )
        if any(answer is value or answer == value for _, value in items):
            return answer


def ask_folder(plain: bool, suggestion: str) -> Path | None:
    """The folder to save the documents in (made if missing); None to go back."""
    prompt = f"Hvilken mappe? (Enter: {suggestion}; < går tilbake) "
    if plain:
        sys.stderr.write(prompt)
        sys.stderr.flush()
        line = read_line()
        if not line:
            raise EOFError
        text = line.strip()
    else:
        from prompt_toolkit import PromptSession
        from prompt_toolkit.application.current import create_app_session_from_tty

        with create_app_session_from_tty():
            session: PromptSession[str] = PromptSession(prompt)
            text = session.prompt().strip()
    if text == "<":
        return None
    return Path(text or suggestion).expanduser()
