"""The full-screen terminal front end: prompt_toolkit prompts on the terminal itself.

Prompts read and write /dev/tty (ui/tty.py), so stdout stays free for the document even with
`omsorgslinje oppdager > notat.md`; the review of all answers is ui/review.py.
Every prompt: Ctrl-B or `<` goes back, F1 or `?` shows help and source, F2 the glossary (when the
flow has one). Lists are ui/choose.py; text is a prompt_toolkit prompt whose text is kept
(`unsaved`) and handed to `on_typing` every few seconds, so an interruption loses nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from typing import Any

from ..engine import Interview
from ..errors import InvalidValue
from ..model import Flow, Step
from ..values import as_input, display, parse
from .box import HEAVY, panel, write
from .choose import GLOSSARY, Item, ListPrompt, wrap
from .common import (
    BACK,
    FINISH,
    HELP,
    as_shown,
    glossary_text,
    help_text,
    progress,
    review_rows,
    wrapped,
)
from .console import say
from .review import number_app, show_review
from .tty import MAX_WIDTH, PromptApp, ask_list, in_tty, panel_width

KEYS = "Ctrl-B eller <: tilbake · F1 eller ?: hjelp og kilde"
SAVE_EVERY = 2.0  # seconds: text being typed reaches the draft at least this often


class TerminalFrontEnd:
    defers_signals = True  # it runs an event loop: see ui/signals.py

    def __init__(self) -> None:
        self.flow: Flow | None = None
        # text being typed: (step id, text), kept for the draft on any interruption
        self.unsaved: tuple[str, str] | None = None
        # texts typed before an interruption, put back in their box on resume
        self.typed: dict[str, str] = {}
        self.on_typing: Callable[[str, str], None] | None = None

    @property
    def glossary(self) -> dict[str, str]:
        return dict(getattr(self.flow, "glossary", None) or {})

    def start(self, flow: Flow, resumed: bool) -> None:
        from .common import RESUMED

        self.flow = flow
        width = panel_width()
        word = "Fortsetter" if resumed else "Starter"
        title = f"{word}: {flow.title}"
        # resuming: where the user stands, not the introduction they read when they started
        body = wrapped(RESUMED if resumed else (flow.intro or flow.source), width - 4)
        if len(title) + 6 > width:  # a title the border would cut: the flow's title opens the text
            title = word
            body = wrapped(flow.title, width - 4) + "\n\n" + body
        keys = KEYS + (" · F2: ordliste" if self.glossary else "")
        body += "\n\n" + wrapped(keys, width - 4)
        write(panel(body, width, title))

    def invalid(self, message: str) -> None:
        for line in wrap(message, panel_width()):
            say(line, "bold red")

    def show_help(self, step: Step) -> None:
        width = panel_width()
        text = wrapped(help_text(step, self.glossary), width - 4)
        write(panel(text, width, "Hjelp", "cyan"))

    def show_glossary(self) -> None:
        width = panel_width()
        text = wrapped(glossary_text(self.glossary), width - 4)
        write(panel(text, width, "Ordliste", "cyan"))

    def ask(self, iv: Interview) -> object:
        assert iv.step is not None
        step = as_shown(iv, iv.step)
        for line in wrap(progress(iv).line(), panel_width()):
            say(line, "dim")
        current = iv.answers.get(step.id)
        while True:
            reply = self._prompt(step, current)
            if reply == HELP:
                self.show_help(step)
                continue
            if reply == GLOSSARY:
                self.show_glossary()
                continue
            if reply == BACK and iv.can_go_back():
                # the heading printed above stays in the scrollback: say it was left
                say("← Tilbake til forrige spørsmål", "dim")
            return reply

    def info_panel(self, step: Step) -> None:
        width = panel_width()
        body = wrapped(step.prompt, width - 4)
        if step.level == "urgent":
            write(panel(body, width, "VIKTIG", "bold red", HEAVY, title_left=True))
        else:
            write(panel(body, width, style="cyan"))

    def _prompt(self, step: Step, current: object) -> object:
        glossary = bool(self.glossary)
        if step.type == "info":
            self.info_panel(step)
            keys = "< tilbake · ? hjelp" + (" · F2 ordliste" if glossary else "")
            return ask_list(
                ListPrompt(
                    "Gå videre?",
                    [Item("Jeg har lest dette – gå videre", True)],
                    selected=True,
                    hint=f"Enter går videre · {keys}",
                    glossary=glossary,
                )
            )
        if step.type in ("select", "confirm"):
            if step.type == "confirm":
                items = [Item("Ja", "ja"), Item("Nei", "nei")]
                default = current if isinstance(current, bool) else step.default
                selected: object = None if default is None else ("ja" if default else "nei")
            else:
                items = [Item(c.label, c.value, c.help) for c in step.choices]
                if not step.required:
                    items.append(Item("Hopp over (ikke besvart)", ""))
                selected = current if isinstance(current, str) else step.default
            return ask_list(ListPrompt(step.prompt, items, selected=selected, glossary=glossary))
        if step.type == "multiselect":
            chosen = current if isinstance(current, list) else list(step.default or [])  # type: ignore[call-overload]
            items = [Item(c.label, c.value, c.help) for c in step.choices]
            return ask_list(
                ListPrompt(
                    step.prompt,
                    items,
                    multi=True,
                    selected=chosen,
                    validate=lambda v: _problem(step, v),
                    glossary=glossary,
                )
            )
        return self._text(step, current)

    # -- text ---------------------------------------------------------------------------------

    def _text(self, step: Step, current: object) -> object:
        default = as_input(step, current if current is not None else step.default)
        if step.id in self.typed and not default:
            default = self.typed[step.id]
        hint = text_hint(step, bool(self.glossary))
        shown = default
        while True:
            reply = in_tty(partial(self._text_app, step, shown, hint))
            if reply in (BACK, HELP, GLOSSARY) or not isinstance(reply, str):
                break
            if _command(reply, default):
                break
            problem = _problem(step, reply)
            if not problem:
                break
            # said under the answer, whole and wrapped (prompt_toolkit's own validation line
            # is one line, cut at the terminal's edge); the text stays in the box to correct
            self.invalid(problem)
            shown = reply
        self.unsaved = None
        self.typed.pop(step.id, None)
        if reply == GLOSSARY:
            return reply
        return (_command(reply, default) if isinstance(reply, str) else None) or reply

    def _text_app(self, step: Step, default: str, hint: str) -> Any:
        from prompt_toolkit import PromptSession
        from prompt_toolkit.document import Document
        from prompt_toolkit.formatted_text import FormattedText
        from prompt_toolkit.key_binding import KeyBindings
        from prompt_toolkit.styles import Style

        multiline = step.type == "textarea"
        kb = KeyBindings()

        @kb.add("c-b", eager=True)
        def _back(event: Any) -> None:
            event.app.exit(result=BACK)

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

        def message() -> FormattedText:
            from prompt_toolkit.application.current import get_app

            try:
                width = min(get_app().output.get_size().columns, MAX_WIDTH)
            except Exception:
                width = 80
            parts: list[tuple[str, str]] = []
            for line in wrap(step.prompt, width - 2, "  ", "? "):
                parts.append(("class:question", line + "\n"))
            for line in wrap(hint, width - 2, "  "):
                parts.append(("class:hint", line + "\n"))
            parts.append(("class:pointer", "> "))
            return FormattedText(parts)

        session: PromptSession[str] = PromptSession(
            message,
            multiline=multiline,
            validate_while_typing=False,
            key_bindings=kb,
            style=Style.from_dict({"question": "bold", "hint": "#888888", "pointer": "bold"}),
            prompt_continuation="  ",
            erase_when_done=False,
        )
        buffer = session.default_buffer
        self.unsaved = (step.id, default)
        timer: list[Any] = []
        last = [time.monotonic()]

        def flush() -> None:
            timer.clear()
            if self.unsaved and self.on_typing is not None:
                last[0] = time.monotonic()
                self.on_typing(*self.unsaved)

        def changed(buf: Any) -> None:
            self.unsaved = (step.id, buf.text)
            if self.on_typing is None or timer:
                return
            import asyncio

            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:
                return
            delay = max(0.0, SAVE_EVERY - (time.monotonic() - last[0]))
            timer.append(loop.call_later(delay, flush))

        buffer.on_text_changed += changed
        buffer.document = Document(default, len(default))  # cursor at the end
        return PromptApp(session, default)

    # -- the review ---------------------------------------------------------------------------

    def review(self, iv: Interview) -> str:
        rows = review_rows(iv)
        show_review(rows)
        while True:
            what = ask_list(
                ListPrompt(
                    "Er svarene riktige?",
                    [
                        Item("Ja, lag dokumentene", FINISH),
                        Item("Endre et svar", "endre"),
                        Item("Tilbake til siste spørsmål", BACK),
                        Item("Vis svarene igjen", "vis"),
                    ],
                )
            )
            if what in (FINISH, BACK):
                return str(what)
            if what == "vis":
                show_review(rows)
                continue
            if what != "endre":
                continue
            number = in_tty(lambda: number_app(len(rows)))
            if isinstance(number, int) and 1 <= number <= len(rows):
                return rows[number - 1][0]


def text_hint(step: Step, glossary: bool = False) -> str:
    """The one hint line a text prompt shows (never twice)."""
    what = {
        "date": "Dato som dd.mm.åååå, eller «i dag» / «i morgen»",
        "number": "Et tall",
        "textarea": "Flere linjer: Enter gir ny linje, Esc og så Enter lagrer",
    }.get(step.type, "")
    parts = [what] if what else []
    if not step.required and "kan stå tomt" not in step.prompt:  # each hint once
        parts.append("kan stå tomt")
    parts.append("< tilbake · ? hjelp" + (" · F2 ordliste" if glossary else ""))
    return " · ".join(parts)


def _command(text: str, shown: str) -> str | None:
    """`<` (back) or `?` (help) typed alone, or after the answer the prompt was filled with."""
    typed = text.strip()
    for key, command in (("<", BACK), ("?", HELP)):
        if typed == key or (shown and typed == shown.strip() + key):
            return command
    return None


def _problem(step: Step, raw: object) -> str | None:
    from ..values import typed

    try:
        parse(step, typed(step, raw))
    except InvalidValue as exc:
        return exc.message
    return None


__all__ = ["TerminalFrontEnd", "display"]
