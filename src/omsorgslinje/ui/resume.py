"""Asking whether to continue a draft, in the front end's own manner. Never shows answers."""

from __future__ import annotations


def ask_continue(front: object, question: str) -> bool:
    """Ask `question`; True to continue the draft. Raises KeyboardInterrupt/EOFError."""
    from .plain import PlainFrontEnd

    if isinstance(front, PlainFrontEnd):
        front.write(question)
        while True:
            line = front.read("Fortsette utkastet? Skriv ja eller nei [ja]: ").strip().lower()
            if line in ("", "ja", "j"):
                return True
            if line in ("nei", "n"):
                return False
            front.write("Skriv ja eller nei.")
    from .choose import Item, ListPrompt
    from .console import say
    from .tty import ask_list

    say(question)
    while True:
        answer = ask_list(
            ListPrompt(
                "Fortsette utkastet?",
                [
                    Item("Ja, fortsett der jeg slapp", True),
                    Item("Nei, start på nytt (utkastet beholdes)", False),
                ],
                selected=True,
                hint="Skriv 1 eller 2, eller bruk piltastene; Enter bekrefter",
            )
        )
        if isinstance(answer, bool):
            return answer
