"""`omsorgslinje flyt sjekk`: one broken flow per check, every problem listed with file, line
and step, exit 1 on errors and 0 with only warnings."""

from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from conftest import PROVE_FLOW, PROVE_NOTAT, PROVE_SOKNAD, write_flow

from omsorgslinje.__main__ import main
from omsorgslinje.check import check_file
from omsorgslinje.errors import Problem


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("OMSORGSLINJE_FLYTER", "OMSORGSLINJE_MALER"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("OMSORGSLINJE_HJEM", str(tmp_path / "hjem"))


def run(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(args)
    return code, out.getvalue(), err.getvalue()


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line of the n-th line containing needle."""
    hits = [i + 1 for i, line in enumerate(text.splitlines()) if needle in line]
    return hits[occurrence - 1]


def broken(tmp_path: Path, flow: str, templates: dict[str, str] | None = None) -> list[Problem]:
    return check_file(write_flow(tmp_path / "f", flow, templates))


def only(problems: list[Problem], fragment: str) -> Problem:
    hits = [p for p in problems if fragment in p.message]
    assert len(hits) == 1, [str(p) for p in problems]
    return hits[0]


def test_clean_flow_has_no_problems(tmp_path: Path) -> None:
    assert broken(tmp_path, PROVE_FLOW) == []
    code, out, err = run(["flyt", "sjekk", str(tmp_path / "f" / "prove.toml")])
    assert (code, out) == (0, "")
    assert "ingen problemer" in err


def test_toml_syntax_error_has_line_and_column(tmp_path: Path) -> None:
    flow = PROVE_FLOW.replace('prompt = "Hvilken rolle har du?"', "prompt = Hvilken rolle")
    p = only(broken(tmp_path, flow), "Ugyldig TOML")
    assert p.line == line_of(flow, "prompt = Hvilken rolle")
    assert "kolonne 10" in p.message
    assert "anførselstegn" in p.message  # in Norwegian, not tomllib's English


def test_schema_errors_unknown_key_and_type(tmp_path: Path) -> None:
    flow = PROVE_FLOW.replace('type = "number"', 'type = "tall"').replace(
        'prompt = "Beskriv bekymringen kort."', 'prompt = "Beskriv."\nhjelp = "x"'
    )
    problems = broken(tmp_path, flow)
    p = only(problems, "Ukjent stegtype «tall»")
    assert (p.line, p.step) == (line_of(flow, 'type = "tall"'), "antall_barn")
    p = only(problems, "Ukjent nøkkel «hjelp»")
    assert (p.line, p.step) == (line_of(flow, 'hjelp = "x"'), "beskrivelse")


def test_unknown_key_in_inline_choice_has_its_line(tmp_path: Path) -> None:
    flow = PROVE_FLOW.replace('{ value = "fastlege", label', '{ value = "fastlege", lable')
    p = only(broken(tmp_path, flow), "Ukjent nøkkel «lable»")
    assert (p.line, p.step) == (line_of(flow, "lable"), "rolle")


def test_duplicate_ids(tmp_path: Path) -> None:
    flow = PROVE_FLOW.replace('id = "annen_rolle"', 'id = "rolle"')
    p = only(broken(tmp_path, flow), "brukt før")
    assert (p.line, p.step) == (line_of(flow, 'id = "rolle"', 2), "rolle")


def test_when_naming_unknown_step(tmp_path: Path) -> None:
    flow = PROVE_FLOW.replace('when = "samtykke"\nsource', 'when = "samtykket"\nsource')
    p = only(broken(tmp_path, flow), "«samtykket», som ikke er et steg")
    assert (p.line, p.step) == (line_of(flow, 'when = "samtykket"'), "samtykke_dato")


def test_when_naming_later_step(tmp_path: Path) -> None:
    flow = PROVE_FLOW.replace("when = \"rolle == 'annen'\"", 'when = "samtykke"')
    p = only(broken(tmp_path, flow), "kommer senere")
    assert (p.line, p.step) == (line_of(flow, 'when = "samtykke"', 2), "annen_rolle")


def test_jinja_syntax_in_condition(tmp_path: Path) -> None:
    flow = PROVE_FLOW.replace("when = \"rolle == 'annen'\"", "when = \"rolle == = 'annen'\"")
    p = only(broken(tmp_path, flow), "Ugyldig Jinja-uttrykk i «when»")
    assert (p.line, p.step) == (line_of(flow, "rolle == ="), "annen_rolle")


def test_jinja_syntax_in_action_text(tmp_path: Path) -> None:
    flow = PROVE_FLOW.replace("{{ initialer }}", "{{ initialer }")
    p = only(broken(tmp_path, flow), "Ugyldig Jinja i «what»")
    assert p.step == "samtykke"


def test_jinja_syntax_in_template(tmp_path: Path) -> None:
    notat = PROVE_NOTAT.replace("{% endif %}", "{% endfi %}")
    problems = broken(
        tmp_path, PROVE_FLOW, {"prove-notat.md.j2": notat, "prove-soknad.md.j2": PROVE_SOKNAD}
    )
    p = only(problems, "Ugyldig Jinja i malen")
    assert p.file.endswith("prove-notat.md.j2")
    assert p.line == line_of(notat, "{% endfi %}")


def test_template_variable_no_step_defines(tmp_path: Path) -> None:
    soknad = PROVE_SOKNAD + "Telefon: {{ telefon }}\n"
    problems = broken(
        tmp_path, PROVE_FLOW, {"prove-notat.md.j2": PROVE_NOTAT, "prove-soknad.md.j2": soknad}
    )
    p = only(problems, "«telefon»")
    assert p.file.endswith("prove-soknad.md.j2")
    assert p.line == line_of(soknad, "telefon")


def test_template_variables_in_included_template(tmp_path: Path) -> None:
    notat = PROVE_NOTAT + '{% include "bunn.md.j2" %}\n'
    bunn = "Hilsen\n{{ underskrift }}\n{% set x = 1 %}{{ x }}\n"
    problems = broken(
        tmp_path,
        PROVE_FLOW,
        {"prove-notat.md.j2": notat, "prove-soknad.md.j2": PROVE_SOKNAD, "bunn.md.j2": bunn},
    )
    p = only(problems, "«underskrift»")
    assert (Path(p.file).name, p.line) == ("bunn.md.j2", 2)


def test_names_set_inside_if_are_the_templates_own(tmp_path: Path) -> None:
    notat = PROVE_NOTAT + "{% if samtykke %}{% set liste = [] %}{{ liste }}{% endif %}\n"
    problems = broken(
        tmp_path, PROVE_FLOW, {"prove-notat.md.j2": notat, "prove-soknad.md.j2": PROVE_SOKNAD}
    )
    assert problems == []


def test_action_text_naming_unknown_step(tmp_path: Path) -> None:
    flow = PROVE_FLOW.replace('who = "Oppdager"', 'who = "{{ oppdager }}"')
    p = only(broken(tmp_path, flow), "«who» i et neste steg bruker «oppdager»")
    assert (p.line, p.step) == (line_of(flow, 'who = "{{ oppdager }}"'), "samtykke")


def test_duplicate_choice_values(tmp_path: Path) -> None:
    flow = PROVE_FLOW.replace('{ value = "annen", label', '{ value = "fastlege", label')
    flow = flow.replace("when = \"rolle == 'annen'\"", "when = \"rolle == 'fastlege'\"")
    p = only(broken(tmp_path, flow), "står to ganger")
    assert (p.line, p.step) == (line_of(flow, 'value = "fastlege"', 2), "rolle")


def test_condition_with_a_value_that_is_no_choice_makes_step_unreachable(tmp_path: Path) -> None:
    flow = PROVE_FLOW.replace("when = \"rolle == 'annen'\"", "when = \"rolle == 'andre'\"")
    problems = broken(tmp_path, flow)
    p = only(problems, "med «andre», som ikke er et av valgene")
    assert (p.line, p.step) == (line_of(flow, "rolle == 'andre'"), "annen_rolle")
    p = only(problems, "kan aldri stilles")
    assert p.step == "annen_rolle"


def test_multiselect_membership_with_unknown_value(tmp_path: Path) -> None:
    flow = PROVE_FLOW.replace(
        "when = \"'barn' in gjelder_hvem\"", "when = \"'baby' in gjelder_hvem\""
    )
    problems = broken(tmp_path, flow)
    only(problems, "«gjelder_hvem» med «baby»")
    assert only(problems, "kan aldri stilles").step == "antall_barn"


def test_constant_false_condition(tmp_path: Path) -> None:
    flow = PROVE_FLOW.replace(
        "when = \"rolle == 'annen'\"", "when = \"rolle == 'annen' and not rolle\""
    )
    p = only(broken(tmp_path, flow), "kan aldri stilles")
    assert (p.line, p.step) == (line_of(flow, "and not rolle"), "annen_rolle")


def test_step_depending_on_unreachable_step_is_unreachable(tmp_path: Path) -> None:
    flow = PROVE_FLOW.replace(
        'when = "samtykke"\nsource = "Prøverutinen punkt 5"', 'when = "false"\nsource = "x"'
    ).replace(
        'prompt = "Beskriv bekymringen kort."',
        'prompt = "Beskriv bekymringen kort."\nwhen = "samtykke_dato is none"',
    )
    problems = broken(tmp_path, flow)
    assert [p.step for p in problems if "kan aldri stilles" in p.message] == ["samtykke_dato"]
    # a condition over a date cannot be decided by trying values: no guess
    flow2 = flow.replace('when = "samtykke_dato is none"', 'when = "samtykke_dato is not none"')
    steps = [p.step for p in broken(tmp_path, flow2) if "kan aldri stilles" in p.message]
    assert steps == ["samtykke_dato", "beskrivelse"]


def test_document_and_action_that_never_apply(tmp_path: Path) -> None:
    flow = PROVE_FLOW.replace('when = "samtykke"\nfilename', "when = \"rolle == 'lege'\"\nfilename")
    flow = flow.replace('if = "samtykke"', 'if = "samtykke and not samtykke"')
    problems = broken(tmp_path, flow)
    assert only(problems, "Dokumentet «soknad» lages aldri").line == line_of(
        flow, "rolle == 'lege'"
    )
    assert only(problems, "kommer aldri med").step == "samtykke"


def test_empty_section(tmp_path: Path) -> None:
    flow = PROVE_FLOW.replace(
        'section = "Vurdering"\nprompt = "Beskriv', 'section = ""\nprompt = "Beskriv'
    )
    p = only(broken(tmp_path, flow), "«section» er tom")
    assert (p.line, p.step) == (line_of(flow, 'section = ""'), "beskrivelse")


def test_section_whose_steps_can_never_be_asked(tmp_path: Path) -> None:
    flow = PROVE_FLOW.replace(
        'section = "Samtykke"\nprompt = "Når', 'section = "Dato"\nprompt = "Når'
    )
    flow = flow.replace(
        'when = "samtykke"\nsource = "Prøverutinen punkt 5"',
        'when = "samtykke and false"\nsource = "x"',
    )
    p = only(broken(tmp_path, flow), "Delen «Dato» er tom")
    assert p.step == "samtykke_dato"


def test_split_section_is_a_warning(tmp_path: Path) -> None:
    flow = PROVE_FLOW.replace(
        'section = "Vurdering"\nprompt = "Beskriv', 'section = "Innledning"\nprompt = "Beskriv'
    )
    p = only(broken(tmp_path, flow), "står to steder")
    assert p.warning and p.step == "beskrivelse"


def test_missing_document_template(tmp_path: Path) -> None:
    problems = broken(tmp_path, PROVE_FLOW, {"prove-notat.md.j2": PROVE_NOTAT})
    p = only(problems, "Fant ikke malen «prove-soknad.md.j2»")
    assert p.line == line_of(PROVE_FLOW, 'template = "prove-soknad.md.j2"')


def test_step_without_source_is_a_warning_and_exit_0(tmp_path: Path) -> None:
    flow = PROVE_FLOW.replace('source = "Prøverutinen punkt 8"\n', "")
    p = only(broken(tmp_path, flow), "mangler «source»")
    assert p.warning and p.step == "beskrivelse"
    code, out, err = run(["flyt", "sjekk", str(tmp_path / "f" / "prove.toml")])
    assert code == 0
    assert out.strip().endswith(
        "beskrivelse: advarsel: Steget mangler «source»: skriv hvor i rutinen det kommer fra."
    )
    assert "1 advarsel" in err


def test_every_problem_is_listed_not_only_the_first(tmp_path: Path) -> None:
    flow = (
        PROVE_FLOW.replace('type = "number"', 'type = "tall"')
        .replace('id = "annen_rolle"', 'id = "rolle"')
        .replace('when = "samtykke"\nsource', 'when = "samtykket"\nsource')
        .replace('{ value = "fastlege", label', '{ value = "helsesykepleier", label')
        .replace('source = "Prøverutinen punkt 8"\n', "")
    )
    path = write_flow(tmp_path / "f", flow, {"prove-notat.md.j2": PROVE_NOTAT + "{{ ukjent }}\n"})
    code, out, err = run(["flyt", "sjekk", str(path)])
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == 7, out
    tall = line_of(flow, 'type = "tall"')
    rolle = line_of(flow, 'id = "rolle"', 2)
    assert f"{path}:{tall}: antall_barn: Ukjent stegtype «tall»" in out
    assert f"{path}:{rolle}: rolle: Steg-id-en er brukt før" in out
    assert "samtykke_dato: «when» viser til «samtykket»" in out
    assert "rolle: Valget «helsesykepleier» står to ganger" in out
    assert "beskrivelse: advarsel: Steget mangler «source»" in out
    assert "prove-notat.md.j2:" in out and "«ukjent»" in out
    assert "Fant ikke malen «prove-soknad.md.j2»" in out
    assert "6 feil og 1 advarsel" in err
    # problems are in file order
    numbers = [int(x.split(":")[1]) for x in lines if x.startswith(str(path) + ":")]
    assert numbers == sorted(numbers)


def test_all_flows_when_none_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    own = tmp_path / "egne"
    write_flow(own, PROVE_FLOW.replace('type = "number"', 'type = "tall"'))
    monkeypatch.setenv("OMSORGSLINJE_FLYTER", str(own))
    code, out, err = run(["flyt", "sjekk"])
    assert code == 1
    assert out.count("\n") == 1 and "Ukjent stegtype «tall»" in out
    assert "Sjekket 3 flyter" in err  # the two built-in ones are clean


def test_flow_by_id_and_unknown_name(tmp_path: Path) -> None:
    code, out, _ = run(["flyt", "sjekk", "oppdager"])
    assert (code, out) == (0, "")
    code, out, _ = run(["flyt", "sjekk", "finnes_ikke"])
    assert code == 1 and out.startswith("finnes_ikke: Fant ingen flyt")


def test_missing_and_non_utf8_files(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.toml"
    bad.write_bytes('[flow]\nid = "bl\u00e5"\n'.encode("latin-1"))
    code, out, _ = run(["flyt", "sjekk", str(tmp_path / "borte.toml"), str(bad)])
    assert code == 1
    assert "borte.toml: Filen finnes ikke." in out
    assert "latin1.toml: Filen er ikke gyldig UTF-8" in out


def test_flow_id_that_is_not_the_file_name_is_a_warning(tmp_path: Path) -> None:
    path = write_flow(tmp_path / "f", PROVE_FLOW, name="annet.toml")
    problems = check_file(path)
    p = only(problems, "er ikke filnavnet")
    assert p.warning and p.line == line_of(PROVE_FLOW, 'id = "prove"')


def test_prompt_and_help_naming_unknown_or_later_steps(tmp_path: Path) -> None:
    flow = PROVE_FLOW.replace(
        'prompt = "Har familien gitt samtykke?"', 'prompt = "Har {{ foreldre }} gitt samtykke?"'
    ).replace('help = "Bruk initialer, aldri fullt navn."', 'help = "Du er {{ rolle }}."')
    problems = broken(tmp_path, flow)
    p = only(problems, "«foreldre», som ikke er et steg")
    assert (p.line, p.step, p.warning) == (line_of(flow, "{{ foreldre }}"), "samtykke", False)
    p = only(problems, "«rolle», som ikke er besvart ennå")
    assert (p.line, p.step, p.warning) == (line_of(flow, "{{ rolle }}"), "initialer", True)
