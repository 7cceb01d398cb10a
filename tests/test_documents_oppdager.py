"""Every document of every oppdager example, read as its reader reads it (../shared/readers.md):
the journal note by a colleague a year later, the coordinator application by Koordinerende
enhet's caseworker, the questions and answers by whoever wants every answer."""

from __future__ import annotations

import datetime as dt
import re
import textwrap
import tomllib
from pathlib import Path
from typing import Any

import pytest

from omsorgslinje.answers import merge
from omsorgslinje.documents import case_documents, find_document
from omsorgslinje.engine import resolve
from omsorgslinje.loader import load_flow
from omsorgslinje.render import Case, render
from omsorgslinje.values import display

ROOT = Path(__file__).absolute().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("oppdager-*.toml"))
FLOW = load_flow(ROOT / "flows" / "oppdager.toml")
NOTE_SECTIONS = [
    "Bakgrunn og observasjoner",
    "Vurdering",
    "Tiltak og gjort",
    "Avtaler og videre plan",
    "Samtykke",
]
# the user's own words about what was seen, heard and said: observations, never assessment
OBSERVATIONS = (
    "akutt_gjort_detaljer",
    "henvendelse",
    "meldeplikt_fakta",
    "bekymring",
    "samtale_beskrivelse",
)


def _case(path: Path) -> Case:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    date = data["omsorgslinje"].get("dato", dt.date(2026, 11, 20))
    return Case(FLOW, merge([path], FLOW).answers, date)


def _answers(case: Case) -> dict[str, Any]:
    return dict(resolve(FLOW, case.answers).counted)


def _doc(case: Case, name: str, fmt: str = "md") -> str:
    doc = find_document(FLOW, name)
    assert doc is not None
    return render(case, doc, fmt)


def _sections(md: str) -> dict[str, str]:
    """Each `## heading` of a Markdown document and its text."""
    parts = re.split(r"^## (.+)$", md, flags=re.MULTILINE)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts), 2)}


def _words(text: str) -> list[str]:
    """What a user's text looks like in a document: each line, trimmed."""
    return [line.strip() for line in str(text).splitlines() if line.strip()]


def _in(text: str, md: str) -> bool:
    """`text` (as typed) is in the Markdown, whatever escapes Markdown needed."""
    plain = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", md)
    return all(line in plain for line in _words(text))


def _documents() -> list[tuple[Path, str]]:
    return [(p, d.name) for p in EXAMPLES for d in case_documents(_case(p))]


def test_every_example_makes_the_documents_its_answers_call_for() -> None:
    for path in EXAMPLES:
        case = _case(path)
        answers = _answers(case)
        names = [d.name for d in case_documents(case)]
        assert names[0] == "notat" and names[-1] == "sporsmal-og-svar", path.name
        wants = answers.get("samtykke") == "ja" and answers.get("har_koordinator") != "ja"
        assert ("koordinatorsoknad" in names) == wants, path.name


# --- the journal note ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_note_is_prose_in_the_journals_order(path: Path) -> None:
    case = _case(path)
    a = _answers(case)
    md = _doc(case, "notat")
    headings = re.findall(r"^## (.+)$", md, flags=re.MULTILINE)
    assert headings == NOTE_SECTIONS
    # date and author first
    first = md.split("\n## ")[0]
    assert case.date.strftime("%d.%m.%Y") in first
    assert a["rolle"] in first and a["tjeneste"] in first and a["person_ref"] in first
    # not the form that made it: no questions, no unanswered fields, no routine sections
    for step in FLOW.steps:
        if step.asks:
            assert step.prompt.strip() not in md, step.id
    for unwanted in ("Ikke besvart", "Ikke fylt ut", "kan stå tomt", "| ", "Kilder"):
        assert unwanted not in md, unwanted
    # one line for the basis: the routine, its version
    basis = [line for line in md.splitlines() if line.startswith("Grunnlag:")]
    assert len(basis) == 1
    assert "Lillehammer" in basis[0] and FLOW.version in basis[0]
    assert "Lillehammer-rutinen, " not in md  # no step sources


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_note_keeps_observations_apart_from_assessment(path: Path) -> None:
    case = _case(path)
    a = _answers(case)
    s = _sections(_doc(case, "notat"))
    for sid in OBSERVATIONS:
        if a.get(sid):
            assert _in(a[sid], s["Bakgrunn og observasjoner"]), sid
            assert not _in(a[sid], s["Vurdering"]), sid


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_note_states_how_the_duty_to_report_was_judged(path: Path) -> None:
    case = _case(path)
    a = _answers(case)
    judged = _sections(_doc(case, "notat"))["Vurdering"]
    assert "barnevernsloven § 13-2" in judged
    if a.get("akutt_barn"):
        assert "er derfor utløst" in judged
        step = FLOW.step("meldeplikt_alternativ")
        for value in a.get("meldeplikt_alternativ", []):
            assert step.choice(value).label in judged  # in the words of the law
    elif a.get("meldeplikt_tvil") == "tvil":
        # doubt is recorded as doubt, with the anonymous talk that is to settle it
        assert "Vurderingen er ikke avsluttet" in judged and "anonymt" in judged
        assert "ikke utløst" not in judged
    else:
        assert "ikke utløst" in judged and "Vurderes på nytt" in judged
        # no guidance for the next reader on how to judge the threshold
        assert "mer enn en vag mistanke" not in judged
    if a.get("gravid_rus") and a.get("helsepersonell"):
        assert "helsepersonelloven § 32 annet ledd" in judged


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_note_says_what_was_done_and_attaches_the_report_not_its_content(path: Path) -> None:
    case = _case(path)
    a = _answers(case)
    md = _doc(case, "notat")
    done = _sections(md)["Tiltak og gjort"]
    if a.get("barnevern_meldt") in ("skriftlig", "muntlig"):
        assert "Meldt til barnevernstjenesten" in done and a["barnevern_meldt"] in done
        if a.get("barnevern_meldt_dato"):
            assert a["barnevern_meldt_dato"].strftime("%d.%m.%Y") in done
        if "bekymringsmelding" in [d.name for d in case_documents(case)]:
            assert "vedlegg" in done
    for sid in ("melding_barnets_ord", "melding_historikk", "melding_vurdering"):
        if a.get(sid):
            assert not _in(a[sid], md), f"{sid}: the report's content belongs in the report"
    if a.get("opplysning_gitt") == "gitt":
        assert "helsepersonelloven § 32 annet ledd" in done
    for value in a.get("akutt_gjort", []):
        if value != "ingenting":
            assert FLOW.step("akutt_gjort").choice(value).label in done
    if a.get("samtale_status") == "gjennomfort":
        assert a["samtale_dato"].strftime("%d.%m.%Y") in done


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_note_lists_what_was_agreed_who_and_when(path: Path) -> None:
    case = _case(path)
    a = _answers(case)
    plan = _sections(_doc(case, "notat"))["Avtaler og videre plan"]
    record = tomllib.loads(render(case, FLOW.primary_document, "toml"))
    for step in record.get("neste_steg", []):
        assert _in(step["hva"], plan), step["hva"]
        if step.get("når"):
            assert _in(step["når"], plan)
    if a.get("avtalt"):
        assert _in(a["avtalt"], plan)
    # the advice for the conversation is the writer's, on screen (samtale_info): the journal
    # keeps what was agreed, with no empty tick boxes a later reader could take for undone work
    assert not re.findall(r"^- \[ \] ", plan, flags=re.MULTILINE)
    assert "Vær to" not in plan


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_note_says_what_consent_covers_or_what_follows_without_it(path: Path) -> None:
    case = _case(path)
    a = _answers(case)
    md = _doc(case, "notat")
    consent = _sections(md)["Samtykke"]
    samtykke = a.get("samtykke")
    still_to_ask = samtykke == "ikke_avklart" or (
        "samtykke" not in a and a.get("samtale_status") != "gjennomfort"
    )
    if samtykke == "ja":
        assert "samtykker" in consent
        if a.get("samtykke_omfang"):
            assert _in(a["samtykke_omfang"], consent)
    elif samtykke == "nei":
        # what would still trigger a duty without consent
        assert "barnevernsloven § 13-2" in consent and "Samtykke trengs ikke" in consent
    if still_to_ask:
        # what follows consent, as a plan (the form's details are KE's, not the journal's)
        assert "søkes det om koordinator hos Koordinerende enhet" in md
        assert "Koordinerende enhets eget skjema" not in md


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_note_as_plain_text_pastes_into_a_narrow_field(path: Path) -> None:
    txt = _doc(_case(path), "notat", "txt")
    for line in txt.splitlines():
        assert not line.startswith(("#", "|")), line
        assert "**" not in line and "\\" not in line, line
    assert "GRUNNLAG" not in txt and "Grunnlag:" in txt


# --- the coordinator application ------------------------------------------------------------


APPLICATIONS = [
    p for p in EXAMPLES if "koordinatorsoknad" in [d.name for d in case_documents(_case(p))]
]


def test_some_example_makes_an_application() -> None:
    assert APPLICATIONS


@pytest.mark.parametrize("path", APPLICATIONS, ids=lambda p: p.stem)
def test_application_has_what_koordinerende_enhet_asks_in_its_order(path: Path) -> None:
    case = _case(path)
    a = _answers(case)
    md = _doc(case, "koordinatorsoknad")
    headings = [re.sub(r"^\d+\. ", "", h) for h in re.findall(r"^## (.+)$", md, flags=re.MULTILINE)]
    assert headings == [
        "Den søknaden gjelder",
        "Behovet",
        "Samtykke",
        "Koordinator og individuell plan",
        "Kontaktperson",
        "Oppdagerens beskrivelse",
        "Underskrifter",
    ]
    s = {re.sub(r"^\d+\. ", "", k): v for k, v in _sections(md).items()}
    assert _in(a["person_ref"], s["Den søknaden gjelder"])
    assert _in(a["ke_behov"], s["Behovet"])
    assert "behandlingslinjen" in s["Behovet"]
    # consent in writing, its scope, for how long
    assert ("skriftlig" if a["samtykke_form"] == "skriftlig" else "muntlig") in s["Samtykke"]
    assert "Hvem som kan dele hvilke opplysninger med hvem" in s["Samtykke"]
    if a.get("samtykke_omfang"):
        assert _in(a["samtykke_omfang"], s["Samtykke"])
    assert "Samtykket gjelder til" in s["Samtykke"]
    # coordinator wanted; individual plan now / not / later, the answer ticked
    plan = s["Koordinator og individuell plan"]
    assert "[x] Det søkes om koordinator" in plan
    ticked = re.findall(r"^- \[x\] (.+)$", plan, flags=re.MULTILINE)
    want = {"na": "Ønskes nå", "nei": "Ønskes ikke: bare koordinator"}.get(
        a["ip_onske"], "Vurderes senere"
    )
    assert ticked[1:] == [want]
    assert _in(a["kontakt"], s["Kontaktperson"]) and _in(a["rolle"], s["Kontaktperson"])
    for sid in ("henvendelse", "bekymring"):
        if a.get(sid):
            assert _in(a[sid], s["Oppdagerens beskrivelse"])
    # lines for signature and date, for the person and for the employee
    assert s["Underskrifter"].count("Underskrift:") >= 2
    assert s["Underskrifter"].count("Sted og dato:") == s["Underskrifter"].count("Underskrift:")


@pytest.mark.parametrize("path", APPLICATIONS, ids=lambda p: p.stem)
def test_application_prints_on_one_or_two_pages(path: Path) -> None:
    """A4 with 2,5 cm margins in 11 pt holds about 50 lines of 90 characters: the plain text,
    wrapped that way and with a blank line between paragraphs, stays under two pages."""
    txt = _doc(_case(path), "koordinatorsoknad", "txt")
    lines = sum(max(1, len(textwrap.wrap(line, 90))) for line in txt.splitlines())
    assert lines <= 100, lines


# --- the questions and answers ------------------------------------------------------------------


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_questions_and_answers_hold_every_answer(path: Path) -> None:
    case = _case(path)
    md = _doc(case, "sporsmal-og-svar")
    res = resolve(FLOW, case.answers)
    for sid in res.path:
        step = FLOW.step(sid)
        if not step.asks:
            continue
        value = res.counted.get(sid)
        if value in (None, []) or step.identifying:
            continue
        assert _in(display(step, value), md), sid


# --- the report to barnevernstjenesten and the § 32 information --------------------------------

REPORTS = [p for p in EXAMPLES if "bekymringsmelding" in [d.name for d in case_documents(_case(p))]]
PREGNANT = [
    p for p in EXAMPLES if "opplysninger_gravid" in [d.name for d in case_documents(_case(p))]
]


def test_some_examples_make_a_report_and_the_paragraph_32_information() -> None:
    assert REPORTS and PREGNANT


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.stem)
def test_report_follows_the_national_form_and_keeps_facts_apart(path: Path) -> None:
    """The caseworker decides from the report: the form's order, concrete observations, the
    child's own words, what was done, whether the parents know and why not, the assessment
    after the facts."""
    case = _case(path)
    a = _answers(case)
    md = _doc(case, "bekymringsmelding")
    headings = re.findall(r"^## (.+)$", md, flags=re.MULTILINE)
    form = ["Kommune", "Melder", "Barnet", "Foreldre eller foresatte", "Meldingen"]
    assert [h for h in headings if h in form] == form
    for sid in ("melding_observasjoner", "melding_barnets_ord", "melding_gjort"):
        if a.get(sid):
            assert _in(a[sid], md), sid
    if a.get("melding_foreldre_grunn"):
        assert _in(a["melding_foreldre_grunn"], md)
    facts = a.get("melding_observasjoner") or a.get("meldeplikt_fakta")
    if facts and a.get("melding_vurdering"):
        plain = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", md)
        assert plain.index(_words(facts)[0]) < plain.index(_words(a["melding_vurdering"])[0])


@pytest.mark.parametrize("path", PREGNANT, ids=lambda p: p.stem)
def test_paragraph_32_information_says_who_on_what_what_she_knows_and_what_help(
    path: Path,
) -> None:
    case = _case(path)
    a = _answers(case)
    s = _sections(_doc(case, "opplysninger_gravid"))
    assert _in(a["rolle"], s["Hvem gir opplysningene"])
    if a.get("p32_kontakt"):
        assert _in(a["p32_kontakt"], s["Hvem gir opplysningene"])
    assert _in(a["p32_grunnlag"], s["Hva opplysningene bygger på"])
    assert _in(a["p32_sagt"], s["Hva hun har fått vite"])
    assert _in(a["p32_hjelp"], s["Hjelp hun har nå"])
    week = a.get("p32_svangerskapsuke") or a.get("svangerskapsuke")
    if week:
        assert str(week) in s["Den gravide"]
