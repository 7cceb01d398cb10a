"""The report to barnevernstjenesten (`bekymringsmelding`) and the § 32 information
(`opplysninger_gravid`) of the oppdager flow: when they are made, the questions that feed them, and
the report's fields against the project's JSON Schema of the national form (the schema's property
order and titles are the single source: the document's sections and labels must follow them).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt

from omsorgslinje.answers import merge
from omsorgslinje.engine import missing_required, resolve
from omsorgslinje.loader import load_flow
from omsorgslinje.render import Case, applicable_documents, render

ROOT = Path(__file__).resolve().parent.parent
FLOW_PATH = ROOT / "flows" / "oppdager.toml"
SCHEMA_PATH = ROOT / "src" / "omsorgslinje" / "schemas" / "bekymringsmelding.schema.json"
DATE = dt.date(2026, 11, 20)
# the examples where a duty to report applies ("the acute examples") and the report example
REPORT_EXAMPLES = ["akutt", "akutt-henting", "melding"]
# the document's sections, each holding these top-level fields of the form, in the form's order
SECTIONS: list[tuple[str, list[str]]] = [
    ("Kommune", ["kommunenummer", "kommunenavn", "bydelsnummer", "bydelsnavn"]),
    ("Melder", ["offentligMelder"]),
    ("Barnet", ["offentligBarn"]),
    ("Foreldre eller foresatte", ["foresatte"]),
    ("Tolk og andre hjelpeinstanser", ["behovForTolk", "andreHjelpeinstanser"]),
    ("Meldingen", ["melding"]),
]
# the steps of the report block: each says why the caseworker needs the answer
REPORT_BLOCK_WHEN = "akutt_barn or melde_uten_plikt == 'samtykke'"


@pytest.fixture(scope="module")
def flow():
    return load_flow(FLOW_PATH)


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text("utf-8"))


def example(flow, name: str) -> dict[str, Any]:
    return dict(merge([ROOT / "examples" / f"oppdager-{name}.toml"], flow).answers)


def case_of(flow, answers: dict[str, Any]) -> Case:
    return Case(flow, answers, DATE)


def names(flow, answers: dict[str, Any]) -> list[str]:
    return [d.name for d in applicable_documents(case_of(flow, answers))]


def report(flow, answers: dict[str, Any], fmt: str = "md") -> str:
    return render(case_of(flow, answers), flow.document("bekymringsmelding"), fmt)


def labels(props: dict[str, Any]) -> list[str]:
    """The labels the document shows for these schema properties, in order: an object is its
    title and then its own fields (an address is one field)."""
    out: list[str] = []
    for name, prop in props.items():
        out.append(prop["title"])
        if prop.get("type") == "object" and name != "adresse":
            out += labels(prop["properties"])
    return out


def expected_labels(schema: dict[str, Any], keys: list[str]) -> list[str]:
    props = schema["properties"]
    if len(keys) == 1 and props[keys[0]]["type"] in ("object", "array"):
        prop = props[keys[0]]
        inner = prop["items"] if prop["type"] == "array" else prop
        return labels(inner["properties"])
    return labels({k: props[k] for k in keys})


def document_sections(md: str) -> list[tuple[str, list[str]]]:
    """Each `##` section with the labels in it: list items («- Label: …», nested too) and
    `###` headings, in document order."""
    tokens = MarkdownIt("commonmark").parse(md)
    out: list[tuple[str, list[str]]] = []
    in_item = 0
    for i, t in enumerate(tokens):
        if t.type == "heading_open" and t.tag == "h2":
            out.append((tokens[i + 1].content, []))
        elif not out:
            continue
        elif t.type == "heading_open" and t.tag == "h3":
            out[-1][1].append(tokens[i + 1].content)
        elif t.type == "list_item_open":
            in_item += 1
            para = tokens[i + 2]  # list_item_open, paragraph_open, inline
            if para.type == "inline":
                out[-1][1].append(para.content.split(":", 1)[0].strip())
        elif t.type == "list_item_close":
            in_item -= 1
    return out


# --- the flow ------------------------------------------------------------------------------------


def test_report_block_is_one_contiguous_block_after_the_duty_questions(flow):
    ids = [s.id for s in flow.steps]
    block = [s.id for s in flow.steps if s.when == REPORT_BLOCK_WHEN]
    assert len(block) >= 8
    first, last = ids.index(block[0]), ids.index(block[-1])
    span = flow.steps[first : last + 1]
    # every step between the first and the last belongs to the report (its own `when`, or one
    # that follows from an answer inside the block)
    assert all(s.section == "Bekymringsmelding" for s in span), [s.id for s in span]
    assert ids.index("barnevern_meldt") < first
    assert ids.index("melde_uten_plikt") == first - 1
    assert last < ids.index("situasjon")


@pytest.mark.parametrize(
    "step_id",
    [
        "melding_observasjoner",
        "melding_barnets_ord",
        "melding_historikk",
        "melding_gjort",
        "melding_foreldre_orientert",
        "melding_barn_orientert",
        "melding_tolk",
        "melding_andre_tjenester",
        "melding_vurdering",
        "melding_foreldre_grunn",
        "melding_barn_grunn",
        "melding_tolk_sprak",
        "melder_telefon",
        "melder_epost",
    ],
)
def test_each_report_question_says_why_the_caseworker_needs_it(flow, step_id):
    step = flow.step(step_id)
    assert step.section == "Bekymringsmelding"
    assert "saksbehandler" in step.help.lower(), step_id


def test_the_report_asks_for_no_name_number_or_address_by_default(flow):
    """Without the user's choice to give them, no question asks for identifying data."""
    for name in REPORT_EXAMPLES:
        answers = example(flow, name)
        for sid in resolve(flow, answers).path:
            step = flow.step(sid)
            if step.type in ("text", "textarea"):
                words = set(re.findall(r"\w+", step.prompt.lower()))
                assert not words & {"navn", "navnet", "fødselsnummer", "adresse", "adressen"}, sid


# --- when the documents are made ----------------------------------------------------------------


@pytest.mark.parametrize("name", REPORT_EXAMPLES)
def test_a_duty_to_report_makes_the_report(flow, name):
    answers = example(flow, name)
    assert answers["akutt_barn"] is True
    assert "bekymringsmelding" in names(flow, answers)


@pytest.mark.parametrize("name", ["uklar-bekymring", "ber-om-hjelp", "kjent-familie"])
def test_no_duty_and_no_choice_makes_no_report(flow, name):
    answers = example(flow, name)
    assert "bekymringsmelding" not in names(flow, answers)
    assert "melding_observasjoner" not in resolve(flow, answers).path


def test_reporting_with_consent_and_no_duty_makes_the_report(flow):
    answers = example(flow, "uklar-bekymring") | {"melde_uten_plikt": "samtykke"}
    missing = [s.id for s in missing_required(flow, answers)]
    assert "melding_observasjoner" in missing and "melding_vurdering" in missing
    answers |= {
        "melding_observasjoner": "12.11. og 19.11.: hentet av en voksen som luktet alkohol.",
        "melding_gjort": "Samtale med mor 19.11.",
        "melding_foreldre_orientert": "ja",
        "melding_barn_orientert": "nei_alder",
        "melding_tolk": "nei",
        "melding_vurdering": "Familien trenger hjelp; mor ønsker det selv.",
        "melding_identitet": "skjema",
    }
    assert missing_required(flow, answers) == []
    assert "bekymringsmelding" in names(flow, answers)
    md = report(flow, answers)
    assert "med samtykke fra foreldrene" in md
    assert "§ 13-2" not in md.split("## Kommune")[0].replace("rutinen viser", "")


def test_the_unborn_child_only_with_the_pregnant_womans_consent(flow):
    answers = example(flow, "gravid") | {"melde_uten_plikt": "samtykke", "melding_ufodt": True}
    answers |= {
        "melding_observasjoner": "Positive prøver 06.11. og 20.11.",
        "melding_gjort": "Opplysninger gitt etter helsepersonelloven § 32.",
        "melding_foreldre_orientert": "ja",
        "melding_tolk": "nei",
        "melding_vurdering": "Hun ønsker hjelp før fødselen.",
        "melding_identitet": "skjema",
    }
    assert "melding_barn_orientert" not in resolve(flow, answers).path
    assert missing_required(flow, answers) == []
    md = report(flow, answers)
    barnet = dict(document_sections(md))["Barnet"]
    assert barnet == [
        "Fødselsnummer",
        "Ufødt",
        "Navn",
        "Telefon",
        "Adresse",
        "Orientert om meldingen",
        "Hvorfor ikke orientert",
    ]
    assert "- Ufødt: Ja" in md
    assert "med samtykke fra den gravide" in md


# --- the report against the form ----------------------------------------------------------------


def test_sections_group_the_forms_fields_in_its_order(schema):
    keys = [k for _, group in SECTIONS for k in group]
    assert keys == list(schema["properties"])


@pytest.mark.parametrize("name", REPORT_EXAMPLES)
@pytest.mark.parametrize("fmt", ["md", "txt"])
def test_the_report_follows_the_form_field_by_field(flow, schema, name, fmt):
    md = report(flow, example(flow, name))
    got = document_sections(md)
    assert [title for title, _ in got] == [title for title, _ in SECTIONS]
    for (title, keys), (_, shown) in zip(SECTIONS, got, strict=True):
        if len(keys) == 1:
            assert title == schema["properties"][keys[0]]["title"]
        assert shown == expected_labels(schema, keys), title
    if fmt == "txt":
        txt = report(flow, example(flow, name), "txt")
        positions = [txt.index(f"\n{title}\n") for title, _ in SECTIONS]
        assert positions == sorted(positions)
        assert "**" not in txt and "\n#" not in txt and "*fylles" not in txt


@pytest.mark.parametrize("name", REPORT_EXAMPLES)
def test_the_report_carries_what_the_caseworker_needs(flow, name):
    answers = example(flow, name)
    md = report(flow, answers)
    # the user's text is escaped for Markdown where it lands («20\\.11.» at the start of a line)
    sections = re.sub(r"\\([^\w\s])", r"\1", md).split("\n## ")
    concern = next(s for s in sections if s.startswith("Meldingen"))
    bekymringen, rest = concern.split("### Historikk")
    historikk, synspunkter = rest.split("### Andre synspunkter")
    facts = answers["meldeplikt_fakta" if answers["akutt_barn"] else "melding_observasjoner"]
    first_line = facts.splitlines()[0]
    assert first_line in bekymringen
    assert answers["melding_gjort"].splitlines()[0] in historikk
    # the assessment is kept apart from the facts
    for line in answers["melding_vurdering"].splitlines():
        assert line in synspunkter
        assert line not in bekymringen + historikk
    assert "Melderens vurdering" in synspunkter
    if answers.get("melding_barnets_ord"):
        assert answers["melding_barnets_ord"].splitlines()[0] in bekymringen
    # the legal basis, the role and the service
    assert "barnevernsloven § 13-2" in md
    assert f"- Rolle: {answers['rolle']}" in md
    assert f"  - Navn: {answers['tjeneste']}" in md


def test_parents_not_told_because_of_danger_says_so_plainly(flow):
    answers = example(flow, "akutt")
    assert answers["melding_foreldre_orientert"] == "nei_fare"
    md = report(flow, answers)
    parents = md.split("## Foreldre eller foresatte")[1].split("\n## ")[0]
    assert "- Orientert om meldingen: Nei" in parents
    assert "kan sette barnet i fare" in parents
    assert answers["melding_foreldre_grunn"] in parents
    # and before anything else, for the caseworker who reads the first lines on the phone
    top = md.split("\n## ")[0]
    assert "må ikke få vite om den før barnevernstjenesten har bestemt hvordan" in top


def test_users_lines_stay_lines_and_cannot_make_headings(flow):
    answers = example(flow, "akutt") | {
        "meldeplikt_fakta": "# ikke en overskrift\n20.11.: første\n21.11.: andre\n\n> sitat"
    }
    md = report(flow, answers)
    tokens = MarkdownIt("commonmark").parse(md)
    h = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert "ikke en overskrift" not in h
    assert "blockquote_open" not in [t.type for t in tokens]
    assert re.search(r"20\\\.11\.: første\\?\n21\\\.11\.: andre", md)  # one line each
    txt = report(flow, answers, "txt")
    assert "# ikke en overskrift\n20.11.: første\n21.11.: andre\n\n> sitat" in txt


# --- the § 32 information -----------------------------------------------------------------------


def test_the_32_document_is_made_when_the_duty_applies(flow):
    answers = example(flow, "gravid")
    assert answers["helsepersonell"] and answers["gravid_rus"]
    assert "opplysninger_gravid" in names(flow, answers)
    for changed in ({"helsepersonell": False}, {"gravid_rus": False}):
        other = answers | changed
        assert "opplysninger_gravid" not in names(flow, other)
        assert "p32_grunnlag" not in resolve(flow, other).path


def test_the_32_document_tells_its_reader_what_they_need(flow):
    answers = example(flow, "gravid")
    md = render(case_of(flow, answers), flow.document("opplysninger_gravid"), "md")
    tokens = MarkdownIt("commonmark").parse(md)
    h2 = [
        tokens[i + 1].content
        for i, t in enumerate(tokens)
        if t.type == "heading_open" and t.tag == "h2"
    ]
    assert h2 == [
        "Hvem gir opplysningene",
        "Den gravide",
        "Hva opplysningene bygger på",
        "Hva hun har fått vite",
        "Hjelp hun har nå",
    ]
    who = md.split("## Hvem gir opplysningene")[1].split("\n## ")[0]
    assert answers["rolle"] in who and answers["tjeneste"] in who and answers["p32_kontakt"] in who
    assert "Svangerskapsuke: 18" in md
    assert answers["p32_grunnlag"].splitlines()[0] in md
    assert answers["p32_sagt"] in md and answers["p32_hjelp"] in md
    assert "helsepersonelloven § 32 annet ledd" in md
    assert "psykisk helsearbeid og rusomsorg" in md
    txt = render(case_of(flow, answers), flow.document("opplysninger_gravid"), "txt")
    assert "Hva opplysningene bygger på\n" in txt and "##" not in txt


# --- the command line ---------------------------------------------------------------------------


def test_replaying_the_report_example_writes_every_document(run_cli, tmp_path):
    out = tmp_path / "sak"
    r = run_cli(
        [
            "oppdager",
            "--svar",
            ROOT / "examples" / "oppdager-melding.toml",
            "--ikke-interaktiv",
            "--ut-mappe",
            out,
        ]
    )
    assert r.returncode == 0, r.stderr
    written = sorted(p.name for p in out.iterdir())
    assert "oppdager-bekymringsmelding.md" in written
    text = (out / "oppdager-bekymringsmelding.md").read_text("utf-8")
    assert text.startswith("# Bekymringsmelding til barnevernstjenesten")
    assert oct((out / "oppdager-bekymringsmelding.md").stat().st_mode & 0o777) == "0o600"


# --- the report as data: the form's field names, checked against the schema --------------------

IDENTIFYING = {
    "melding_identitet": "dokument",
    "melder_navn": "Kari Nordmann",
    "barn_navn": "Ola Nordmann",
    "barn_fnr": "010224 12345",
    "barn_adresse": "Storgata 1, 2609 Lillehammer",
    "foresatt1_navn": "Mor Nordmann",
    "foresatt1_telefon": "12 34 56 78",
    "foresatt2_navn": "Far Nordmann",
}


def validator(schema):
    from jsonschema import Draft202012Validator

    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def report_cases(flow) -> dict[str, dict[str, Any]]:
    cases = {name: example(flow, name) for name in REPORT_EXAMPLES}
    cases["melding-med-identitet"] = example(flow, "melding") | IDENTIFYING
    cases["ufodt-med-samtykke"] = example(flow, "gravid") | {
        "melde_uten_plikt": "samtykke",
        "melding_ufodt": True,
        "melding_observasjoner": "Positive prøver 06.11. og 20.11.",
        "melding_gjort": "Opplysninger gitt etter helsepersonelloven § 32.",
        "melding_foreldre_orientert": "ja",
        "melding_tolk": "nei",
        "melding_vurdering": "Hun ønsker hjelp før fødselen.",
        "melding_identitet": "skjema",
    }
    return cases


@pytest.mark.parametrize("fmt", ["json", "toml"])
def test_the_record_is_valid_against_the_forms_schema(flow, schema, fmt):
    import tomllib

    check = validator(schema)
    for name, answers in report_cases(flow).items():
        assert missing_required(flow, answers) == [], name
        text = report(flow, answers, fmt)
        data = json.loads(text) if fmt == "json" else tomllib.loads(text)
        errors = [f"{list(e.path)}: {e.message}" for e in check.iter_errors(data)]
        assert errors == [], name
        # the form's order: the record's fields are the schema's, in the schema's order
        order = list(schema["properties"])
        if fmt == "json":
            assert list(data) == [k for k in order if k in data], name


def test_the_record_says_what_the_document_says(flow):
    answers = report_cases(flow)["melding-med-identitet"]
    data = json.loads(report(flow, answers, "json"))
    assert data["offentligMelder"] == {
        "personnavn": "Kari Nordmann",
        "rolle": answers["rolle"],
        "epost": answers["melder_epost"],
        "virksomhet": {"navn": answers["tjeneste"]},
    }
    child = data["offentligBarn"][0]
    assert child["fnr"] == "01022412345"  # the space a user may type is not in the record
    assert child["ufoedt"] is False and child["orientert"] is False
    assert child["adresse"] == {
        "adresselinje1": "Storgata 1",
        "postnummer": "2609",
        "poststed": "Lillehammer",
    }
    assert [p["personnavn"] for p in data["foresatte"]] == ["Mor Nordmann", "Far Nordmann"]
    assert data["foresatte"][0]["telefonnummer"] == "12 34 56 78"
    assert "telefonnummer" not in data["foresatte"][1]  # not given: left out, not empty
    assert data["behovForTolk"] == "Ja, polsk, for mor"
    melding = data["melding"]
    assert melding["melding"].startswith(answers["meldeplikt_fakta"])
    assert "Melderen mener det er grunn til å tro at" in melding["andreSynspunkter"]
    assert answers["melding_barnets_ord"] in melding["melding"]
    assert answers["melding_gjort"] in melding["historie"]
    assert answers["melding_vurdering"] in melding["andreSynspunkter"]
    assert answers["melding_vurdering"] not in melding["melding"] + melding["historie"]
    # no municipality profile: the form asks, the record does not guess
    assert "kommunenummer" not in data and "kommunenavn" not in data


def test_without_identifying_answers_the_record_has_no_identity(flow):
    data = json.loads(report(flow, example(flow, "melding"), "json"))
    assert "personnavn" not in data["offentligMelder"]
    assert set(data["offentligBarn"][0]) == {"ufoedt", "orientert", "orientertGrunn"}
    assert all("personnavn" not in p for p in data["foresatte"])


def test_identifying_answers_stay_out_of_the_note_and_the_case_record(flow):
    import tomllib

    answers = report_cases(flow)["melding-med-identitet"]
    case = case_of(flow, answers)
    secrets = [v for k, v in IDENTIFYING.items() if k != "melding_identitet"]
    for fmt in ("md", "txt", "toml", "json"):
        text = render(case, flow.document("notat"), fmt)
        assert [s for s in secrets if s in text] == [], fmt
    md = report(flow, answers)
    assert [s for s in secrets if s not in md] == []  # the document asked for has them all
    data = tomllib.loads(render(case, flow.document("notat"), "toml"))
    assert "barn_navn" not in data["svar"]
    assert "barn_navn" not in data["omsorgslinje"].get("ikke_besvart", [])


# --- the flow format: `identifying` ---------------------------------------------------------------


def _tiny(tmp_path: Path, step_extra: str) -> Path:
    from conftest import TINY_FLOW

    path = tmp_path / "t.toml"
    path.write_text(TINY_FLOW + step_extra, encoding="utf-8")
    (tmp_path / "t.md.j2").write_text("{{ navn }}\n", encoding="utf-8")
    return path


def test_identifying_is_read_and_kept_out_of_what_is_stored(tmp_path):
    flow = load_flow(_tiny(tmp_path, "identifying = true\n"))
    assert flow.step("navn").identifying is True
    assert flow.storable({"navn": "Ola", "annet": 1}) == {"annet": 1}
    assert load_flow(_tiny(tmp_path, "")).step("navn").identifying is False


@pytest.mark.parametrize(
    ("extra", "said"),
    [
        ('identifying = "ja"\n', "identifying"),
        ('identifying = true\ndefault = "Ola"\n', "fjern «default»"),
    ],
)
def test_identifying_misused_is_a_flow_error_with_its_line(tmp_path, extra, said):
    from omsorgslinje.errors import FlowError

    path = _tiny(tmp_path, extra)
    with pytest.raises(FlowError) as exc:
        load_flow(path)
    text = str(exc.value)
    assert said in text
    assert f"{path}:15: navn:" in text  # the line of `identifying`


def test_identifying_on_an_info_step_is_a_flow_error(tmp_path):
    from conftest import TINY_FLOW

    from omsorgslinje.errors import FlowError

    path = tmp_path / "t.toml"
    path.write_text(
        TINY_FLOW + '\n[[steps]]\nid = "i"\ntype = "info"\nprompt = "x"\nsource = "T"\n'
        "identifying = true\n",
        encoding="utf-8",
    )
    (tmp_path / "t.md.j2").write_text("x\n", encoding="utf-8")
    with pytest.raises(FlowError) as exc:
        load_flow(path)
    assert "info-steg" in str(exc.value)


def test_the_flow_schema_knows_identifying():
    schema = json.loads((ROOT / "src" / "omsorgslinje" / "flow_schema.json").read_text("utf-8"))
    assert schema["$defs"]["step"]["properties"]["identifying"]["type"] == "boolean"


@pytest.mark.parametrize(
    ("profile", "number", "name"),
    [("lillehammer", "3405", "Lillehammer"), ("bergen", "4601", "Bergen")],
)
def test_the_municipality_profile_fills_the_municipality_fields(
    run_cli, schema, profile, number, name
):
    example_file = ROOT / "examples" / "oppdager-melding.toml"
    base = ["oppdager", "--svar", example_file, "--ikke-interaktiv", "--kommune", profile]
    r = run_cli([*base, "--dokument", "bekymringsmelding", "--format", "json"])
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert (data["kommunenummer"], data["kommunenavn"]) == (number, name)
    assert list(validator(schema).iter_errors(data)) == []
    r = run_cli([*base, "--dokument", "bekymringsmelding"])
    assert r.returncode == 0, r.stderr
    kommune = dict(document_sections(r.stdout))["Kommune"]
    assert kommune == expected_labels(schema, SECTIONS[0][1])
    assert f"- Kommunenummer: {number}\n- Kommune: {name}\n" in r.stdout


def test_a_writers_part_never_carries_identifying_answers(flow):
    from omsorgslinje.answers import answers_document

    answers = report_cases(flow)["melding-med-identitet"]
    ids = [s.id for s in flow.steps if s.section == "Bekymringsmelding"]
    part = answers_document(flow, answers, DATE, ids)
    assert part["svar"]["melding_identitet"] == "dokument"
    assert not {k for k in IDENTIFYING if k != "melding_identitet"} & set(part["svar"])


def test_the_duty_path_asks_for_the_facts_once(flow):
    """The facts of the duty (meldeplikt_fakta) are the report's concern; the report does not ask
    for them again. Only a report with consent, without the duty, asks for observations."""
    answers = example(flow, "melding")
    path = resolve(flow, answers).path
    assert "meldeplikt_fakta" in path and "melding_observasjoner" not in path
    consent = example(flow, "uklar-bekymring") | {"melde_uten_plikt": "samtykke"}
    path = resolve(flow, consent).path
    assert "melding_observasjoner" in path and "meldeplikt_fakta" not in path


def test_an_acute_report_says_it_is_urgent_and_what_was_done(flow):
    answers = example(flow, "akutt-henting")
    assert answers["akutt_fare"] == "barn"
    md = report(flow, answers)
    top = md.split("\n## ")[0]
    assert "Haster: et barn var i akutt fare" in top
    history = md.split("### Historikk")[1].split("### Andre synspunkter")[0]
    assert "I den akutte situasjonen: Ringte politiet (112)" in history
    assert answers["akutt_gjort_detaljer"].splitlines()[0] in history
    label = flow.step("meldeplikt_alternativ").choice("omsorgssvikt").label
    assert label in md.split("### Andre synspunkter")[1]
    assert "Haster" not in report(flow, example(flow, "melding")).split("\n## ")[0]


@pytest.mark.parametrize("duty", [True, False])
def test_the_report_introduction_keeps_its_list(flow, duty):
    from omsorgslinje.expr import render_text

    text = render_text(flow.step("melding_info").prompt, {"akutt_barn": duty})
    assert "\n- Saksbehandleren avgjør" in text
    assert ("her spør vi om resten" in text) is duty


def _flow_with_record(tmp_path: Path, record: str) -> Path:
    from conftest import TINY_FLOW

    path = tmp_path / "t.toml"
    path.write_text(TINY_FLOW, encoding="utf-8")
    (tmp_path / "t.md.j2").write_text("{{ navn }}\n", encoding="utf-8")
    (tmp_path / "t.json.j2").write_text(record, encoding="utf-8")
    return path


def test_flyt_sjekk_checks_a_record_template(run_cli, tmp_path):
    path = _flow_with_record(tmp_path, "{{ {'a': ukjent_navn} | tojson }}\n")
    r = run_cli(["flyt", "sjekk", path])
    assert r.returncode == 1
    assert "t.json.j2:1:" in r.stdout + r.stderr and "ukjent_navn" in r.stdout + r.stderr


@pytest.mark.parametrize(
    ("record", "said"),
    [("{ navn: {{ navn }} }", "ikke gyldig JSON"), ("{{ [navn] | tojson }}", "ett JSON-objekt")],
)
def test_a_record_template_that_writes_no_object_is_a_clear_error(run_cli, tmp_path, record, said):
    path = _flow_with_record(tmp_path, record)
    answers = tmp_path / "svar.toml"
    answers.write_text('[svar]\nnavn = "HEMMELIG-SVAR"\n', encoding="utf-8")
    for fmt in ("json", "toml"):
        r = run_cli(["start", path, "--svar", answers, "--ikke-interaktiv", "--format", fmt])
        assert r.returncode == 2, r.stderr
        assert said in r.stderr and "t.json.j2" in r.stderr
        assert "HEMMELIG-SVAR" not in r.stderr + r.stdout
    # with a valid record, the name is in it (and md is untouched by the record template)
    (tmp_path / "t.json.j2").write_text("{{ {'navn': navn, 'tom': none} | tojson }}\n", "utf-8")
    r = run_cli(["start", path, "--svar", answers, "--ikke-interaktiv", "--format", "json"])
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == {"navn": "HEMMELIG-SVAR"}


@pytest.mark.parametrize("fmt", ["json", "toml"])
def test_a_case_folder_as_data_holds_the_report_record_and_the_answers(
    run_cli, tmp_path, schema, fmt
):
    import tomllib

    out = tmp_path / "sak"
    example_file = ROOT / "examples" / "oppdager-melding.toml"
    r = run_cli(
        [
            "oppdager",
            "--svar",
            example_file,
            "--ikke-interaktiv",
            "--ut-mappe",
            out,
            "--format",
            fmt,
        ]
    )
    assert r.returncode == 0, r.stderr
    names = sorted(p.name for p in out.iterdir())
    assert f"oppdager-bekymringsmelding.{fmt}" in names and "oppdager-svar.toml" in names
    text = (out / f"oppdager-bekymringsmelding.{fmt}").read_text("utf-8")
    data = json.loads(text) if fmt == "json" else tomllib.loads(text)
    assert list(validator(schema).iter_errors(data)) == []
    # the documents without a record of their own are the case: the answers file, once
    assert not [n for n in names if n.startswith("oppdager-notat")]


@pytest.mark.parametrize(
    ("typed", "fields"),
    [
        ("Storgata 1, 2609 Lillehammer", ("Storgata 1", "2609", "Lillehammer")),
        ("Storgata 1 2609 Lillehammer", ("Storgata 1", "2609", "Lillehammer")),
        ("  Fjellveien 12 B,  5003   Bergen ", ("Fjellveien 12 B", "5003", "Bergen")),
        ("Postboks 33, 2601 Lillehammer", ("Postboks 33", "2601", "Lillehammer")),
        ("Storgata 1", ("Storgata 1", None, None)),
        ("Storgata 1, Lillehammer", ("Storgata 1, Lillehammer", None, None)),
        ("Gate 2609", ("Gate 2609", None, None)),
    ],
)
def test_an_address_on_one_line_becomes_the_forms_fields(typed, fields):
    from omsorgslinje.expr import address_fields

    got = address_fields(typed)
    assert (got.get("adresselinje1"), got.get("postnummer"), got.get("poststed")) == fields
    assert address_fields("") == {} and address_fields(None) == {}
