"""The command line: Typer commands only. Parse options, call the pieces, nothing more.

Errors become messages and exit codes in `__main__.main`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from inspect import Parameter, Signature
from typing import Annotated, Any

import click
import typer
import typer.main
from typer.core import TyperGroup

from .. import __version__
from . import options as o


class LazyGroup(TyperGroup):
    """The top-level group: it builds a sub-command (or sub-group) from its Typer only when
    asked for one, so `henvisning …` builds one command instead of all of them (Typer's
    `get_command` inspects every command's signature: ≈ 8 ms on each run). Help, «Mente du …?»
    and completion ask `list_commands`/`get_command`, as they would any click group."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(SUBCOMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in SUBCOMMANDS:
            self.commands[cmd_name] = typer.main.get_command(SUBCOMMANDS[cmd_name]())
        return self.commands.get(cmd_name)


app = o.command_group(
    "omsorgslinje",
    (
        "Veiviser gjennom kommunale samhandlingsrutiner. Stiller spørsmålene i rutinens "
        "rekkefølge og lager journalnotat, neste steg og utkast til søknad eller henvisning.\n\n"
        "Dokumentet skrives til standard ut; spørsmål og meldinger går til terminalen."
    ),
    pretty_exceptions_enable=False,
    cls=LazyGroup,
)


@cache
def command() -> click.Command:
    """The click command of `app`, built once; its sub-commands are built when asked for."""
    return typer.main.get_command(app)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"omsorgslinje {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool | None,
        typer.Option(
            "--version", "-V", help="Vis versjonen og avslutt.", callback=_version, is_eager=True
        ),
    ] = None,
) -> None:
    """Veiviser gjennom kommunale samhandlingsrutiner."""


FlytArg = Annotated[
    str, typer.Argument(metavar="FLYT", help="Flytens id eller en flytfil (.toml).")
]
# (parameter, option, default) of every command that runs a flow
RUN_OPTIONS: tuple[tuple[str, Any, Any], ...] = (
    ("svar", o.SvarOpt, None),
    ("ikke_interaktiv", o.IkkeInteraktivOpt, False),
    ("enkel", o.EnkelOpt, False),
    ("format", o.FormatOpt, "md"),
    ("ut", o.UtOpt, None),
    ("dokument", o.DokumentOpt, None),
    ("ut_mappe", o.UtMappeOpt, None),
    ("overskriv", o.OverskrivOpt, False),
    ("del_", o.DelOpt, None),
    ("dato", o.DatoOpt, None),
    ("behold_utkast", o.BeholdOpt, False),
    ("uten_utkast", o.UtenUtkastOpt, False),
    ("kommune", o.KommuneOpt, None),
)


def _run(flow: str, given: dict[str, Any]) -> None:
    from ..run import run_flow
    from ..run_options import RunOptions

    opts = RunOptions(
        answers_files=list(given["svar"] or []),
        interactive=False if given["ikke_interaktiv"] else None,
        plain=given["enkel"],
        fmt=given["format"].lower(),
        out=given["ut"],
        document=given["dokument"],
        out_dir=given["ut_mappe"],
        overwrite=given["overskriv"],
        parts=list(given["del_"] or []),
        date=o.case_date(given["dato"]),
        keep_draft=given["behold_utkast"],
        no_draft=given["uten_utkast"],
        kommune=given["kommune"],
    )
    raise typer.Exit(run_flow(flow, opts))


def _run_command(name: str, help_text: str, short: str, flow_id: str | None = None) -> typer.Typer:
    """A command that runs `flow_id`, or, without one, the flow its FLYT argument names.

    Every such command has the same options (RUN_OPTIONS): Typer reads them from the
    signature, which is built here once instead of being written out per command.
    """
    params = [
        Parameter(n, Parameter.KEYWORD_ONLY, default=d, annotation=a) for n, a, d in RUN_OPTIONS
    ]
    if flow_id is None:
        params.insert(0, Parameter("flyt", Parameter.POSITIONAL_OR_KEYWORD, annotation=FlytArg))

    def command(**given: Any) -> None:
        _run(given.pop("flyt", flow_id), given)

    command.__signature__ = Signature(params)  # type: ignore[attr-defined]
    command.__doc__ = help_text
    one = o.single_command()
    one.command(name, help=help_text, short_help=short, options_metavar="[VALG]")(command)
    return one


def _oppdager() -> typer.Typer:
    return _run_command(
        "oppdager",
        "Du er bekymret for en gravid eller et barn 0–3 år: hva du skal gjøre, i riktig "
        "rekkefølge (Lillehammer-rutinen for oppdagerrollen). Gir journalnotat, neste steg og "
        "innhold til søknad om koordinator.",
        "Bekymret for en gravid eller et barn 0–3 år: hva du gjør nå.",
        "oppdager",
    )


def _henvisning() -> typer.Typer:
    return _run_command(
        "henvisning",
        "Ansvarsgruppen vurderer sekundærhenvisning for en pasient i LAR (Bergen-rutinen): "
        "tiltak A–H etter BEON, avtaler, og utkast til henvisning etter Vedlegg 2.",
        "Sekundærhenvisning i LAR: tiltak A–H, møtereferat og Vedlegg 2.",
        "henvisning",
    )


def _start() -> typer.Typer:
    return _run_command(
        "start",
        "Kjør en hvilken som helst flyt: en innebygd, din egen, eller en flytfil.",
        "Kjør en hvilken som helst flyt (id eller fil).",
    )


def _utkast() -> typer.Typer:
    from .utkast import utkast_app

    return utkast_app


def _flyt() -> typer.Typer:
    from .flyt import flyt_app

    return flyt_app


def _kommune() -> typer.Typer:
    from .kommune import kommune_app

    return kommune_app


# Every sub-command, in the order of the help, as the Typer that makes it: a group module is
# imported, and a command built, only when the invocation (or the help) needs it.
SUBCOMMANDS: dict[str, Callable[[], typer.Typer]] = {
    "oppdager": _oppdager,
    "henvisning": _henvisning,
    "start": _start,
    "utkast": _utkast,
    "flyt": _flyt,
    "kommune": _kommune,
}
