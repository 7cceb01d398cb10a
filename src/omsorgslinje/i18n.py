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


def _help_option_names(self: object, ctx: object) -> list[str]:
    """Click keeps the help option names in a set, so their order changed from run to run."""
    taken: set[str] = set()
    for param in getattr(self, "params", []):
        taken.update(param.opts)
        taken.update(param.secondary_opts)
    return [name for name in getattr(ctx, "help_option_names", []) if name not in taken]


def install() -> None:
    import click.core
    import click.decorators
    import click.exceptions
    import click.formatting
    import typer.core

    click.core.Command.get_help_option_names = _help_option_names  # type: ignore[assignment,method-assign]
    for module in (click.core, click.decorators, click.exceptions, click.formatting, typer.core):
        module._ = _nb  # type: ignore[attr-defined]
