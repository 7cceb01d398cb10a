"""Asking whether to continue a draft, in the front end's own manner. Never shows answers."""

from __future__ import annotations


def ask_continue(front: object, question: str) -> bool:
    """Ask `question`; True to continue the draft. Raises KeyboardInterrupt/EOFError."""
    from .plain import PlainFrontEnd

    if isinstance(front, PlainFrontEnd):
        front.write(question)
        while True:
            line = front.read("Fortsette utkastet? (ja/nei) [ja]: ").strip().lower()
            if line in ("", "ja", "j"):
                return True
            if line in ("nei", "n"):
                return False
            front.write("Svar ja eller nei.")
    from functools import partial

    import questionary
    from questionary import Choice

    from .console import say
    from .terminal import _run

    say(question)
    q = partial(
        questionary.select,
        "Fortsette utkastet?",
        choices=[
            Choice("Ja, fortsett der jeg slapp", value=True),
            Choice("Nei, start på nytt (utkastet beholdes)", value=False),
        ],
        instruction="(piltaster og Enter)",
    )
    return bool(_run(q))
