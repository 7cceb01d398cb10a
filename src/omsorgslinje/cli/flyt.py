"""`omsorgslinje flyt ...`: for routine owners. List, check, draw flows; print the schema.

Registered in cli/__init__.py (SUBCOMMANDS): imported only when the command runs or the top-level
help lists it. Imports stay inside the commands (start-up time).
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Annotated

import typer

from ..fastclass import dataclass
from . import options as o

flyt_app = o.command_group(
    "flyt",
    "For rutineeiere: list, sjekk og vis flyter; skjemaet.",
)


@dataclass(frozen=True)
class Listed:
    """One flow file in `flyt liste`."""

    name: str  # what `omsorgslinje start NAME` takes: the file name without .toml
    path: Path
    origin: str  # innebygd, egen, fil
    id: str = ""
    title: str = ""
    version: str = ""
    source: str = ""  # the routine the flow encodes
    broken: bool = False
    hidden_by: Path | None = None


def _origin(path: Path, explicit: bool) -> str:
    from ..resources import builtin_flows_dir

    if explicit:
        return "fil"
    try:
        if path.parent.resolve() == builtin_flows_dir().resolve():
            return "innebygd"
    except OSError:
        pass
    return "egen"


def _flow_files(extra: list[Path]) -> list[tuple[Path, bool]]:
    """Every flow file: the user's own and the built-in ones (flow_dirs order), then --flyt."""
    from ..resources import flow_dirs

    files: list[tuple[Path, bool]] = []
    seen: set[Path] = set()
    for d in flow_dirs():
        try:
            found = sorted(d.glob("*.toml")) if d.is_dir() else []
        except OSError:
            found = []
        for p in found:
            key = p.resolve()
            if key not in seen:
                seen.add(key)
                files.append((p, False))
    for p in extra:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            files.append((p, True))
    return files


def list_flows(extra: list[Path]) -> list[Listed]:
    from ..loader import read_flow

    out: list[Listed] = []
    first: dict[str, Path] = {}
    for path, explicit in _flow_files(extra):
        name = path.stem if not explicit else str(path)
        hidden = None if explicit else first.get(path.stem)
        if not explicit:
            first.setdefault(path.stem, path)
        flow, _ = read_flow(path)
        origin = _origin(path, explicit)
        if flow is None:
            out.append(Listed(name, path, origin, broken=True, hidden_by=hidden))
        else:
            out.append(
                Listed(
                    name,
                    path,
                    origin,
                    flow.id,
                    flow.title,
                    flow.version,
                    flow.source,
                    hidden_by=hidden,
                )
            )
    return out


def _short(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    lines = []
    for r in rows:
        cells = [c.ljust(w) for c, w in zip(r, widths, strict=False)] + [r[-1]]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines) + "\n"


FlytFilOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--flyt",
        metavar="FIL",
        help="Ta med denne flytfilen også (kan gis flere ganger).",
    ),
]


@flyt_app.command("liste", options_metavar="[VALG]", short_help="Vis flytene og hvor de ligger.")
def liste(flyt: FlytFilOpt = None) -> None:
    """Vis flytene: id, tittel, versjon, rutinen de bygger på, og hvor de ligger.

    De innebygde flytene og dine egne. Egne flyter legger du i mappen «flyter» i konfigurasjonsmappen (se `--hjelp` for
    `omsorgslinje`), eller i mappene i miljøvariabelen OMSORGSLINJE_FLYTER.
    """
    from ..output import write_stdout
    from ..resources import user_config_dir
    from ..ui.console import say, warn

    listed = list_flows(list(flyt or []))
    rows = [["ID", "TITTEL", "VERSJON", "RUTINE", "HVOR"]]
    broken = 0
    for item in listed:
        where = "innebygd" if item.origin == "innebygd" else str(item.path)
        if item.hidden_by is not None:
            where += f" (skjult av {item.hidden_by})"
        if item.broken:
            broken += 1
            rows.append([item.name, "(feil i flytfilen)", "-", "-", where])
        else:
            rows.append([item.name, item.title, item.version, _short(item.source), where])
    if len(rows) == 1:
        say("Fant ingen flyter.")
    else:
        write_stdout(_table(rows))
    own = user_config_dir() / "flyter"
    with contextlib.suppress(OSError):  # made here, private (0700), so it is ready for copies
        from ..output import ensure_private_dir

        ensure_private_dir(own)
        ensure_private_dir(user_config_dir() / "maler")
    say(f"Egne flyter: {own}")
    if broken:
        warn(
            f"{broken} flytfil{'er' if broken > 1 else ''} har feil. "
            "Se `omsorgslinje flyt sjekk` for hva som er galt."
        )


@flyt_app.command("sjekk", options_metavar="[VALG]")
def sjekk(
    filer: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[FLYT]...",
            help="Flytfiler eller flyt-id-er. Uten: alle innebygde og egne flyter.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Sjekk flytfiler og malene deres, og list alle problemene.

    Ett problem per linje: «fil:linje: steg-id: melding». Avslutter med 0 når det ikke er
    feil (advarsler er lov), og 1 når det er feil."""
    from ..check import check_file, has_errors, summary
    from ..errors import Problem
    from ..output import write_stdout
    from ..resources import find_flow
    from ..ui.console import say

    paths: list[Path] = []
    problems: list[Problem] = []
    if filer:
        for ref in filer:
            path = find_flow(ref)
            if path is None:
                problems.append(Problem(ref, "Fant ingen flyt med dette navnet eller filen."))
            else:
                paths.append(path)
    else:
        paths = [p for p, _ in _flow_files([])]
    for path in paths:
        problems += check_file(path)
    if problems:
        write_stdout("".join(f"{p}\n" for p in problems))
    say(summary(problems, len(paths)))
    raise typer.Exit(1 if has_errors(problems) else 0)


@flyt_app.command("vis", options_metavar="[VALG]")
def vis(
    flyt: Annotated[
        str, typer.Argument(metavar="FLYT", help="Flytens id eller en flytfil (.toml).")
    ],
    format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            metavar="tekst|mermaid|dot",
            help="tekst (innrykket oversikt i terminalen), mermaid eller dot (Graphviz).",
        ),
    ] = "tekst",
) -> None:
    """Vis flyten som diagram eller oversikt.

    Deler, steg, betingelser på pilene, info-steg og neste steg: hold den opp mot den skrevne
    rutinen. Mermaid og dot blir bilder med mmdc og Graphviz (se README)."""
    from ..diagram import FORMATS, render_diagram
    from ..errors import UsageError
    from ..output import write_stdout
    from ..run_options import resolve_flow

    fmt = format.lower()
    if fmt not in FORMATS:
        raise UsageError(f"Ukjent format «{format}». Velg en av: {', '.join(FORMATS)}.")
    write_stdout(render_diagram(resolve_flow(flyt), fmt))


@flyt_app.command("skjema", options_metavar="[VALG]")
def skjema() -> None:
    """Skriv ut JSON Schema for flytformatet.

    Lagre det og bruk det i editoren din (taplo: `#:schema ./flyt-skjema.json` øverst i
    flytfilen)."""
    from ..loader_fields import SCHEMA_PATH
    from ..output import write_stdout

    write_stdout(SCHEMA_PATH.read_text(encoding="utf-8"))
