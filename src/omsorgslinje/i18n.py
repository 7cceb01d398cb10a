"""Click's own words (Usage, Options, ...) in bokmål. Click passes them through gettext's `_`
at run time; we swap that function in the click modules for a small table."""

from __future__ import annotations

NB = {
    "Usage:": "Bruk:",
    "Options": "Valg",
    "Commands": "Kommandoer",
    "Arguments": "Argumenter",
    "Show this message and exit.": "Vis denne hjelpen og avslutt.",
    "default": "standard",
    "default: {default}": "standard: {default}",
    "required": "påkrevd",
    "Error": "Feil",
    "Try {command!r} for help.": "Se {command!r} for hjelp.",
    "Try '{command} {option}' for help.": "Se '{command} {option}' for hjelp.",
    "env var: {var}": "miljøvariabel: {var}",
}


def _nb(message: str) -> str:
    return NB.get(message, message)


def install() -> None:
    import click.core
    import click.decorators
    import click.exceptions
    import click.formatting
    import typer.core

    for module in (click.core, click.decorators, click.exceptions, click.formatting, typer.core):
        module._ = _nb  # type: ignore[attr-defined]
