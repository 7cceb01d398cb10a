"""The options the commands that run a flow share (`oppdager`, `henvisning`, `start`,
`utkast fortsett`): declared once, so their names, help and parsing cannot drift apart."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Annotated, Any

import typer

HELP_OPTIONS = ["-h", "--hjelp", "--help"]


def command_group(name: str, help: str, **extra: Any) -> typer.Typer:
    """A Typer app (the top level or a group) with our settings: Norwegian metavars, click's
    plain help (no rich), no completion, help on `-h`/`--hjelp`/`--help`."""
    return typer.Typer(
        name=name,
        help=help,
        no_args_is_help=True,
        add_completion=False,
        context_settings={"help_option_names": HELP_OPTIONS},
        rich_markup_mode=None,
        options_metavar="[VALG]",
        subcommand_metavar="KOMMANDO [ARGUMENTER]...",
        **extra,
    )


def single_command() -> typer.Typer:
    """A Typer for one command of the top-level group, with the top level's settings that
    reach a command: click's plain help (no rich), no completion options of its own."""
    return typer.Typer(rich_markup_mode=None, add_completion=False, pretty_exceptions_enable=False)


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
        metavar="md|txt|toml|json|docx",
        help=(
            "Format: md (Markdown), txt (ren tekst for journalsystemet), toml (hele saken som "
            "data; et skjema, som bekymringsmeldingen, med skjemaets feltnavn), json (det "
            "samme som JSON) eller docx (Word, til utskrift og signatur; med --ut eller --ut-mappe)."
        ),
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
KommuneOpt = Annotated[
    str | None,
    typer.Option(
        "--kommune",
        metavar="FIL|ID|ingen",
        help=(
            "Kommuneprofilen med kommunens egne telefonnumre: en fil, en innebygd profil "
            "(lillehammer, bergen, eller kommunenummeret) eller ingen. Standard: "
            "OMSORGSLINJE_KOMMUNE, ellers kommune.toml i konfigurasjonsmappen."
        ),
    ),
]
UtenUtkastOpt = Annotated[bool, typer.Option("--uten-utkast", help="Ikke lagre utkast underveis.")]


def case_date(text: str | None) -> _dt.date | None:
    """The `--dato` option as a date; a Norwegian message naming the option when it is not."""
    if not text:
        return None
    from ..errors import InvalidValue, UsageError
    from ..values import parse_date

    try:
        return parse_date(text)
    except InvalidValue as exc:
        raise UsageError(f"--dato: {exc.message}") from None
