"""The installed console script without a terminal: answers files, documents, errors, stdout.

Every run here has stdin from /dev/null or a pipe, so the script must never prompt.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import (
    PROVE_ANSWERS,
    PROVE_FLOW,
    PROVE_NOTAT,
    CliResult,
    mode,
    real_flow,
    write_flow,
)

Run = Callable[..., CliResult]


def no_traceback(r: CliResult) -> None:
    assert "Traceback" not in r.stderr
    assert "Traceback" not in r.stdout
    assert "Intern feil" not in r.stderr


def fails_with(r: CliResult, code: int = 2) -> str:
    """The run failed cleanly: exit code, nothing on stdout, no traceback. Returns stderr."""
    assert r.returncode == code, (r.returncode, r.stderr)
    assert r.stdout == ""
    no_traceback(r)
    return r.stderr


# --- missing answers and bad values ------------------------------------------------------------


@pytest.mark.parametrize("flag", [[], ["--ikke-interaktiv"]])
def test_missing_answers_are_listed_at_once_with_their_prompts(
    run_cli: Run, flow_file: Path, flag: list[str]
) -> None:
    err = fails_with(run_cli(["start", flow_file, *flag]))
    for sid, prompt in [
        ("initialer", "Initialer eller saksreferanse?"),
        ("rolle", "Hvilken rolle har du?"),
        ("samtykke", "Har familien gitt samtykke?"),
        ("gjelder_hvem", "Hva gjelder bekymringen?"),
    ]:
        assert f"{sid}: {prompt}" in err
    assert "4 påkrevde" in err
    # hidden and optional steps are not asked for
    for sid in ("annen_rolle", "samtykke_dato", "antall_barn", "beskrivelse", "velkommen"):
        assert f"{sid}:" not in err


def test_missing_answers_that_a_given_answer_opens(
    run_cli: Run, flow_file: Path, tmp_path: Path
) -> None:
    svar = tmp_path / "delvis.toml"
    svar.write_text('[svar]\nrolle = "annen"\nsamtykke = true\n', encoding="utf-8")
    err = fails_with(run_cli(["start", flow_file, "--svar", svar, "--ikke-interaktiv"]))
    assert "annen_rolle: Hvilken annen rolle har du?" in err
    assert "samtykke_dato: Når ble samtykket gitt?" in err
    assert "rolle: Hvilken rolle har du?" not in err.replace("annen_rolle:", "")


def test_missing_answers_with_stdin_from_a_pipe_never_prompts(
    run_cli: Run, flow_file: Path
) -> None:
    r = run_cli(["start", flow_file], input="AB\n1\n")
    err = fails_with(r)
    assert "initialer: Initialer eller saksreferanse?" in err


def test_bad_value_names_the_step_and_the_allowed_values(
    run_cli: Run, flow_file: Path, tmp_path: Path
) -> None:
    svar = tmp_path / "feil.toml"
    svar.write_text('[svar]\ninitialer = "AB"\nrolle = "sjef"\n', encoding="utf-8")
    err = fails_with(run_cli(["start", flow_file, "--svar", svar]))
    assert f"{svar.name}:3" in err
    assert "rolle" in err
    assert "helsesykepleier, fastlege, annen" in err


def test_bad_multiselect_value(run_cli: Run, flow_file: Path, tmp_path: Path) -> None:
    svar = tmp_path / "feil.toml"
    svar.write_text('[svar]\ngjelder_hvem = ["gravid", "eldre"]\n', encoding="utf-8")
    err = fails_with(run_cli(["start", flow_file, "--svar", svar]))
    assert f"{svar.name}:2" in err
    assert "gjelder_hvem" in err
    assert "gravid, barn, rus" in err


@pytest.mark.parametrize(
    ("line", "sid", "words"),
    [
        ('samtykke = "kanskje"', "samtykke", "ja eller nei"),
        ('samtykke_dato = "i går"', "samtykke_dato", "dd.mm.åååå"),
        ('antall_barn = "mange"', "antall_barn", "tall"),
    ],
)
def test_bad_values_of_other_types(
    run_cli: Run, flow_file: Path, tmp_path: Path, line: str, sid: str, words: str
) -> None:
    svar = tmp_path / "feil.toml"
    svar.write_text(f"[svar]\n{line}\n", encoding="utf-8")
    err = fails_with(run_cli(["start", flow_file, "--svar", svar]))
    assert f"{svar.name}:2: {sid}:" in err
    assert words in err


# --- malformed files ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('[svar\ninitialer = "AB"\n', 1, "Ugyldig TOML"),
        ('[svar]\ninitialer = "AB"\nukjent_steg = 1\n', 3, "ukjent_steg"),
        ('[svar]\ninitialer = "AB"\n[annet]\nx = 1\n', 3, "annet"),
        ('[svar]\ninitialer = "AB"\ninitialer = "CD"\n', 3, "Ugyldig TOML"),
    ],
)
def test_malformed_answers_file(
    run_cli: Run, flow_file: Path, tmp_path: Path, text: str, line: int, words: str
) -> None:
    svar = tmp_path / "svar-feil.toml"
    svar.write_text(text, encoding="utf-8")
    err = fails_with(run_cli(["start", flow_file, "--svar", svar]))
    assert f"svar-feil.toml:{line}" in err
    assert words in err


def test_answers_file_that_does_not_exist(run_cli: Run, flow_file: Path) -> None:
    err = fails_with(run_cli(["start", flow_file, "--svar", "finnes-ikke.toml"]))
    assert "finnes-ikke.toml" in err
    assert "finnes ikke" in err


def test_answers_file_that_is_not_utf8(run_cli: Run, flow_file: Path, tmp_path: Path) -> None:
    svar = tmp_path / "latin1.toml"
    svar.write_bytes('[svar]\ninitialer = "Ø"\n'.encode("latin-1"))
    err = fails_with(run_cli(["start", flow_file, "--svar", svar]))
    assert "latin1.toml" in err
    assert "UTF-8" in err


def test_answers_file_for_another_flow(run_cli: Run, flow_file: Path, tmp_path: Path) -> None:
    svar = tmp_path / "annen.toml"
    svar.write_text('[omsorgslinje]\nflyt = "henvisning"\n\n[svar]\n', encoding="utf-8")
    err = fails_with(run_cli(["start", flow_file, "--svar", svar]))
    assert "henvisning" in err and "prove" in err


def test_two_answers_files_that_disagree(
    run_cli: Run, flow_file: Path, tmp_path: Path, answers_file: Path
) -> None:
    other = tmp_path / "annen.toml"
    other.write_text('[svar]\nrolle = "fastlege"\n', encoding="utf-8")
    err = fails_with(run_cli(["start", flow_file, "--svar", answers_file, "--svar", other]))
    assert "rolle" in err
    assert "svar.toml" in err and "annen.toml" in err


def broken_flow(tmp_path: Path, old: str, new: str) -> Path:
    assert old in PROVE_FLOW
    return write_flow(tmp_path / "brukket", PROVE_FLOW.replace(old, new, 1))


def line_of(path: Path, needle: str) -> int:
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return n
    raise AssertionError(needle)


@pytest.mark.parametrize(
    ("old", "new", "sid", "needle", "words"),
    [
        ('type = "number"', 'type = "tall"', "antall_barn", 'type = "tall"', "stegtype"),
        (
            "when = \"'barn' in gjelder_hvem\"",
            "when = \"'barn' in gjelder_hvem and\"",
            "antall_barn",
            "when = \"'barn' in gjelder_hvem and\"",
            "when",
        ),
        (
            'when = "samtykke"\nsource = "Prøverutinen punkt 5"',
            'when = "ukjent_navn"\nsource = "Prøverutinen punkt 5"',
            "samtykke_dato",
            'when = "ukjent_navn"',
            "ukjent_navn",
        ),
        (
            "when = \"rolle == 'annen'\"",
            "when = \"beskrivelse == 'x'\"",
            "annen_rolle",
            "when = \"beskrivelse == 'x'\"",
            "senere",
        ),
        ('prompt = "Hvilken rolle har du?"', 'promt = "Hvilken rolle?"', "rolle", "promt", "promt"),
        (
            "validation = { min = 1, max = 12 }",
            'validation = { min = "en" }',
            "antall_barn",
            'validation = { min = "en" }',
            "min",
        ),
    ],
    ids=["ukjent-type", "jinja-syntaks", "ukjent-navn", "senere-steg", "ukjent-nokkel", "min"],
)
def test_malformed_flow_names_file_line_and_step(
    run_cli: Run,
    tmp_path: Path,
    answers_file: Path,
    old: str,
    new: str,
    sid: str,
    needle: str,
    words: str,
) -> None:
    path = broken_flow(tmp_path, old, new)
    err = fails_with(run_cli(["start", path, "--svar", answers_file]))
    assert f"{path}:{line_of(path, needle)}: {sid}:" in err, err
    assert words in err


def test_document_condition_naming_an_unknown_step(run_cli: Run, tmp_path: Path) -> None:
    path = broken_flow(tmp_path, 'when = "samtykke"\nfilename', 'when = "ukjent"\nfilename')
    err = fails_with(run_cli(["start", path]))
    line = line_of(path, 'when = "ukjent"')
    assert f"{path}:{line}:" in err
    assert "ukjent" in err


def test_flow_that_is_not_toml(run_cli: Run, tmp_path: Path) -> None:
    path = tmp_path / "rot.toml"
    path.write_text('[flow]\nid = "rot"\ntitle = \n', encoding="utf-8")
    err = fails_with(run_cli(["start", path]))
    assert f"{path}:3" in err
    assert "Ugyldig TOML" in err


def test_flow_with_every_problem_listed(run_cli: Run, tmp_path: Path) -> None:
    text = PROVE_FLOW.replace('type = "number"', 'type = "tall"').replace(
        'id = "beskrivelse"', 'id = "initialer"'
    )
    path = write_flow(tmp_path / "to-feil", text)
    err = fails_with(run_cli(["start", path]))
    assert "antall_barn" in err and "tall" in err
    dup = line_of(path, 'type = "textarea"') - 1  # the id line of the second «initialer»
    assert f"{path}:{dup}: initialer:" in err


def test_unknown_flow(run_cli: Run) -> None:
    err = fails_with(run_cli(["start", "finnesikke"]))
    assert "finnesikke" in err
    assert "flyt liste" in err


@pytest.mark.parametrize(
    ("template", "line", "words"),
    [
        ("# Notat\n\nFelt: {{ finnes_ikke }}\n", 3, "finnes_ikke"),
        ("# Notat\n\n\n{% if %}\n", 4, "Jinja"),
        ("# Notat\n{{ initialer.__class__.__mro__ }}\n", 2, "Malen"),
    ],
)
def test_malformed_template_names_file_and_line(
    run_cli: Run, tmp_path: Path, answers_file: Path, template: str, line: int, words: str
) -> None:
    path = write_flow(
        tmp_path / "malfeil",
        templates={"prove-notat.md.j2": template, "prove-soknad.md.j2": "# S\n"},
    )
    err = fails_with(run_cli(["start", path, "--svar", answers_file]))
    assert f"prove-notat.md.j2:{line}" in err, err
    assert words in err


def test_missing_template(run_cli: Run, tmp_path: Path, answers_file: Path) -> None:
    path = write_flow(tmp_path / "utenmal", templates={})
    err = fails_with(run_cli(["start", path, "--svar", answers_file]))
    assert "prove-notat.md.j2" in err


# --- documents and where they go ---------------------------------------------------------------


def test_primary_document_to_stdout(run_cli: Run, flow_file: Path, answers_file: Path) -> None:
    r = run_cli(["start", flow_file, "--svar", answers_file, "--dato", "22.11.2026"])
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("# Journalnotat: Prøveflyt for tester\n")
    assert "Dato: 22.11.2026" in r.stdout
    assert "| Hvilken annen rolle har du? | Jordmor |" in r.stdout
    assert "- **Send søknad for AB** (Oppdager, straks)" in r.stdout
    assert r.stderr == ""
    no_traceback(r)


def test_pick_another_document(run_cli: Run, flow_file: Path, answers_file: Path) -> None:
    r = run_cli(["start", flow_file, "--svar", answers_file, "--dokument", "soknad"])
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("# Søknad\n")
    assert "Samtykke gitt: 01.11.2026" in r.stdout


def test_document_that_does_not_apply(
    run_cli: Run, flow_file: Path, answers_file: Path, tmp_path: Path
) -> None:
    nei = tmp_path / "nei.toml"
    nei.write_text(PROVE_ANSWERS.replace("samtykke = true", "samtykke = false"), encoding="utf-8")
    r = run_cli(["start", flow_file, "--svar", nei, "-d", "soknad"])
    err = fails_with(r)
    assert "soknad" in err and "gjelder ikke" in err
    # the answer to samtykke_dato does not count, and says so on stderr, not stdout
    r = run_cli(["start", flow_file, "--svar", nei])
    assert r.returncode == 0
    assert "samtykke_dato" in r.stderr
    assert "01.11.2026" not in r.stdout
    assert "Samtykkedato: Ikke aktuelt" in r.stdout


def test_unknown_document(run_cli: Run, flow_file: Path, answers_file: Path) -> None:
    err = fails_with(run_cli(["start", flow_file, "--svar", answers_file, "-d", "brev"]))
    assert "brev" in err
    assert "notat, soknad" in err


def test_out_file_is_private_and_holds_the_document(
    run_cli: Run, flow_file: Path, answers_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "notat.md"
    r = run_cli(["start", flow_file, "--svar", answers_file, "--ut", out])
    assert r.returncode == 0, r.stderr
    assert r.stdout == ""
    assert mode(out) == 0o600
    again = run_cli(["start", flow_file, "--svar", answers_file])
    assert out.read_text(encoding="utf-8") == again.stdout
    assert str(out) in r.stderr


def test_out_file_that_exists_needs_overskriv(
    run_cli: Run, flow_file: Path, answers_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "notat.md"
    out.write_text("gammelt\n", encoding="utf-8")
    r = run_cli(["start", flow_file, "--svar", answers_file, "--ut", out])
    assert r.returncode != 0
    assert r.stdout == ""
    no_traceback(r)
    assert "--overskriv" in r.stderr
    assert out.read_text(encoding="utf-8") == "gammelt\n"
    r = run_cli(["start", flow_file, "--svar", answers_file, "--ut", out, "--overskriv"])
    assert r.returncode == 0, r.stderr
    assert out.read_text(encoding="utf-8").startswith("# Journalnotat")
    assert mode(out) == 0o600


def test_out_dir_writes_every_document_of_the_case(
    run_cli: Run, flow_file: Path, answers_file: Path, tmp_path: Path
) -> None:
    d = tmp_path / "sak"
    r = run_cli(["start", flow_file, "--svar", answers_file, "--ut-mappe", d, "-f", "txt"])
    assert r.returncode == 0, r.stderr
    assert r.stdout == ""
    names = sorted(p.name for p in d.iterdir())
    assert names == [
        "prove-notat.txt",
        "prove-soknad.txt",
        "prove-sporsmal-og-svar.txt",
        "prove-svar.toml",
    ]
    assert mode(d) == 0o700
    for p in d.iterdir():
        assert mode(p) == 0o600, p
    assert "JOURNALNOTAT" in (d / "prove-notat.txt").read_text(encoding="utf-8")
    # the record replays to the same documents
    r2 = run_cli(
        ["start", flow_file, "--svar", d / "prove-svar.toml", "--ut-mappe", tmp_path / "igjen"]
    )
    assert r2.returncode == 0, r2.stderr
    assert (tmp_path / "igjen" / "prove-soknad.md").exists()
    # again into the same directory: refuses to overwrite
    r3 = run_cli(["start", flow_file, "--svar", answers_file, "--ut-mappe", d, "-f", "txt"])
    assert r3.returncode != 0
    no_traceback(r3)
    assert "--overskriv" in r3.stderr


def test_out_dir_leaves_out_documents_that_do_not_apply(
    run_cli: Run, flow_file: Path, tmp_path: Path
) -> None:
    nei = tmp_path / "nei.toml"
    nei.write_text(PROVE_ANSWERS.replace("samtykke = true", "samtykke = false"), encoding="utf-8")
    d = tmp_path / "sak"
    r = run_cli(["start", flow_file, "--svar", nei, "--ut-mappe", d])
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in d.iterdir()) == [
        "prove-notat.md",
        "prove-notat.txt",
        "prove-sporsmal-og-svar.md",
        "prove-svar.toml",
    ]


def test_ut_and_ut_mappe_together_are_refused(
    run_cli: Run, flow_file: Path, answers_file: Path, tmp_path: Path
) -> None:
    r = run_cli(
        ["start", flow_file, "--svar", answers_file, "--ut", "a.md", "--ut-mappe", tmp_path / "d"]
    )
    fails_with(r)
    assert not (tmp_path / "a.md").exists()


@pytest.mark.parametrize("fmt", ["md", "txt", "toml"])
def test_toml_replay_gives_identical_documents(
    run_cli: Run, flow_file: Path, answers_file: Path, tmp_path: Path, fmt: str
) -> None:
    rec = run_cli(["start", flow_file, "--svar", answers_file, "-f", "toml", "--dato", "3.4.2026"])
    assert rec.returncode == 0, rec.stderr
    data = tomllib.loads(rec.stdout)
    assert data["omsorgslinje"]["flyt"] == "prove"
    assert data["omsorgslinje"]["dokumenter"] == ["notat", "soknad"]
    saved = tmp_path / "sak.toml"
    saved.write_text(rec.stdout, encoding="utf-8")
    first = run_cli(["start", flow_file, "--svar", answers_file, "-f", fmt, "--dato", "3.4.2026"])
    replay = run_cli(["start", flow_file, "--svar", saved, "-f", fmt, "--ikke-interaktiv"])
    assert first.returncode == replay.returncode == 0, replay.stderr
    assert replay.stdout == first.stdout
    for doc in ("soknad",):
        a = run_cli(["start", flow_file, "--svar", answers_file, "-d", doc, "--dato", "3.4.2026"])
        b = run_cli(["start", flow_file, "--svar", saved, "-d", doc])
        assert a.stdout == b.stdout


def test_toml_record_leaves_out_hidden_answers(
    run_cli: Run, flow_file: Path, tmp_path: Path
) -> None:
    svar = tmp_path / "skjult.toml"
    svar.write_text(
        PROVE_ANSWERS.replace('rolle = "annen"', 'rolle = "fastlege"'), encoding="utf-8"
    )
    r = run_cli(["start", flow_file, "--svar", svar, "-f", "toml"])
    assert r.returncode == 0, r.stderr
    data = tomllib.loads(r.stdout)
    assert "annen_rolle" not in data["svar"]
    assert "Jordmor" not in r.stdout
    assert "annen_rolle" in r.stderr  # the user is told the answer does not count


def test_txt_has_no_markdown(run_cli: Run, flow_file: Path, answers_file: Path) -> None:
    r = run_cli(["start", flow_file, "--svar", answers_file, "--format", "txt"])
    assert r.returncode == 0, r.stderr
    for mark in ("#", "**", "|", "]("):
        assert mark not in r.stdout
    assert "Jordmor" in r.stdout


def test_unknown_format(run_cli: Run, flow_file: Path, answers_file: Path) -> None:
    err = fails_with(run_cli(["start", flow_file, "--svar", answers_file, "-f", "pdf"]))
    assert "pdf" in err and "md" in err and "txt" in err


def test_bad_date_option(run_cli: Run, flow_file: Path, answers_file: Path) -> None:
    err = fails_with(run_cli(["start", flow_file, "--svar", answers_file, "--dato", "i dag"]))
    assert "--dato" in err and "dd.mm.åååå" in err


# --- stdout carries the document alone ---------------------------------------------------------


def test_stdout_is_the_document_alone_from_devnull_and_from_a_pipe(
    script: str, cli_env: dict[str, str], flow_file: Path, answers_file: Path, tmp_path: Path
) -> None:
    hidden = tmp_path / "med-skjult.toml"
    hidden.write_text(
        PROVE_ANSWERS.replace('rolle = "annen"', 'rolle = "fastlege"'), encoding="utf-8"
    )
    args = [script, "start", str(flow_file), "--svar", str(hidden), "-f", "toml"]
    outs = []
    for stdin in (subprocess.DEVNULL, subprocess.PIPE):
        proc = subprocess.Popen(
            args,
            stdin=stdin,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=cli_env,
            cwd=tmp_path,
        )
        out, err = proc.communicate(b"ja\n" if stdin == subprocess.PIPE else None, timeout=30)
        assert proc.returncode == 0, err
        data = tomllib.loads(out.decode("utf-8"))  # stdout parses as the document
        assert data["svar"]["rolle"] == "fastlege"
        text = err.decode("utf-8")
        assert "annen_rolle" in text  # the message went to stderr
        assert "\x1b" not in text  # no colour codes when stderr is not a terminal
        outs.append(out)
    assert outs[0] == outs[1]


def test_no_color_environment_is_respected(
    run_cli: Run, flow_file: Path, answers_file: Path
) -> None:
    r = run_cli(["start", flow_file, "--svar", "x.toml"], env={"NO_COLOR": "1"})
    assert "\x1b[" not in r.stderr


# --- the command line itself -------------------------------------------------------------------


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version(run_cli: Run, flag: str) -> None:
    from omsorgslinje import __version__

    r = run_cli([flag])
    assert r.returncode == 0
    assert r.stdout.strip() == f"omsorgslinje {__version__}"


def test_unknown_option_is_a_norwegian_usage_error(run_cli: Run) -> None:
    r = run_cli(["oppdager", "--bogus"])
    err = fails_with(r)
    assert "Ukjent valg: --bogus" in err
    assert "No such option" not in err


def test_unknown_command(run_cli: Run) -> None:
    err = fails_with(run_cli(["ukjent"]))
    assert "Ukjent kommando" in err


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["opdager"], "Ukjent kommando «opdager». Mente du «oppdager»?"),
        (["utkast", "list"], "Ukjent kommando «list». Mente du «liste»?"),
    ],
)
def test_a_mistyped_command_gets_a_suggestion(run_cli: Run, args: list[str], said: str) -> None:
    err = fails_with(run_cli(args))
    assert said in err
    assert "'" not in err  # one quotation style: «»
    assert f"Se `omsorgslinje {'utkast ' if args[0] == 'utkast' else ''}--help`." in err


def test_option_without_value(run_cli: Run, flow_file: Path) -> None:
    err = fails_with(run_cli(["start", flow_file, "--svar"]))
    assert "--svar" in err
    r = run_cli(["oppdager", "--ut"])
    assert r.stderr.startswith("Feil: --ut trenger en verdi.\n")
    assert r.stderr.count("--ut") == 1  # said once, not «Feil: Feil bruk av --ut»
    assert "requires" not in err


def test_help_is_norwegian(run_cli: Run) -> None:
    r = run_cli(["--help"])
    assert r.returncode == 0
    assert "oppdager" in r.stdout and "henvisning" in r.stdout
    assert "Show this message" not in r.stdout
    r = run_cli(["start", "--help"])
    assert r.returncode == 0
    assert "--ikke-interaktiv" in r.stdout and "--ut-mappe" in r.stdout


def test_python_dash_m(
    cli_env: dict[str, str], flow_file: Path, answers_file: Path, tmp_path: Path
) -> None:
    base = [sys.executable, "-m", "omsorgslinje"]
    r = subprocess.run(
        [*base, "--version"], capture_output=True, text=True, env=cli_env, check=False
    )
    assert r.returncode == 0
    assert r.stdout.startswith("omsorgslinje ")
    r = subprocess.run(
        [*base, "start", str(flow_file), "--svar", str(answers_file)],
        capture_output=True,
        text=True,
        env=cli_env,
        stdin=subprocess.DEVNULL,
        cwd=tmp_path,
        check=False,
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("# Journalnotat")
    r = subprocess.run(
        [*base, "start", str(flow_file)],
        capture_output=True,
        text=True,
        env=cli_env,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert r.returncode == 2
    assert "Traceback" not in r.stderr


def test_nothing_is_written_to_the_real_home(
    run_cli: Run, flow_file: Path, answers_file: Path, home: Path, cli_env: dict[str, str]
) -> None:
    assert cli_env["OMSORGSLINJE_HJEM"] == str(home)
    r = run_cli(["start", flow_file, "--svar", answers_file])
    assert r.returncode == 0
    assert os.environ.get("OMSORGSLINJE_HJEM") != str(home)


# --- the built-in flows ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["oppdager", "henvisning"])
def test_builtin_flow_lists_missing_answers(run_cli: Run, name: str) -> None:
    path = real_flow(name)
    if path is None:
        pytest.skip(f"flows/{name}.toml finnes ikke ennå")
    r = run_cli([name, "--ikke-interaktiv"])
    err = fails_with(r)
    assert f"flyten «{name}»" in err
    lines = [line for line in err.splitlines() if line.startswith("  - ")]
    assert lines, err
    for line in lines:
        sid, _, prompt = line[4:].partition(": ")
        assert sid and prompt.strip(), line


def test_prove_template_is_the_one_used(flow_dir: Path) -> None:
    text = (flow_dir / "templates" / "prove-notat.md.j2").read_text(encoding="utf-8")
    assert text == PROVE_NOTAT
