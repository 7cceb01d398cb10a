"""End to end in a pseudo-terminal: the installed script, real prompts, real keys.

questionary prompts (Ctrl-B and «← Tilbake» go back, F1 and `?` show help and source), the
review with a changed answer, stdout redirected while prompts still work, `--enkel`, TERM=dumb
and NO_COLOR. Runs the test flow `prove` (every step type) and the built-in flow `oppdager`.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import PROVE_ANSWERS, TINY_FLOW, CliResult, mode, real_flow, write_flow
from ptyhelp import (
    CTRL_B,
    DOWN,
    ENTER,
    F1,
    INFO,
    LIST,
    PANEL,
    PROGRESS,
    REVIEW,
    SUBMIT_TEXTAREA,
    Session,
    loose,
    screen,
)

pytestmark = pytest.mark.pty

TEXT = "< tilbake · ? hjelp"
TEXT_OPTIONAL = "Esc og så Enter lagrer · kan stå tomt · < tilbake · ? hjelp"
DATE = "dd.mm.åååå, eller «i dag» / «i morgen» · < tilbake · ? hjelp"
NUMBER = "Et tall · < tilbake · ? hjelp"
CHECKBOX = "mellomrom krysser av den markerte, Enter bekrefter"
SGR = re.compile(r"\x1b\[([0-9;]*)m")

Run = Callable[..., CliResult]


def colour_codes(text: str) -> list[str]:
    """SGR sequences in the output that set a colour (foreground or background)."""
    found = []
    for m in SGR.finditer(text):
        params = [int(p) for p in m.group(1).split(";") if p.isdigit()]
        i = 0
        while i < len(params):
            p = params[i]
            if p in (38, 48):
                found.append(m.group(0))
                break
            if 30 <= p <= 37 or 40 <= p <= 47 or 90 <= p <= 97 or 100 <= p <= 107:
                found.append(m.group(0))
                break
            i += 1
    return found


def write_answers(tmp_path: Path, text: str, name: str = "svar.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- the test flow, every step type --------------------------------------------------------------


def test_full_run_with_back_help_and_a_change_in_the_review(
    spawn: Callable[..., Session], flow_file: Path, tmp_path: Path, run_cli: Run
) -> None:
    out = tmp_path / "notat.md"
    s = spawn(["start", flow_file, "--dato", "22.11.2026"], redirect=out)
    s.expect("Starter: Prøveflyt for tester")

    # info step: a panel, no question number
    s.expect(PANEL)
    s.expect("Husk å skrive initialer")
    s.ready(INFO)
    s.send(ENTER)

    # text: help with `?`, then answer
    s.step(1)
    s.ready(TEXT)
    s.send("?" + ENTER)
    s.expect("Bruk initialer, aldri fullt navn.")
    s.expect("Kilde: Prøverutinen punkt 2")
    s.ready(TEXT)
    s.send("AB" + ENTER)

    # select: help with F1 (choice help too), then «Annen rolle» by its number
    s.step(2)
    s.ready(LIST)
    s.send(F1)
    s.expect("Velg rollen som passer best.")
    s.expect("Helsesykepleier: På helsestasjonen.")
    s.expect("Kilde: Prøverutinen punkt 3")
    s.ready(LIST)
    s.send("3" + ENTER)

    # a step that the answer opened; back with Ctrl-B
    s.step(3)
    s.expect("Hvilken annen rolle har du?")
    s.ready(TEXT)
    s.send(CTRL_B)
    s.step(2)
    s.ready(LIST)
    s.send(ENTER)  # the answer given is pre-selected: still «Annen rolle»
    s.step(3)
    s.ready(TEXT)
    s.send("Jordmor" + ENTER)

    # confirm: the `?` key in a list shows help; `j` picks Ja
    s.step(4)
    s.expect("Har familien gitt samtykke?")
    s.ready(LIST)
    s.send("?")
    s.expect("Samtykket skal være skriftlig.")
    s.expect("Kilde: Prøverutinen punkt 4")
    s.ready(LIST)
    s.send("j" + ENTER)  # Ja

    # date, then back from the multiselect with «<» and forward again
    s.step(5)
    s.ready(DATE)
    s.send("31.02.2026" + ENTER)  # not a date: refused at the prompt, and said why
    s.expect(loose("31.02.2026 finnes ikke"))
    s.send("\x15" + "01.11.2026" + ENTER)  # Ctrl-U clears the line
    s.step(6)
    s.ready(CHECKBOX)
    s.send("<")
    s.step(5)
    s.ready(DATE)
    s.send(ENTER)  # keeps the date given
    s.step(6)
    s.ready(CHECKBOX)
    s.send(ENTER)  # nothing chosen: at least one is required, said at the prompt
    s.expect("Dette spørsmålet må besvares.")
    s.send("1" + DOWN + " " + ENTER)  # Gravid (by number) and Barn 0–3 år

    # number, then textarea over two lines
    s.step(7)
    s.ready(NUMBER)
    s.send("2" + ENTER)
    s.step(8)
    s.ready(TEXT_OPTIONAL)
    s.send("Første linje" + ENTER + "Andre linje" + SUBMIT_TEXTAREA)

    # the review: the table, then change «rolle» to Fastlege
    s.expect("Gjennomgang av svarene")
    s.review()
    s.send("2" + ENTER)  # Endre et svar
    s.expect("Nummeret på svaret du vil endre")
    s.send("2" + ENTER)  # 2. Hvilken rolle har du?
    s.step(2)
    s.ready(LIST)
    s.send("\x1b[A" + ENTER)  # up from «Annen rolle» (pre-selected): Fastlege
    # annen_rolle no longer applies; every later step is still answered: back to the review
    s.expect("Gjennomgang av svarene")
    s.review()
    s.send("1" + ENTER)  # Ja, lag dokumentene
    s.save_all(tmp_path / "alle")  # with consent, the application is offered too
    assert s.finish() == 0, screen(s.text)
    assert (tmp_path / "alle" / "prove-soknad.md").exists()

    doc = out.read_text(encoding="utf-8")
    assert doc.startswith("# Journalnotat: Prøveflyt for tester\n")
    assert "\x1b" not in doc
    for prompt_text in ("Spørsmål 1 av", REVIEW, "Gå videre", "Hjelp", "Kilde: Prøverutinen punkt"):
        assert prompt_text not in doc
    assert "| Hvilken rolle har du? | Fastlege |" in doc
    assert "Jordmor" not in doc  # the hidden step's answer never reaches the note
    assert "Annen rolle: Ikke aktuelt" in doc
    assert "| Når ble samtykket gitt? | 01.11.2026 |" in doc
    assert "| Hva gjelder bekymringen? | Gravid; Barn 0–3 år |" in doc
    assert "Første linje" in doc and "Andre linje" in doc
    # the same answers without prompts give the same document
    same = write_answers(
        tmp_path,
        PROVE_ANSWERS.replace(
            'rolle = "annen"\nannen_rolle = "Jordmor"\n', 'rolle = "fastlege"\n'
        ).replace(
            'beskrivelse = "Kort beskrivelse."', 'beskrivelse = "Første linje\\nAndre linje"'
        ),
        "samme.toml",
    )
    r = run_cli(["start", flow_file, "--svar", same, "--dato", "22.11.2026"])
    assert r.returncode == 0, r.stderr
    assert r.stdout == doc
    # prompts and messages went to the terminal, in colour
    assert colour_codes(s.text), "expected colours without NO_COLOR"


def test_back_entry_and_ctrl_b_at_the_first_question(
    spawn: Callable[..., Session], flow_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "ut.md"
    s = spawn(["start", flow_file, "--ut", out])
    s.expect(PANEL)
    s.ready(INFO)
    s.send(CTRL_B)
    s.expect("Du er ved første spørsmål.")
    s.ready(INFO)
    s.send(ENTER)
    s.step(1)
    s.ready(TEXT)
    s.send("AB" + ENTER)
    s.step(2)
    s.ready(LIST)
    s.send("<")  # `<` in a list goes back
    s.step(1)
    s.ready(TEXT)
    s.send("<" + ENTER)  # `<` typed after the pre-filled «AB» goes back; «AB<» is no answer
    s.expect(PANEL)
    s.ready(INFO)
    s.send(ENTER)
    s.step(1)
    s.ready(TEXT)
    s.send(ENTER)  # keeps AB
    s.step(2)
    s.ready(LIST)
    s.send("f" + ENTER)  # Fastlege, by its first letter
    s.step(3)
    s.ready(LIST)
    s.send("n" + ENTER)  # Nei
    s.step(4)
    s.ready(CHECKBOX)
    s.send("3" + ENTER)  # Rus i familien
    s.step(5)
    s.ready(TEXT_OPTIONAL)
    s.send(SUBMIT_TEXTAREA)  # left empty
    s.review()
    s.send("1" + ENTER)
    assert s.finish() == 0, screen(s.text)
    doc = out.read_text(encoding="utf-8")
    assert "| Initialer eller saksreferanse? | AB |" in doc
    assert "| Hvilken rolle har du? | Fastlege |" in doc
    assert "| Har familien gitt samtykke? | Nei |" in doc
    assert "| Hva gjelder bekymringen? | Rus i familien |" in doc
    assert "| Beskriv bekymringen kort. | Ikke besvart |" in doc
    assert "Neste steg" not in doc
    assert f"Skrev Journalnotat til {out}" in screen(s.text)
    assert mode(out) == 0o600


def test_no_color(spawn: Callable[..., Session], flow_file: Path, tmp_path: Path) -> None:
    s = spawn(["start", flow_file, "--ut", tmp_path / "x.md"], env={"NO_COLOR": "1"})
    s.expect(PANEL)
    s.ready(INFO)
    s.send(F1)
    s.expect("Kilde: Prøverutinen punkt 1")
    s.ready(INFO)
    s.send(ENTER)
    s.ready(TEXT)
    s.send("x" * 21 + ENTER)  # too long: the error is shown at the prompt
    s.expect("høyst 20 tegn")
    s.send("\x15AB" + ENTER)
    s.ready(LIST)
    s.send("1" + ENTER)
    s.step(3)
    s.ready(LIST)
    s.send("2" + ENTER)
    s.ready(CHECKBOX)
    s.send("1" + ENTER)
    s.ready(TEXT_OPTIONAL)
    s.send(SUBMIT_TEXTAREA)
    s.review()
    s.send("1" + ENTER)
    assert s.finish() == 0, screen(s.text)
    assert colour_codes(s.text) == []
    assert "\x1b[38" not in s.text


# --- plain mode ----------------------------------------------------------------------------------


def plain_run(s: Session) -> None:
    s.expect("Starter: Prøveflyt for tester")
    s.expect(r"< går tilbake, \? viser hjelp og kilde")
    s.expect("Del 1 av 3: Innledning · Til informasjon")
    s.expect("Trykk Enter for å gå videre: ")
    s.send(ENTER)
    s.expect("Spørsmål 1")
    s.expect("Initialer eller saksreferanse\\?: ")
    s.send("?" + ENTER)
    s.expect("Bruk initialer, aldri fullt navn.")
    s.expect("Kilde: Prøverutinen punkt 2")
    s.expect("Initialer eller saksreferanse\\?: ")
    s.send("AB" + ENTER)
    s.expect(r"  1\) Helsesykepleier")
    s.expect("På helsestasjonen.")  # a choice's explanation, whole
    s.expect(r"  3\) Annen rolle")
    s.expect("Skriv 1, 2 eller 3: ")
    s.send(ENTER)  # nothing pre-selected: Enter alone says what is needed
    s.expect("Dette spørsmålet må besvares. Skriv 1, 2 eller 3.")
    s.send("3" + ENTER)
    s.expect("Hvilken annen rolle har du\\?: ")
    s.send("<" + ENTER)
    s.expect(r"Skriv 1, 2 eller 3 \[Annen rolle\]: ")
    s.send("7" + ENTER)
    s.expect("«7» er ikke et av valgene. Skriv 1, 2 eller 3.")
    s.expect(r"Skriv 1, 2 eller 3 \[Annen rolle\]: ")
    s.send("f" + ENTER)  # Fastlege, by its first letter
    s.expect(r"Har familien gitt samtykke\?")
    s.expect("Skriv 1 eller 2: ")
    s.send("j" + ENTER)
    s.expect(r"Når ble samtykket gitt\? \(dd.mm.åååå, «i dag» eller «i morgen»\): ")
    s.send("1.11.2026" + ENTER)
    s.expect(r"Skriv numrene \(1, 2 eller 3\), skilt med komma: ")
    s.send("1,2" + ENTER)
    s.expect(r"Hvor mange barn under 3 år\? \(tall\): ")
    s.send("2" + ENTER)
    s.expect("Avslutt med en tom linje.")
    s.expect("> ")
    s.send("Første linje" + ENTER)
    s.expect("> ")
    s.send("Andre linje" + ENTER)
    s.expect("> ")
    s.send(ENTER)
    s.expect("Gjennomgang av svarene:")
    s.expect("Innledning")
    s.expect(r"  2\) Hvilken rolle har du\? — Fastlege")
    s.expect("Skriv ja for å lage dokumentene")
    s.send("3" + ENTER)  # 3) samtykke
    s.expect(r"Skriv 1 eller 2 \[Ja\]: ")
    s.send("nei" + ENTER)
    s.expect("Gjennomgang av svarene:")
    s.expect("Skriv ja for å lage dokumentene")
    s.send(ENTER)  # Enter alone makes nothing
    s.expect("Skriv ja, et nummer fra 1 til")
    s.send("ja" + ENTER)


def check_plain_document(doc: str) -> None:
    assert doc.startswith("# Journalnotat: Prøveflyt for tester\n")
    assert "| Hvilken rolle har du? | Fastlege |" in doc
    assert "| Har familien gitt samtykke? | Nei |" in doc
    assert "Samtykkedato: Ikke aktuelt" in doc
    assert "01.11.2026" not in doc
    assert "Første linje" in doc and "Andre linje" in doc


def test_enkel_full_run(spawn: Callable[..., Session], flow_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "notat.md"
    s = spawn(["start", flow_file, "--enkel"], redirect=out)
    plain_run(s)
    assert s.finish() == 0, screen(s.text)
    check_plain_document(out.read_text(encoding="utf-8"))
    assert "\x1b[" not in s.text.replace("\x1b[?2004l", "").replace("\x1b[?2004h", "")


def test_term_dumb_picks_plain_mode(
    spawn: Callable[..., Session], flow_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "notat.md"
    s = spawn(["start", flow_file], redirect=out, env={"TERM": "dumb"})
    plain_run(s)
    assert s.finish() == 0, screen(s.text)
    check_plain_document(out.read_text(encoding="utf-8"))


# --- the built-in flow `oppdager`, answering its real prompts ------------------------------------

TEXTS = {
    "Hva er rollen din?": "Testrolle før endring",
    "Hvilken tjeneste eller enhet": "Helsestasjonen",
    "Initialer eller saksreferanse": "K.N.",
    "Telefonnummeret ditt": "12 34 56 78",
    "E-postadressen din": "melder@kommune.example",
}


def answer_everything(s: Session, typed: list[str], limit: int = 120) -> int:
    """Answer each prompt by its kind (first choice, «Ja», a date, a number, some text) until
    the review. Returns how many questions were asked."""
    kinds = [
        INFO,
        "mellomrom krysser av",
        LIST,
        "dd.mm.åååå, eller",
        "Et tall ·",
        "Flere linjer:",
        "< tilbake",
    ]
    for asked in range(limit):
        which = s.expect([PROGRESS, "Til informasjon", "Gjennomgang av svarene"])
        if which == 2:
            return asked
        s.expect(r"\?(?:\x1b\[[0-9;]*m)* ([^\x1b\r\n]+)")  # the question
        question = screen(s.child.match.group(1)).strip()
        kind = kinds[s.expect([loose(k) for k in kinds])]
        if kind == INFO:
            s.send(ENTER)
        elif kind in (LIST, "mellomrom krysser av"):
            s.send("1" + ENTER)
        elif kind == "dd.mm.åååå, eller":
            s.send("\x15" + "20.11.2026" + ENTER)
        elif kind == "Et tall ·":
            s.send("\x15" + "18" + ENTER)
        elif kind == "Flere linjer:":
            text = f"Tekst nummer {asked}"
            typed.append(text)
            s.send(text + SUBMIT_TEXTAREA)
        else:
            text = next((v for k, v in TEXTS.items() if k in question), f"Svar {asked}")
            typed.append(text)
            s.send("\x15" + text + ENTER)
    raise AssertionError("the interview did not reach the review")


def test_oppdager_full_run(spawn: Callable[..., Session], tmp_path: Path, run_cli: Run) -> None:
    if real_flow("oppdager") is None:
        pytest.skip("flows/oppdager.toml finnes ikke ennå")
    folder = tmp_path / "sak"
    s = spawn(["oppdager", "--ut-mappe", folder, "--dato", "20.11.2026"])
    s.expect("Starter: Oppdager")
    typed: list[str] = []
    asked = answer_everything(s, typed)
    assert asked >= 10, screen(s.text)
    # change the role in the review (the first answers are about acute danger)
    s.review()
    role = re.search(r"(\d+)\. Hva er rollen din\?", screen(s.text))
    assert role, screen(s.text)[-3000:]
    s.send("2" + ENTER)
    s.expect("Nummeret på svaret du vil endre")
    s.send(role.group(1) + ENTER)
    s.expect(PROGRESS)
    s.ready(TEXT)
    s.send("\x15" + "Testrolle etter endring" + ENTER)
    s.expect("Gjennomgang av svarene")
    s.review()
    s.send("1" + ENTER)
    assert s.finish() == 0, screen(s.text)[-3000:]

    note = folder / "oppdager-notat.md"
    record = folder / "oppdager-svar.toml"
    assert note.exists() and record.exists(), sorted(p.name for p in folder.iterdir())
    text = note.read_text(encoding="utf-8")
    assert text.startswith("# ")
    assert "Testrolle etter endring" in text
    assert "Testrolle før endring" not in text
    assert "Helsestasjonen" in text
    assert "\x1b" not in text
    data = tomllib.loads(record.read_text(encoding="utf-8"))
    assert data["svar"]["rolle"] == "Testrolle etter endring"
    assert data["svar"]["tjeneste"] == "Helsestasjonen"
    given = {v for v in data["svar"].values() if isinstance(v, str)}
    for text_typed in typed:
        if text_typed == "Testrolle før endring":
            continue  # the role, changed in the review
        assert text_typed in given, text_typed
    # replaying the record gives the same note
    again = run_cli(["oppdager", "--svar", record, "--ikke-interaktiv"])
    assert again.returncode == 0, again.stderr
    assert again.stdout == text


# --- no answer by accident -----------------------------------------------------------------------


def test_lists_open_with_nothing_chosen_and_letters_pick(
    spawn: Callable[..., Session], flow_file: Path, tmp_path: Path
) -> None:
    """`j` picks Ja (it used to move the highlight down to Nei), a lone Enter records nothing
    and says what is needed, and a typed letter that fits no choice is said so."""
    out = tmp_path / "ut.md"
    s = spawn(["start", flow_file, "--ut", out, "--uten-utkast"])
    s.ready(INFO)
    s.send(ENTER)
    s.ready(TEXT)
    s.send("AB" + ENTER)
    s.step(2)
    s.ready(LIST)
    s.send(ENTER)  # nothing highlighted: no answer
    s.expect(loose("Velg et svar: skriv nummeret (1–3)"))
    s.send("x")
    s.expect(loose("Ingen valg passer med «x»"))
    s.send("\x7f" + "hel" + ENTER)  # Backspace, then the beginning of «Helsesykepleier»
    s.expect(loose("Hvilken rolle har du? Helsesykepleier"))
    s.step(3)
    s.ready(LIST)
    s.send(ENTER)
    s.expect(loose("Velg et svar"))
    s.send("j" + ENTER)
    s.expect(loose("Har familien gitt samtykke? Ja"))
    s.step(4)  # samtykke_dato: asked only after Ja
    s.ready(DATE)
    s.send("i dag" + ENTER)
    s.step(5)
    s.ready(CHECKBOX)
    s.send("2" + ENTER)
    s.step(6)
    s.ready(NUMBER)
    s.send("uke 3" + ENTER)  # «uke 3» is 3
    s.step(7)
    s.ready(TEXT_OPTIONAL)
    s.send(SUBMIT_TEXTAREA)
    s.review()
    s.send(ENTER)  # the review has no pre-selected answer either
    s.expect(loose("Velg et svar"))
    s.send("1" + ENTER)
    s.save_all(tmp_path / "alle")
    assert s.finish() == 0, screen(s.text)
    doc = out.read_text(encoding="utf-8")
    assert "| Har familien gitt samtykke? | Ja |" in doc
    assert "| Hvilken rolle har du? | Helsesykepleier |" in doc
    assert "Antall barn: 3" in doc


URGENT_FLOW = (
    TINY_FLOW
    + '''
[[steps]]
id = "plikt"
type = "info"
level = "urgent"
prompt = """
Du har meldeplikt. Meld direkte til barnevernstjenesten,
i dag.
"""

[[steps]]
id = "merk"
type = "info"
prompt = "Til orientering: rutinen har et vedlegg."
'''
)


def test_urgent_panels_look_different_from_information_also_without_colour(
    spawn: Callable[..., Session], tmp_path: Path
) -> None:
    flow = write_flow(tmp_path / "f", URGENT_FLOW, {"t.md.j2": "{{ navn }}\n"}, "t.toml")
    s = spawn(["start", flow, "--uten-utkast"], redirect=tmp_path / "ut.md", env={"NO_COLOR": "1"})
    s.ready(TEXT)
    s.send("AB" + ENTER)
    s.expect("VIKTIG")
    s.expect("┃")  # a heavy frame, not only a colour
    # the flow file's line break is not layout: the sentence is one line in the panel
    s.expect(loose("Meld direkte til barnevernstjenesten, i dag."))
    s.ready(INFO)
    s.send(ENTER)
    s.expect(loose("Til orientering: rutinen har et vedlegg."))
    s.ready(INFO)
    before = s.child.before
    assert "VIKTIG" not in before and "┃" not in before
    s.send(ENTER)
    s.review()
    s.send("1" + ENTER)
    assert s.finish() == 0, screen(s.text)


def test_a_full_name_where_initials_belong_gets_a_gentle_warning(
    spawn: Callable[..., Session], flow_file: Path, tmp_path: Path
) -> None:
    s = spawn(["start", flow_file, "--uten-utkast", "--ut", tmp_path / "ut.md"])
    s.ready(INFO)
    s.send(ENTER)
    s.step(1)
    s.ready(TEXT)
    s.send("Kari Nordmann" + ENTER)
    s.expect(loose("Dette ser ut som et fullt navn."))
    s.ready(TEXT)  # asked again, the text back in the box to correct
    s.send("\x15" + "12.03.2019" + ENTER)
    s.expect(loose("Dette ser ut som en fødselsdato."))
    s.ready(TEXT)
    s.send(ENTER)  # sent again as it is: kept (a warning, not a rule)
    s.step(2)
    s.expect("Hvilken rolle har du?")
    s.send("\x03")
    assert s.finish() == 130


def test_the_glossary_is_one_key_away_in_both_front_ends(
    spawn: Callable[..., Session], tmp_path: Path
) -> None:
    flow = write_flow(
        tmp_path / "g",
        TINY_FLOW.replace(
            "[flow.documents.notat]",
            '[flow.glossary]\nsaksreferanse = "Et nummer eller initialer som ikke røper hvem det gjelder."\n\n'
            "[flow.documents.notat]",
        ),
        {"t.md.j2": "{{ navn }}\n"},
        "t.toml",
    )
    s = spawn(["start", flow, "--uten-utkast"], redirect=tmp_path / "ut.md")
    s.ready("F2 ordliste")
    s.send("\x1bOQ")  # F2
    s.expect(loose("saksreferanse: Et nummer eller initialer som ikke røper hvem det gjelder."))
    s.send("\x03")
    assert s.finish() == 130
    s = spawn(["start", flow, "--uten-utkast", "--enkel"], redirect=tmp_path / "ut2.md")
    s.expect(loose("?? viser ordlisten."))
    s.expect("Initialer\\?: ")
    s.send("??" + ENTER)
    s.expect(loose("saksreferanse: Et nummer eller initialer som ikke røper hvem det gjelder."))
    s.expect("Initialer\\?: ")
    s.send("\x03")
    assert s.finish() == 130
