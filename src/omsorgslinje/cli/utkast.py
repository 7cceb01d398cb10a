"""`omsorgslinje utkast`: list, continue and delete drafts. Never shows an answer.

Registered in cli/__init__.py (SUBCOMMANDS): imported only when the command runs or the top-level
help lists it."""

from __future__ import annotations

from typing import Annotated

import typer

from . import options as o

utkast_app = o.command_group(
    "utkast",
    "Lagrede svar: vis, fortsett eller slett utkast.",
)


@utkast_app.command(
    "liste", options_metavar="[VALG]", short_help="Vis utkastene og hvor langt de er kommet."
)
def liste() -> None:
    """Vis utkastene: flyt, når de ble startet og sist endret, og hvor langt de er kommet."""
    from ..draft_file import stamp
    from ..drafts import DraftStore, clean_up_old
    from ..ui.console import say, warn

    store = DraftStore()
    for line in clean_up_old(store):
        warn(line)
    drafts, messages = store.scan()
    for line in messages:
        warn(line)
    if not drafts:
        say("Ingen utkast.")
        return
    rows = [("ID", "Flyt", "Sak", "Startet", "Sist endret", "Framdrift")]
    for d in drafts:
        # as the progress line counts: questions answered (the next one is number N + 1);
        # a total would change as answers open or close parts of the flow
        how_far = f"{d.answered} spørsmål besvart" if d.total else "ikke startet"
        if d.total and d.cursor is None:
            how_far += " (klar til gjennomgang)"
        rows.append(
            (d.id, d.flow_id, d.reference or "–", stamp(d.started), stamp(d.changed), how_far)
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    for r in rows:
        typer.echo("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=False)) + "  " + r[-1])
    say(f"Fortsett med `omsorgslinje utkast fortsett ID`. Utkastene ligger i {store.directory}.")


@utkast_app.command("fortsett", options_metavar="[VALG]")
def fortsett(
    utkast: Annotated[
        str | None,
        typer.Argument(metavar="[ID]", help="Utkastets id (standard: det sist endrede)."),
    ] = None,
    enkel: o.EnkelOpt = False,
    format: Annotated[
        str | None,
        typer.Option(
            "--format", "-f", metavar="md|txt|toml|json|docx", help="Format (standard: som sist)."
        ),
    ] = None,
    ut: o.UtOpt = None,
    ut_mappe: o.UtMappeOpt = None,
    dokument: o.DokumentOpt = None,
    overskriv: o.OverskrivOpt = False,
    dato: Annotated[
        str | None,
        typer.Option("--dato", metavar="DATO", help="Saksdato (standard: utkastets dato)."),
    ] = None,
    behold_utkast: o.BeholdOpt = False,
    kommune: o.KommuneOpt = None,
    ta_over: Annotated[
        bool,
        typer.Option(
            "--ta-over",
            help="Ta over et utkast som er åpent i et annet vindu (det andre slutter å lagre).",
        ),
    ] = False,
) -> None:
    """Fortsett et utkast der det stoppet. Du kan fortsatt gå tilbake."""
    from ..run import resume_flow

    overrides: dict[str, object] = {
        "plain": enkel,
        "fmt": format.lower() if format else None,
        "out": ut,
        "out_dir": ut_mappe,
        "document": dokument,
        "overwrite": overskriv,
        "date": o.case_date(dato),
        "keep_draft": behold_utkast,
        "kommune": kommune,
        "take_over": ta_over,
    }
    raise typer.Exit(resume_flow(utkast, overrides))


@utkast_app.command(
    "vis", options_metavar="[VALG]", short_help="Vis svarene i et utkast uten å endre det."
)
def vis(
    utkast: Annotated[
        str, typer.Argument(metavar="ID", help="Utkastets id, eller en entydig del.")
    ],
) -> None:
    """Vis svarene i et utkast uten å endre det (også når det er åpent i et annet vindu)."""
    from ..drafts import DraftStore
    from ..errors import visible
    from ..run_options import flow_of
    from ..values import display

    draft = DraftStore().load(utkast)
    flow = flow_of(draft)
    section = None
    lines = [f"Utkast {draft.id} ({flow.title}), skrivebeskyttet visning:"]
    for step in flow.steps:
        if not step.asks or step.id not in draft.answers:
            continue
        if step.section and step.section != section:
            section = step.section
            lines += ["", section]
        lines.append(f"- {step.prompt} {display(step, draft.answers[step.id])}")
    typer.echo(visible("\n".join(lines)))


@utkast_app.command("slett", options_metavar="[VALG]")
def slett(
    utkast: Annotated[
        str | None, typer.Argument(metavar="[ID]", help="Utkastet som skal slettes.")
    ] = None,
    alle: Annotated[
        bool,
        typer.Option("--alle", help="Slett alle utkast, også de som er flyttet til side."),
    ] = False,
) -> None:
    """Slett ett utkast, eller alle med --alle."""
    from ..drafts import DraftStore
    from ..errors import UsageError
    from ..ui.console import say

    store = DraftStore()
    if alle:
        if utkast is not None:
            raise UsageError("Oppgi enten en id eller --alle, ikke begge.")
        if not _sure_to_delete_all(store):
            say("Ingenting er slettet.")
            return
        n = store.delete_all()
        say("Ingen utkast å slette." if n == 0 else f"Slettet {n} utkast.")
        return
    if utkast is None:
        raise UsageError(
            "Oppgi hvilket utkast som skal slettes (se `omsorgslinje utkast liste`), eller --alle."
        )
    path = store.find(utkast)
    store.delete(path.stem)
    say(f"Slettet utkastet {path.stem}.")


def _sure_to_delete_all(store: object) -> bool:
    """On a terminal, `slett --alle` asks first (a script, without a terminal, is not asked)."""
    import sys

    from ..drafts import DraftStore

    assert isinstance(store, DraftStore)
    try:
        asking = sys.stdin.isatty() and sys.stderr.isatty()
    except (AttributeError, ValueError):
        asking = False
    if not asking:
        return True
    n = len(store.paths())
    if n == 0:
        return True
    sys.stderr.write(f"Slette alle {n} utkast? Svarene i dem kan ikke hentes tilbake. Skriv ja: ")
    sys.stderr.flush()
    from ..ui.lines import read_line

    line = read_line()
    return line.strip().casefold() in ("ja", "j")
