"""`omsorgslinje kommune ...`: the municipality profile. Show it, check a file, print the schema.

Registered in cli/__init__.py (SUBCOMMANDS): imported only when the command runs or the top-level
help lists it. Imports stay inside the commands (start-up time).
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Annotated

import typer

from . import options as o

kommune_app = o.command_group(
    "kommune",
    "Kommuneprofilen med kommunens telefonnumre: vis, lag, sjekk.",
)


@kommune_app.command("vis", options_metavar="[VALG]")
def vis(kommune: o.KommuneOpt = None) -> None:
    """Vis kommuneprofilen som gjelder, og hvor den kommer fra.

    Rekkefølgen: --kommune, miljøvariabelen OMSORGSLINJE_KOMMUNE, kommune.toml i
    konfigurasjonsmappen. Deretter alle kontaktene slik tekstene viser dem."""
    import shutil

    from ..kommune import select
    from ..kommune_describe import describe
    from ..output import write_stdout

    width = min(shutil.get_terminal_size((100, 24)).columns, 100)
    write_stdout(describe(select(kommune), width))


@kommune_app.command(
    "sjekk", options_metavar="[VALG]", short_help="Sjekk en kommuneprofil og list alle problemene."
)
def sjekk(
    fil: Annotated[
        Path | None,
        typer.Argument(
            metavar="[FIL]", help="Profilfilen (.toml). Standard: profilen som gjelder."
        ),
    ] = None,
) -> None:
    """Sjekk en kommuneprofil: alle problemene, én linje hver (fil:linje: melding).

    Uten FIL: profilen som gjelder (OMSORGSLINJE_KOMMUNE eller kommune.toml i
    konfigurasjonsmappen). Avslutter med 2 når det er feil, 0 ellers (advarsler er lov)."""
    from ..kommune import check_profile, locate
    from ..output import write_stdout
    from ..ui.console import say

    if fil is None:
        fil, origin = locate(None)
        if fil is None:
            say(
                "Ingen kommuneprofil er valgt, så det er ingenting å sjekke. Gi en fil: "
                "omsorgslinje kommune sjekk FIL"
            )
            raise typer.Exit(0)
        say(f"Sjekker {fil} ({origin}).")
    problems = check_profile(fil, _dt.date.today())
    if problems:
        write_stdout("".join(f"{p}\n" for p in problems))
    errors = sum(1 for p in problems if not p.warning)
    warnings = len(problems) - errors
    noted = f"{warnings} advarsel" if warnings == 1 else f"{warnings} advarsler"
    if errors:
        say(f"Kommuneprofilen har {errors} feil" + (f" og {noted}." if warnings else "."))
        raise typer.Exit(2)
    say("Kommuneprofilen er i orden" + (f" ({noted})." if warnings else "."))


@kommune_app.command("lag", options_metavar="[VALG]", short_help="Lag din egen kommuneprofil.")
def lag(
    id: Annotated[
        str,
        typer.Argument(
            metavar="ID", help="En innebygd profil: lillehammer, bergen, eller kommunenummeret."
        ),
    ],
    overskriv: o.OverskrivOpt = False,
) -> None:
    """Lag din egen kommuneprofil i konfigurasjonsmappen, med en innebygd som utgangspunkt.

    Fyll så inn numrene i filen, og sjekk den med `omsorgslinje kommune sjekk`. Den gjelder
    fra da av når verken --kommune eller OMSORGSLINJE_KOMMUNE sier noe annet."""
    from ..errors import UsageError
    from ..kommune import builtin_profiles, reference_path, user_profile_path
    from ..output import ensure_private_dir, write_private
    from ..ui.console import say

    source = reference_path(id, f"kommune lag {id}")
    if source is None or not source.is_file():
        names = ", ".join(p.stem for p in builtin_profiles())
        raise UsageError(f"Velg en innebygd profil å begynne med: {names}.")
    target = user_profile_path()
    ensure_private_dir(target.parent)
    write_private(target, source.read_text(encoding="utf-8"), overwrite=overskriv)
    say(
        f"Skrev {target}. Fyll inn telefon, e-post, adresse og åpningstid, sett «checked» til "
        "datoen du kontrollerte dem, og sjekk filen med `omsorgslinje kommune sjekk`."
    )


@kommune_app.command("skjema", options_metavar="[VALG]")
def skjema() -> None:
    """Skriv ut JSON Schema for kommuneprofilen.

    Lagre det og bruk det i editoren din (taplo: `#:schema ./kommune-skjema.json` øverst i
    profilen)."""
    from ..kommune import SCHEMA_PATH
    from ..output import write_stdout

    write_stdout(SCHEMA_PATH.read_text(encoding="utf-8"))
