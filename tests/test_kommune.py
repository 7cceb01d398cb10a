"""The municipality profile: its schema, reading it with every problem at its line, which profile
is in effect, and the texts flows and templates get from `kommune`."""

from __future__ import annotations

import datetime as _dt
import json
import re
import tomllib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import REPO

from omsorgslinje import kommune
from omsorgslinje.contacts import KNOWN, NATIONAL, Contacts, UnknownContact, unknown_keys
from omsorgslinje.expr import environment, render_text

SCHEMA = json.loads(kommune.SCHEMA_PATH.read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
SHIPPED = sorted((REPO / "kommuner").glob("*.toml"))
TODAY = _dt.date(2026, 12, 3)

GOOD = """\
[municipality]
name = "Prøvik kommune"
number = "9999"
website = "https://www.provik.invalid"
checked = 2026-11-30

[contacts.barnevernstjenesten]
phone = "11 22 33 44"
hours = "mandag–fredag 08.00–15.30"
email = "barnevern@provik.invalid"

[contacts.barnevernvakt]
phone = "55 66 77 88"

[contacts.familieteam]
name = "familieteamet"
phone = "+47 12 12 12 12"
"""


@pytest.fixture(autouse=True)
def _no_profile_after() -> Iterator[None]:
    """A test that activates a profile leaves the shared environment as it found it."""
    yield
    kommune.activate(kommune.Selected(None, "test"))


def _profile(tmp_path: Path, text: str = GOOD, name: str = "provik.toml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def _jsonable(data: object) -> object:
    """TOML dates as the strings JSON Schema expects."""
    if isinstance(data, dict):
        return {k: _jsonable(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_jsonable(v) for v in data]
    if isinstance(data, _dt.date):
        return data.isoformat()
    return data


# ------------------------------------------------------------------------------------------
# The schema and the shipped profiles


def test_schema_is_valid_and_the_loaders_source_of_keys() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert set(SCHEMA["properties"]) == set(kommune.TOP_KEYS)
    assert set(SCHEMA["$defs"]["contact"]["properties"]) == set(kommune.CONTACT_KEYS)
    assert set(SCHEMA["$defs"]["municipality"]["properties"]) == set(kommune.MUNICIPALITY_KEYS)
    for key in KNOWN:  # the schema's description lists every known key
        assert key in SCHEMA["$defs"]["key"]["description"]


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_profile_validates_and_loads(path: Path) -> None:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert [e.message for e in VALIDATOR.iter_errors(_jsonable(data))] == []
    profile, problems = kommune.read_profile(path, TODAY)
    assert problems == []
    assert profile is not None and profile.id == path.stem


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_profile_has_no_number_the_project_cannot_vouch_for(path: Path) -> None:
    profile = kommune.load_profile(path)
    assert [c.key for c in profile.contacts.values() if c.phone] == []
    assert not re.search(r"\d{2} ?\d{2} ?\d{2} ?\d{2}", path.read_text(encoding="utf-8"))


def test_shipped_profiles_are_lillehammer_and_bergen_with_the_routines_services() -> None:
    by_number = {kommune.load_profile(p).number: kommune.load_profile(p) for p in SHIPPED}
    assert by_number["3405"].name == "Lillehammer kommune"
    assert by_number["4601"].name == "Bergen kommune"
    common = {
        "barnevernstjenesten",
        "barnevernvakt",
        "koordinerende_enhet",
        "fagavdeling_oppvekst",
        "psykisk_helse_rus",
        "helsestasjon",
        "nav",
        "legevakt",
    }
    assert set(by_number["3405"].contacts) >= common
    assert set(by_number["4601"].contacts) >= common | {"afr_lar", "vurderingsenheten"}


def test_wheel_ships_the_profiles() -> None:
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    include = pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert include["kommuner"] == "omsorgslinje/kommuner"


# ------------------------------------------------------------------------------------------
# Reading: every problem at its line


def test_good_profile_loads(tmp_path: Path) -> None:
    profile, problems = kommune.read_profile(_profile(tmp_path), TODAY)
    assert problems == []
    assert profile is not None
    assert (profile.id, profile.name, profile.number) == ("provik", "Prøvik kommune", "9999")
    assert profile.contacts["barnevernvakt"].name == "barnevernvakten"  # the known name
    assert profile.contacts["familieteam"].phone == "+47 12 12 12 12"


def _problems(tmp_path: Path, text: str) -> list[str]:
    _, problems = kommune.read_profile(_profile(tmp_path, text), TODAY)
    return [str(p) for p in problems]


def test_every_problem_with_file_and_line(tmp_path: Path) -> None:
    text = GOOD.replace('phone = "55 66 77 88"', 'telefon = "55 66 77 88"').replace(
        'email = "barnevern@provik.invalid"', 'email = "barnevern"'
    )
    text += '\n[contacts.ukjent]\nphone = "12 34 56 78"\n'
    found = _problems(tmp_path, text)
    path = str(tmp_path / "provik.toml")
    assert found == [
        f"{path}:10: «email» i [contacts.barnevernstjenesten] må være en e-postadresse, "
        "for eksempel «post@kommune.no».",
        f"{path}:13: Ukjent nøkkel «telefon» i [contacts.barnevernvakt]. Tillatte nøkler: "
        "name, phone, email, address, hours, website, note.",
        f"{path}:19: «ukjent» er ikke en av de kjente kontaktene, og må ha «name» (navnet slik "
        f"det står i en setning). Kjente: {', '.join(KNOWN)}.",
    ]


def test_bad_phone_and_missing_number(tmp_path: Path) -> None:
    text = GOOD.replace('number = "9999"\n', "").replace("11 22 33 44", "11 22 333")
    found = _problems(tmp_path, text)
    path = str(tmp_path / "provik.toml")
    assert (
        found[0] == f"{path}:1: Mangler «number» (kommunenummeret, fire siffer) i [municipality]."
    )
    assert found[1].startswith(f"{path}:7: «phone» i [contacts.barnevernstjenesten] har 7 siffer")


def test_national_numbers_cannot_be_changed(tmp_path: Path) -> None:
    found = _problems(tmp_path, GOOD + '\n[contacts.politi]\nphone = "12 34 56 78"\n')
    assert found == [
        f"{tmp_path / 'provik.toml'}:19: «politi» er et nasjonalt nummer (112) og kan ikke "
        "endres i kommuneprofilen."
    ]


def test_toml_syntax_error_has_its_line(tmp_path: Path) -> None:
    found = _problems(tmp_path, GOOD.replace('phone = "55 66 77 88"', "phone = 55 66 77 88"))
    assert len(found) == 1
    assert found[0].startswith(f"{tmp_path / 'provik.toml'}:13: Ugyldig TOML")


def test_old_check_date_is_a_warning(tmp_path: Path) -> None:
    profile, problems = kommune.read_profile(
        _profile(tmp_path, GOOD.replace("2026-11-30", "2025-06-01")), TODAY
    )
    assert profile is not None
    assert [(p.line, p.warning) for p in problems] == [(5, True)]
    assert "mer enn ett år siden" in problems[0].message


def test_numbers_without_check_date_is_a_warning(tmp_path: Path) -> None:
    _, problems = kommune.read_profile(_profile(tmp_path, GOOD.replace("checked", "#")), TODAY)
    assert [(p.line, p.warning) for p in problems] == [(1, True)]


def test_load_profile_raises_with_every_error(tmp_path: Path) -> None:
    path = _profile(tmp_path, GOOD.replace('"9999"', '"99"').replace("website =", "nettside ="))
    with pytest.raises(kommune.ProfileError) as info:
        kommune.load_profile(path)
    assert info.value.exit_code == 2
    assert [p.line for p in info.value.problems] == [3, 4]
    assert "--kommune ingen" in kommune.ProfileError(info.value.problems, "x").message


# ------------------------------------------------------------------------------------------
# Which profile is in effect


def test_option_then_environment_then_configuration_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OMSORGSLINJE_HJEM", str(tmp_path / "hjem"))
    assert kommune.select(None, {}).profile is None
    user = kommune.user_profile_path()
    user.parent.mkdir(parents=True)
    user.write_text(GOOD, encoding="utf-8")
    chosen = kommune.select(None, {})
    assert chosen.profile is not None and chosen.profile.number == "9999"
    assert chosen.origin == "konfigurasjonsmappen" and chosen.path == user
    chosen = kommune.select(None, {kommune.ENV: "bergen"})
    assert chosen.profile is not None and chosen.profile.number == "4601"
    assert chosen.origin == "miljøvariabelen OMSORGSLINJE_KOMMUNE=bergen"
    chosen = kommune.select("3405", {kommune.ENV: "bergen"})
    assert chosen.profile is not None and chosen.profile.name == "Lillehammer kommune"
    assert kommune.select("ingen", {kommune.ENV: "bergen"}).profile is None
    chosen = kommune.select("Bergen", {})
    assert chosen.profile is not None and chosen.profile.number == "4601"
    assert kommune.select(None, {kommune.ENV: "ingen"}).profile is None


def test_unknown_id_names_the_built_in_profiles() -> None:
    with pytest.raises(kommune.ProfileError) as info:
        kommune.select("oslo", {})
    assert "Fant ingen kommuneprofil «oslo»" in info.value.message
    assert "bergen, lillehammer" in info.value.message


def test_missing_file_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    with pytest.raises(kommune.ProfileError) as info:
        kommune.select(str(tmp_path / "finnes-ikke.toml"), {})
    assert f"{tmp_path / 'finnes-ikke.toml'}: Filen finnes ikke." in info.value.message


# ------------------------------------------------------------------------------------------
# The texts


def test_ring_gives_the_profiles_numbers(tmp_path: Path) -> None:
    kommune.activate(kommune.select(str(_profile(tmp_path)), {}))
    text = render_text(
        '{{ kommune.ring("barnevernstjenesten", "Meld bekymringen til", vakt="barnevernvakt") }}',
        {},
    )
    assert text == (
        "Meld bekymringen til barnevernstjenesten på 11 22 33 44 (mandag–fredag 08.00–15.30). "
        "Utenfor åpningstiden: barnevernvakten på 55 66 77 88."
    )
    assert render_text('{{ kommune.tlf("familieteam") }}', {}) == "+47 12 12 12 12"
    assert render_text("{{ kommune.navn }} ({{ kommune.nummer }})", {}) == "Prøvik kommune (9999)"
    assert str(
        Contacts(kommune.load_profile(_profile(tmp_path))).kontakt("barnevernstjenesten")
    ) == (
        "Barnevernstjenesten: telefon 11 22 33 44, åpent mandag–fredag 08.00–15.30, "
        "e-post barnevern@provik.invalid."
    )


def test_missing_number_gives_the_honest_text(tmp_path: Path) -> None:
    kommune.activate(kommune.select("lillehammer", {}))
    assert render_text('{{ kommune.ring("barnevernstjenesten", vakt="barnevernvakt") }}', {}) == (
        "Ring barnevernstjenesten, utenfor kontortid barnevernvakten (telefonnumrene står "
        "på www.lillehammer.kommune.no; er noen i fare nå, ring 112)."
    )
    text = render_text('{{ kommune.ring("barnevernvakt") }}', {})
    assert text == (
        "Ring barnevernvakten (telefonnummeret står på www.lillehammer.kommune.no; "
        "er noen i fare nå, ring 112)."
    )
    assert render_text('{{ kommune.tlf("barnevernvakt") }}', {}) == ""


def test_without_a_profile_only_national_numbers_appear() -> None:
    c = Contacts()
    for key in KNOWN:
        digits = re.findall(r"\d[\d ]*\d", c.ring(key))
        assert set(digits) <= {"112", "116 117"}, key
    assert c.ring("legevakt") == "Ring legevakten på 116 117."
    assert "kommunens nettside" in c.ring("barnevernstjenesten")
    assert c.utenfor_kontortid() == (
        "Utenfor kontortid: ring barnevernvakten (telefonnummeret står på kommunens "
        "nettside), eller legevakten på 116 117. Er noen i fare nå: ring 112."
    )


def test_national_numbers_are_built_in() -> None:
    c = Contacts()
    assert {k: c.tlf(k) for k in NATIONAL} == {
        "politi": "112",
        "ambulanse": "113",
        "legevakt_nasjonal": "116 117",
        "alarmtelefonen": "116 111",
        "politi_ikke_akutt": "02800",
    }


def test_unknown_contact_is_a_clear_error() -> None:
    with pytest.raises(UnknownContact) as info:
        render_text('{{ kommune.ring("barnevern") }}', {})
    assert "Ukjent kontakt «barnevern»" in info.value.message


def test_unknown_keys_in_a_template_are_found() -> None:
    tree = environment().parse(
        '{{ kommune.ring("legevakt") }}\n{{ kommune.tlf("legevagt") }}\n'
        '{{ kommune.ring("nav", "Ring", vakt="barnevernvagt") }}'
    )
    assert unknown_keys(tree) == [("legevagt", 2), ("barnevernvagt", 3)]


# ------------------------------------------------------------------------------------------
# The routine owner's documentation


def test_docs_example_profile_loads_without_problems(tmp_path: Path) -> None:
    text = (REPO / "docs" / "kommune.md").read_text(encoding="utf-8")
    block = re.search(r"```toml\n(.*?)```", text, re.S)
    assert block is not None
    profile, problems = kommune.read_profile(_profile(tmp_path, block.group(1)), TODAY)
    assert problems == [] and profile is not None
    assert set(profile.contacts) == {"barnevernstjenesten", "barnevernvakt", "familieteam"}


def test_docs_list_every_known_and_national_key() -> None:
    text = (REPO / "docs" / "kommune.md").read_text(encoding="utf-8")
    listed = re.findall(r"^\| `([a-z_]+)` \|", text, re.M)
    assert [k for k in listed if k in KNOWN or k in NATIONAL] == [*KNOWN, *NATIONAL]
    for key, known in KNOWN.items():
        assert f"| `{key}` | {known.name} |" in text


# ------------------------------------------------------------------------------------------
# The flows: the profile's numbers in the next steps of the documents


def _case_text(flow_name: str, example: str, changes: Mapping[str, Any], doc: str) -> str:
    from omsorgslinje.answers import merge
    from omsorgslinje.loader import load_flow
    from omsorgslinje.render import Case, render

    flow = load_flow(REPO / "flows" / f"{flow_name}.toml")
    answers = dict(merge([REPO / "examples" / f"{example}.toml"], flow).answers)
    answers.update(changes)
    document = flow.document(doc)
    assert document is not None
    return render(Case(flow, answers, _dt.date(2026, 11, 20)), document, "txt")


def test_report_not_made_gives_the_numbers_in_the_next_steps(tmp_path: Path) -> None:
    not_yet = {"barnevern_meldt": "ikke_enda"}
    without = _case_text("oppdager", "oppdager-akutt", not_yet, "notat")
    assert (
        "Ring barnevernstjenesten, utenfor kontortid barnevernvakten (telefonnumrene står "
        "på kommunens nettside; er noen i fare nå, ring 112)." in " ".join(without.split())
    )
    kommune.activate(kommune.select(str(_profile(tmp_path)), {}))
    text = _case_text("oppdager", "oppdager-akutt", not_yet, "notat")
    assert "barnevernstjenesten på 11 22 33 44" in text
    assert "barnevernvakten på 55 66 77 88" in text


def test_information_not_given_names_the_service_and_where_its_number_is() -> None:
    kommune.activate(kommune.select("lillehammer", {}))
    text = _case_text("oppdager", "oppdager-gravid", {"opplysning_gitt": "ikke_enda"}, "notat")
    assert (
        "Ring tjenesteområdet psykisk helsearbeid og rusomsorg (telefonnummeret står på "
        "www.lillehammer.kommune.no)." in " ".join(text.split())
    )


def test_tiltak_d_gives_the_legevakt() -> None:
    kommune.activate(kommune.select("bergen", {}))
    text = _case_text("henvisning", "henvisning-full", {"tiltak_d": "valgt"}, "referat")
    assert "Ring Bergen legevakt på 116 117." in " ".join(text.split())


# ------------------------------------------------------------------------------------------
# The command line: the installed script

ACUTE_FLOW = """\
[flow]
id = "akutt"
title = "Akutt"
version = "1"
source = "Test"
[flow.documents.notat]
template = "akutt-notat.md.j2"

[[steps]]
id = "fare_info"
type = "info"
prompt = \"\"\"
Ring politiet på 112. {{ kommune.ring("barnevernstjenesten", vakt="barnevernvakt") }}
{{ kommune.utenfor_kontortid() }}
\"\"\"
source = "Test"

[[steps]]
id = "initialer"
type = "text"
prompt = "Initialer?"
source = "Test"

  [[steps.actions]]
  what = "{{ kommune.ring('barnevernvakt') }}"
"""
ACUTE_NOTAT = """\
# Notat for {{ initialer }}
{% for n in neste_steg %}
- {{ n.hva }}
{% endfor %}
Kontakt: {{ kommune.kontakt("barnevernstjenesten") }}
"""


@pytest.fixture
def acute_flow(tmp_path: Path) -> Path:
    from conftest import write_flow

    return write_flow(
        tmp_path / "flyt", ACUTE_FLOW, {"akutt-notat.md.j2": ACUTE_NOTAT}, name="akutt.toml"
    )


def test_acute_panel_shows_the_profiles_numbers(
    script: str, cli_env: dict[str, str], tmp_path: Path, acute_flow: Path
) -> None:
    from ptyhelp import ENTER, Session, loose, screen

    profile = _profile(tmp_path)
    out = tmp_path / "notat.md"
    s = Session(
        f"exec {script} start {acute_flow} --enkel --kommune {profile} > {out}",
        cli_env,
        tmp_path,
        dimensions=(40, 60),
    )
    try:
        s.expect(loose("Ring barnevernstjenesten på 11 22 33 44 (mandag–fredag 08.00–15.30)."))
        s.expect(loose("Utenfor åpningstiden: barnevernvakten på 55 66 77 88."))
        s.expect(loose("Utenfor kontortid: ring barnevernvakten på 55 66 77 88, eller"))
        s.expect(loose("legevakten på 116 117."))
        s.expect("Trykk Enter for å gå videre: ")
        s.send(ENTER)
        s.expect("Initialer\\?: ")
        s.send("AB" + ENTER)
        s.expect("Skriv ja for å lage dokumentene")
        s.send("ja" + ENTER)
        assert s.finish() == 0, screen(s.text)
    finally:
        s.close()
    notat = out.read_text(encoding="utf-8")
    assert "Ring barnevernvakten på 55 66 77 88." in notat
    assert "Barnevernstjenesten: telefon 11 22 33 44" in notat


def test_document_without_a_profile_gives_the_honest_text(
    run_cli: Any, tmp_path: Path, acute_flow: Path
) -> None:
    answers = tmp_path / "svar.toml"
    answers.write_text('[svar]\ninitialer = "AB"\n', encoding="utf-8")
    r = run_cli(["start", acute_flow, "--svar", answers, "--ikke-interaktiv"])
    assert r.returncode == 0, r.stderr
    assert (
        "Ring barnevernvakten (telefonnummeret står på kommunens nettside; er noen i fare "
        "nå, ring 112)." in r.stdout
    )
    assert "Barnevernstjenesten: telefonnummeret står på kommunens nettside." in r.stdout


def test_broken_profile_stops_the_run_with_file_line_and_exit_2(
    run_cli: Any, tmp_path: Path, acute_flow: Path, home: Path
) -> None:
    bad = _profile(tmp_path, GOOD.replace('phone = "55 66 77 88"', 'phone = "ring oss"'))
    answers = tmp_path / "svar.toml"
    answers.write_text('[svar]\ninitialer = "AB"\n', encoding="utf-8")
    r = run_cli(["start", acute_flow, "--svar", answers, "--ikke-interaktiv", "--kommune", bad])
    assert r.returncode == 2
    assert r.stdout == ""
    assert f"{bad}:13: «phone» i [contacts.barnevernvakt] må være et telefonnummer" in r.stderr
    assert f"Kommuneprofilen (valgt med --kommune {bad}) kan ikke brukes" in r.stderr
    assert "Traceback" not in r.stderr
    # the same file in the configuration folder: the message says where it came from
    user = home / "config" / "kommune.toml"
    user.parent.mkdir(parents=True)
    user.write_text(bad.read_text(encoding="utf-8"), encoding="utf-8")
    r = run_cli(["start", acute_flow, "--svar", answers, "--ikke-interaktiv"])
    assert r.returncode == 2
    assert f"{user}:13: «phone»" in r.stderr
    assert "(valgt med konfigurasjonsmappen)" in r.stderr
    r = run_cli(["start", acute_flow, "--svar", answers, "--ikke-interaktiv", "--kommune", "ingen"])
    assert r.returncode == 0, r.stderr


def test_kommune_vis_says_where_the_profile_came_from(
    run_cli: Any, tmp_path: Path, home: Path
) -> None:
    r = run_cli(["kommune", "vis"])
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("Ingen kommuneprofil (ingen profil er valgt).")
    assert "Innebygde profiler: bergen (4601), lillehammer (3405)" in " ".join(r.stdout.split())
    user = home / "config" / "kommune.toml"
    user.parent.mkdir(parents=True)
    user.write_text(GOOD, encoding="utf-8")
    r = run_cli(["kommune", "vis"])
    assert r.stdout.splitlines()[:2] == [
        "Kommuneprofil: Prøvik kommune (9999)",
        "Kilde: konfigurasjonsmappen",
    ]
    assert f"Fil: {user}" in " ".join(r.stdout.split())  # a long tmp path (xdist) wraps
    assert "Barnevernvakten: telefon 55 66 77 88." in r.stdout
    r = run_cli(["kommune", "vis"], env={"OMSORGSLINJE_KOMMUNE": "4601"})
    assert r.stdout.splitlines()[:2] == [
        "Kommuneprofil: Bergen kommune (4601)",
        "Kilde: miljøvariabelen OMSORGSLINJE_KOMMUNE=4601",
    ]
    r = run_cli(
        ["kommune", "vis", "--kommune", "lillehammer"], env={"OMSORGSLINJE_KOMMUNE": "4601"}
    )
    assert r.stdout.splitlines()[1] == "Kilde: --kommune lillehammer"


def test_kommune_sjekk(run_cli: Any, tmp_path: Path) -> None:
    r = run_cli(["kommune", "sjekk", _profile(tmp_path)])
    assert (r.returncode, r.stdout) == (0, "")
    assert "Kommuneprofilen er i orden." in r.stderr
    bad = _profile(tmp_path, GOOD.replace('"9999"', '"99"') + "[ukjent]\n", "feil.toml")
    r = run_cli(["kommune", "sjekk", bad])
    assert r.returncode == 2
    assert r.stdout.splitlines() == [
        f'{bad}:3: «number» må være kommunenummeret med fire siffer, for eksempel "3405".',
        f"{bad}:18: Ukjent tabell eller nøkkel «ukjent». Tillatt: [municipality], [contacts].",
    ]
    assert "Kommuneprofilen har 2 feil." in r.stderr
    r = run_cli(["kommune", "sjekk", tmp_path / "finnes-ikke.toml"])
    assert r.returncode == 2 and "Filen finnes ikke." in r.stdout
    # without FIL: the profile in effect
    r = run_cli(["kommune", "sjekk"])
    assert r.returncode == 0 and "Ingen kommuneprofil er valgt" in r.stderr
    r = run_cli(["kommune", "sjekk"], env={"OMSORGSLINJE_KOMMUNE": str(bad)})
    assert r.returncode == 2 and r.stdout.startswith(f"{bad}:3: «number»")
    assert f"Sjekker {bad} (miljøvariabelen OMSORGSLINJE_KOMMUNE={bad})." in r.stderr


def test_kommune_skjema_prints_the_schema(run_cli: Any) -> None:
    r = run_cli(["kommune", "skjema"])
    assert r.returncode == 0
    assert json.loads(r.stdout) == SCHEMA


def test_flyt_sjekk_reports_an_unknown_contact(run_cli: Any, tmp_path: Path) -> None:
    from conftest import write_flow

    flow = write_flow(
        tmp_path / "f",
        ACUTE_FLOW.replace("kommune.ring('barnevernvakt')", "kommune.ring('barnevernvagt')"),
        {"akutt-notat.md.j2": ACUTE_NOTAT.replace('kontakt("barn', 'kontakt("bv')},
        name="akutt.toml",
    )
    r = run_cli(["flyt", "sjekk", flow])
    assert r.returncode == 1
    lines = r.stdout.splitlines()
    assert lines[0].startswith(
        f"{flow}:25: initialer: Ukjent kontakt «barnevernvagt»: verken kommuneprofilen"
    )
    template = tmp_path / "f" / "templates" / "akutt-notat.md.j2"
    assert lines[1].startswith(f"{template}:5: Ukjent kontakt «bvevernstjenesten»")


def test_coordinator_application_is_addressed_to_the_profiles_municipality(tmp_path: Path) -> None:
    without = _case_text("oppdager", "oppdager-ber-om-hjelp", {}, "koordinatorsoknad")
    assert "Til Koordinerende enhet. Innhold" in without
    assert "Koordinerende enhet: telefonnummeret står på kommunens nettside." in without
    kommune.activate(kommune.select("bergen", {}))
    text = _case_text("oppdager", "oppdager-ber-om-hjelp", {}, "koordinatorsoknad")
    assert "Til Koordinerende enhet, Bergen kommune. Innhold" in text
    assert "Koordinerende enhet: telefonnummeret står på www.bergen.kommune.no." in text


def test_a_draft_remembers_the_profile_chosen() -> None:
    from omsorgslinje.run_options import RunOptions, draft_options

    assert draft_options(RunOptions(kommune="bergen"))["kommune"] == "bergen"
    assert draft_options(RunOptions())["kommune"] is None


def test_a_step_may_not_be_called_kommune(tmp_path: Path) -> None:
    from conftest import TINY_FLOW

    from omsorgslinje.loader import read_flow

    path = tmp_path / "t.toml"
    path.write_text(TINY_FLOW.replace('id = "navn"', 'id = "kommune"'), encoding="utf-8")
    _, problems = read_flow(path)
    assert [p.message.split(":")[0] for p in problems] == ["Steg-id-en «kommune» er reservert"]
    assert "kommune" in environment().globals


def test_henvisning_childrens_duty_gives_the_barnevern_numbers(tmp_path: Path) -> None:
    kommune.activate(kommune.select(str(_profile(tmp_path)), {}))
    text = " ".join(
        _case_text(
            "henvisning", "henvisning-full", {"barn_meldeplikt": "skal_meldes"}, "referat"
        ).split()
    )
    assert (
        "Ring barnevernstjenesten på 11 22 33 44 (mandag–fredag 08.00–15.30). Utenfor "
        "åpningstiden: barnevernvakten på 55 66 77 88." in text
    )


@pytest.mark.parametrize(
    ("choice", "expected"),
    [
        (
            "1",  # a child in danger
            [
                "Ring barnevernstjenesten på 11 22 33 44 (mandag–fredag 08.00–15.30). "
                "Utenfor åpningstiden: barnevernvakten på 55 66 77 88."
            ],
        ),
        (
            "3",  # an adult in danger
            [
                "ellers ring legevakten på 116 117.",
                "Videre oppfølging: kontakt tjenesteområdet psykisk helsearbeid og rusomsorg "
                "(telefonnummeret står på www.provik.invalid).",
                "ring barnevernstjenesten på 11 22 33 44",
            ],
        ),
    ],
    ids=["barn", "voksen"],
)
def test_oppdager_acute_panel_gives_the_profiles_numbers(
    script: str, cli_env: dict[str, str], tmp_path: Path, choice: str, expected: list[str]
) -> None:
    from ptyhelp import ENTER, Session, loose

    profile = _profile(tmp_path)
    s = Session(
        f"exec {script} oppdager --enkel --uten-utkast --kommune {profile} > /dev/null",
        cli_env,
        tmp_path,
        dimensions=(40, 100),
    )
    try:
        s.expect("Er noen i akutt fare nå")
        s.expect(": ")
        s.send(choice + ENTER)
        for text in expected:
            s.expect(loose(text))
    finally:
        s.close()


def test_a_phone_number_is_never_broken_across_lines() -> None:
    """The full-screen front end wraps a panel's text with ui.common.wrapped, then draws it."""
    from omsorgslinje.ui.box import panel
    from omsorgslinje.ui.common import wrapped

    text = "Ring barnevernstjenesten på 11 22 33 44 eller legevakten på 116 117 (§ 13-2)."
    for width in range(30, 80):
        shown = panel(wrapped(text, width - 4), width).replace("\u00a0", " ")
        assert "11 22 33 44" in shown and "116 117" in shown, shown


def test_a_profile_not_checked_for_a_year_is_warned_of_at_the_start(
    run_cli: Any, tmp_path: Path, acute_flow: Path
) -> None:
    old = _profile(tmp_path, GOOD.replace("2026-11-30", "2020-01-15"))
    answers = tmp_path / "svar.toml"
    answers.write_text('[svar]\ninitialer = "AB"\n', encoding="utf-8")
    r = run_cli(["start", acute_flow, "--svar", answers, "--ikke-interaktiv", "--kommune", old])
    assert r.returncode == 0, r.stderr
    assert "Kommuneprofilen for Prøvik kommune ble sist kontrollert 15.01.2020" in r.stderr
    assert "Ring barnevernvakten på 55 66 77 88." in r.stdout
    fresh = _profile(tmp_path, GOOD.replace("2026-11-30", _dt.date.today().isoformat()), "ny.toml")
    r = run_cli(["start", acute_flow, "--svar", answers, "--ikke-interaktiv", "--kommune", fresh])
    assert r.returncode == 0 and "kontrollert" not in r.stderr


def test_kommune_lag_copies_a_built_in_profile_to_the_configuration_folder(
    run_cli: Any, home: Path
) -> None:
    r = run_cli(["kommune", "lag", "3405"])
    assert r.returncode == 0, r.stderr
    user = home / "config" / "kommune.toml"
    assert user.read_text(encoding="utf-8") == (REPO / "kommuner" / "lillehammer.toml").read_text(
        encoding="utf-8"
    )
    assert user.stat().st_mode & 0o777 == 0o600
    assert user.parent.stat().st_mode & 0o777 == 0o700
    assert run_cli(["kommune", "vis"]).stdout.splitlines()[1] == "Kilde: konfigurasjonsmappen"
    r = run_cli(["kommune", "lag", "bergen"])
    assert r.returncode == 1 and "--overskriv" in r.stderr
    assert run_cli(["kommune", "lag", "bergen", "--overskriv"]).returncode == 0
    assert 'number = "4601"' in user.read_text(encoding="utf-8")
    r = run_cli(["kommune", "lag", "ingen"])
    assert r.returncode == 2 and "bergen, lillehammer" in r.stderr
