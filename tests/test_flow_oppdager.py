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
    from omsorgslinje.documents import find_document

    return render(Case(flow, answers, DATE), find_document(flow, name), fmt)


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
    # the routine where it says it; otherwise whose advice it is, or the law itself
    credited = ("Lillehammer-rutinen", "Veiviserens", "Barnevernsloven", "Helsepersonelloven")
    assert [s.id for s in flow.steps if not s.source.startswith(credited)] == []


def test_documents_notat_primary_and_koordinatorsoknad(flow):
    assert flow.primary_document.name == "notat"
    assert flow.document("koordinatorsoknad") is not None
    assert "samtykke" in (flow.document("koordinatorsoknad").when or "")


def test_five_situations_each_explained(flow):
    step = flow.step("situasjon")
    assert step.type == "multiselect"  # a case can fit more than one
    assert [c.value for c in step.choices] == [
        "uklar_bekymring",
        "ber_om_hjelp",
        "kjent_familie",
        "gravid_utfordringer",
        "akutt_meldeplikt",
    ]
    assert all(c.help.startswith("Rutinen: ") for c in step.choices)
    # the routine's own numbers, which are also the digits that choose them
    assert [c.label[:2] for c in step.choices] == ["1.", "2.", "3.", "4.", "5."]


def test_who_you_are_then_acute_screening_before_situation(flow):
    ids = [s.id for s in flow.steps]
    for early in ("rolle", "tjeneste", "helsepersonell", "person_ref"):
        assert ids.index("akutt_fare") < ids.index(early) < ids.index("akutt_barn")
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
        "direkte til barnevernstjenesten",
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
        situations.update(merge([path], flow).answers["situasjon"])
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
    assert aset.date is not None
    case = Case(flow, aset.answers, aset.date)
    out = render(case, flow.primary_document, "toml")
    data = tomllib.loads(out)
    assert data["omsorgslinje"]["flyt"] == "oppdager"
    assert data["omsorgslinje"]["dokumenter"] == [d.name for d in applicable_documents(case)]
    replay_file = tmp_path / "sak.toml"
    replay_file.write_text(out, "utf-8")
    again = merge([replay_file], flow)
    assert again.date == aset.date
    replay = Case(flow, again.answers, aset.date)
    assert [d.name for d in applicable_documents(replay)] == data["omsorgslinje"]["dokumenter"]
    for d in applicable_documents(case):
        for fmt in ("md", "txt", "toml"):
            assert render(replay, d, fmt) == render(case, d, fmt)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_answer_is_in_the_questions_and_answers(flow, path):
    """The whole interview is its own document; the note holds only what its reader needs."""
    from omsorgslinje.documents import find_document
    from omsorgslinje.values import display

    answers = merge([path], flow).answers
    case = Case(flow, answers, DATE)
    qa = find_document(flow, "sporsmal-og-svar")
    md = re.sub(r"\\([^\w\s])", r"\1", render(case, qa, "md"))
    txt = render(case, qa, "txt")
    for sid, value in answers.items():
        if flow.step(sid).identifying:
            continue
        shown = display(flow.step(sid), value)
        for line in shown.splitlines():
            assert line.strip() in md, sid
            assert line.strip() in txt, sid


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_note_structure_and_plain_text(flow, path):
    answers = merge([path], flow).answers
    md = doc(flow, answers)
    assert len(headings(md, 1)) == 1
    assert headings(md, 2) == [
        "Bakgrunn og observasjoner",
        "Vurdering",
        "Tiltak og gjort",
        "Avtaler og videre plan",
        "Samtykke",
    ]
    # date, role and service before the first section; the situations under the background
    top = md[: md.index("\n## ")]
    assert "20.11.2026" in top
    assert str(answers["rolle"]) in top and str(answers["tjeneste"]) in top
    for value in answers["situasjon"]:
        label = flow.step("situasjon").choice(value).label
        assert label in section(md, "Bakgrunn og observasjoner")
    # one line for the basis; no list of the routine's sections
    assert "Kilder" not in md
    assert md.count("Grunnlag: ") == 1 and flow.version in md
    # plain text: no Markdown left
    txt = doc(flow, answers, fmt="txt")
    for line in txt.splitlines():
        assert not line.startswith(("#", "|")), line
        assert "**" not in line, line
        assert "|---" not in line


# --- situation paths -------------------------------------------------------------------------


def test_acute_situation_5_meldeplikt_first(flow):
    answers = example(flow, "akutt")
    assert answers["situasjon"] == ["akutt_meldeplikt"]
    md = doc(flow, answers)
    top = md[: md.index("\n## ")]
    assert "**Akutt: opplysningsplikt til barnevernstjenesten (meldeplikt).**" in top
    assert "Meldt til barnevernstjenesten 20.11.2026" in top
    judged = section(md, "Vurdering")
    assert "barnevernsloven § 13-2 første ledd" in judged
    assert "Plikten er personlig" in judged
    assert "helsepersonelloven § 33" in judged  # the example's author is health personnel
    done = section(md, "Tiltak og gjort")
    assert "Meldt til barnevernstjenesten muntlig 20.11.2026" in done
    assert "§ 32" not in md  # no pregnant woman here
    assert doc_names(flow, answers) == ["notat", "bekymringsmelding"]
    # the conversation waits for barnevernstjenesten; the next steps say so
    whats = [n["hva"] for n in next_steps(flow, answers)]
    assert any("Avklar med barnevernstjenesten" in w for w in whats)
    # plain text keeps the warning at the top too
    txt = doc(flow, answers, fmt="txt")
    assert txt.index("Akutt:") < txt.index("Bakgrunn og observasjoner")
    assert "barnevernsloven § 13-2" in txt


def test_acute_not_yet_reported_and_not_health_personnel(flow):
    answers = example(flow, "akutt")
    answers.update(
        helsepersonell=False,
        barnevern_meldt="ikke_enda",
        akutt_fare="barn",
        akutt_gjort=["ingenting"],
        akutt_gjort_detaljer="Mor gikk med barnet kl. 14.10 før noe var gjort.",
    )
    del answers["barnevern_meldt_dato"]
    assert missing_required(flow, answers) == []
    md = doc(flow, answers)
    top = md[: md.index("\n## ")]
    assert "helsepersonelloven § 33" not in md
    assert "Ikke meldt ennå: meldes i dag." in top
    done = section(md, "Tiltak og gjort")
    assert "var ingenting gjort" in done
    assert "Ikke meldt til barnevernstjenesten da notatet ble skrevet" in done
    steps = next_steps(flow, answers)
    assert steps[0]["hva"].startswith("Ring politiet på 112")
    assert steps[0]["når"] == "straks"
    duty = next(n for n in steps if "direkte til barnevernstjenesten" in n["hva"])
    assert duty["når"] == "i dag"
    assert "personlig plikt" in duty["hvem"]


def test_acute_danger_in_another_situation_still_tops_the_note(flow):
    answers = example(flow, "uklar-bekymring")
    answers.update(
        akutt_barn=True,
        meldeplikt_alternativ=["omsorgssvikt"],
        meldeplikt_fakta="Far hentet ruset 12.11. og 18.11.",
        barnevern_meldt="skriftlig",
        barnevern_meldt_dato=DATE,
    )
    md = doc(flow, answers)
    assert md[: md.index("\n## ")].count("**Akutt:") == 1
    assert "barnevernsloven § 13-2" in section(md, "Vurdering")
    assert "sit5_info" in resolve(flow, answers).path


def test_situation_5_without_any_duty_is_flagged(flow):
    answers = example(flow, "akutt")
    answers.update(akutt_barn=False, meldeplikt_tvil="trygg")
    path = resolve(flow, answers).path
    assert "sit5_uten_plikt_info" in path
    assert "barnevern_meldt" not in path
    md = doc(flow, answers)
    assert "Opplysningsplikten til barnevernstjenesten er ikke utløst nå" in md
    assert "Meldt til barnevernstjenesten" not in md
    assert any(
        "Drøft anonymt med barnevernstjenesten" in n["hva"] for n in next_steps(flow, answers)
    )
    # in doubt too: the note says the judgement is open, and one step says to discuss it
    answers["meldeplikt_tvil"] = "tvil"
    md = doc(flow, answers)
    assert "Vurderingen er ikke avsluttet" in section(md, "Vurdering")
    assert "ikke utløst" not in section(md, "Vurdering")
    whats = [n["hva"] for n in next_steps(flow, answers)]
    assert sum("anonymt (uten navn) med barnevernstjenesten" in w for w in whats) == 1, whats
    assert not any("Drøft anonymt med barnevernstjenesten" in w for w in whats)


def test_doubt_about_the_duty_is_recorded_as_doubt_not_as_a_no(flow):
    """A «nei» to the duty question is followed by «trygg eller i tvil?»; doubt leaves the
    judgement open in the note and makes an anonymous talk with barnevernstjenesten a next step
    (not for a pregnant woman alone: there the question was about children she has already)."""
    answers = example(flow, "uklar-bekymring")
    step = flow.step("meldeplikt_tvil")
    assert step.default is None  # a hurried Enter does not record either
    assert "meldeplikt_tvil" in resolve(flow, answers).path
    judged = section(doc(flow, answers), "Vurdering")
    assert "Undertegnede er i tvil om det er grunn til å tro" in judged
    assert "Vurderingen er ikke avsluttet" in judged
    first = next_steps(flow, answers)
    assert any(
        n["hva"].startswith("Drøft saken anonymt (uten navn) med barnevernstjenesten")
        and n["når"] == "i dag"
        for n in first
    )
    sure = answers | {"meldeplikt_tvil": "trygg"}
    judged = section(doc(flow, sure), "Vurdering")
    assert "ikke utløst nå" in judged and "Vurderes på nytt" in judged
    assert "tvil" not in judged and "Terskelen" not in judged  # no guidance for the reader
    assert not any("anonymt" in n["hva"] for n in next_steps(flow, sure))
    pregnant = example(flow, "gravid")
    path = resolve(flow, pregnant).path
    assert "meldeplikt_tvil" not in path and "tvil_info" in path


def test_situation_1_unclear_concern_planned_conversation(flow):
    answers = example(flow, "uklar-bekymring")
    md = doc(flow, answers)
    assert "Akutt" not in md
    assert "er derfor utløst" not in md
    assert "sit1_info" in resolve(flow, answers).path
    assert doc_names(flow, answers) == ["notat"]
    assert "Samtale med foreldrene avtalt 26.11.2026" in section(md, "Tiltak og gjort")
    assert "samtykke spørres i samtalen" in section(md, "Samtykke")
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
    assert "- [x] Vurderes senere" in soknad
    assert answers["kontakt"] in soknad
    assert "Veileder, NAV Lillehammer" in soknad
    assert "Samtykket er gitt skriftlig" in soknad
    assert soknad.count("Underskrift:") == 3  # the person, the second guardian, the discoverer
    tables = [
        t for t in MarkdownIt("commonmark").enable("table").parse(soknad) if t.type == "table_open"
    ]
    assert tables == []  # prints and pastes as text
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
    """An optional question left empty: the note leaves it out, the record says so."""
    answers = example(flow, "kjent-familie")
    del answers["kjente_tjenester"]
    md = doc(flow, answers)
    assert "Tjenester som følger familien" not in md
    assert "Ikke besvart" not in md and "Valgfrie spørsmål" not in md
    data = tomllib.loads(doc(flow, answers, fmt="toml"))
    assert "kjente_tjenester" in data["omsorgslinje"]["ikke_besvart"]


def test_situation_4_pregnant_health_personnel_duty_to_inform(flow):
    answers = example(flow, "gravid")
    md = doc(flow, answers)
    top = md[: md.index("\n## ")]
    assert "**Akutt: opplysningsplikt om gravid (helsepersonelloven § 32 annet ledd).**" in top
    assert "Opplysningene er gitt 20.11.2026" in top
    judged = section(md, "Vurdering")
    assert "helsepersonelloven § 32 annet ledd" in judged
    assert "gjelder ikke et ufødt barn" in judged
    done = section(md, "Tiltak og gjort")
    assert "tjenesteområde psykisk helsearbeid og rusomsorg 20.11.2026" in done
    assert "omtrent uke 18" in section(md, "Bakgrunn og observasjoner")
    # she did not consent: no application; the § 32 information is made
    assert doc_names(flow, answers) == ["notat", "opplysninger_gravid"]
    assert "samtykke_nei_info" in resolve(flow, answers).path
    assert "helsepersonelloven § 32 annet ledd" in section(md, "Samtykke")


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
    answers["situasjon"] = ["uklar_bekymring"]
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
        assert step is not None
        asked.append(step.id)
        iv = iv.answer(True if not step.asks else answers.get(step.id))
    assert asked.index("akutt_barn_info") < asked.index("situasjon")
    assert asked.index("akutt_helsepersonell_info") < asked.index("barnevern_meldt")
    assert "samtale_dato" not in asked
    assert "tvil_info" not in asked and "meldeplikt_tvil" not in asked


# --- issue 11: acute first, the duty in the law's words, what a careful reader found ------------

from omsorgslinje.render import context  # noqa: E402


def info_texts(flow, answers: dict[str, Any]) -> dict[str, str]:
    """The info steps on the path, filled in as the user sees them."""
    ctx = context(Case(flow, answers, DATE), "md")
    return {i["id"]: " ".join(i["tekst"].split()) for i in ctx["informasjon"]}


def test_the_first_question_is_whether_anyone_is_in_danger_now(flow):
    first = flow.steps[0]
    assert first.id == "akutt_fare"
    assert first.prompt == "Er noen i akutt fare nå?"
    assert first.type == "select" and first.default is None
    assert [c.value for c in first.choices] == ["barn", "gravid", "voksen", "ingen"]
    # nothing about the user or the case comes before it
    assert flow.index["akutt_fare"] < flow.index["rolle"] < flow.index["person_ref"]


def test_a_child_in_danger_gets_what_to_do_now_at_pick_up(flow):
    answers = example(flow, "akutt-henting")
    texts = info_texts(flow, answers)
    now = texts["akutt_barn_naa_info"]
    for phrase in ("112", "barnevernvakten", "Ikke gi barnet med", "den andre forelderen"):
        assert phrase in now
    ids = list(resolve(flow, answers).path)
    assert ids.index("akutt_barn_naa_info") < ids.index("akutt_gjort") < ids.index("rolle")


def test_an_adult_in_danger_has_a_path(flow):
    answers = example(flow, "voksen-i-fare")
    texts = info_texts(flow, answers)
    assert "akutt_barn_naa_info" not in texts
    adult = texts["akutt_voksen_info"]
    for phrase in (
        "112",
        "113",
        "116 117",
        "psykisk helsearbeid og rusomsorg",
        "Har personen barn",
    ):
        assert phrase in adult, phrase
    assert "barnevern, politi, tjenesteområde psykisk helsearbeid og rusomsorg" in adult
    pregnant = info_texts(flow, answers | {"akutt_fare": "gravid"})["akutt_voksen_info"]
    assert pregnant.startswith("En gravid kvinne er i akutt fare")
    assert "Snakker hun om å ta sitt eget liv: ikke la henne være alene" in pregnant
    md = doc(flow, answers)
    top = md[: md.index("\n## ")]
    assert "**Akutt: en voksen i akutt fare.**" in top
    assert "Ringte legevakten (116 117)" in section(md, "Tiltak og gjort")
    assert "Far kom hjem kl. 10.50" in section(md, "Bakgrunn og observasjoner")
    whats = [n["hva"] for n in next_steps(flow, answers)]
    assert not any("Drøft anonymt med barnevernstjenesten" in w for w in whats)
    # situation 5 chosen for an adult in danger, with no duty: the routine's other contacts
    five = answers | {"situasjon": ["akutt_meldeplikt"]}
    sit5 = info_texts(flow, five)["sit5_uten_plikt_info"]
    assert "fordi en voksen er i akutt fare" in sit5 and "Gå tilbake" not in sit5
    whats = [n["hva"] for n in next_steps(flow, five)]
    assert not any("Drøft anonymt med barnevernstjenesten" in w for w in whats)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_the_note_records_what_was_done_and_claims_nothing_unasked(flow, path):
    answers = merge([path], flow).answers
    md = doc(flow, answers)
    assert "varsles på 112" not in md
    if answers.get("akutt_fare", "ingen") == "ingen":
        assert "I den akutte situasjonen" not in md
    else:
        done = section(md, "Tiltak og gjort")
        for value in answers["akutt_gjort"]:
            if value != "ingenting":
                assert flow.step("akutt_gjort").choice(value).label in done


def vis_of(flow, answers, sid):
    from omsorgslinje.values import display

    return display(flow.step(sid), answers[sid])


def test_police_is_a_next_step_only_when_nothing_was_done(flow):
    answers = example(flow, "akutt-henting")
    assert not any("112" in n["hva"] for n in next_steps(flow, answers))
    # what was done is not asked again; the leader is told once
    whats = [n["hva"] for n in next_steps(flow, answers | {"akutt_gjort": ["politi"]})]
    assert sum("nærmeste leder" in w for w in whats) == 1, whats
    assert not any(w.startswith("Kontakt barnevernstjenesten") for w in whats)
    answers["akutt_gjort"] = ["ingenting"]
    first = next_steps(flow, answers)[0]
    assert first["hva"].startswith("Ring politiet på 112") and first["når"] == "straks"


def test_after_a_report_with_names_no_anonymous_discussion_first(flow):
    answers = example(flow, "akutt")  # reported orally, with names
    answers.update(drofting="ikke_enda", situasjon=["akutt_meldeplikt", "uklar_bekymring"])
    for sid in ("drofting_anonym", "drofting_resultat"):
        del answers[sid]
    whats = [n["hva"] for n in next_steps(flow, answers)]
    assert not any("anonymt" in w for w in whats), whats
    assert "Orienter nærmeste leder om saken og meldingen" in whats
    texts = info_texts(flow, answers)
    assert "anonymt" not in texts["sit1_info"]
    assert "anonym" not in texts["drofting_info"].replace("ikke lenger en anonym", "")
    # identifying details shared with the leader after the report: no warning
    answers.update(drofting="leder", drofting_anonym=False)
    assert "drofting_anonym_info" not in resolve(flow, answers).path
    # before any report, the same answers still say to discuss anonymously first
    before = example(flow, "uklar-bekymring") | {"drofting": "ikke_enda"}
    assert any("anonymt" in n["hva"] for n in next_steps(flow, before))


def test_after_a_duty_yes_the_situation_follows_from_it(flow):
    answers = example(flow, "akutt")
    iv = Interview.start(flow)
    asked: list[str] = []
    while not iv.done:
        step = iv.step
        asked.append(step.id)
        iv = iv.answer(True if not step.asks else answers.get(step.id))
    assert asked[asked.index("situasjon") - 1] == "situasjon_plikt_info"
    assert "situasjon 5" in info_texts(flow, answers)["situasjon_plikt_info"]
    assert "5 alt krysset av" in info_texts(flow, answers)["situasjon_plikt_info"]
    no_duty = example(flow, "uklar-bekymring")
    assert "situasjon_plikt_info" not in resolve(flow, no_duty).path


LAW_ALTERNATIVES = [
    "mishandling",
    "omsorgssvikt",
    "ikke_undersokt_behandlet",
    "saerlige_behov",
    "atferdsvansker",
    "menneskehandel",
]


def test_the_duty_in_the_words_of_the_law(flow):
    step = flow.step("meldeplikt_alternativ")
    assert step.type == "multiselect"
    assert [c.value for c in step.choices] == LAW_ALTERNATIVES
    labels = " ".join(c.label for c in step.choices)
    for words in (
        "blir eller vil bli mishandlet",
        "alvorlige mangler ved den daglige omsorgen eller annen alvorlig omsorgssvikt",
        "livstruende eller annen alvorlig sykdom eller skade",
        "særlige behov for behandling eller opplæring",
        "alvorlige atferdsvansker",
        "utnyttet til menneskehandel",
    ):
        assert words in labels
    threshold = flow.step("akutt_barn")
    assert "vil bli" in threshold.prompt
    assert "i fare" not in threshold.prompt + threshold.help
    assert flow.step("meldeplikt_fakta").type == "textarea"
    answers = example(flow, "akutt")
    md = doc(flow, answers)
    judged = section(md, "Vurdering")
    assert "det er grunn til å tro at (barnevernsloven § 13-2 første ledd)" in judged
    assert "- Barnet blir eller vil bli mishandlet" in judged
    assert "Blåmerker på begge overarmer" in section(md, "Bakgrunn og observasjoner")
    assert "et barn er i fare" not in md


def _quotes_removed(text: str) -> str:
    import re

    return re.sub(r"«[^»]*»", "", text)


def test_barnevernstjenesten_as_the_act_writes_it(flow):
    text = _flow_text(flow)
    assert "barneverntjenesten" not in _quotes_removed(text).lower()
    assert "opplysningsplikt til barnevernstjenesten (meldeplikt)" in text.lower()
    for template in ("oppdager-notat.md.j2", "oppdager-koordinatorsoknad.md.j2"):
        body = (ROOT / "templates" / template).read_text("utf-8")
        assert "barneverntjenesten" not in _quotes_removed(body).lower(), template
    assert [c.value for c in flow.step("hjelp_fra").choices][-1] == "barnevernstjenesten"


def test_older_siblings_only_when_the_conditions_are_met(flow):
    text = flow.step("gravid_rus").help
    assert "gjelder meldeplikten for dem." not in text
    assert "når vilkårene" in text and "vurder" in text
    # the note of a pregnant woman without a duty says the same
    answers = example(flow, "gravid") | {"helsepersonell": False}
    for sid in ("opplysning_gitt", "opplysning_gitt_dato"):
        del answers[sid]
    md = " ".join(doc(flow, answers).split())
    assert "men barn hun har fra før når vilkårene er oppfylt for dem" in md
    assert "men gjelder barn hun har fra før." not in md


def test_non_health_employee_pregnant_woman_situation_5_gets_the_right_route(flow):
    answers = example(flow, "gravid")
    answers.update(helsepersonell=False, situasjon=["akutt_meldeplikt", "gravid_utfordringer"])
    for sid in ("opplysning_gitt", "opplysning_gitt_dato"):
        del answers[sid]
    texts = info_texts(flow, answers)
    assert "sit5_info" not in texts  # «Meld eller gi opplysninger først» is not for her
    sit5 = texts["sit5_uten_plikt_info"]
    assert "svarte nei" not in sit5
    assert "ufødt" in sit5 and "samtykke" in sit5
    assert "helsestasjonen eller jordmor" in sit5
    assert "barn hun har fra før" in sit5
    whats = [n["hva"] for n in next_steps(flow, answers)]
    assert not any("barnevernstjenesten" in w for w in whats), whats
    assert any("med hennes samtykke" in w for w in whats)
    md = doc(flow, answers)
    assert "Drøft anonymt med barnevernstjenesten" not in md
    assert "gjelder ikke et ufødt barn" in section(md, "Vurdering")


def test_husk_barnet_under_paragraph_10a_only_for_health_personnel(flow):
    answers = example(flow, "uklar-bekymring")  # a kindergarten teacher
    assert answers["helsepersonell"] is False and answers["barn_parorende"] is True
    texts = info_texts(flow, answers)
    assert "§ 10a" not in texts["husk_barnet_info"]
    assert "lokale prosedyre" in texts["husk_barnet_info"]
    assert "§ 10a" not in doc(flow, answers)
    assert "§ 10a" not in flow.step("husk_barnet").source
    nurse = answers | {"helsepersonell": True}
    assert "helsepersonelloven § 10a" in info_texts(flow, nurse)["husk_barnet_info"]
    basis = next(ln for ln in doc(flow, nurse).splitlines() if ln.startswith("Grunnlag:"))
    assert "helsepersonelloven § 10a" in basis


def test_confidentiality_as_the_routine_says_it_and_what_sharing_means(flow):
    answers = example(flow, "uklar-bekymring")
    texts = info_texts(flow, answers)
    assert (
        "«Slike samtaler må skje innenfor gjeldende regler om taushetsplikt, og på"
        in (texts["drofting_info"])
    )
    answers["drofting_anonym"] = False
    shared = info_texts(flow, answers)["drofting_anonym_info"]
    assert "samtalen ikke «på generelt grunnlag»" in shared
    assert "brudd på taushetsplikten" in shared
    assert any(
        n["hva"].startswith("Avklar med nærmeste leder om det var i orden")
        for n in next_steps(flow, answers)
    )


def test_a_case_can_fit_several_situations_and_gets_the_advice_of_each(flow):
    answers = example(flow, "ber-om-hjelp")
    answers["situasjon"] = ["ber_om_hjelp", "gravid_utfordringer"]
    answers.update(svangerskapsomsorg="ja", bekymring="Hun sier selv at hun drikker.")
    path = resolve(flow, answers).path
    assert "sit2_info" in path and "sit4_info" in path
    assert "henvendelse" in path and "bekymring" in path
    assert [s.id for s in missing_required(flow, answers)] == []
    background = section(doc(flow, answers), "Bakgrunn og observasjoner")
    assert "2. De ber selv om hjelp; 4. Rus eller psykiske vansker hos en gravid" in background


def test_a_coordinator_without_an_individual_plan_can_be_said_exactly(flow):
    choice = flow.step("ip_onske").choice("nei")
    assert choice is not None
    assert choice.label == "Brukeren ønsker koordinator, men ikke individuell plan"
    answers = example(flow, "ber-om-hjelp") | {"ip_onske": "nei"}
    assert "- [x] Ønskes ikke: bare koordinator" in doc(flow, answers, "koordinatorsoknad")


def test_the_tools_own_advice_is_not_credited_to_the_routine(flow):
    for sid in ("sit1_info", "sit2_info", "sit3_info", "sit4_info", "sit5_info"):
        assert flow.step(sid).source.startswith("Veiviserens råd"), sid
    assert "IS-2826" in flow.step("sit1_info").source
    assert "Rutinen skiller mellom fem situasjoner" not in flow.step("situasjon").help
    assert "veiviserens råd" in flow.step("situasjon").help
    assert not any("Forskjell:" in c.help for c in flow.step("situasjon").choices)
    assert flow.step("akutt_fare").source.startswith("Veiviserens råd")
    # small things: sources that named the wrong part of the routine
    assert "Ansattes forpliktelser" not in flow.step("neste_oppfolging").source
    assert "Husk barnet" not in flow.step("annet").source
    assert not flow.step("akutt_helsepersonell_info").source.startswith("Lillehammer-rutinen")
    assert "nevner den ikke" in flow.step("akutt_helsepersonell_info").source


GLOSSARY_TERMS = [
    "behandlingslinje",
    "Koordinerende enhet",
    "individuell plan",
    "ansvarsgruppe",
    "psykososial belastning",
    "opplysningsplikt",
    "annet ledd",
    "meldeplikt",
    "barnevernstjenesten",
    "Husk barnet",
    "koordinator",
    "helsepersonell",
]


def test_the_glossary_explains_the_words_a_newcomer_does_not_know(flow):
    assert set(GLOSSARY_TERMS) <= set(flow.glossary)
    assert all(len(text) > 30 for text in flow.glossary.values())
    assert "behandlingslinje er et avtalt" in flow.intro.lower()
    assert "psykososial belastning betyr" in flow.intro.lower()
    assert "«annet ledd» er andre avsnitt" in flow.step("helsepersonell").help
    assert "en skriftlig plan" in flow.step("ip_onske").help


def test_a_held_conversation_is_asked_about_in_the_past_tense(flow):
    held = example(flow, "ber-om-hjelp")
    md = doc(flow, held, "sporsmal-og-svar")
    assert "Var dere minst to fra tjenestene i samtalen?" in md
    assert "Hvem var med deg i samtalen?" in md
    planned = example(flow, "uklar-bekymring")
    assert "Blir dere minst to fra tjenestene i samtalen?" in doc(flow, planned, "sporsmal-og-svar")


def test_a_child_in_danger_without_a_duty_yes_still_reaches_barnevernstjenesten(flow):
    answers = example(flow, "akutt-henting") | {"akutt_barn": False, "akutt_gjort": ["politi"]}
    whats = [n["hva"] for n in next_steps(flow, answers)]
    assert any(w.startswith("Kontakt barnevernstjenesten om det som skjedde") for w in whats)


@pytest.mark.parametrize("name", ["ber-om-hjelp", "kjent-familie", "uklar-bekymring"])
def test_coordinator_and_responsibility_group_explained_where_first_met(flow, name):
    """The first text on the path that names the word says what it is."""
    answers = example(flow, name)
    texts = [
        " ".join(t.split())
        for sid, t in info_texts(flow, answers).items()
        if sid not in ("akutt_barn_naa_info", "akutt_voksen_info")
    ]
    first = {
        w: next((t for t in texts if w in t.lower()), "") for w in ("koordinator", "ansvarsgruppe")
    }
    if first["koordinator"]:
        assert (
            "kontaktperson" in first["koordinator"]
            or "Koordinerende enhet (kommunens" in (first["koordinator"])
        ), first["koordinator"]
    assert "samordne" in first["ansvarsgruppe"], first["ansvarsgruppe"]


def test_a_report_without_a_duty_is_a_clear_choice_and_never_claims_consent_not_given(flow):
    """No «kan stå tomt» and no «Hopp over» for a decision to report; «not yet» is its own
    answer: no report is drafted, asking for consent is a next step, and the note says so."""
    step = flow.step("melde_uten_plikt")
    assert step.required and step.default is None
    assert "kan stå tomt" not in step.prompt
    assert [c.value for c in step.choices] == ["nei", "samtykke", "be_om_samtykke"]
    assert len({c.label[0].lower() for c in step.choices}) == 3  # the first letter picks
    answers = example(flow, "uklar-bekymring") | {"melde_uten_plikt": "be_om_samtykke"}
    path = resolve(flow, answers).path
    assert "melding_info" not in path  # no report now
    md = doc(flow, answers)
    assert "Samtykke er ikke spurt om ennå" in section(md, "Tiltak og gjort")
    assert "sendes med samtykke" not in md
    whats = [n["hva"] for n in next_steps(flow, answers)]
    assert any(
        w.startswith("Spør foreldrene om de samtykker til en bekymringsmelding") for w in whats
    )
    given = answers | {"melde_uten_plikt": "samtykke"}
    assert "melding_info" in resolve(flow, given).path
    assert not any("om de samtykker" in n["hva"] for n in next_steps(flow, given))


def test_the_steps_for_a_pregnant_woman_follow_what_was_already_done(flow):
    """A NAV adviser (not health personnel) who has talked to the leader, held the conversation
    and has her consent is not told to do those things again; the steps say what is left."""
    answers = example(flow, "gravid") | {
        "rolle": "NAV-veileder",
        "tjeneste": "NAV Lillehammer",
        "helsepersonell": False,
        "svangerskapsomsorg": "nei",
        "samtykke": "ja",
        "samtykke_form": "muntlig",
        "drofting": "leder",
    }
    for sid in ("opplysning_gitt", "opplysning_gitt_dato", "p32_grunnlag"):
        answers.pop(sid, None)
    assert "gravid_rus_annen_info" in resolve(flow, answers).path
    steps = next_steps(flow, answers)
    whats = [n["hva"] for n in steps]
    assert not any("med nærmeste leder" in w for w in whats), whats
    assert not any(w.startswith("Tilby den gravide hjelp") for w in whats)
    helped = [w for w in whats if w.startswith("Hjelp den gravide i kontakt")]
    assert helped and "jordmor" not in helped[0]  # antenatal care is its own step
    care = [n for n in steps if n["hva"].startswith("Oppfordre den gravide")]
    assert [n["når"] for n in care] == ["snarest"]  # the conversation is over
    # not talked to the leader yet, no consent asked: one step for the leader, with the way to
    # advice without her name, and the offer of help
    answers.update(drofting="ikke_enda", samtykke=None, samtale_status="planlagt")
    steps = next_steps(flow, answers)
    leader = [n for n in steps if "nærmeste leder" in n["hva"]]
    assert len(leader) == 1 and "råd uten navn" in leader[0]["hva"], leader
    assert any(n["hva"].startswith("Tilby den gravide hjelp") for n in steps)
    care = [n for n in steps if n["hva"].startswith("Oppfordre den gravide")]
    assert [n["når"] for n in care] == ["i samtalen"]


def test_the_routines_numbered_situations_are_picked_by_their_first_letter_too(flow):
    """«1. Uklar bekymring …»: the digit picks by place in the list, and «u» picks it as the
    hint promises (the letter after the routine's own number), in both front ends alike."""
    import io

    from omsorgslinje.ui.choose import Item, match
    from omsorgslinje.ui.plain import PlainFrontEnd

    step = flow.step("situasjon")
    items = [Item(c.label, c.value) for c in step.choices]
    firsts = [c.label.split(". ", 1)[1][0].casefold() for c in step.choices]
    assert len(set(firsts)) == len(firsts)
    for i, letter in enumerate(firsts):
        assert match(items, letter) == [i]
    assert match(items, "1") == [0]
    front = PlainFrontEnd(io.StringIO("u,a\n"), io.StringIO())
    assert front._choose(step, None) == ["uklar_bekymring", "akutt_meldeplikt"]


def test_an_open_need_and_open_consent_are_one_step_with_the_follow_up_date(flow):
    """Both still open after the conversation: one step (one conversation), on the date the
    user set for following up, not «innen avtalt tid» and «ved neste kontakt» apart."""
    answers = example(flow, "ber-om-hjelp") | {
        "behov_oppfolging": "uavklart",
        "samtykke": "ikke_avklart",
        "neste_oppfolging": dt.date(2026, 12, 10),
    }
    steps = [n for n in next_steps(flow, answers) if "Avklar" in n["hva"]]
    assert len(steps) == 1, steps
    assert "og samtykket til den" in steps[0]["hva"] and steps[0]["når"] == "10.12.2026"
    answers.update(behov_oppfolging="ja")
    steps = [n for n in next_steps(flow, answers) if "Avklar" in n["hva"]]
    assert [n["hva"] for n in steps] == ["Avklar samtykke til oppfølging etter behandlingslinjen"]
    assert steps[0]["når"] == "10.12.2026"


def test_situation_4_speaks_of_the_duty_about_pregnant_women_only_to_health_personnel(flow):
    answers = example(flow, "gravid") | {"situasjon": ["gravid_utfordringer"]}
    health = info_texts(flow, answers | {"helsepersonell": True})["sit4_info"]
    assert "helsepersonelloven § 32 annet ledd" in health
    other = info_texts(flow, answers | {"helsepersonell": False})["sit4_info"]
    assert "helsepersonell" not in other and "§ 32" not in other
