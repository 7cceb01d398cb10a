"""The command line: Typer commands only. Parse options, call the pieces, nothing more.

Errors become messages and exit codes in `__main__.main`.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Annotated

import typer

from . import __version__

app = typer.Typer(
    name="omsorgslinje",
    help=(
        "Veiviser gjennom kommunale samhandlingsrutiner. Stiller spørsmålene i rutinens "
        "rekkefølge og lager journalnotat, neste steg og utkast til søknad eller henvisning.\n\n"
        "Dokumentet skrives til standard ut; spørsmål og meldinger går til terminalen."
    ),
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--hjelp", "--help"]},
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    options_metavar="[VALG]",
    subcommand_metavar="KOMMANDO [ARGUMENTER]...",
)


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


SvarOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--svar",
        metavar="FIL",
        help="Svarfil (TOML, tabellen [svar]). Kan gis flere ganger; delene slås sammen.",
    ),
]
IkkeInteraktivOpt = Annotated[
    bool,
    typer.Option("--ikke-interaktiv", help="Aldri spør: alle påkrevde svar må stå i svarfilene."),
]
EnkelOpt = Annotated[
    bool,
    typer.Option(
        "--enkel",
        help="Enkel modus: én linje per spørsmål, nummererte valg (skjermleser, enkle terminaler).",
    ),
]
FormatOpt = Annotated[
    str,
    typer.Option(
        "--format",
        "-f",
        metavar="md|txt|toml",
        help="Format: md (Markdown), txt (ren tekst for journalsystemet) eller toml (hele saken som data).",
    ),
]
UtOpt = Annotated[
    Path | None,
    typer.Option(
        "--ut", "-o", metavar="FIL", help="Skriv dokumentet til FIL i stedet for standard ut."
    ),
]
DokumentOpt = Annotated[
    str | None,
    typer.Option(
        "--dokument",
        "-d",
        metavar="NAVN",
        help="Hvilket dokument (standard: flytens hoveddokument).",
    ),
]
UtMappeOpt = Annotated[
    Path | None,
    typer.Option(
        "--ut-mappe",
        metavar="MAPPE",
        help="Skriv alle dokumentene i saken, og svarene som TOML, til MAPPE.",
    ),
]
OverskrivOpt = Annotated[
    bool, typer.Option("--overskriv", help="Erstatt filer som finnes fra før.")
]
DelOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--del",
        metavar="DEL",
        help="Fyll bare ut denne delen (kan gis flere ganger); skriver svarene som en svarfil.",
    ),
]
DatoOpt = Annotated[
    str | None,
    typer.Option(
        "--dato",
        metavar="DATO",
        help="Saksdato (dd.mm.åååå); standard er svarfilens dato eller i dag.",
    ),
]
BeholdOpt = Annotated[
    bool, typer.Option("--behold-utkast", help="Behold utkastet etter at dokumentene er skrevet.")
]
UtenUtkastOpt = Annotated[bool, typer.Option("--uten-utkast", help="Ikke lagre utkast underveis.")]


def _run(
    flow: str,
    svar: list[Path] | None,
    ikke_interaktiv: bool,
    enkel: bool,
    format: str,
    ut: Path | None,
    dokument: str | None,
    ut_mappe: Path | None,
    overskriv: bool,
    del_: list[str] | None,
    dato: str | None,
    behold_utkast: bool,
    uten_utkast: bool,
) -> None:
    from .run import RunOptions, run_flow

    case_date: _dt.date | None = None
    if dato:
        from .errors import InvalidValue, UsageError
        from .values import parse_date

        try:
            case_date = parse_date(dato)
        except InvalidValue as exc:
            raise UsageError(f"--dato: {exc.message}") from None
    opts = RunOptions(
        answers_files=list(svar or []),
        interactive=False if ikke_interaktiv else None,
        plain=enkel,
        fmt=format.lower(),
        out=ut,
        document=dokument,
        out_dir=ut_mappe,
        overwrite=overskriv,
        parts=list(del_ or []),
        date=case_date,
        keep_draft=behold_utkast,
        no_draft=uten_utkast,
    )
    raise typer.Exit(run_flow(flow, opts))


def _flow_command(flow_id: str, help_text: str, short: str) -> None:
    def command(
        svar: SvarOpt = None,
        ikke_interaktiv: IkkeInteraktivOpt = False,
        enkel: EnkelOpt = False,
        format: FormatOpt = "md",
        ut: UtOpt = None,
        dokument: DokumentOpt = None,
        ut_mappe: UtMappeOpt = None,
        overskriv: OverskrivOpt = False,
        del_: DelOpt = None,
        dato: DatoOpt = None,
        behold_utkast: BeholdOpt = False,
        uten_utkast: UtenUtkastOpt = False,
    ) -> None:
        _run(
            flow_id,
            svar,
            ikke_interaktiv,
            enkel,
            format,
            ut,
            dokument,
            ut_mappe,
            overskriv,
            del_,
            dato,
            behold_utkast,
            uten_utkast,
        )

    command.__doc__ = help_text
    app.command(flow_id, help=help_text, short_help=short, options_metavar="[VALG]")(command)


_flow_command(
    "oppdager",
    "Du er bekymret for en gravid eller et barn 0–3 år: hva du skal gjøre, i riktig rekkefølge "
    "(Lillehammer-rutinen for oppdagerrollen). Gir journalnotat, neste steg og innhold til "
    "søknad om koordinator.",
    "Bekymret for en gravid eller et barn 0–3 år: hva du gjør nå.",
)
_flow_command(
    "henvisning",
    "Ansvarsgruppen vurderer sekundærhenvisning for en pasient i LAR (Bergen-rutinen): tiltak "
    "A–H etter BEON, avtaler, og utkast til henvisning etter Vedlegg 2.",
    "Sekundærhenvisning i LAR: tiltak A–H, møtereferat og Vedlegg 2.",
)


@app.command(
    "start", options_metavar="[VALG]", short_help="Kjør en hvilken som helst flyt (id eller fil)."
)
def start(
    flyt: Annotated[
        str, typer.Argument(metavar="FLYT", help="Flytens id eller en flytfil (.toml).")
    ],
    svar: SvarOpt = None,
    ikke_interaktiv: IkkeInteraktivOpt = False,
    enkel: EnkelOpt = False,
    format: FormatOpt = "md",
    ut: UtOpt = None,
    dokument: DokumentOpt = None,
    ut_mappe: UtMappeOpt = None,
    overskriv: OverskrivOpt = False,
    del_: DelOpt = None,
    dato: DatoOpt = None,
    behold_utkast: BeholdOpt = False,
    uten_utkast: UtenUtkastOpt = False,
) -> None:
    """Kjør en hvilken som helst flyt: en innebygd, din egen, eller en flytfil."""
    _run(
        flyt,
        svar,
        ikke_interaktiv,
        enkel,
        format,
        ut,
        dokument,
        ut_mappe,
        overskriv,
        del_,
        dato,
        behold_utkast,
        uten_utkast,
    )


from .cli_utkast import utkast_app  # noqa: E402

app.add_typer(utkast_app, name="utkast", help="Lagrede svar: vis, fortsett eller slett utkast.")

from .cli_flyt import flyt_app  # noqa: E402

app.add_typer(flyt_app, name="flyt", help="For rutineeiere: list, sjekk og vis flyter; skjemaet.")
