"""The `henvisning` flow (Bergen: secondary referrals of LAR patients): per path, what the
documents say; every heading and sub-question of Vedlegg 2 in the draft; several writers' parts
merged; the TOML record replayed."""

from __future__ import annotations

import datetime
import re
import tomllib
from pathlib import Path

import pytest
import tomli_w
from markdown_it import MarkdownIt

from omsorgslinje.answers import answers_document, merge
from omsorgslinje.engine import Interview, missing_required, resolve
from omsorgslinje.errors import AnswersError
from omsorgslinje.loader import load_flow
from omsorgslinje.render import Case, next_steps, render

ROOT = Path(__file__).resolve().parent.parent
FLOW_PATH = ROOT / "flows" / "henvisning.toml"
EXAMPLES = ROOT / "examples"
FULL = EXAMPLES / "henvisning-full.toml"
BEON = EXAMPLES / "henvisning-beon-brudd.toml"
UENIG = EXAMPLES / "henvisning-uenig.toml"
DATE = datetime.date(2026, 11, 20)

WRITER_SECTIONS = (
    "Henvisningen: bestilling",
    "Henvisningen: rusmiddelbruk",
    "Henvisningen: helse og risiko",
    "Henvisningen: arbeidet før",
    "Henvisningen: behandlingsplan",
)
MEETING_SECTIONS = (
    "Behovet",
    "Møtet",
    "Barn og graviditet",
    "Tiltak A–H (BEON)",
    "Beslutning og skriving",
    "Før innleggelse",
    "Uenighet og avvik",
)

# Vedlegg 2 - Mal for sekundærhenvisning, copied from the seed text (one entry per bullet).
VEDLEGG2_HEADINGS = [
    "Hva henvises pasienten til (avgiftning, poliklinikk, døgnbehandling eller annet)?",
    "Kort og oppdatert beskrivelse av rusmiddelproblematikk (eventuelt spillproblematikk)",
    "Aktuell situasjon",
    "Relevante psykiatriske diagnoser",
    "Relevante og aktuelle somatiske tilleggsfaktorer",
    "Tidligere behandling innen TSB eller psykisk helsevern?",
    "Voldsrisiko?",
    "Har pasienten barn, og eventuelt omsorg for disse?",
    "Beskriv arbeidet før henvisningen",
]
VEDLEGG2_QUESTIONS = [
    "Hva er aktuell bruk?",
    "Rusens funksjon?",
    "Type rusmiddel (beskriv alle rusmidler pasienten bruker)",
    "Mengde",
    "Administrasjonsmåte",
    "Overdoserisiko",
    "Når startet pasienten å bruke rusmidler?",
    "Beskriv tidligere bruk.",
    "Er pasienten i LAR?",
    "Hva er problemet det henvises for?",
    "Hva er målsetning for døgninnleggelse?",
    "Foreligger det kognitiv svikt/svekkelse, suicidproblematikk eller psykoseproblematikk?",
    "Beskriv eventuelle pågående behandlinger innen TSB eller psykisk helsevern.",
    "Har pasienten utøvd vold mot tjenestemenn?",
    "Har det vært samtale med pasienten om hva som slags behandling han eller hun skal "
    "gjennomføre under innleggelsen, og hvilke tanker/ refleksjoner pasienten har omkring "
    "innleggelse i døgnbehandling?",
    "Hva har vært prøvd i poliklinikk? Har pasienten en poliklinisk kontakt?",
    "Er relevante samarbeidspartnere koblet på? Er det en ansvarsgruppe?",
    "Hvilke kommunale tiltak er det rundt pasienten? Har pasienten bolig, arbeid, annen "
    "beskjeftigelse?",
    "Hvilke oppfølging skal pasienten ha etter innleggelse, og hvem har ansvar for "
    "oppfølgingen underveis og etter utskrivelse?",
    "Beskrivelse av pasientens behandlingsplan. Denne bør inneholde:",
    "Behandlingsmål",
    "Hvilke tilnærminger og tiltak som skal benyttes",
    "Hvordan arbeidet skal organiseres",
    "Hvem som er involvert",
]
# The draft corrects three slips in the seed's wording; nothing else differs.
SEED_CORRECTIONS = {
    "hva som slags behandling": "hva slags behandling",
    "tanker/ refleksjoner": "tanker/refleksjoner",
    "Hvilke oppfølging": "Hvilken oppfølging",
}
# Answer slots in the draft: one per Vedlegg 2 answer step (henvises_til_utdyping is added inline).
VEDLEGG2_STEPS = 28


def as_drafted(text: str) -> str:
    for seed, fixed in SEED_CORRECTIONS.items():
        text = text.replace(seed, fixed)
    return text


# helpers -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def flow():
    return load_flow(FLOW_PATH)


def answers_of(flow, *paths: Path) -> dict:
    return dict(merge(list(paths), flow).answers)


def doc(flow, answers: dict, name: str, fmt: str = "md") -> str:
    return render(Case(flow, answers, DATE), flow.document(name), fmt)


def section_text(md: str, heading: str) -> str:
    """The text under a `## heading`, up to the next `## `."""
    m = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", md, re.S | re.M)
    assert m, f"no section {heading!r}"
    return m.group(1)


def tables(md: str) -> list[list[list[str]]]:
    """Every pipe table in the Markdown, as rows of cell texts (header first)."""
    tokens = MarkdownIt("commonmark").enable("table").parse(md)
    out: list[list[list[str]]] = []
    row: list[str] | None = None
    for i, tok in enumerate(tokens):
        if tok.type == "table_open":
            out.append([])
        elif tok.type == "tr_open":
            row = []
        elif tok.type in ("th_open", "td_open"):
            assert row is not None
            row.append(tokens[i + 1].content if tokens[i + 1].type == "inline" else "")
        elif tok.type == "tr_close":
            out[-1].append(row or [])
    return out


def headings(md: str, level: int) -> list[str]:
    tokens = MarkdownIt("commonmark").parse(md)
    return [
        tokens[i + 1].content
        for i, tok in enumerate(tokens)
        if tok.type == "heading_open" and tok.tag == f"h{level}"
    ]


def table_with(md: str, first_header: str) -> list[list[str]]:
    for t in tables(md):
        if t and t[0] and t[0][0] == first_header:
            return t
    raise AssertionError(f"no table starting with {first_header!r}")


def beon_warning_in(referat: str) -> bool:
    return "BEON, tiltak ikke vurdert" in referat


# the flow itself -----------------------------------------------------------------------------


def test_flow_loads_with_sources_and_distinct_sections(flow):
    assert flow.id == "henvisning"
    assert flow.primary_document.name == "vedlegg2"
    assert {d.name for d in flow.documents} == {"vedlegg2", "referat"}
    for step in flow.steps:
        assert step.source, f"{step.id} has no source"
        assert re.fullmatch(r"[a-z][a-z0-9_]*", step.id)
        assert step.section in MEETING_SECTIONS + WRITER_SECTIONS, step.id
    assert set(flow.sections) == set(MEETING_SECTIONS + WRITER_SECTIONS)


def test_writer_sections_can_be_filled_alone(flow):
    """A writer with `--del` has no other answers: every step of their part still applies."""
    path = set(resolve(flow, {}).path)
    for step in flow.steps:
        if step.section in WRITER_SECTIONS:
            assert step.id in path, step.id
            assert not step.required, step.id
            assert step.source.startswith("Vedlegg 2"), step.id


def test_writer_sections_are_not_asked_without_a_professional_basis(flow):
    """When the group finds no basis for a referral, nobody is asked to write it."""
    with_basis = set(resolve(flow, {"faglig_grunnlag": True}).path)
    without = set(resolve(flow, {"faglig_grunnlag": False}).path)
    writer = {s.id for s in flow.steps if s.section in WRITER_SECTIONS}
    assert writer <= with_basis
    assert not writer & without


def test_measures_a_to_h_in_beon_order_with_who_may_start(flow):
    ids = [s.id for s in flow.steps]
    measures = [f"tiltak_{k}" for k in "abcdefgh"]
    positions = [ids.index(m) for m in measures]
    assert positions == sorted(positions)
    for k in "abcdefgh":
        step = flow.step(f"tiltak_{k}")
        assert [c.value for c in step.choices] == [
            "ikke_vurdert",
            "vurdert",
            "provd",
            "valgt",
            "ikke_relevant",
        ]
        assert step.source == f"Vedlegg 1, tiltak {k.upper()}"
        assert flow.has_step(f"tiltak_{k}_begrunnelse")
    assert "Bergen legevakt" in flow.step("tiltak_d").help
    assert "§ 10-4" in flow.step("tiltak_g").help
    help_h = flow.step("tiltak_h").help
    assert "§ 10-2" in help_h and "§ 10-3" in help_h
    assert "barneverns- og helsenemnda" in help_h and "Fylkesnemnda i Hordaland" in help_h
    options = {c.value for c in flow.step("tiltak_a_alternativer").choices}
    assert {"booppfolging", "overdoseteam", "poliklinikk_psykisk", "hjemmebaserte"} <= options


@pytest.mark.parametrize("path", [FULL, BEON, UENIG], ids=lambda p: p.stem)
def test_examples_are_complete(flow, path):
    aset = merge([path], flow)
    assert aset.date == DATE
    assert missing_required(flow, aset.answers) == []
    for name in ("vedlegg2", "referat"):
        for fmt in ("md", "txt"):
            assert doc(flow, aset.answers, name, fmt).strip()


# path: full case -----------------------------------------------------------------------------


def test_full_case_draft(flow):
    answers = answers_of(flow, FULL)
    md = doc(flow, answers, "vedlegg2")
    collab = section_text(md, "Samarbeid før henvisningen")
    assert "Saken er drøftet med deltakerne i ansvarsgruppen og i LAR-teamet" in collab
    assert "DIPS" not in md
    assert "BEON:" not in md
    assert "Skal ikke sendes" not in md
    assert "sender svaret til fastlegen: Ja, pasienten samtykker" in collab
    assert "sender svaret til sosialtjenesten: Ja, pasienten samtykker" in collab
    assert "Pasienten skal lese den før den sendes" in collab
    assert "Rusens funksjon? Demper uro og søvnvansker" in md
    assert "Ikke fylt ut" not in md
    writers = table_with(md, "Del av henvisningen")
    assert [
        "Arbeidet før henvisningen",
        "NAV sosialtjeneste",
        "Vedlegg til henvisningen",
    ] in writers
    assert [
        "Rusmiddelproblematikk og LAR",
        "LAR-behandler i AFR LAR",
        "I henvisningen fra AFR LAR",
    ] in writers


def test_full_case_referat(flow):
    answers = answers_of(flow, FULL)
    md = doc(flow, answers, "referat")
    assert not beon_warning_in(md)
    møtet = section_text(md, "Møtet")
    for who in ("Pasienten", "Psykolog i AFR LAR", "Fastlege", "Veileder i NAV sosialtjeneste"):
        assert f"- {who}\n" in møtet
    assert "Pasienten har ansvarsgruppe." in møtet
    a_to_h = table_with(md, "Tiltak")
    assert a_to_h[0] == ["Tiltak", "Vurdering", "Begrunnelse", "Hvem kan iverksette"]
    assert [row[0][:2] for row in a_to_h[1:]] == [f"{k})" for k in "ABCDEFGH"]
    rows = {row[0][0]: row for row in a_to_h[1:]}
    assert rows["A"][1] == "Prøvd"
    assert "Faste konsultasjoner hos fastlegen" in rows["A"][2]
    assert rows["C"][3].startswith("Pasientens behandlerteam i AFR LAR")
    assert rows["D"][3] == "Bare via Bergen legevakt"
    assert "barneverns- og helsenemnda" in rows["H"][3]
    assert rows["G"][1] == "Valgt"
    writers = table_with(md, "Del av henvisningen (vedlegg 2)")
    assert [row[2] for row in writers[1:]] == list(WRITER_SECTIONS)
    assert "Fastlege (legges ved som vedlegg)" in [row[1] for row in writers]
    steps = table_with(md, "Hva")
    assert [
        "Utarbeide eller oppdatere behandlingsplanen",
        "Psykolog i AFR LAR",
        "Før henvisningen sendes",
    ] in steps
    assert [
        "Skrive sin del av henvisningen etter vedlegg 2 og sende den til behandlingsteamet "
        "i AFR LAR",
        "Skriverne etter fordelingen i ansvarsgruppen",
        "innen 04.12.2026",
    ] in steps
    assert "Pasienten er enig i ansvarsgruppens beslutning." in md
    assert "Etablere ansvarsgruppe" not in md


def test_plain_text_reads_without_markdown(flow):
    answers = answers_of(flow, FULL)
    for name in ("vedlegg2", "referat"):
        txt = doc(flow, answers, name, "txt")
        assert "**" not in txt and "|" not in txt
        assert not re.search(r"^#", txt, re.M)
    referat = doc(flow, answers, "referat", "txt")
    assert "- D) Innleggelse på Akuttposten; Vurdering: Vurdert, ikke valgt; " in referat
    assert "Hvem kan iverksette: Bare via Bergen legevakt" in referat


# path: BEON breach ---------------------------------------------------------------------------


def _interview_at(flow, answers: dict, step_id: str) -> Interview:
    """An interview whose every step before `step_id` is answered (info steps acknowledged)."""
    before = {}
    for step in flow.steps:
        if step.id == step_id:
            break
        before[step.id] = True if not step.asks else answers.get(step.id)
    iv = Interview.start(flow, {k: v for k, v in before.items() if v is not None})
    assert iv.cursor == step_id
    return iv


def test_beon_warning_at_the_prompt_right_after_g(flow):
    breach = answers_of(flow, BEON)
    iv = _interview_at(flow, breach, "tiltak_g").answer("valgt")
    assert iv.cursor == "beon_advarsel"
    assert iv.step is not None and "BEON" in iv.step.prompt
    iv = iv.answer(None)
    assert iv.cursor == "tiltak_g_begrunnelse"

    full = answers_of(flow, FULL)
    iv = _interview_at(flow, full, "tiltak_g").answer("valgt")
    assert iv.cursor == "tiltak_g_begrunnelse"


def test_beon_breach_documents(flow):
    answers = answers_of(flow, BEON)
    assert "beon_advarsel" in resolve(flow, answers).path
    referat = doc(flow, answers, "referat")
    beon = section_text(referat, "Vurdering av tiltak A–H (BEON)")
    warning = beon.strip().split("\n\n")[0]
    assert warning.startswith("**BEON, tiltak ikke vurdert:**")
    assert "A) Forsterket poliklinisk innsats" in warning
    assert "C) Innleggelse for avrusning og stabilisering" in warning
    assert "D) Innleggelse" not in warning  # D was considered
    draft = doc(flow, answers, "vedlegg2")
    assert "**Tiltak i vedlegg 1 som ikke er vurdert (BEON):**" in draft
    assert (
        "A) Forsterket poliklinisk innsats (ansvarsgruppens merknad: «Ikke drøftet.»); C) " in draft
    )
    txt = doc(flow, answers, "referat", "txt")
    assert "BEON, tiltak ikke vurdert:" in txt


@pytest.mark.parametrize("measure", list("abcdef"))
def test_any_cheaper_measure_not_considered_breaks_beon(flow, measure):
    answers = answers_of(flow, FULL)
    answers[f"tiltak_{measure}"] = "ikke_vurdert"
    assert "beon_advarsel" in resolve(flow, answers).path
    assert beon_warning_in(doc(flow, answers, "referat"))
    assert "ikke er vurdert (BEON)" in doc(flow, answers, "vedlegg2")


@pytest.mark.parametrize(
    "change",
    [{"tiltak_h": "ikke_vurdert"}, {"tiltak_g": "vurdert", "tiltak_a": "ikke_vurdert"}],
    ids=["h_not_considered", "g_not_chosen"],
)
def test_no_beon_warning_otherwise(flow, change):
    answers = answers_of(flow, FULL) | change
    assert "beon_advarsel" not in resolve(flow, answers).path
    assert not beon_warning_in(doc(flow, answers, "referat"))
    assert "ikke er vurdert (BEON)" not in doc(flow, answers, "vedlegg2")


# path: no ansvarsgruppe ----------------------------------------------------------------------


def test_no_ansvarsgruppe_becomes_a_next_step(flow):
    answers = answers_of(flow, FULL)
    answers.update(
        ansvarsgruppe_finnes=False,
        ansvarsgruppe_etableres_av="Veileder i NAV sosialtjeneste",
        ansvarsgruppe_frist="innen to uker",
    )
    assert missing_required(flow, answers) == []
    first = next_steps(Case(flow, answers, DATE))[0]
    assert first["hva"].startswith("Etablere ansvarsgruppe")
    assert (first["hvem"], first["når"]) == ("Veileder i NAV sosialtjeneste", "innen to uker")
    referat = doc(flow, answers, "referat")
    assert "Pasienten har ikke ansvarsgruppe" in section_text(referat, "Møtet")
    assert [
        "Etablere ansvarsgruppe for pasienten, med pasientens samtykke",
        "Veileder i NAV sosialtjeneste",
        "innen to uker",
    ] in table_with(referat, "Hva")
    draft = doc(flow, answers, "vedlegg2")
    assert (
        "Pasienten har ansvarsgruppe: Nei (skal etableres: Veileder i NAV sosialtjeneste" in draft
    )


def test_no_ansvarsgruppe_asks_who_and_when(flow):
    answers = answers_of(flow, FULL) | {"ansvarsgruppe_finnes": False}
    missing = [s.id for s in missing_required(flow, answers)]
    assert missing == ["ansvarsgruppe_etableres_av", "ansvarsgruppe_frist"]


# path: step 5 not confirmed ------------------------------------------------------------------


@pytest.mark.parametrize("step_id", ["drofting_ansvarsgruppe", "drofting_lar_team"])
def test_discussion_not_confirmed_warns_of_dips(flow, step_id):
    answers = answers_of(flow, FULL) | {step_id: False}
    assert "dips_advarsel" in resolve(flow, answers).path
    draft = doc(flow, answers, "vedlegg2")
    collab = section_text(draft, "Samarbeid før henvisningen")
    assert "Saken er drøftet med deltakerne" not in collab
    assert "intern melding i DIPS til behandler i AFR LAR, med kopi til henviser" in collab
    referat = doc(flow, answers, "referat")
    assert "intern melding i DIPS" in section_text(referat, "Beslutning")
    assert any(
        s["hva"].startswith("Drøfte saken i ansvarsgruppen og i LAR-teamet")
        for s in next_steps(Case(flow, answers, DATE))
    )


def test_beon_example_is_not_confirmed_either(flow):
    draft = doc(flow, answers_of(flow, BEON), "vedlegg2")
    assert "intern melding i DIPS" in draft
    assert "Ikke spurt ennå" in draft  # the consent answers are carried


# path: the patient disagrees -----------------------------------------------------------------


def test_disagreement(flow):
    answers = answers_of(flow, UENIG)
    path = resolve(flow, answers).path
    assert "klage_info" in path
    assert "skriver_rus" not in path  # no referral: nobody writes parts
    referat = doc(flow, answers, "referat")
    uenighet = section_text(referat, "Uenighet")
    assert "Pasienten er ikke enig i ansvarsgruppens beslutning" in uenighet
    assert "klage på beslutningen til behandlingsteamet i AFR LAR" in uenighet
    assert "skriftlig svar, med informasjon om videre klageadgang" in uenighet
    assert "Hjelp med klagen: Psykiatrisk sykepleier i kommunen" in uenighet
    steps = table_with(referat, "Hva")
    assert [
        "Sende klage på beslutningen til behandlingsteamet i AFR LAR",
        "Pasienten, med hjelp fra Psykiatrisk sykepleier i kommunen",
        "Når pasienten ønsker",
    ] in steps
    assert [
        "Gi pasienten skriftlig svar på klagen, med informasjon om videre klageadgang",
        "Behandlingsteamet i AFR LAR",
        "Etter at klagen er mottatt",
    ] in steps
    assert ["Etablere ROP-forløp (tiltak B)", "AFR LAR", "Snarest"] in steps
    # deviation goes to the nearest leaders
    assert "nærmeste ledere" in section_text(referat, "Avvik")
    assert any("nærmeste ledere" in row[0] and row[1] == "LAR-behandler i AFR LAR" for row in steps)
    assert "Faglig grunnlag for sekundærhenvisning: Nei" in referat
    assert "Hvem skriver hvilken del" not in referat
    draft = doc(flow, answers, "vedlegg2")
    assert draft.index("**Skal ikke sendes:**") < draft.index("## Samarbeid")
    assert "DIPS" not in draft
    assert "Hvem har skrevet hva" not in draft


def test_agreement_has_no_complaint(flow):
    referat = doc(flow, answers_of(flow, FULL), "referat")
    assert "klageadgang" not in referat


# Vedlegg 2: every heading and sub-question ---------------------------------------------------


def _meeting_only(flow, answers: dict) -> dict:
    return {k: v for k, v in answers.items() if flow.step(k).section not in WRITER_SECTIONS}


@pytest.mark.parametrize("example", [FULL, BEON, UENIG], ids=lambda p: p.stem)
def test_every_heading_and_question_of_vedlegg2_is_in_the_draft(flow, example):
    answers = _meeting_only(flow, answers_of(flow, example))
    md = doc(flow, answers, "vedlegg2")
    txt = doc(flow, answers, "vedlegg2", "txt")
    assert [as_drafted(h) for h in VEDLEGG2_HEADINGS] == [
        h
        for h in headings(md, 2)
        if h not in ("Samarbeid før henvisningen", "Hvem har skrevet hva")
    ]
    flat_md = re.sub(r"\s+", " ", md)
    flat_txt = re.sub(r"\s+", " ", txt)
    for text in VEDLEGG2_HEADINGS + VEDLEGG2_QUESTIONS:
        assert as_drafted(text) in flat_md, text
        assert as_drafted(text) in flat_txt, text
    # every question is marked: not filled in, or (no basis for a referral) not applicable
    for flat in (flat_md, flat_txt):
        marked = flat.count("Ikke fylt ut") + flat.count("Ikke aktuelt")
        assert marked >= VEDLEGG2_STEPS - 1  # henvises_til_utdyping is inline


def test_vedlegg2_questions_keep_the_seed_order(flow):
    md = re.sub(r"\s+", " ", doc(flow, answers_of(flow, FULL), "vedlegg2"))
    positions = [md.index(as_drafted(q)) for q in VEDLEGG2_QUESTIONS]
    assert positions == sorted(positions)


def test_vedlegg2_answer_steps_count(flow):
    writer_steps = [s for s in flow.steps if s.section in WRITER_SECTIONS]
    assert len(writer_steps) == VEDLEGG2_STEPS


def test_every_writer_step_reaches_the_draft(flow):
    """Each answer a writer gives appears in the draft: none is silently dropped."""
    answers = _meeting_only(flow, answers_of(flow, FULL))
    for step in flow.steps:
        if step.section not in WRITER_SECTIONS or step.type not in ("text", "textarea"):
            continue
        marker = f"MERKE-{step.id}"
        md = doc(flow, answers | {step.id: marker}, "vedlegg2")
        assert marker in md, step.id


# several writers: merge and conflicts --------------------------------------------------------


def _write_part(tmp_path: Path, flow, answers: dict, name: str, sections) -> Path:
    ids = [s.id for s in flow.steps if s.section in sections and s.asks]
    data = answers_document(flow, answers, DATE, ids)
    path = tmp_path / f"{name}.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path


def test_writer_parts_merge_into_the_full_case(flow, tmp_path):
    full = answers_of(flow, FULL)
    parts = [_write_part(tmp_path, flow, full, "mote", MEETING_SECTIONS)]
    for i, section in enumerate(WRITER_SECTIONS):
        parts.append(_write_part(tmp_path, flow, full, f"del{i}", [section]))
    # each part alone holds only its own section
    rus = answers_of(flow, parts[2])
    assert {flow.step(k).section for k in rus} == {"Henvisningen: rusmiddelbruk"}
    merged = merge(parts, flow)
    assert merged.answers == full
    assert merged.date == DATE
    assert merged.origin["rus_mengde"] == str(parts[2])
    for name in ("vedlegg2", "referat"):
        assert doc(flow, merged.answers, name) == doc(flow, full, name)


def test_missing_writer_part_leaves_its_questions_marked(flow, tmp_path):
    full = answers_of(flow, FULL)
    parts = [
        _write_part(tmp_path, flow, full, "mote", MEETING_SECTIONS),
        _write_part(tmp_path, flow, full, "rus", ["Henvisningen: rusmiddelbruk"]),
    ]
    answers = dict(merge(parts, flow).answers)
    assert missing_required(flow, answers) == []
    md = doc(flow, answers, "vedlegg2")
    assert "Rusens funksjon? Demper uro" in md
    assert "- Behandlingsmål: Ikke fylt ut" in md


def test_same_step_answered_differently_is_a_conflict(flow, tmp_path):
    a = tmp_path / "fastlege.toml"
    b = tmp_path / "lar.toml"
    a.write_text(
        '[omsorgslinje]\nflyt = "henvisning"\ndato = 2026-11-20\n\n'
        '[svar]\nrus_mengde = "4 tabletter daglig"\nsomatikk = "Hepatitt C"\n',
        encoding="utf-8",
    )
    b.write_text(
        '[omsorgslinje]\nflyt = "henvisning"\ndato = 2026-11-20\n\n'
        '[svar]\nrus_mengde = "6 tabletter daglig"\n',
        encoding="utf-8",
    )
    with pytest.raises(AnswersError) as exc:
        merge([a, b], flow)
    message = str(exc.value)
    assert "rus_mengde" in message
    assert str(a) in message and str(b) in message
    assert "somatikk" not in message


def test_same_answer_in_two_parts_is_no_conflict(flow, tmp_path):
    a = tmp_path / "a.toml"
    b = tmp_path / "b.toml"
    for p in (a, b):
        p.write_text(
            '[omsorgslinje]\nflyt = "henvisning"\n\n[svar]\ni_lar = true\n', encoding="utf-8"
        )
    assert merge([a, b], flow).answers == {"i_lar": True}


# the TOML record replays ---------------------------------------------------------------------


@pytest.mark.parametrize("example", [FULL, BEON, UENIG], ids=lambda p: p.stem)
def test_toml_record_replays_to_the_same_documents(flow, example, tmp_path):
    answers = answers_of(flow, example)
    record = doc(flow, answers, "vedlegg2", "toml")
    data = tomllib.loads(record)
    assert data["omsorgslinje"]["flyt"] == "henvisning"
    assert data["omsorgslinje"]["dato"] == DATE
    assert set(data["omsorgslinje"]["dokumenter"]) == {"vedlegg2", "referat"}
    replay = tmp_path / "replay.toml"
    replay.write_text(record, encoding="utf-8")
    aset = merge([replay], flow)
    assert aset.date == DATE
    for name in ("vedlegg2", "referat"):
        for fmt in ("md", "txt"):
            assert doc(flow, aset.answers, name, fmt) == doc(flow, answers, name, fmt)
    if example == BEON:
        assert any(s["hva"].startswith("Etablere ansvarsgruppe") for s in data["neste_steg"])


# issue 11: the flow true to the routine and the law ------------------------------------------

TEMPLATES = ROOT / "templates"
HENVISNING_TEMPLATES = sorted(TEMPLATES.glob("henvisning-*.j2"))
EXAMPLE_FILES = sorted(EXAMPLES.glob("henvisning-*.toml"))


def _prompt(flow, answers: dict, step_id: str) -> str:
    """An info step's text as the user sees it (filled in from the answers before it)."""
    from omsorgslinje.expr import render_text

    return render_text(flow.step(step_id).prompt, dict(resolve(flow, answers).context))


def test_stabilisation_is_defined_where_c_and_g_are_decided(flow):
    for sid in ("tiltak_c", "tiltak_g"):
        text = re.sub(r"\s+", " ", flow.step(sid).help)
        assert ("avrusningen" in text and "noen uker" in text) or "ukene etter avrusningen" in text
        assert "kartlegg" in text and "behandlingsbehov" in text, sid
    g = re.sub(r"\s+", " ", flow.step("tiltak_g").help)
    assert "unntatt avrusning og stabilisering" in g and "tiltak C" in g
    detox = flow.step("henvises_til").choice("avgiftning")
    assert "tiltak C" in detox.label and "ikke en sekundærhenvisning" in detox.label
    assert "tiltak C" in flow.step("henvises_til").help


def test_detox_chosen_in_the_draft_says_it_is_measure_c(flow):
    answers = answers_of(flow, FULL) | {"henvises_til": "avgiftning"}
    section = section_text(doc(flow, answers, "vedlegg2"), VEDLEGG2_HEADINGS[0])
    assert "tiltak C i vedlegg 1" in section
    assert "uten henvisning til vurderingsenheten" in section
    assert "tiltak C" not in section_text(
        doc(flow, answers_of(flow, FULL), "vedlegg2"), VEDLEGG2_HEADINGS[0]
    )


@pytest.mark.parametrize("h", ["ikke_vurdert", "vurdert", "provd", "ikke_relevant"])
def test_written_concern_not_asked_when_no_concern_is_raised(flow, h):
    answers = answers_of(flow, FULL) | {"tiltak_h": h, "tiltak_h_bekymring": False}
    path = resolve(flow, answers).path
    assert "tiltak_h_skriftlig" not in path
    assert missing_required(flow, answers) == []
    steps = next_steps(Case(flow, answers, DATE))
    assert not any("skriftlig til NAV" in s["hva"] for s in steps)
    assert "meldt skriftlig" not in doc(flow, answers, "referat")


def test_written_concern_asked_and_acted_on_when_a_concern_is_raised(flow):
    raised = answers_of(flow, FULL) | {
        "tiltak_h": "vurdert",
        "tiltak_h_bekymring": True,
        "tiltak_h_skriftlig": False,
    }
    assert "tiltak_h_skriftlig" in resolve(flow, raised).path
    steps = next_steps(Case(flow, raised, DATE))
    assert any(s["hva"].startswith("Melde bekymringen om pasienten skriftlig") for s in steps)
    chosen = answers_of(flow, FULL) | {"tiltak_h": "valgt"}
    assert "tiltak_h_bekymring" not in resolve(flow, chosen).path
    assert [s.id for s in missing_required(flow, chosen)] == ["tiltak_h_skriftlig"]


def test_beon_warning_says_what_it_is(flow):
    answers = answers_of(flow, BEON)
    shown = re.sub(r"\s+", " ", _prompt(flow, answers, "beon_advarsel"))
    assert "ikke vurdert: A, C." in shown
    assert "alle aktuelle tiltak bør vurderes" in shown
    texts = [
        flow.step(s).prompt + flow.step(s).help for s in ("beon_info", "beon_advarsel", "tiltak_g")
    ]
    texts += [p.read_text(encoding="utf-8") for p in HENVISNING_TEMPLATES]
    texts += [doc(flow, answers, n) for n in ("vedlegg2", "referat")]
    for text in texts:
        flat = re.sub(r"\s+", " ", text)
        assert "billigere" not in flat
        assert "Brudd på BEON" not in flat
        assert "i rekkefølgen A til H" not in flat
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "BEON-rekkefølge" not in readme


def test_aktuell_situasjon_holds_the_problem_and_the_goal(flow):
    md = doc(flow, answers_of(flow, FULL), "vedlegg2")
    situation = section_text(md, "Aktuell situasjon")
    assert "**Hva er problemet det henvises for?**\n\nSidemisbruk av benzodiazepiner" in situation
    assert "**Hva er målsetning for døgninnleggelse?**\n\nRusfrihet" in situation
    assert "buprenorfin" not in situation
    rus = section_text(md, VEDLEGG2_HEADINGS[1])
    lar = rus[rus.index("**Er pasienten i LAR?**") :]
    assert "buprenorfin 16 mg daglig" in lar
    assert "LAR: aktuell situasjon" not in flow.step("lar_situasjon").prompt


def test_anchoring_in_the_lar_team_is_asked_for_a_no_too(flow):
    answers = answers_of(flow, UENIG)
    assert answers["faglig_grunnlag"] is False
    assert "forankret_lar_team" in resolve(flow, answers).path
    referat = doc(flow, answers, "referat")
    decision = section_text(referat, "Beslutning")
    assert "Vurderingen er forankret i team i AFR LAR: Ja" in decision
    assert "klage på den til behandlingsteamet i AFR LAR" in decision
    draft = section_text(doc(flow, answers, "vedlegg2"), "Samarbeid før henvisningen")
    assert "Vurderingen er forankret i team i AFR LAR: Ja" in draft
    not_anchored = answers | {"forankret_lar_team": False}
    step = [s for s in next_steps(Case(flow, not_anchored, DATE)) if "Forankre" in s["hva"]]
    assert step and "også beslutningen om ikke å henvise" in step[0]["hva"]
    assert "behandlingsteamet i AFR LAR" in flow.step("klage_info").prompt


def test_dips_message_and_pam_in_the_routines_words(flow):
    dips = re.sub(r"\s+", " ", flow.step("dips_advarsel").prompt)
    assert "tilbake" not in dips
    assert "sendt som intern melding i DIPS til behandler i AFR LAR, med kopi til henviser" in dips
    assert "PAM er psykiatrisk akuttmottak" in flow.step("tiltak_f").help
    assert "PAM (psykiatrisk akuttmottak)" in doc(flow, answers_of(flow, FULL), "referat")


def test_children_remind_of_the_duties_on_screen_and_in_the_documents(flow):
    answers = answers_of(flow, FULL)
    assert answers["barn_gravid"] == ["barn"]
    path = resolve(flow, answers).path
    assert "barn_plikter_info" in path and "gravid_plikter_info" not in path
    info = re.sub(r"\s+", " ", flow.step("barn_plikter_info").prompt)
    for ref in ("helsepersonelloven § 10a", "helsepersonelloven § 33", "barnevernsloven § 13-2"):
        assert ref in info
    assert "direkte til barnevernstjenesten" in info and "personlig" in info
    referat = section_text(doc(flow, answers, "referat"), "Barn og graviditet")
    assert "§ 10a" in referat and "§ 33" in referat and "§ 13-2" in referat
    assert "er vurdert: Ikke grunn til å tro at vilkårene er oppfylt nå" in referat
    draft = section_text(
        doc(flow, answers, "vedlegg2"), "Har pasienten barn, og eventuelt omsorg for disse?"
    )
    assert "Én datter på 9 år" in draft
    assert "barnevernsloven § 13-2, helsepersonelloven § 33) er vurdert i ansvarsgruppen" in draft
    report = answers | {"barn_meldeplikt": "skal_meldes"}
    assert any(
        s["hva"].startswith("Gi opplysninger til barnevernstjenesten")
        for s in next_steps(Case(flow, report, DATE))
    )


def test_pregnancy_reminds_of_10_3_and_32(flow):
    answers = answers_of(flow, FULL) | {"barn_gravid": ["gravid"]}
    path = resolve(flow, answers).path
    assert "gravid_plikter_info" in path and "barn_meldeplikt" not in path
    info = re.sub(r"\s+", " ", flow.step("gravid_plikter_info").prompt)
    assert "§ 10-3" in info and "§ 32 annet ledd" in info
    assert "gjelder ikke det ufødte barnet" in info
    referat = section_text(doc(flow, answers, "referat"), "Barn og graviditet")
    assert "§ 10-3" in referat and "§ 32 annet ledd" in referat


def test_no_children_no_reminder(flow):
    answers = answers_of(flow, BEON)
    assert answers["barn_gravid"] == ["ingen"]
    path = resolve(flow, answers).path
    assert not {"barn_plikter_info", "gravid_plikter_info", "barn_meldeplikt"} & set(path)
    assert "## Barn og graviditet" not in doc(flow, answers, "referat")


def test_social_services_in_the_routines_word_and_what_it_means_in_bergen(flow):
    h = re.sub(r"\s+", " ", flow.step("tiltak_h").help)
    assert "«Sosialtjenesten utreder og fremmer sak til Fylkesnemnda i Hordaland»" in h
    assert "I Bergen er det kommunens sosialtjeneste, NAV sosialtjeneste" in h


def test_small_things(flow):
    text = FLOW_PATH.read_text(encoding="utf-8")
    for slip in ("kan trengs", "Hvilke oppfølging", "La stå tom", "ingen `when`", "Ingen `when`"):
        assert slip not in text, slip
    assert "formål" not in flow.step("pasient_ref").source
    assert flow.step("pasient_ref").source.startswith("Veiviserens råd")
    for path in [FLOW_PATH, *HENVISNING_TEMPLATES]:
        assert "barneverntjenesten" not in path.read_text(encoding="utf-8"), path
    # «Husk barnet» is Lillehammer's local procedure, not the Bergen routine's
    assert "Husk barnet" not in text
    assert "§ 10a" in flow.step("barn").help


# issue 10: shared template pieces --------------------------------------------------------------


def test_template_pieces_live_in_one_place():
    texts = {p.name: p.read_text(encoding="utf-8") for p in HENVISNING_TEMPLATES}
    flow_text = FLOW_PATH.read_text(encoding="utf-8")
    # the table-cell macro: a filter now, in no template of any flow
    everywhere = [p for p in TEMPLATES.glob("*.j2") if "macro celle" in p.read_text("utf-8")]
    assert everywhere == []
    # the A–H list: once, in henvisning-tiltak.j2
    holders = [
        n for n, t in texts.items() if "Opphold i heldøgns helse- og omsorgsinstitusjon" in t
    ]
    assert holders == ["henvisning-tiltak.j2"]
    # the BEON rule: once, in the flow (templates ask gjelder("beon_advarsel"))
    rule = "'ikke_vurdert' in [tiltak_a, tiltak_b, tiltak_c, tiltak_d, tiltak_e, tiltak_f]"
    assert flow_text.count(rule) == 1
    assert not any(rule in t for t in texts.values())
    for name in ("henvisning-vedlegg2.md.j2", "henvisning-referat.md.j2"):
        assert 'import "henvisning-tiltak.j2" as tiltak with context' in texts[name]
        assert 'gjelder("beon_advarsel")' in texts[name]


# issue 10: the vurderingsenhet reads every example ---------------------------------------------


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_the_vurderingsenhet_can_use_each_examples_draft(flow, example):
    """readers.md: every heading and sub-question of Vedlegg 2 in order, answered or marked; the
    statement of the discussion (or why it is missing); the measures of Vedlegg 1 with the
    group's reasons, and where G was chosen without them, the record and the reason for G;
    the writers' parts as attachments with the writer's role."""
    answers = answers_of(flow, example)
    case = Case(flow, answers, DATE)
    from omsorgslinje.render import applicable_documents

    assert {d.name for d in applicable_documents(case)} == {"vedlegg2", "referat"}
    md = doc(flow, answers, "vedlegg2")
    flat = _flat(md)
    found = [h for h in headings(md, 2) if h in [as_drafted(x) for x in VEDLEGG2_HEADINGS]]
    assert found == [as_drafted(h) for h in VEDLEGG2_HEADINGS]
    positions = [flat.index(as_drafted(q)) for q in VEDLEGG2_QUESTIONS]
    assert positions == sorted(positions)
    if not answers["faglig_grunnlag"]:
        assert "**Skal ikke sendes:**" in md
        return
    collab = section_text(md, "Samarbeid før henvisningen")
    confirmed = answers["drofting_ansvarsgruppe"] and answers["drofting_lar_team"]
    assert (
        "Saken er drøftet med deltakerne i ansvarsgruppen og i LAR-teamet" in collab
    ) == confirmed
    assert ("intern melding i DIPS" in collab) == (not confirmed)
    work = _flat(section_text(md, "Beskriv arbeidet før henvisningen"))
    for k in "abcdefgh":
        label = flow.step(f"tiltak_{k}").choice(answers[f"tiltak_{k}"]).label
        reason = _flat(answers[f"tiltak_{k}_begrunnelse"])
        assert f"{k.upper()}) " in work and f": {label}" in work and reason in work, k
    not_considered = [k for k in "abcdef" if answers[f"tiltak_{k}"] == "ikke_vurdert"]
    g_chosen = answers["tiltak_g"] == "valgt"
    if g_chosen and not_considered:
        record = _flat(collab)
        assert "Tiltak i vedlegg 1 som ikke er vurdert (BEON)" in record
        for k in not_considered:
            assert f"{k.upper()}) " in record
        assert (
            f"Ansvarsgruppens begrunnelse for G:** {_flat(answers['tiltak_g_begrunnelse'])}"
            in record
        )
        for word in ("brudd", "Brudd", "billigere", "feil"):
            assert word not in record
    else:
        assert "ikke er vurdert (BEON)" not in md
    writers = table_with(md, "Del av henvisningen")
    for row in writers[1:]:
        assert row[1] and row[1] != "Ikke aktuelt"
        assert row[2] in ("I henvisningen fra AFR LAR", "Vedlegg til henvisningen")
    after = _flat(md[md.index("## Hvem har skrevet hva") :])
    assert "som vedlegg, hver del med skriverens rolle og dato" in after
    assert f"Frist for delene: {answers['skrivefrist']}" in after


@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_the_group_can_use_each_examples_referat(flow, example):
    """readers.md: the referat is the group's memory: decisions, who writes which part by when,
    next steps, complaints and deviations."""
    answers = answers_of(flow, example)
    md = doc(flow, answers, "referat")
    a_to_h = table_with(md, "Tiltak")
    assert [row[0][:2] for row in a_to_h[1:]] == [f"{k})" for k in "ABCDEFGH"]
    assert all(row[3] for row in a_to_h[1:])
    decision = section_text(md, "Beslutning")
    assert (
        f"Faglig grunnlag for sekundærhenvisning: {'Ja' if answers['faglig_grunnlag'] else 'Nei'}"
        in decision
    )
    assert "forankret i team i AFR LAR" in decision
    if answers["faglig_grunnlag"]:
        writers = table_with(md, "Del av henvisningen (vedlegg 2)")
        assert len(writers) == 6
        assert f"Frist for å skrive delene: {answers['skrivefrist']}" in md
    steps = table_with(md, "Hva")
    assert len(steps) - 1 == len(next_steps(Case(flow, answers, DATE)))
    uenighet = section_text(md, "Uenighet")
    assert ("ikke enig" in uenighet) == (not answers["pasient_enig"])
    avvik = section_text(md, "Avvik")
    assert ("nærmeste ledere" in avvik) == answers["avvik"]


def test_every_choice_fits_a_60_column_terminal(flow):
    """The full-screen lists cut a label at the terminal's edge: at 60 columns, after the
    pointer and the box, 54 characters are seen. (Detail goes in the choice's `help`.)"""
    long = [(s.id, c.label) for s in flow.steps for c in s.choices if len(c.label) > 54]
    assert long == []


GRAVID = EXAMPLES / "henvisning-gravid.toml"


def test_pregnant_example_the_duties_and_a_concern_raised_in_writing(flow):
    answers = answers_of(flow, GRAVID)
    assert missing_required(flow, answers) == []
    path = resolve(flow, answers).path
    assert {"barn_plikter_info", "gravid_plikter_info", "barn_meldeplikt"} <= set(path)
    assert {"tiltak_h_bekymring", "tiltak_h_skriftlig"} <= set(path)
    steps = next_steps(Case(flow, answers, DATE))
    whats = [s["hva"] for s in steps]
    assert any(w.startswith("Drøfte saken anonymt med barnevernstjenesten") for w in whats)
    assert not any("skriftlig til NAV" in w for w in whats)  # it was written already
    assert any("§ 10-4" in w for w in whats)  # the own routine for «frivillig tvang»
    referat = doc(flow, answers, "referat")
    assert "Bekymringen er meldt skriftlig til NAV sosialtjenesten: Ja" in referat
    children = section_text(referat, "Barn og graviditet")
    assert "§ 32 annet ledd" in children and "§ 10-3" in children and "§ 10a" in children
    draft = section_text(
        doc(flow, answers, "vedlegg2"), "Har pasienten barn, og eventuelt omsorg for disse?"
    )
    assert "En sønn på fire år" in draft
    assert "Oppgitt i ansvarsgruppen: Pasienten har barn under 18 år; Pasienten er gravid" in draft


@pytest.mark.parametrize("step_id", ["ansvarsgruppe_frist", "skrivefrist", "endring_plan"])
def test_the_tools_own_advice_is_credited_to_the_tool(flow, step_id):
    """The routine asks for no deadline and no special arrangement before admission: those
    questions are the tool's advice, and their source says so."""
    assert "veiviserens råd" in flow.step(step_id).source.lower()


def test_the_shared_pieces_example_in_docs_renders_for_a_case(flow):
    """docs/flows.md, «Felles byggeklosser»: its example, rendered with the built-in pieces for
    the BEON example, gives the A–H table and the measures not considered."""
    from omsorgslinje.render import context, template_env

    text = (ROOT / "docs" / "flows.md").read_text(encoding="utf-8")
    part = text[text.index("### Felles byggeklosser") :]
    start = part.index("```jinja\n") + len("```jinja\n")
    snippet = part[start : part.index("\n```", start)]
    case = Case(flow, answers_of(flow, BEON), DATE)
    out = template_env(flow).from_string(snippet).render(**context(case, "md"))
    rows = table_with(out, "Tiltak")
    assert [r[0][:2] for r in rows[1:]] == [f"{k})" for k in "ABCDEFGH"]
    assert rows[4][3] == "Bare via Bergen legevakt"
    assert "Bestilling: Døgnbehandling" in out
    assert "Ikke vurdert: A) Forsterket poliklinisk innsats; C) Innleggelse for avrusning" in out


def test_a_draft_not_to_be_sent_carries_no_beon_record(flow):
    """G chosen, A not considered, but no basis for a referral: the draft says it is not to be
    sent and records nothing for the vurderingsenhet; the referat keeps the group's note."""
    answers = answers_of(flow, UENIG) | {"tiltak_g": "valgt", "tiltak_a": "ikke_vurdert"}
    assert "beon_advarsel" in resolve(flow, answers).path
    draft = doc(flow, answers, "vedlegg2")
    assert "**Skal ikke sendes:**" in draft
    assert "ikke er vurdert (BEON)" not in draft
    assert beon_warning_in(doc(flow, answers, "referat"))


def test_g_reason_asks_for_the_measures_not_considered(flow):
    breach = answers_of(flow, BEON)
    # the front ends answer an info step with True (read)
    iv = _interview_at(flow, breach, "tiltak_g").answer("valgt").answer(True)
    assert iv.cursor == "tiltak_g_begrunnelse"
    from omsorgslinje.expr import render_text

    shown = render_text(iv.step.prompt, dict(iv.resolution.context))
    assert "hvorfor tiltakene som står som «Ikke vurdert ennå», ikke er vurdert" in shown
    full = answers_of(flow, FULL)
    iv = _interview_at(flow, full, "tiltak_g").answer("valgt")
    assert iv.cursor == "tiltak_g_begrunnelse"
    assert render_text(iv.step.prompt, dict(iv.resolution.context)) == "G) Hvorfor?"


def test_the_word_list_explains_the_routines_words(flow):
    words = {k.lower(): v for k, v in flow.glossary.items()}
    stab = _flat(words["stabilisering"])
    assert "etter avrusningen" in stab and "kartlegge" in stab and "tiltak C" in stab
    assert "unntatt avrusning og stabilisering" in words["sekundærhenvisning"]
    assert words["pam"] == "Psykiatrisk akuttmottak."
    assert "ingen rangering" in words["beon"] and "billigere" not in words["beon"]
    assert "med kopi til henviser" in words["dips"]


WRITER_START = {
    "skriver_bestilling": VEDLEGG2_HEADINGS[0],
    "skriver_rus": VEDLEGG2_HEADINGS[1],
    "skriver_helse": "Relevante psykiatriske diagnoser",
    "skriver_arbeid": "Beskriv arbeidet før henvisningen",
}


@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_each_attached_part_names_its_writer(flow, example):
    """readers.md: a part written outside AFR LAR is an attachment and must stand alone with
    the writer's role: it says so where it begins; a part AFR LAR writes does not."""
    answers = answers_of(flow, example)
    md = doc(flow, answers, "vedlegg2")
    afr_lar = {"afr_lar_behandler", "afr_lar_psykolog", "afr_lar_lege"}
    for sid, heading in WRITER_START.items():
        section = section_text(md, heading)
        first = section.strip().split("\n\n")[0]
        outside = answers["faglig_grunnlag"] and answers[sid] not in afr_lar
        role = flow.step(sid).choice(answers[sid]).label if sid in answers else None
        says = first.startswith("*") and first.endswith(
            f" er skrevet av: {role}. Delen legges ved henvisningen som vedlegg.*"
        )
        assert says == bool(outside), (sid, first)
    plan = md[md.index("**Beskrivelse av pasientens behandlingsplan") :]
    outside = answers["faglig_grunnlag"] and answers["skriver_plan"] not in afr_lar
    assert ("*Behandlingsplanen er skrevet av:" in plan.split("- Behandlingsmål")[0]) == bool(
        outside
    )
