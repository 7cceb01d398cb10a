"""The full-screen terminal front end: questionary prompts on the terminal itself.

Prompts read and write /dev/tty (prompt_toolkit's `create_app_session_from_tty`), so stdout
stays free for the document even with `omsorgslinje oppdager > notat.md`.
Every prompt: Ctrl-B goes back, F1 shows help and source; lists also have the entries.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from ..engine import Interview
from ..errors import InvalidValue
from ..model import Flow, Step
from ..values import as_input, display, parse
from .common import BACK, FINISH, HELP, as_shown, help_text, progress, reflow, review_rows
from .console import console, say
from .signals import raise_pending, watch

KEYS = "Ctrl-B: tilbake · F1: hjelp og kilde"


def _bindings(list_keys: bool) -> Any:
    from prompt_toolkit.key_binding import KeyBindings

    kb = KeyBindings()

    @kb.add("c-b", eager=True)
    def _back(event: Any) -> None:
        event.app.exit(result=BACK)

    @kb.add("f1", eager=True)
    def _help(event: Any) -> None:
        event.app.exit(result=HELP)

    if list_keys:

        @kb.add("?", eager=True)
        def _help2(event: Any) -> None:
            event.app.exit(result=HELP)

        @kb.add("<", eager=True)
        def _back2(event: Any) -> None:
            event.app.exit(result=BACK)

    return kb


def _run(make: Callable[[], Any], list_keys: bool = False) -> Any:
    """Build the question inside the tty session and ask it.

    A prompt_toolkit application takes its input and output when it is built, so the question
    must be built inside `create_app_session_from_tty`: built outside, it writes to stdout,
    and with `> notat.md` the prompts would end up in the document.
    """
    from prompt_toolkit.application.current import create_app_session_from_tty
    from prompt_toolkit.key_binding import merge_key_bindings

    raise_pending()
    with create_app_session_from_tty():
        question = make()
        app = question.application
        app.key_bindings = merge_key_bindings([app.key_bindings, _bindings(list_keys)])
        watch(app)
        answer = question.unsafe_ask()
    raise_pending()  # a closed terminal or SIGTERM while the question was up
    return answer


# a text panel is at most this wide, so its lines stay readable on a wide terminal
READABLE = 100


class TerminalFrontEnd:
    defers_signals = True  # it runs an event loop: see ui/signals.py

    def start(self, flow: Flow, resumed: bool) -> None:
        from rich.panel import Panel

        body = flow.intro.strip() or flow.source
        word = "Fortsetter" if resumed else "Starter"
        console().print(Panel(reflow(body), title=f"{word}: {flow.title}", subtitle=KEYS))

    def invalid(self, message: str) -> None:
        say(message, "bold red")

    def show_help(self, step: Step) -> None:
        from rich.panel import Panel

        console().print(
            Panel(reflow(help_text(step)), title="Hjelp", expand=False, border_style="cyan"),
            width=min(console().width, READABLE),
        )

    def ask(self, iv: Interview) -> object:
        assert iv.step is not None
        step = as_shown(iv, iv.step)
        say(progress(iv).line(), "dim")
        current = iv.answers.get(step.id)
        while True:
            reply = self._prompt(step, current)
            if reply == HELP:
                self.show_help(step)
                continue
            return reply

    def _prompt(self, step: Step, current: object) -> object:
        import questionary
        from questionary import Choice, Separator

        extra = [
            Separator(),
            Choice("← Tilbake", value=BACK),
            Choice("? Hjelp og kilde", value=HELP),
        ]
        if step.type == "info":
            from rich.panel import Panel

            console().print(
                Panel(reflow(step.prompt), border_style="yellow", expand=False),
                width=min(console().width, READABLE),
            )
            q = partial(
                questionary.select,
                "Gå videre?",
                choices=[Choice("Jeg har lest dette – gå videre", value=True), *extra],
                instruction="(Enter)",
            )
            return _run(q, list_keys=True)
        if step.type == "select":
            choices = [
                Choice(c.label, value=c.value, description=c.help or None) for c in step.choices
            ]
            default = current if isinstance(current, str) else step.default
            q = partial(
                questionary.select,
                step.prompt,
                choices=[
                    *choices,
                    *([Choice("(Hopp over)", value="")] if not step.required else []),
                    *extra,
                ],
                default=str(default) if step.choice(str(default)) else None,
                instruction="(piltaster og Enter)",
            )
            return _run(q, list_keys=True)
        if step.type == "confirm":
            default = current if isinstance(current, bool) else step.default
            choices = [Choice("Ja", value="ja"), Choice("Nei", value="nei")]
            initial = None if default is None else ("ja" if default else "nei")
            q = partial(
                questionary.select,
                step.prompt,
                choices=[*choices, *extra],
                default=initial,
                instruction="(piltaster og Enter)",
            )
            return _run(q, list_keys=True)
        if step.type == "multiselect":
            chosen: list[object] = (
                current if isinstance(current, list) else list(step.default or [])  # type: ignore[call-overload]
            )
            choices = [
                Choice(
                    c.label, value=c.value, checked=c.value in chosen, description=c.help or None
                )
                for c in step.choices
            ]
            q = partial(
                questionary.checkbox,
                step.prompt,
                choices=choices,
                instruction="(mellomrom velger, Enter bekrefter; < tilbake, ? hjelp)",
                # no `validate=`: questionary shows its error in a bottom toolbar that
                # prompt_toolkit hides while the terminal's height is unknown (no CPR reply),
                # so the user would see nothing happen; conduct() prints the message instead
            )
            return _run(q, list_keys=True)
        # text, textarea, date, number
        default = as_input(step, current if current is not None else step.default)
        hints = {
            "date": "(dd.mm.åååå; < tilbake, ? hjelp)",
            "number": "(tall; < tilbake, ? hjelp)",
            "textarea": "(flere linjer: avslutt med Esc og så Enter; < tilbake, ? hjelp)",
        }
        hint = hints.get(step.type, "(< tilbake, ? hjelp)")
        if not step.required:
            hint = hint[:-1] + "; kan stå tomt)"
        message = step.prompt
        if step.type == "textarea":
            # prompt_toolkit draws nothing at all for a multi-line input whose first line is
            # wider than the terminal: wrap the question and give the hint a line of its own
            import shutil
            import textwrap

            width = max(20, shutil.get_terminal_size().columns - 4)
            message = "\n".join(textwrap.wrap(step.prompt, width)) + "\n"
            hint = "\n".join(textwrap.wrap(hint, width)) + "\n"
        q = partial(
            questionary.text,
            message,
            default=default,
            multiline=step.type == "textarea",
            instruction=hint,
            validate=lambda text: True if _command(text, default) else _valid(step, text),
        )
        reply = _run(q)
        return (_command(reply, default) if isinstance(reply, str) else None) or reply

    def review(self, iv: Interview) -> str:
        import questionary
        from questionary import Choice
        from rich.table import Table

        table = Table(title="Gjennomgang av svarene", show_lines=False, expand=False)
        table.add_column("#", justify="right", style="dim")
        table.add_column("Del", style="cyan")
        table.add_column("Spørsmål")
        table.add_column("Svar", style="bold")
        rows = review_rows(iv)
        for n, (_, section, prompt, answer) in enumerate(rows, 1):
            table.add_row(str(n), section, prompt, answer)
        console().print(table)
        while True:
            q = partial(
                questionary.select,
                "Er svarene riktige?",
                choices=[
                    Choice("Ja, lag dokumentene", value=FINISH),
                    Choice("Endre et svar", value="endre"),
                    Choice("← Tilbake til siste spørsmål", value=BACK),
                ],
                instruction="(piltaster og Enter)",
            )
            what = _run(q)
            if what in (FINISH, BACK):
                return str(what)
            if what == HELP:
                continue
            q = partial(
                questionary.select,
                "Hvilket svar vil du endre?",
                choices=[
                    Choice(f"{n}. {prompt} — {answer}", value=sid)
                    for n, (sid, _, prompt, answer) in enumerate(rows, 1)
                ]
                + [Choice("← Tilbake til gjennomgangen", value=BACK)],
                instruction="(piltaster og Enter)",
            )
            sid = _run(q)
            if sid not in (BACK, HELP, None):
                return str(sid)


def _command(text: str, shown: str) -> str | None:
    """`<` (back) or `?` (help) typed alone, or after the answer the prompt was filled with."""
    typed = text.strip()
    for key, command in (("<", BACK), ("?", HELP)):
        if typed == key or (shown and typed == shown.strip() + key):
            return command
    return None


def _valid(step: Step, raw: object) -> bool | str:
    try:
        parse(step, raw)
    except InvalidValue as exc:
        return exc.message
    return True


__all__ = ["TerminalFrontEnd", "display"]
