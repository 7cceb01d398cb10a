"""End to end in a pseudo-terminal: the built-in flow `henvisning` (Bergen-rutinen for
sekundærhenvisning i LAR) with the installed script, real prompts and real keys.

- a whole meeting (--enkel), G chosen while A is «Ikke vurdert ennå»: the BEON warning at the
  prompt right after G, in the referat and in the vedlegg 2 draft; the answers file written to
  the folder replays to the same draft. Measures A–H in the full-screen prompts (the rest of the
  meeting from a file): the BEON panel right after G;
- a writer's session (`--del`): only that part is asked, the file holds only that part, and it
  merges with the meeting's answers into vedlegg 2;
- step 5 not confirmed (not discussed in the LAR team): the DIPS warning at the prompt;
- going back across a `when`-dependent step (`<` in --enkel, Ctrl-B full-screen) and changing the
  answer so the step disappears: its answer reaches no document.

The writer's session also runs full-screen with long questions in multi-line fields (which once
drew nothing when the question was wider than the terminal), and with the README's short part
name (`--del "rusmiddelbruk"`).

Every prompt is recognised by its question (read from flows/henvisning.toml) and answered by its
step id, so a changed order or a new step shows up as a clear failure, not as a hang.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import REPO, CliResult, real_flow
from ptyhelp import (
    CTRL_B,
    CTRL_U,
    DOWN,
    ENTER,
    INFO,
    LIST,
    PROGRESS,
    SUBMIT_TEXTAREA,
    UP,
    Session,
    loose,
    screen,
)

pytestmark = pytest.mark.pty

tomli_w = pytest.importorskip("tomli_w")

if real_flow("henvisning") is None:  # pragma: no cover
    pytest.skip("flows/henvisning.toml finnes ikke", allow_module_level=True)

DATE = "20.11.2026"
BOX = re.compile(r"[│╭╮╰╯─┃━┏┓┗┛]")

# full-screen: the instruction each kind of prompt shows (INFO and LIST: ptyhelp)
CHECKBOX = "mellomrom krysser av"
DATE_HINT = "dd.mm.åååå, eller"
NUMBER = "Et tall ·"
TEXTAREA = "Flere linjer:"
TEXT = "< tilbake"
KINDS = [INFO, LIST, CHECKBOX, DATE_HINT, NUMBER, TEXTAREA, TEXT]
KIND_OF = {
    "info": INFO,
    "select": LIST,
    "confirm": LIST,
    "multiselect": CHECKBOX,
    "date": DATE_HINT,
    "number": NUMBER,
    "textarea": TEXTAREA,
    "text": TEXT,
}

Run = Callable[..., CliResult]


def norm(text: str) -> str:
    """Screen text on one line: no escapes, no panel borders, single spaces."""
    return " ".join(BOX.sub(" ", screen(text)).split())


# --- the flow, read as data ----------------------------------------------------------------------


@dataclass(frozen=True)
class StepInfo:
    id: str
    type: str
    prompt: str
    section: str
    required: bool
    choices: tuple[str, ...]  # the values, in order

    @property
    def key(self) -> str:
        """The beginning of the question, as the screen shows it (before any `{% ... %}`)."""
        return norm(re.split(r"\{[%{]", self.prompt)[0])[:40]


def _load_steps() -> dict[str, StepInfo]:
    data = tomllib.loads((REPO / "flows" / "henvisning.toml").read_text(encoding="utf-8"))
    return {
        s["id"]: StepInfo(
            s["id"],
            s["type"],
            s["prompt"],
            s.get("section", ""),
            s.get("required", True),
            tuple(c["value"] for c in s.get("choices", [])),
        )
        for s in data["steps"]
    }


STEPS = _load_steps()
RUS = "Henvisningen: rusmiddelbruk"
RUS_IDS = [s.id for s in STEPS.values() if s.section == RUS]


def identify(chunk: str) -> StepInfo | None:
    """The step whose question the screen text shows (the longest question beginning found)."""
    text = norm(chunk)
    found = [s for s in STEPS.values() if s.key and s.key in text]
    return max(found, key=lambda s: len(s.key)) if found else None


# --- a session in a pty --------------------------------------------------------------------------


# --- answering the interview by step id ----------------------------------------------------------

Plan = dict[str, object]
Handler = Callable[["Session", "Asked"], None]


@dataclass
class Asked:
    """One prompt as it was shown: the step and the screen text from progress line to prompt."""

    id: str
    shown: str


def wanted(step: StepInfo, plan: Plan) -> object:
    """The answer the plan gives, or a plain one: first choice, «Ja», some text, or empty."""
    if step.id in plan:
        return plan[step.id]
    if step.type == "select":
        return step.choices[0]
    if step.type == "confirm":
        return True
    if step.type == "multiselect":
        return [step.choices[0]]
    if step.type == "date":
        return "18.11.2026"
    if step.type in ("text", "textarea"):
        return f"Svar på {step.id}" if step.required else ""
    return None


def fullscreen_keys(step: StepInfo, value: object) -> str:
    if step.type == "info":
        return ENTER
    if step.type == "select":
        index = len(step.choices) if value == "" else step.choices.index(str(value))
        return str(index + 1) + ENTER  # «Hopp over» follows the choices of an optional step
    if step.type == "confirm":
        return ("j" if value else "n") + ENTER
    if step.type == "multiselect":
        assert isinstance(value, list)
        return "".join(DOWN + (" " if c in value else "") for c in step.choices) + ENTER
    if step.type == "textarea":
        return str(value).replace("\n", ENTER) + SUBMIT_TEXTAREA
    return CTRL_U + str(value) + ENTER


def plain_keys(step: StepInfo, value: object) -> str:
    if step.type == "info":
        return ENTER
    if step.type == "select":
        return (str(step.choices.index(str(value)) + 1) if value else "") + ENTER
    if step.type == "confirm":
        return ("ja" if value else "nei") + ENTER
    if step.type == "multiselect":
        assert isinstance(value, list)
        return ",".join(str(step.choices.index(c) + 1) for c in value) + ENTER
    if step.type == "textarea":
        lines = [line for line in str(value).split("\n") if line]
        return "".join(line + ENTER for line in lines) + ENTER  # an empty line ends the text
    return str(value) + ENTER


def read_fullscreen(s: Session) -> Asked:
    kind = KINDS[s.expect([loose(k) for k in KINDS])]
    chunk = s.child.before
    step = identify(chunk)
    assert step is not None, f"Kjente ikke igjen spørsmålet:\n{screen(chunk)}"
    assert KIND_OF[step.type] == kind, f"{step.id} ({step.type}) viste {kind}"
    return Asked(step.id, norm(chunk))


def _plain_ready(step: StepInfo, text: str) -> bool:
    """Whether the plain front end has written all of `step` and waits for the answer."""
    last = text.rsplit("\n", 1)[-1]
    if step.type == "info":
        return last == "Trykk Enter for å gå videre: "
    if step.type in ("select", "confirm"):
        return last.startswith("Skriv ") and not last.startswith("Skriv numrene")
    if step.type == "multiselect":
        return last.startswith("Skriv numrene")
    if step.type == "textarea":
        return last == "> " and "Avslutt med en tom linje." in text
    # the prompt is wrapped at words: its last line is the one typed on
    flat = " ".join(text.replace("\u00a0", " ").split())
    return " ".join(step.prompt.split()) in flat and last.endswith(": ")


def read_plain(s: Session) -> Asked:
    chunk = ""
    for _ in range(20):
        s.expect(r"(?:: |> )$")
        chunk += s.child.before + s.child.after
        step = identify(chunk)
        if step is not None and _plain_ready(step, screen(chunk)):
            return Asked(step.id, norm(chunk))
    raise AssertionError(f"Kjente ikke igjen spørsmålet:\n{screen(chunk)}")


def interview(
    s: Session,
    plan: Plan,
    *,
    plain: bool = False,
    handlers: dict[str, Handler] | None = None,
    limit: int = 150,
) -> list[Asked]:
    """Answer every prompt by its step id until the review; returns the prompts in order.

    A handler for a step id takes over that prompt once (to go back, say)."""
    handlers = dict(handlers or {})
    asked: list[Asked] = []
    for _ in range(limit):
        if s.expect([PROGRESS, "Gjennomgang av svarene"]) == 1:
            return asked
        got = read_plain(s) if plain else read_fullscreen(s)
        asked.append(got)
        if got.id in handlers:
            handlers.pop(got.id)(s, got)
            continue
        step = STEPS[got.id]
        value = wanted(step, plan)
        s.send(plain_keys(step, value) if plain else fullscreen_keys(step, value))
    raise AssertionError(f"Intervjuet kom aldri til gjennomgangen: {ids(asked)[:30]}")


def finish_review(s: Session, plain: bool = False) -> None:
    if plain:
        s.expect("Skriv ja for å lage dokumentene")
        s.send("ja" + ENTER)
    else:
        s.review()
        s.expect(loose(LIST))
        s.send("1" + ENTER)
    assert s.finish() == 0, screen(s.text)[-3000:]


def ids(asked: list[Asked]) -> list[str]:
    return [a.id for a in asked]


def shown(asked: list[Asked], sid: str) -> str:
    found = [a.shown for a in asked if a.id == sid]
    assert found, f"{sid} ble ikke spurt: {ids(asked)}"
    return found[0]


# --- a meeting's answers -------------------------------------------------------------------------

MEETING: Plan = {
    "pasient_ref": "P.Q., sak 2026/77",
    "oppdaget_av": ["pasienten", "behandler"],
    "oppdaget_behandler": "Fastlege",
    "behov": "Mer sidebruk ved siden av LAR.\nTo overdoser siden august.",
    "innkalt_av": "LAR-behandler i AFR LAR",
    "motedato": "18.11.2026",
    "moteform": "ansvarsgruppemote",
    "med_pasient": "med",
    "med_pasient_hvorfor": "Pasienten ville være med.",
    "deltakere": "Pasienten\nFastlege\nLAR-behandler i AFR LAR",
    "ansvarsgruppe_finnes": True,
    "barn_gravid": ["ingen"],
    "tiltak_a": "ikke_vurdert",
    "tiltak_a_begrunnelse": "Ikke drøftet i møtet.",
    "tiltak_b": "ikke_relevant",
    "tiltak_b_begrunnelse": "Ingen psykisk lidelse kjent.",
    "tiltak_c": "provd",
    "tiltak_c_begrunnelse": "Stabiliseringsposten i september.",
    "tiltak_d": "vurdert",
    "tiltak_d_begrunnelse": "Ingen akutt fare.",
    "tiltak_e": "vurdert",
    "tiltak_e_begrunnelse": "Behovet er behandling.",
    "tiltak_f": "ikke_relevant",
    "tiltak_f_begrunnelse": "Ingen akutt psykiatri.",
    "tiltak_g": "valgt",
    "tiltak_g_begrunnelse": "Døgnbehandling trengs raskt.",
    "tiltak_g_10_4": "ikke_aktuelt",
    "tiltak_h": "ikke_relevant",
    "tiltak_h_begrunnelse": "Pasienten samtykker.",
    "pasient_aktiv": "ja",
    "behandlingsplan": "oppdatert",
    "individuell_plan": "oppdatert",
    "kriseplan": "ikke_behov",
    "psykolog_utenfor": "ingen",
    "faglig_grunnlag": True,
    "faglig_grunnlag_begrunnelse": "Gjentatte overdoser tross innsats.",
    "skriver_bestilling": "afr_lar_psykolog",
    "skriver_rus": "fastlege",
    "skriver_helse": "fastlege",
    "skriver_arbeid": "nav_sosialtjeneste",
    "skriver_plan": "afr_lar_psykolog",
    "skrivefrist": "innen 04.12.2026",
    "forankret_lar_team": True,
    "psykolog_bestilling": True,
    "pasient_leser": "lest",
    "fastlege_i_gruppen": True,
    "samtykke_fastlege": "ja",
    "sosialtjeneste_i_gruppen": False,
    "drofting_ansvarsgruppe": True,
    "drofting_lar_team": True,
    "henvises_til": "dogn",
    "problem": "Sidebruk av benzodiazepiner med overdoser.",
    "rus_mengde": "Fire til seks tabletter daglig.",
    "endring_varsler": "Fastlege",
    "pasient_enig": True,
    "avvik": False,
}

BEON_AT_PROMPT = (
    "BEON: innleggelse i døgninstitusjon i TSB (G) er valgt, men disse tiltakene i vedlegg 1 er "
    "ikke vurdert: {}. Rutinen sier at alle aktuelle tiltak bør vurderes"
)
DIPS_AT_PROMPT = (
    "Advarsel: det går ikke fram at saken er drøftet både i ansvarsgruppen og i LAR-teamet. En "
    "sekundærhenvisning uten dette blir sendt som intern melding i DIPS til behandler i AFR LAR, "
    "med kopi til henviser."
)


# --- 1. a whole meeting: the BEON warning -------------------------------------------------------


def test_full_meeting_with_beon_breach_warns_at_the_prompt_and_in_both_documents(
    spawn: Callable[..., Session], tmp_path: Path, run_cli: Run
) -> None:
    folder = tmp_path / "sak"
    s = spawn(["henvisning", "--enkel", "--dato", DATE, "--ut-mappe", folder])
    s.expect("Starter: Sekundærhenvisning for pasient i LAR")
    asked = interview(s, MEETING, plain=True)
    finish_review(s, plain=True)

    # the warning is the very next thing after G, and not shown before it
    order = ids(asked)
    g = order.index("tiltak_g")
    assert order[g + 1] == "beon_advarsel", order[g - 1 : g + 3]
    assert BEON_AT_PROMPT.format("A") in shown(asked, "beon_advarsel")
    assert not any("BEON: innleggelse" in a.shown for a in asked[: g + 1])
    assert "dips_advarsel" not in order  # both discussions confirmed: no DIPS warning
    assert {"rus_mengde", "plan_involverte", "endring_varsler"} <= set(order)

    files = sorted(p.name for p in folder.iterdir())
    assert files == [
        "henvisning-sporsmal-og-svar.md",
        "henvisning-svar.toml",
        "referat.md",
        "sekundaerhenvisning.md",
        "sekundaerhenvisning.txt",
    ], files
    referat = (folder / "referat.md").read_text(encoding="utf-8")
    vedlegg2 = (folder / "sekundaerhenvisning.md").read_text(encoding="utf-8")
    assert (
        "**BEON, tiltak ikke vurdert:** Innleggelse i døgninstitusjon i TSB (G) er valgt, mens "
        "disse tiltakene i vedlegg 1 ikke er vurdert: A) Forsterket poliklinisk innsats. Rutinen "
        "sier at alle aktuelle tiltak bør vurderes"
    ) in referat
    assert (
        "**Tiltak i vedlegg 1 som ikke er vurdert (BEON):** Ansvarsgruppen har valgt innleggelse "
        "i døgninstitusjon i TSB (tiltak G) uten å ha vurdert disse tiltakene: A) Forsterket "
        "poliklinisk innsats (ansvarsgruppens merknad: «Ikke drøftet i møtet.»)."
    ) in vedlegg2
    assert "**Ansvarsgruppens begrunnelse for G:** Døgnbehandling trengs raskt." in vedlegg2
    # what was typed at the prompts reached the documents, and nothing of the prompts did
    assert "- Pasient: P.Q., sak 2026/77" in vedlegg2
    assert "- Dato: 20.11.2026" in vedlegg2
    assert "- Mengde: Fire til seks tabletter daglig." in vedlegg2
    assert "Sidebruk av benzodiazepiner med overdoser." in vedlegg2
    assert "- Fastlege" in referat and "Døgnbehandling trengs raskt." in referat
    for doc in (referat, vedlegg2):
        assert "\x1b" not in doc and "Spørsmål 1" not in doc
    for name in files:
        assert f"Skrev {folder / name}" in screen(s.text)

    record = folder / "henvisning-svar.toml"
    data = tomllib.loads(record.read_text(encoding="utf-8"))
    assert data["omsorgslinje"]["flyt"] == "henvisning"
    assert data["omsorgslinje"]["dato"] == dt.date(2026, 11, 20)
    assert data["svar"]["tiltak_a"] == "ikke_vurdert"
    assert data["svar"]["tiltak_g"] == "valgt"
    assert data["svar"]["behov"] == "Mer sidebruk ved siden av LAR.\nTo overdoser siden august."
    assert data["svar"]["motedato"] == dt.date(2026, 11, 18)
    assert "beon_advarsel" not in data["svar"]
    again = run_cli(["henvisning", "--svar", record, "--ikke-interaktiv"])
    assert again.returncode == 0, again.stderr
    assert again.stdout == vedlegg2


def example_without(tmp_path: Path, drop: list[str], name: str) -> Path:
    """examples/henvisning-full.toml without the answers to `drop`, as a file of its own."""
    full = tomllib.loads((REPO / "examples" / "henvisning-full.toml").read_text(encoding="utf-8"))
    full["svar"] = {k: v for k, v in full["svar"].items() if k not in drop}
    path = tmp_path / name
    path.write_text(tomli_w.dumps(full), encoding="utf-8")
    return path


MEASURES = [s.id for s in STEPS.values() if s.id.startswith("tiltak_")]


def test_fullscreen_beon_panel_right_after_g(spawn: Callable[..., Session], tmp_path: Path) -> None:
    # the meeting's other answers are given; measures A–H are asked in the full-screen prompts
    answers = example_without(tmp_path, MEASURES, "mote.toml")
    folder = tmp_path / "sak"
    s = spawn(
        ["henvisning", "--svar", answers, "--dato", DATE, "--ut-mappe", folder, "--uten-utkast"]
    )
    s.expect(loose("Starter: Sekundærhenvisning for pasient i LAR"))
    plan = {
        **MEETING,
        "tiltak_b": "vurdert",
        "tiltak_c": "ikke_vurdert",
        "tiltak_f": "vurdert",
    }
    asked = interview(s, plan)
    finish_review(s)
    assert ids(asked) == [
        "barn_plikter_info",  # the example's patient has a daughter
        "beon_info",
        "tiltak_a",
        "tiltak_a_begrunnelse",
        "tiltak_b",
        "tiltak_b_begrunnelse",
        "tiltak_c",
        "tiltak_c_begrunnelse",
        "tiltak_d",
        "tiltak_d_begrunnelse",
        "tiltak_e",
        "tiltak_e_begrunnelse",
        "tiltak_f",
        "tiltak_f_begrunnelse",
        "tiltak_g",
        "beon_advarsel",  # the warning, as a panel, before anything else after G
        "tiltak_g_begrunnelse",
        "tiltak_g_10_4",
        "tiltak_h",
        "tiltak_h_begrunnelse",
        "skriving_info",
        "endring_info",
        "evaluering_info",
    ]
    panel = shown(asked, "beon_advarsel")
    assert BEON_AT_PROMPT.format("A, C") in panel
    assert "Gå videre?" in panel
    missing = "A) Forsterket poliklinisk innsats; C) Innleggelse for avrusning og stabilisering."
    referat = (folder / "referat.md").read_text(encoding="utf-8")
    vedlegg2 = (folder / "sekundaerhenvisning.md").read_text(encoding="utf-8")
    assert (
        "**BEON, tiltak ikke vurdert:** Innleggelse i døgninstitusjon i TSB (G) er valgt, mens "
        f"disse tiltakene i vedlegg 1 ikke er vurdert: {missing}"
    ) in referat
    assert "**Tiltak i vedlegg 1 som ikke er vurdert (BEON):**" in vedlegg2
    assert "- A) Forsterket poliklinisk innsats: Ikke vurdert ennå" in vedlegg2
    assert "- G) Innleggelse i døgninstitusjon i TSB: Valgt" in vedlegg2


# --- 2. a writer's part --------------------------------------------------------------------------

WRITER: Plan = {
    "rus_funksjon": "Skriverens tekst: demper uro.",
    "rus_type": "Heroin\nBenzodiazepiner",
    "rus_mengde": "Skriverens mengde: to gram.",
    "rus_administrasjon": "",  # left empty
    "rus_overdoserisiko": "Skriverens vurdering: høy.",
    "rus_debut": "Fra 15 år",
    "rus_tidligere": "Skriverens tidligere bruk.",
    "i_lar": True,
    "lar_situasjon": "Skriverens LAR-situasjon: metadon 90 mg.",
}


def check_writer_session(s: Session, asked: list[Asked], rus: Path) -> None:
    assert ids(asked) == RUS_IDS
    assert re.search(r"Spørsmål 1\b", screen(s.text))
    for other in ("pasient_ref", "tiltak_g", "problem", "psykiatriske_diagnoser", "pasient_enig"):
        assert STEPS[other].key not in norm(s.text), other
    assert f"Skrev delsvarene til {rus}" in screen(s.text)
    data = tomllib.loads(rus.read_text(encoding="utf-8"))
    assert data["omsorgslinje"]["flyt"] == "henvisning"
    assert data["omsorgslinje"]["dato"] == dt.date(2026, 11, 20)
    assert data["svar"] == {k: v for k, v in WRITER.items() if v != ""}


@pytest.mark.parametrize(
    "part",
    [
        RUS,
        "rusmiddelbruk",  # a part of the name is enough when it is unique (as in README)
    ],
)
def test_writer_fills_only_their_part_and_it_merges_into_vedlegg2(
    spawn: Callable[..., Session], tmp_path: Path, run_cli: Run, part: str
) -> None:
    rus = tmp_path / "rus.toml"
    s = spawn(
        ["henvisning", "--enkel", "--del", part, "--ut", rus, "--dato", DATE, "--uten-utkast"]
    )
    asked = interview(s, WRITER, plain=True)
    finish_review(s, plain=True)
    check_writer_session(s, asked, rus)

    # the meeting's answers without this part, written as a file of its own, merge with it
    meeting = example_without(tmp_path, RUS_IDS, "meeting.toml")
    assert not set(tomllib.loads(meeting.read_text(encoding="utf-8"))["svar"]) & set(RUS_IDS)
    r = run_cli(["henvisning", "--svar", meeting, "--svar", rus, "--ikke-interaktiv"])
    assert r.returncode == 0, r.stderr
    vedlegg2 = r.stdout
    assert vedlegg2.startswith("# Sekundærhenvisning til døgnbehandling i TSB (utkast)")
    assert "- Rusens funksjon? Skriverens tekst: demper uro." in vedlegg2
    # the answer's line break is a hard break inside the list item (verbatim.py)
    assert (
        "- Type rusmiddel (beskriv alle rusmidler pasienten bruker): Heroin\\\n  Benzo" in vedlegg2
    )
    assert "- Mengde: Skriverens mengde: to gram." in vedlegg2
    assert "- Administrasjonsmåte: Ikke fylt ut" in vedlegg2
    assert (
        "- LAR-behandlingen (legemiddel og dose, henting og inntak, stabilitet): "
        "Skriverens LAR-situasjon: metadon 90 mg."
    ) in vedlegg2
    assert "Fra 15 år" in vedlegg2
    assert "Benzodiazepiner 4–6 tabletter daglig" not in vedlegg2  # the example's own text
    assert "- Pasient: K.L., sak 2026/1142" in vedlegg2  # the meeting's part is there too


def test_fullscreen_writer_session_shows_every_question(
    spawn: Callable[..., Session], tmp_path: Path
) -> None:
    rus = tmp_path / "rus.toml"
    s = spawn(["henvisning", "--del", RUS, "--ut", rus, "--dato", DATE, "--uten-utkast"], timeout=3)
    asked = interview(s, WRITER)
    finish_review(s)
    check_writer_session(s, asked, rus)


# --- 3. step 5 not confirmed: the DIPS warning ---------------------------------------------------


def test_not_discussed_in_the_lar_team_shows_the_dips_warning_at_the_prompt(
    spawn: Callable[..., Session], tmp_path: Path
) -> None:
    folder = tmp_path / "sak"
    s = spawn(["henvisning", "--enkel", "--dato", DATE, "--ut-mappe", folder, "--uten-utkast"])
    s.expect("Starter: Sekundærhenvisning for pasient i LAR")
    plan = {**MEETING, "tiltak_a": "vurdert", "drofting_lar_team": False}
    asked = interview(s, plan, plain=True)
    finish_review(s, plain=True)

    order = ids(asked)
    lar = order.index("drofting_lar_team")
    assert order[lar + 1] == "dips_advarsel", order[lar - 1 : lar + 3]
    assert DIPS_AT_PROMPT in shown(asked, "dips_advarsel")
    assert "beon_advarsel" not in order  # A is assessed: no BEON warning
    vedlegg2 = (folder / "sekundaerhenvisning.md").read_text(encoding="utf-8")
    assert (
        "**Advarsel:** Det går ikke fram at saken er drøftet med deltakerne i ansvarsgruppen og i "
        "LAR-teamet (drøftet i ansvarsgruppen: Ja; drøftet i LAR-teamet: Nei)."
    ) in vedlegg2
    assert "intern melding i DIPS" in vedlegg2
    referat = (folder / "referat.md").read_text(encoding="utf-8")
    assert "Drøfte saken i ansvarsgruppen og i LAR-teamet" in referat
    assert "BEON, tiltak ikke vurdert" not in referat


# --- 4. back across a `when`-dependent step ------------------------------------------------------

HIDDEN = ("Skjult-initiativ-Q7", "Skjult-frist-Q7")


def check_no_hidden_answers(folder: Path) -> None:
    referat = (folder / "referat.md").read_text(encoding="utf-8")
    vedlegg2 = (folder / "sekundaerhenvisning.md").read_text(encoding="utf-8")
    record = (folder / "henvisning-svar.toml").read_text(encoding="utf-8")
    for hidden in HIDDEN:
        for name, doc in (("referat", referat), ("vedlegg2", vedlegg2), ("svar", record)):
            assert hidden not in doc, f"{hidden} i {name}"
    assert "Pasienten har ansvarsgruppe." in referat
    assert "Etablere ansvarsgruppe" not in referat
    assert "- Pasienten har ansvarsgruppe: Ja\n" in vedlegg2
    svar = tomllib.loads(record)["svar"]
    assert svar["ansvarsgruppe_finnes"] is True
    assert "ansvarsgruppe_etableres_av" not in svar and "ansvarsgruppe_frist" not in svar


def test_enkel_back_with_lt_across_a_when_step_hides_its_answer(
    spawn: Callable[..., Session], tmp_path: Path
) -> None:
    folder = tmp_path / "sak"
    s = spawn(["henvisning", "--enkel", "--dato", DATE, "--ut-mappe", folder, "--uten-utkast"])
    plan = {
        **MEETING,
        "tiltak_a": "vurdert",
        "ansvarsgruppe_finnes": False,
        "ansvarsgruppe_etableres_av": HIDDEN[0],
        "ansvarsgruppe_frist": HIDDEN[1],
    }

    def back_three(s: Session, at: Asked) -> None:
        # at the question after the two `when` steps: back to them, then change their condition
        s.send("<" + ENTER)
        s.expect(re.escape(f"Innen når skal ansvarsgruppen være etablert? [{HIDDEN[1]}]: "))
        s.send("<" + ENTER)
        s.expect(re.escape(f"(rolle og tjeneste)? [{HIDDEN[0]}]: "))
        s.send("<" + ENTER)
        s.expect(re.escape("Skriv 1 eller 2 [Nei]: "))
        s.send("ja" + ENTER)

    asked = interview(s, plan, plain=True, handlers={"barn_gravid": back_three})
    finish_review(s, plain=True)
    order = ids(asked)
    assert order.count("barn_gravid") == 2, order  # asked, left with `<`, asked again
    assert "Gjennomgang av svarene:" in screen(s.text)
    review = screen(s.text).split("Gjennomgang av svarene:")[-1]
    assert "Hvem tar initiativ" not in review and HIDDEN[0] not in review
    check_no_hidden_answers(folder)


def test_ctrl_b_across_a_when_step_hides_its_answer(
    spawn: Callable[..., Session], tmp_path: Path
) -> None:
    # every answer of the full example but «Har pasienten en ansvarsgruppe?»: only that, the
    # steps it opens, and the info steps are asked
    answers = example_without(tmp_path, ["ansvarsgruppe_finnes"], "mote.toml")
    folder = tmp_path / "sak"
    s = spawn(
        ["henvisning", "--svar", answers, "--dato", DATE, "--ut-mappe", folder, "--uten-utkast"]
    )
    plan = {"ansvarsgruppe_finnes": False, "ansvarsgruppe_etableres_av": HIDDEN[0]}

    def back_twice(s: Session, at: Asked) -> None:
        s.send(CTRL_B)
        s.expect(PROGRESS)
        s.expect(loose("Hvem tar initiativ"))
        s.expect(loose(HIDDEN[0]))  # the answer given is shown again
        s.send(CTRL_B)
        s.expect(PROGRESS)
        s.expect(loose("Har pasienten en ansvarsgruppe?"))
        s.expect(loose(LIST))
        s.send(UP + ENTER)  # from «Nei» (pre-selected) to «Ja»

    def keep(s: Session, at: Asked) -> None:
        s.send(ENTER)  # shown again with the file's answer selected: keep it

    asked = interview(s, plan, handlers={"ansvarsgruppe_frist": back_twice, "barn_gravid": keep})
    finish_review(s)
    assert ids(asked) == [
        "ansvarsgruppe_finnes",
        "ansvarsgruppe_etableres_av",
        "ansvarsgruppe_frist",
        "barn_gravid",
        "barn_plikter_info",
        "beon_info",
        "skriving_info",
        "endring_info",
        "evaluering_info",
    ]
    check_no_hidden_answers(folder)


# --- 5. a patient with a child who is pregnant: the duties on screen and in the documents --------


def test_children_and_pregnancy_remind_of_the_duties_at_the_prompt_and_in_the_documents(
    spawn: Callable[..., Session], tmp_path: Path
) -> None:
    answers = example_without(tmp_path, ["barn_gravid", "barn_meldeplikt"], "mote.toml")
    folder = tmp_path / "sak"
    s = spawn(
        ["henvisning", "--svar", answers, "--dato", DATE, "--ut-mappe", folder, "--uten-utkast"]
    )
    s.expect(loose("Starter: Sekundærhenvisning for pasient i LAR"))
    asked = interview(s, {"barn_gravid": ["barn", "gravid"], "barn_meldeplikt": "skal_meldes"})
    finish_review(s)
    order = ids(asked)
    assert order[:4] == [
        "barn_gravid",
        "barn_plikter_info",
        "gravid_plikter_info",
        "barn_meldeplikt",
    ]
    children = shown(asked, "barn_plikter_info")
    for ref in ("§ 10a", "§ 33", "barnevernsloven § 13-2", "Plikten er personlig"):
        assert ref in children, ref
    pregnant = shown(asked, "gravid_plikter_info")
    assert "§ 10-3" in pregnant and "§ 32 annet ledd" in pregnant
    assert "gjelder ikke det ufødte barnet" in pregnant
    referat = (folder / "referat.md").read_text(encoding="utf-8")
    assert "## Barn og graviditet" in referat and "§ 10-3" in referat
    assert "| Gi opplysninger til barnevernstjenesten om pasientens barn" in referat
    vedlegg2 = (folder / "sekundaerhenvisning.md").read_text(encoding="utf-8")
    assert (
        "Oppgitt i ansvarsgruppen: Pasienten har barn under 18 år; Pasienten er gravid" in vedlegg2
    )
