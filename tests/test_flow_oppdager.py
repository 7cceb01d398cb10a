"""The `oppdager` flow (Lillehammer routine, the discoverer role): one test per situation path,
the acute screening, the documents it writes, and the examples that replay it.

Uses the Python API only; the command line has its own end-to-end tests.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt

from omsorgslinje.answers import merge
from omsorgslinje.engine import Interview, missing_required, resolve
from omsorgslinje.loader import load_flow
from omsorgslinje.render import Case, applicable_documents, render

ROOT = Path(__file__).resolve().parent.parent
FLOW_PATH = ROOT / "flows" / "oppdager.toml"
EXAMPLES = sorted((ROOT / "examples").glob("oppdager-*.toml"))
DATE = dt.date(2026, 11, 20)

MELDEPLIKT = "barnevernsloven § 13-2 (rutinen viser til § 6-4 i barnevernloven av 1992)"


@pytest.fixture(scope="module")
def flow():
    return load_flow(FLOW_PATH)


def example(flow, name: str) -> dict[str, Any]:
    return dict(merge([ROOT / "examples" / f"oppdager-{name}.toml"], flow).answers)


def doc(flow, answers: dict[str, Any], name: str = "notat", fmt: str = "md") -> str:
    return render(Case(flow, answers, DATE), flow.document(name), fmt)


def doc_names(flow, answers: dict[str, Any]) -> list[str]:
    return [d.name for d in applicable_documents(Case(flow, answers, DATE))]


def next_steps(flow, answers: dict[str, Any]) -> list[dict[str, str]]:
    data = tomllib.loads(doc(flow, answers, fmt="toml"))
    return data.get("neste_steg", [])


def headings(md: str, level: int) -> list[str]:
    tokens = MarkdownIt("commonmark").enable("table").parse(md)
    out = []
    for i, t in enumerate(tokens):
        if t.type == "heading_open" and t.tag == f"h{level}":
            out.append(tokens[i + 1].content)
    return out


def section(md: str, title: str) -> str:
    """The text of one `## title` section of a Markdown document."""
    start = md.index(f"\n## {title}")
    end = md.find("\n## ", start + 1)
    return md[start : end if end != -1 else len(md)]


# --- the flow itself -----------------------------------------------------------------------------


def test_every_step_has_a_source(flow):
    missing = [s.id for s in flow.steps if not s.source.strip()]
    assert missing == []
    assert all(s.source.startswith("Lillehammer-rutinen") for s in flow.steps)


def test_documents_notat_primary_and_koordinatorsoknad(flow):
    assert flow.primary_document.name == "notat"
    assert flow.document("koordinatorsoknad") is not None
    assert "samtykke" in (flow.document("koordinatorsoknad").when or "")


def test_five_situations_each_explained(flow):
    step = flow.step("situasjon")
    assert step.type == "select"
    assert [c.value for c in step.choices] == [
        "uklar_bekymring",
        "ber_om_hjelp",
        "kjent_familie",
        "gravid_utfordringer",
        "akutt_meldeplikt",
    ]
    assert all(c.help for c in step.choices)
    assert [c.label[:2] for c in step.choices] == ["1.", "2.", "3.", "4.", "5."]


def test_who_you_are_then_acute_screening_before_situation(flow):
    ids = [s.id for s in flow.steps]
    for early in ("rolle", "tjeneste", "helsepersonell", "person_ref"):
        assert ids.index(early) < ids.index("akutt_barn")
    for acute in ("akutt_barn", "akutt_barn_info", "gravid_rus", "gravid_rus_helse_info"):
        assert ids.index(acute) < ids.index("situasjon")
    order = [
        "situasjon",
        "drofting",
        "hjelp_info",
        "samtale_status",
        "dokumentasjon_info",
        "samtykke",
        "ke_behov",
        "ke_info",
        "koordinator_oppgaver_info",
        "forpliktelser_info",
    ]
    assert [ids.index(i) for i in order] == sorted(ids.index(i) for i in order)


def _flow_text(flow) -> str:
    parts = [flow.intro]
    for s in flow.steps:
        parts += [s.prompt, s.help, s.source]
        parts += [c.label + " " + c.help for c in s.choices]
        parts += [a.what + " " + a.who for a in s.actions]
    return "\n".join(parts)


@pytest.mark.parametrize(
    "phrase",
    [
        # acute: meldeplikt, personal, directly; the current references beside the routine's
        MELDEPLIKT,
        "direkte til barneverntjenesten",
        "ikke nok å si fra til lederen",
        "helsepersonelloven § 33",
        "helsepersonelloven § 32 annet ledd",
        "overveiende sannsynlig at barnet blir født med skade",
        "tjenesteområde psykisk helsearbeid og rusomsorg",
        "politiet",
        # colleague / leader, anonymity, where to get help
        "kollega",
        "alder, kjønn og situasjon",
        "Koordinerende enhet",
        "Fagavdeling for sektor Oppvekst, Utdanning og Kultur",
        "utfyllende kompetanse",
        # the conversation
        "Ikke vær alene",
        "IS-2826",
        "Fra bekymring til handling",
        "behovet for oppfølging etter",
        # documentation
        "Husk barnet",
        "helsepersonelloven § 10a",
        # consent, coordinator, individual plan
        "samtykke",
        "eget skjema",
        "kan vurderes senere",
        "helse- og omsorgstjenesteloven § 7-2",
        # Koordinerende enhet and the coordinator
        "navngitt koordinator",
        "første del av det første ansvarsgruppemøtet",
        "ansvarsgruppe eller samarbeidsforum",
        "felles mål",
        "neste samarbeidsmøte",
        "Veileder om rehabilitering, habilitering, individuell plan og koordinator",
        # employees' duties
        "samarbeidsavtale med Sykehuset Innlandet",
    ],
)
def test_every_instruction_of_the_routine_is_in_the_flow(flow, phrase):
    assert phrase.lower() in _flow_text(flow).lower()


# --- examples --------------------------------------------------------------------------------


def test_there_are_examples_for_every_situation(flow):
    assert len(EXAMPLES) >= 3
    situations = set()
    for path in EXAMPLES:
        meta = tomllib.loads(path.read_text("utf-8"))["omsorgslinje"]
        assert meta["flyt"] == "oppdager"
        assert meta["dato"] == DATE
        situations.add(merge([path], flow).answers["situasjon"])
    assert situations == {c.value for c in flow.step("situasjon").choices}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_is_complete_and_renders(flow, path):
    aset = merge([path], flow)
    assert aset.date == DATE
    assert [s.id for s in missing_required(flow, aset.answers)] == []
    case = Case(flow, aset.answers, aset.date)
    for d in applicable_documents(case):
        for fmt in ("md", "txt"):
            assert render(case, d, fmt).strip()


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_answers_all_count(flow, path):
    """No example answers a step its own path hides (that would be dead text in the file)."""
    answers = merge([path], flow).answers
    applies = set(resolve(flow, answers).path)
    assert set(answers) <= applies


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_toml_output_replays_to_the_same_documents(flow, path, tmp_path):
    aset = merge([path], flow)
    case = Case(flow, aset.answers, aset.date)
    out = render(case, flow.primary_document, "toml")
    data = tomllib.loads(out)
    assert data["omsorgslinje"]["flyt"] == "oppdager"
    assert data["omsorgslinje"]["dokumenter"] == [d.name for d in applicable_documents(case)]
    replay_file = tmp_path / "sak.toml"
    replay_file.write_text(out, "utf-8")
    again = merge([replay_file], flow)
    assert again.date == aset.date
    replay = Case(flow, again.answers, again.date)
    assert [d.name for d in applicable_documents(replay)] == data["omsorgslinje"]["dokumenter"]
    for d in applicable_documents(case):
        for fmt in ("md", "txt", "toml"):
            assert render(replay, d, fmt) == render(case, d, fmt)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_answer_is_in_the_note(flow, path):
    answers = merge([path], flow).answers
    case = Case(flow, answers, DATE)
    md = render(case, flow.document("notat"), "md")
    # the user's text is escaped for Markdown where it lands («20\\.11.» at the start of a line)
    md = re.sub(r"\\([^\w\s])", r"\1", md)
    txt = render(case, flow.document("notat"), "txt")
    from omsorgslinje.values import display

    for sid, value in answers.items():
        shown = display(flow.step(sid), value)
        for line in shown.splitlines():
            assert line.strip() in md, sid
            assert line.strip() in txt, sid


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_note_structure_and_plain_text(flow, path):
    answers = merge([path], flow).answers
    md = doc(flow, answers)
    assert len(headings(md, 1)) == 1
    h2 = headings(md, 2)
    for title in ("Sammendrag", "Opplysninger", "Neste steg", "Lovgrunnlag og veiledere", "Kilder"):
        assert title in h2
    # the summary holds date, role and service, situation
    summary = section(md, "Sammendrag")
    assert "20.11.2026" in summary
    assert answers["rolle"] in summary and answers["tjeneste"] in summary
    assert flow.step("situasjon").choice(answers["situasjon"]).label in summary
    # the sources of every step on the path
    sources = section(md, "Kilder")
    for sid in resolve(flow, answers).path:
        assert flow.step(sid).source in sources
    # plain text: no Markdown left
    txt = doc(flow, answers, fmt="txt")
    for line in txt.splitlines():
        assert not line.startswith(("#", "|")), line
        assert "**" not in line, line
        assert "|---" not in line


# --- situation paths -------------------------------------------------------------------------


def test_acute_situation_5_meldeplikt_first(flow):
    answers = example(flow, "akutt")
    assert answers["situasjon"] == "akutt_meldeplikt"
    md = doc(flow, answers)
    h2 = headings(md, 2)
    assert h2[0].startswith("AKUTT")
    assert "meldeplikt" in h2[0].lower()
    top = md[: md.index("\n## Sammendrag")]
    assert MELDEPLIKT in top
    assert "direkte til barneverntjenesten" in top
    assert "ikke nok å si fra til lederen" in top
    assert "helsepersonelloven § 33" in top  # the example's author is health personnel
    assert "Ja, muntlig (telefon eller møte), 20.11.2026" in top
    assert "§ 32" not in top  # no pregnant woman here
    assert doc_names(flow, answers) == ["notat", "bekymringsmelding"]
    # the conversation waits for barneverntjenesten; the next steps say so
    whats = [n["hva"] for n in next_steps(flow, answers)]
    assert any("Avklar med barneverntjenesten" in w for w in whats)
    # plain text keeps the warning at the top too
    txt = doc(flow, answers, fmt="txt")
    assert txt.index("AKUTT") < txt.index("Sammendrag")
    assert MELDEPLIKT in txt


def test_acute_not_yet_reported_and_not_health_personnel(flow):
    answers = example(flow, "akutt")
    answers.update(helsepersonell=False, barnevern_meldt="ikke_enda", akutt_fare_naa=True)
    del answers["barnevern_meldt_dato"]
    assert missing_required(flow, answers) == []
    md = doc(flow, answers)
    top = md[: md.index("\n## Sammendrag")]
    assert "helsepersonelloven § 33" not in md
    assert "Meldt til barneverntjenesten: Nei, ikke ennå" in top
    assert "112" in top
    steps = next_steps(flow, answers)
    assert steps[0]["hva"] == "Ring politiet på 112"
    assert steps[0]["når"] == "straks"
    assert "direkte til barneverntjenesten" in steps[1]["hva"]
    assert steps[1]["når"] == "i dag"
    assert "personlig plikt" in steps[1]["hvem"]


def test_acute_danger_in_another_situation_still_tops_the_note(flow):
    answers = example(flow, "uklar-bekymring")
    answers.update(
        akutt_barn=True,
        akutt_fare_naa=False,
        barnevern_meldt="skriftlig",
        barnevern_meldt_dato=DATE,
    )
    md = doc(flow, answers)
    assert headings(md, 2)[0].startswith("AKUTT")
    assert MELDEPLIKT in md
    assert "sit5_info" in resolve(flow, answers).path


def test_situation_5_without_any_duty_is_flagged(flow):
    answers = example(flow, "akutt")
    answers["akutt_barn"] = False
    path = resolve(flow, answers).path
    assert "sit5_uten_plikt_info" in path
    assert "barnevern_meldt" not in path
    md = doc(flow, answers)
    assert "ingen melde- eller opplysningsplikt er registrert" in md
    assert "Meldt til barneverntjenesten" not in md
    assert any(
        "Drøft anonymt med barneverntjenesten" in n["hva"] for n in next_steps(flow, answers)
    )


def test_situation_1_unclear_concern_planned_conversation(flow):
    answers = example(flow, "uklar-bekymring")
    md = doc(flow, answers)
    assert "AKUTT" not in md
    assert "§ 13-2" not in md.split("## Kilder")[0].split("## Lovgrunnlag")[0]
    assert "sit1_info" in resolve(flow, answers).path
    assert doc_names(flow, answers) == ["notat"]
    summary = section(md, "Sammendrag")
    assert "Samtalen er avtalt, 26.11.2026" in summary
    assert "Avklares i samtalen" in summary
    steps = next_steps(flow, answers)
    talk = [n for n in steps if n["hva"].startswith("Gjennomfør samtalen med A.B.")]
    assert talk and talk[0]["hvem"] == "Pedagogisk leder og styrer"
    assert talk[0]["når"] == "26.11.2026"
    assert any("samtykke" in n["hva"] for n in steps)
    assert any("Husk barnet" in n["hva"] for n in steps)


def test_situation_1_alone_in_the_conversation(flow):
    answers = example(flow, "uklar-bekymring")
    answers["samtale_to"] = False
    del answers["samtale_med"]
    steps = next_steps(flow, answers)
    assert any(n["hva"] == "Finn en kollega som blir med i samtalen" for n in steps)
    talk = [n for n in steps if n["hva"].startswith("Gjennomfør samtalen")]
    assert talk[0]["hvem"] == "Pedagogisk leder"


def test_situation_2_asks_for_help_consent_makes_the_application(flow):
    answers = example(flow, "ber-om-hjelp")
    assert doc_names(flow, answers) == ["notat", "koordinatorsoknad"]
    md = doc(flow, answers)
    assert answers["henvendelse"] in md
    assert "Beskriv bekymringen" not in md  # situation 2 asks what they asked for instead
    soknad = doc(flow, answers, "koordinatorsoknad")
    assert "C.D." in soknad
    assert answers["ke_behov"] in soknad
    assert "helse- og omsorgstjenesteloven § 7-2" in soknad
    assert "uten individuell plan" in soknad
    assert "Vurderes senere" in soknad
    assert answers["kontakt"] in soknad
    assert "Veileder, NAV Lillehammer" in soknad
    assert "Skriftlig" in soknad
    tables = [
        t for t in MarkdownIt("commonmark").enable("table").parse(soknad) if t.type == "table_open"
    ]
    assert len(tables) == 2
    who = {n["hvem"] for n in next_steps(flow, answers)}
    assert "Koordinerende enhet (saksbehandler)" in who


@pytest.mark.parametrize("consent", ["nei", "ikke_avklart"])
def test_no_application_without_consent(flow, consent):
    answers = example(flow, "ber-om-hjelp")
    answers["samtykke"] = consent
    assert doc_names(flow, answers) == ["notat"]
    path = resolve(flow, answers).path
    assert "ke_behov" not in path and "ke_info" not in path
    md = doc(flow, answers)
    assert answers["ke_behov"] not in md  # the hidden answer never appears
    assert answers["ke_behov"] not in doc(flow, answers, fmt="toml")


def test_situation_3_known_family_with_coordinator_no_new_application(flow):
    answers = example(flow, "kjent-familie")
    assert answers["samtykke"] == "ja"
    assert doc_names(flow, answers) == ["notat"]
    path = resolve(flow, answers).path
    assert "sit3_info" in path and "koordinator_soknad_info" not in path
    steps = next_steps(flow, answers)
    assert any("Kontakt familiens koordinator" in n["hva"] for n in steps)
    assert not any("Send søknad om koordinator" in n["hva"] for n in steps)
    # without a coordinator, the same family gets the application
    answers["har_koordinator"] = "nei"
    assert [s.id for s in missing_required(flow, answers)] == [
        "ke_behov",
        "ip_onske",
        "kontakt",
        "soknad_sendes",
    ]


def test_situation_3_optional_answer_left_empty_says_so(flow):
    answers = example(flow, "kjent-familie")
    del answers["kjente_tjenester"]
    md = doc(flow, answers)
    line = next(ln for ln in md.splitlines() if "Hvilke tjenester følger familien" in ln)
    assert line.endswith("Ikke besvart")
    assert "Valgfrie spørsmål som ikke er besvart" in md
    data = tomllib.loads(doc(flow, answers, fmt="toml"))
    assert "kjente_tjenester" in data["omsorgslinje"]["ikke_besvart"]


def test_situation_4_pregnant_health_personnel_duty_to_inform(flow):
    answers = example(flow, "gravid")
    md = doc(flow, answers)
    h2 = headings(md, 2)
    assert h2[0].startswith("AKUTT")
    top = md[: md.index("\n## Sammendrag")]
    assert "helsepersonelloven § 32 annet ledd" in top
    assert "tjenesteområde psykisk helsearbeid og rusomsorg" in top
    assert "Ja, opplysningene er gitt, 20.11.2026" in top
    assert "barnevernsloven § 13-2" not in top
    assert "18" in section(md, "Opplysninger")
    # she did not consent: no application; the § 32 information is made
    assert doc_names(flow, answers) == ["notat", "opplysninger_gravid"]
    assert "samtykke_nei_info" in resolve(flow, answers).path


def test_situation_4_pregnant_not_health_personnel(flow):
    answers = example(flow, "gravid")
    answers["helsepersonell"] = False
    for sid in ("opplysning_gitt", "opplysning_gitt_dato"):
        del answers[sid]
    assert missing_required(flow, answers) == []
    path = resolve(flow, answers).path
    assert "gravid_rus_annen_info" in path and "opplysning_gitt" not in path
    md = doc(flow, answers)
    assert "AKUTT" not in md
    assert any(
        "tjenesteområde psykisk helsearbeid og rusomsorg" in n["hva"]
        for n in next_steps(flow, answers)
    )


def test_hidden_step_answer_never_appears(flow):
    answers = example(flow, "uklar-bekymring")
    secret = "SKJULT-SVAR-7731"
    answers["henvendelse"] = secret  # situation 2 only
    answers["kjente_tjenester"] = secret  # situation 3 only
    answers["samtale_beskrivelse"] = secret  # only when the conversation was held
    case = Case(flow, answers, DATE)
    for fmt in ("md", "txt", "toml"):
        assert secret not in render(case, flow.document("notat"), fmt)


def test_changing_the_situation_hides_its_steps(flow):
    answers = example(flow, "ber-om-hjelp")
    answers["situasjon"] = "uklar_bekymring"
    missing = [s.id for s in missing_required(flow, answers)]
    assert missing == ["bekymring"]
    assert answers["henvendelse"] not in doc(flow, answers | {"bekymring": "x"})


def test_interview_walks_the_acute_path_in_order(flow):
    """Answering in the interview as a user would: acute info comes before the situation."""
    answers = example(flow, "akutt")
    iv = Interview.start(flow)
    asked: list[str] = []
    while not iv.done:
        step = iv.step
        asked.append(step.id)
        iv = iv.answer(True if not step.asks else answers.get(step.id))
    assert asked.index("akutt_barn_info") < asked.index("situasjon")
    assert asked.index("akutt_helsepersonell_info") < asked.index("barnevern_meldt")
    assert "samtale_dato" not in asked
    assert "tvil_info" not in asked
