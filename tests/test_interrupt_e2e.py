"""Never lose an answer: the installed script in a pseudo-terminal, interrupted every way.

Ctrl-C at every prompt of the oppdager flow in turn (plain mode, lines on stdin), then
`utkast fortsett`: the note equals one made without interruption. Ctrl-C in the full-screen
mode, SIGKILL while typing, SIGTERM, a closed terminal, and writes that fail.
"""

from __future__ import annotations

import datetime as _dt
import io
import os
import re
import signal
import stat
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pexpect
import pytest
from conftest import PROVE_ANSWERS, mode, real_flow
from ptyhelp import TIMEOUT, Session, screen

from omsorgslinje.engine import Interview
from omsorgslinje.loader import load_flow
from omsorgslinje.model import Flow, Step
from omsorgslinje.ui.plain import PlainFrontEnd

pytestmark = [pytest.mark.interrupt, pytest.mark.pty]

DATE = "20.11.2026"
ASK = r"(?:Spørsmål \d+\b|Til informasjon)"
REVIEW = "Skriv ja for å lage dokumentene"
MENU = "Hva vil du gjøre med dokumentene?"
NOTHING = "Ingen spørsmål var besvart ennå, så det er ikke lagret noe utkast."
SAVED = re.compile(r"Avbrutt\. Svarene er lagret som utkast ([a-z0-9-]+); fortsett med")


# -- a script of typed lines, one entry per question asked ---------------------------------------


def lines_for(step: Step, value: object) -> list[str]:
    """What a user types in plain mode to give `value` (None: just Enter)."""
    if step.type == "textarea":
        text = "" if value is None else str(value)
        return [line for line in text.splitlines() if line.strip()] + [""]
    if value is None or step.type == "info":
        return [""]
    if step.type == "multiselect":
        return [",".join(value)]
    if step.type == "confirm":
        return ["ja" if value else "nei"]
    if isinstance(value, _dt.date):
        return [value.strftime("%d.%m.%Y")]
    return [str(value)]


def plain_script(flow: Flow, answers: Mapping[str, Any]) -> list[list[str]]:
    """The lines for each question, in the order plain mode asks them.

    Checked by replaying them through the plain front end and the engine, as the program will.
    """
    iv = Interview.start(flow)
    script: list[list[str]] = []
    while not iv.done:
        step = iv.step
        assert step is not None
        lines = lines_for(step, answers.get(step.id))
        front = PlainFrontEnd(io.StringIO("".join(f"{line}\n" for line in lines)), io.StringIO())
        iv = iv.answer(front.ask(iv))  # an invalid reply raises: the script would be wrong
        assert iv.step is None or iv.step.id != step.id
        script.append(lines)
    return script


class Run(Session):
    """One run of the installed script in a pseudo-terminal, answered from a script of lines."""

    def __init__(self, command: str | list[str], env: dict[str, str], cwd: Path) -> None:
        # lines are buffered by the terminal: no need to wait before sending; the shared, generous
        # timeout (a loaded CI machine is slow to start, fsync and exit, and this test runs ~60)
        super().__init__(
            command, env, cwd, timeout=TIMEOUT, dimensions=(40, 120), delaybeforesend=None
        )
        self.cwd = cwd
        self.ended: str | None = None  # the output before the end, once `accept` saw it

    def accept(self) -> None:
        """At the review: make the documents. When the case has more documents than the one
        written (the application, with consent), the end offers them: save them all in a new
        folder, so that every one is delivered and the draft can go."""
        self.child.sendline("ja")
        if self.child.expect([MENU, pexpect.EOF]) == 1:
            self.ended = self.child.before
            return
        self.child.expect(r"Skriv et nummer \(1–\d+\): ")
        self.child.sendline("1")  # Lagre dokumentene i en mappe
        self.child.expect("Hvilken mappe")
        folders = sorted(self.cwd.glob("alle-*"))
        self.child.sendline(str(self.cwd / f"alle-{len(folders) + 1}"))

    def drive(self, script: list[list[str]], start: int = 0, stop: int | None = None) -> None:
        """Answer questions `start`.. from `script`; Ctrl-C at question `stop` (len: review)."""
        for i in range(start, len(script)):
            self.child.expect(ASK)
            if i == stop:
                self.child.sendintr()
                return
            for line in script[i]:
                self.child.sendline(line)
        self.child.expect(REVIEW)
        if stop == len(script):
            self.child.sendintr()
            return
        self.accept()

    def up_to_the_role(self, plain: bool) -> None:
        """Go on from the first (info) step, give «AB» as initials, and wait at the question
        about the role (the test flow, plain or full-screen)."""
        if plain:
            self.child.expect(ASK)
            self.child.sendline("")
            self.child.expect("Initialer")
            self.child.sendline("AB")
            self.child.expect("Skriv 1, 2 eller 3")
        else:
            self.child.expect("Gå videre")
            self.child.send("\r")
            self.child.expect("Initialer eller saksreferanse")
            self.child.send("AB\r")
            self.child.expect("Hvilken rolle har du")

    def finish(self) -> tuple[int | None, str]:  # type: ignore[override]
        """The exit status and the output since the last match (here the output is wanted)."""
        if self.ended is not None:
            self.child.close()
            return self.child.exitstatus, self.ended
        return self.end()


def drafts_in(home: Path) -> list[Path]:
    d = home / "data" / "utkast"
    return sorted(d.glob("*.toml")) if d.is_dir() else []


@pytest.fixture
def run_pty(spawn: Any) -> Any:
    """`run_pty(*args, env=...)`: the script in a pseudo-terminal, driven by a script of lines."""
    return lambda *args, env=None: spawn(args, env=env, kind=Run)


@pytest.fixture
def prove_script(flow_file: Path) -> list[list[str]]:
    answers = tomllib.loads(PROVE_ANSWERS)["svar"]
    return plain_script(load_flow(flow_file), answers)


def reference_note(
    run_pty: Any, tmp_path: Path, flow_file: Path, prove_script: list[list[str]]
) -> Path:
    """The test flow's note made in one go, without interruption, to compare with."""
    reference = tmp_path / "referanse.md"
    whole = run_pty("start", flow_file, "--enkel", "--dato", DATE, "--ut", reference)
    whole.drive(prove_script)
    assert whole.finish()[0] == 0
    return reference


def interrupt_and_resume(
    run_pty: Any, home: Path, args: list[str], script: list[list[str]], stop: int, out: Path
) -> None:
    first = run_pty(*args, "--enkel", "--dato", DATE, "--ut", out)
    first.drive(script, stop=stop)
    code, output = first.finish()
    assert code == 130, output
    assert not out.exists()
    saved = SAVED.search(output)
    if saved is None:  # nothing answered yet (only information read): nothing to keep
        assert NOTHING in output, output
        assert stop <= 1 and drafts_in(home) == []
        second = run_pty(*args, "--enkel", "--dato", DATE, "--ut", out)
        second.drive(script)
    else:
        assert [p.stem for p in drafts_in(home)] == [saved.group(1)]
        second = run_pty("utkast", "fortsett")  # the newest draft; the options it had
        second.drive(script, start=stop)
    code, output = second.finish()
    assert code == 0, output
    assert drafts_in(home) == []  # the documents are written: the draft is gone


# -- Ctrl-C at every prompt ------------------------------------------------------------------------


def test_ctrl_c_at_every_prompt_of_oppdager_then_resume_gives_the_same_note(
    run_pty: Any, run_cli: Any, home: Path, tmp_path: Path
) -> None:
    flow_path = real_flow("oppdager")
    example = Path(__file__).resolve().parent.parent / "examples" / "oppdager-gravid.toml"
    if flow_path is None or not example.is_file():
        pytest.skip("flows/oppdager.toml eller eksempelet finnes ikke ennå")
    flow = load_flow(flow_path)
    script = plain_script(flow, tomllib.loads(example.read_text(encoding="utf-8"))["svar"])
    reference = tmp_path / "referanse.md"
    whole = run_pty("oppdager", "--enkel", "--dato", DATE, "--ut", reference)
    whole.drive(script)
    code, output = whole.finish()
    assert code == 0, output
    assert drafts_in(home) == []
    expected = reference.read_text(encoding="utf-8")
    # the note typed in one go is the note the example's answers give: nothing lost or added
    replay = run_cli(["oppdager", "--svar", example, "--ikke-interaktiv", "--dato", DATE])
    assert replay.returncode == 0, replay.stderr
    assert expected == replay.stdout
    assert expected.startswith("# Journalnotat")
    assert mode(reference) == 0o600
    # Ctrl-C at the first question; then, in turn, resume, answer one question, Ctrl-C at the
    # next, until the review; then resume and finish. Every prompt is interrupted once.
    out = tmp_path / "notat.md"
    s = run_pty("oppdager", "--enkel", "--dato", DATE, "--ut", out)
    s.drive(script, stop=0)
    code, output = s.finish()
    assert code == 130, output
    assert NOTHING in output and drafts_in(home) == []  # nothing answered: nothing kept
    for stop in range(1, len(script) + 1):
        if stop == 1:  # no draft yet: start anew
            s = run_pty("oppdager", "--enkel", "--dato", DATE, "--ut", out)
        else:
            s = run_pty("utkast", "fortsett")
        s.drive(script, start=stop - 1, stop=stop)
        code, output = s.finish()
        assert code == 130, f"spørsmål {stop + 1}: {output}"
        assert SAVED.search(output), output
        assert len(drafts_in(home)) == 1
        assert not out.exists()
    s = run_pty("utkast", "fortsett")
    s.child.expect(REVIEW)
    s.accept()
    code, output = s.finish()
    assert code == 0, output
    assert out.read_text(encoding="utf-8") == expected
    assert drafts_in(home) == []


def test_ctrl_c_at_every_prompt_of_a_small_flow(
    run_pty: Any, home: Path, tmp_path: Path, flow_file: Path, prove_script: list[list[str]]
) -> None:
    reference = reference_note(run_pty, tmp_path, flow_file, prove_script)
    expected = reference.read_text(encoding="utf-8")
    for stop in range(len(prove_script) + 1):
        out = tmp_path / f"notat-{stop}.md"
        interrupt_and_resume(run_pty, home, ["start", str(flow_file)], prove_script, stop, out)
        assert out.read_text(encoding="utf-8") == expected


def test_ctrl_c_in_the_full_screen_prompts_then_resume_and_go_back(
    run_pty: Any, home: Path, tmp_path: Path, flow_file: Path, prove_script: list[list[str]]
) -> None:
    reference = reference_note(run_pty, tmp_path, flow_file, prove_script)

    out = tmp_path / "notat.md"
    s = run_pty("start", flow_file, "--dato", DATE, "--ut", out)
    s.up_to_the_role(plain=False)
    s.child.send("\x03")  # Ctrl-C
    code, output = s.finish()
    assert code == 130
    assert SAVED.search(re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|\s*\r?\n\s*", " ", output)) or SAVED.search(
        output
    ), output
    [draft] = drafts_in(home)
    assert tomllib.loads(draft.read_text(encoding="utf-8"))["svar"]["initialer"] == "AB"

    # resume in the same mode; Ctrl-B goes back to the question before, Ctrl-C again
    s = run_pty("utkast", "fortsett", draft.stem)
    s.child.expect("Fortsetter")
    s.child.expect("Hvilken rolle har du")
    s.child.send("\x02")  # Ctrl-B
    s.child.expect("Initialer eller saksreferanse")
    s.child.send("\x03")
    code, _ = s.finish()
    assert code == 130
    assert tomllib.loads(draft.read_text(encoding="utf-8"))["utkast"]["steg"] == "initialer"

    # and finish in plain mode: questions 2.. of the script
    s = run_pty("utkast", "fortsett", "--enkel")
    s.drive(prove_script, start=1)
    code, output = s.finish()
    assert code == 0, output
    assert out.read_text(encoding="utf-8") == reference.read_text(encoding="utf-8")
    assert drafts_in(home) == []


# -- other ways to be stopped ----------------------------------------------------------------------


def test_sigkill_while_typing_loses_only_that_answer(
    run_pty: Any, home: Path, tmp_path: Path, flow_file: Path, prove_script: list[list[str]]
) -> None:
    reference = reference_note(run_pty, tmp_path, flow_file, prove_script)

    out = tmp_path / "notat.md"
    s = run_pty("start", flow_file, "--enkel", "--dato", DATE, "--ut", out)
    for i in range(4):
        s.child.expect(ASK)
        for line in prove_script[i]:
            s.child.sendline(line)
    s.child.expect(ASK)
    s.child.expect("Skriv 1 eller 2")
    s.child.send("ja")  # typing, no Enter yet
    s.child.kill(signal.SIGKILL)
    s.child.expect(pexpect.EOF)
    s.child.close()
    assert s.child.signalstatus == signal.SIGKILL
    [draft] = drafts_in(home)
    data = tomllib.loads(draft.read_text(encoding="utf-8"))
    assert set(data["svar"]) == {"velkommen", "initialer", "rolle", "annen_rolle"}
    assert data["utkast"]["steg"] == "samtykke"
    # no temporary copy; the lock of the killed process stays, stale, and is taken on resume
    hidden = [p.name for p in draft.parent.iterdir() if p.name.startswith(".")]
    assert hidden == [f".{draft.stem}.lock"]

    s = run_pty("utkast", "fortsett", draft.stem)
    s.drive(prove_script, start=4)
    assert s.finish()[0] == 0
    assert out.read_text(encoding="utf-8") == reference.read_text(encoding="utf-8")


@pytest.mark.parametrize("plain", [True, False], ids=["enkel", "fullskjerm"])
def test_sigterm_keeps_the_draft(run_pty: Any, home: Path, flow_file: Path, plain: bool) -> None:
    s = run_pty("start", flow_file, *(["--enkel"] if plain else []), "--dato", DATE)
    s.up_to_the_role(plain)
    s.child.kill(signal.SIGTERM)
    code, output = s.finish()
    assert code == 128 + signal.SIGTERM, output
    assert "Avsluttet. Svarene er lagret som utkast" in output
    assert "Traceback" not in output
    [draft] = drafts_in(home)
    assert tomllib.loads(draft.read_text(encoding="utf-8"))["svar"]["initialer"] == "AB"


def test_a_closed_terminal_keeps_the_draft(run_pty: Any, home: Path, flow_file: Path) -> None:
    s = run_pty("start", flow_file, "--enkel", "--dato", DATE)
    s.up_to_the_role(plain=True)
    pid = s.child.pid
    s.child.ptyproc.fileobj.close()  # the window is closed: the kernel sends SIGHUP
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status), status
    assert os.WEXITSTATUS(status) == 128 + signal.SIGHUP
    [draft] = drafts_in(home)
    assert tomllib.loads(draft.read_text(encoding="utf-8"))["svar"]["initialer"] == "AB"


def test_ctrl_d_in_plain_mode_keeps_the_draft(run_pty: Any, home: Path, flow_file: Path) -> None:
    s = run_pty("start", flow_file, "--enkel", "--dato", DATE)
    s.child.expect(ASK)
    s.child.sendline("")
    s.child.expect("Initialer")
    s.child.sendline("AB")
    s.child.expect("Skriv 1, 2 eller 3")
    s.child.sendeof()
    code, output = s.finish()
    assert code == 130
    assert SAVED.search(output), output
    assert len(drafts_in(home)) == 1


# -- starting a flow that has a draft; options about drafts -----------------------------------------


def test_starting_a_flow_with_a_draft_offers_to_continue(
    run_pty: Any, home: Path, tmp_path: Path, flow_file: Path, prove_script: list[list[str]]
) -> None:
    out = tmp_path / "notat.md"
    s = run_pty("start", flow_file, "--enkel", "--dato", DATE)
    s.drive(prove_script, stop=3)
    assert s.finish()[0] == 130

    s = run_pty("start", flow_file, "--enkel", "--ut", out)
    s.child.expect(r"2 spørsmål besvart\.")
    s.child.expect(r"Fortsette utkastet\? Skriv ja eller nei \[ja\]: ")
    s.child.sendline("")
    s.child.expect("Fortsetter")
    s.drive(prove_script, start=3)
    code, output = s.finish()
    assert code == 0, output
    assert "Dato: 20.11.2026" in out.read_text(encoding="utf-8")  # the draft's case date
    assert drafts_in(home) == []


def test_declining_starts_anew_and_keeps_the_old_draft(
    run_pty: Any, home: Path, flow_file: Path, prove_script: list[list[str]]
) -> None:
    s = run_pty("start", flow_file, "--enkel", "--dato", DATE)
    s.drive(prove_script, stop=3)
    assert s.finish()[0] == 130
    [old] = drafts_in(home)
    s = run_pty("start", flow_file, "--enkel", "--dato", DATE)
    s.child.expect(r"Fortsette utkastet\?")
    s.child.sendline("nei")
    s.child.expect("Starter")
    s.drive(prove_script, stop=2)  # initials given: there is something to keep
    assert s.finish()[0] == 130
    assert old in drafts_in(home) and len(drafts_in(home)) == 2


def test_without_draft_nothing_is_saved(
    run_pty: Any, home: Path, flow_file: Path, prove_script: list[list[str]]
) -> None:
    s = run_pty("start", flow_file, "--enkel", "--dato", DATE, "--uten-utkast")
    s.drive(prove_script, stop=3)
    code, output = s.finish()
    assert code == 130
    assert "Ingen utkast er lagret" in output
    assert drafts_in(home) == []


def test_keep_draft_after_writing(
    run_pty: Any, home: Path, tmp_path: Path, flow_file: Path, prove_script: list[list[str]]
) -> None:
    out = tmp_path / "notat.md"
    s = run_pty("start", flow_file, "--enkel", "--dato", DATE, "--ut", out, "--behold-utkast")
    s.drive(prove_script)
    code, output = s.finish()
    assert code == 0
    assert "er beholdt" in output
    assert len(drafts_in(home)) == 1


# -- writing fails ---------------------------------------------------------------------------------


def assert_kept_after_failure(code: int | None, output: str, home: Path, *expected: str) -> str:
    assert code == 1, output
    assert "Traceback" not in output
    for text in expected:
        assert text in output, output
    [draft] = drafts_in(home)
    assert f"utkast fortsett {draft.stem}" in output.replace("\r\n", " ").replace("\n", " ")
    return draft.stem


def test_out_dir_under_a_file_is_refused_before_the_first_question(
    run_pty: Any, home: Path, tmp_path: Path, flow_file: Path, prove_script: list[list[str]]
) -> None:
    blocker = tmp_path / "fil"
    blocker.write_text("")
    s = run_pty("start", flow_file, "--enkel", "--dato", DATE, "--ut-mappe", blocker / "notater")
    code, output = s.finish()
    assert code == 1, output
    assert "ikke en mappe" in output and "Spørsmål" not in output
    assert drafts_in(home) == []

    # a folder that goes away while the interview goes on: refused at the end, the draft kept
    gone = tmp_path / "borte"
    gone.mkdir()
    s = run_pty("start", flow_file, "--enkel", "--dato", DATE, "--ut-mappe", gone / "notater")
    for i in range(len(prove_script)):
        s.child.expect(ASK)
        for line in prove_script[i]:
            s.child.sendline(line)
    s.child.expect(REVIEW)
    gone.rmdir()
    gone.write_text("")
    s.accept()
    code, output = s.finish()
    draft_id = assert_kept_after_failure(code, output, home, "Kunne ikke lage mappen")
    assert "Jordmor" not in output.split("Kunne ikke lage mappen")[1]  # no answer in the message

    good = tmp_path / "notater"
    s = run_pty("utkast", "fortsett", draft_id, "--ut-mappe", good)
    s.child.expect(REVIEW)  # everything was answered: straight to the review
    s.accept()
    code, output = s.finish()
    assert code == 0, output
    assert sorted(p.name for p in good.iterdir()) == [
        "prove-notat.md",
        "prove-notat.txt",
        "prove-soknad.md",
        "prove-sporsmal-og-svar.md",
        "prove-svar.toml",
    ]
    assert all(mode(p) == 0o600 for p in good.iterdir())
    assert mode(good) == 0o700
    assert drafts_in(home) == []


def test_stdout_on_a_full_disk(
    script: str,
    cli_env: dict[str, str],
    home: Path,
    tmp_path: Path,
    flow_file: Path,
    prove_script: list[list[str]],
) -> None:
    command = f"exec '{script}' start '{flow_file}' --enkel --dato {DATE} > /dev/full"
    s = Run(["/bin/sh", "-c", command], cli_env, tmp_path)
    s.drive(prove_script)
    code, output = s.finish()
    assert_kept_after_failure(code, output, home, "standard ut", "ikke plass på disken")
    assert "Exception ignored" not in output


def test_a_broken_pipe_is_an_error_and_keeps_the_draft(
    script: str,
    cli_env: dict[str, str],
    home: Path,
    tmp_path: Path,
    flow_file: Path,
    prove_script: list[list[str]],
) -> None:
    """`| pbcopy` where there is none: the reader is gone before the document is written.
    It used to end with exit 0, the document nowhere and the draft deleted."""
    command = (
        f"'{script}' start '{flow_file}' --enkel --dato {DATE} | true; "
        'echo "kode=${PIPESTATUS[0]}"'
    )
    s = Run(["/bin/bash", "-c", command], cli_env, tmp_path)
    s.drive(prove_script)
    s.finish()
    output = screen(s.text)
    found = re.search(r"kode=(\d+)", output)
    assert found, output
    code = int(found.group(1))
    draft_id = assert_kept_after_failure(code, output, home, "Standard ut ble lukket")
    assert f"utkast fortsett {draft_id} --ut FIL" in " ".join(output.split())
    out = tmp_path / "notat.md"
    s = Run([script, "utkast", "fortsett", draft_id, "--ut", str(out)], cli_env, tmp_path)
    s.child.expect(REVIEW)
    s.accept()
    assert s.finish()[0] == 0
    assert out.read_text(encoding="utf-8").startswith("# Journalnotat")


@pytest.mark.parametrize(
    ("option", "make", "message"),
    [
        ("--ut", lambda t: t / "finnes-ikke" / "notat.md", "finnes ikke"),
        ("--ut", lambda t: t, "er en mappe"),
        ("--ut-mappe", lambda t: t / "a" / "b", "finnes ikke"),
        ("--ut-mappe", lambda t: t, "prove-svar.toml"),
    ],
    ids=["ut-uten-mappe", "ut-er-mappe", "ut-mappe-uten-forelder", "ut-mappe-med-filer"],
)
def test_where_the_documents_go_is_checked_before_the_first_question(
    run_pty: Any, home: Path, tmp_path: Path, flow_file: Path, option: str, make: Any, message: str
) -> None:
    (tmp_path / "prove-svar.toml").write_text("fra før", encoding="utf-8")
    s = run_pty("start", flow_file, "--enkel", option, make(tmp_path))
    code, output = s.finish()
    assert code == 1, output
    assert message in " ".join(screen(output).split())
    assert "Spørsmål" not in output and "Til informasjon" not in output
    assert drafts_in(home) == []


def test_out_file_on_a_full_disk(
    run_pty: Any, home: Path, flow_file: Path, prove_script: list[list[str]]
) -> None:
    s = run_pty("start", flow_file, "--enkel", "--dato", DATE, "--ut", "/dev/full")
    s.drive(prove_script)
    code, output = s.finish()
    assert_kept_after_failure(code, output, home, "/dev/full", "ikke plass på disken")
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)  # never renamed over


def test_no_permission_even_for_root(
    run_pty: Any, home: Path, flow_file: Path, prove_script: list[list[str]]
) -> None:
    target = Path("/sys/omsorgslinje-notat.md")
    if not Path("/sys").is_dir() or (os.access("/sys", os.W_OK) and os.geteuid() != 0):
        pytest.skip("trenger /sys (Linux)")
    s = run_pty("start", flow_file, "--enkel", "--dato", DATE, "--ut", target)
    if not os.access("/sys", os.W_OK):  # refused before the first question
        code, output = s.finish()
        assert code == 1 and "skrivetilgang" in output and drafts_in(home) == [], output
        return
    s.drive(prove_script)
    code, output = s.finish()
    if code == 0:  # pragma: no cover - a system where /sys takes files
        target.unlink()
        pytest.skip("/sys tar imot filer her")
    assert_kept_after_failure(code, output, home, "Kunne ikke skrive", "skrivetilgang")
    assert not target.exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root skriver i skrivebeskyttede mapper")
def test_read_only_directory(
    run_pty: Any, home: Path, tmp_path: Path, flow_file: Path, prove_script: list[list[str]]
) -> None:
    locked = tmp_path / "låst"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        s = run_pty("start", flow_file, "--enkel", "--dato", DATE, "--ut", locked / "notat.md")
        code, output = s.finish()  # refused before the first question
        assert code == 1 and "skrivetilgang" in output and drafts_in(home) == [], output
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o700)


def test_an_existing_file_is_never_overwritten(
    run_pty: Any,
    run_cli: Any,
    home: Path,
    tmp_path: Path,
    flow_file: Path,
    prove_script: list[list[str]],
) -> None:
    out = tmp_path / "notat.md"
    out.write_text("viktig", encoding="utf-8")
    result = run_cli(["start", flow_file, "--enkel", "--ut", out])  # refused before any question
    assert result.returncode == 1 and "--overskriv" in result.stderr
    assert out.read_text(encoding="utf-8") == "viktig"

    # a file that appears while the interview goes on: refused at the end, the draft kept
    late = tmp_path / "sent.md"
    s = run_pty("start", flow_file, "--enkel", "--dato", DATE, "--ut", late)
    for i in range(len(prove_script)):
        s.child.expect(ASK)
        for line in prove_script[i]:
            s.child.sendline(line)
    s.child.expect(REVIEW)
    late.write_text("skrevet av en annen", encoding="utf-8")
    s.accept()
    code, output = s.finish()
    draft_id = assert_kept_after_failure(code, output, home, "finnes fra før", "--overskriv")
    assert late.read_text(encoding="utf-8") == "skrevet av en annen"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []

    # continuing is refused before any question, and the draft stays as it was
    result = run_cli(["utkast", "fortsett", draft_id])
    assert result.returncode == 1 and "er ikke endret" in result.stderr
    assert len(drafts_in(home)) == 1
    s = run_pty("utkast", "fortsett", "--overskriv")
    s.child.expect(REVIEW)
    s.accept()
    assert s.finish()[0] == 0
    assert late.read_text(encoding="utf-8").startswith("# Journalnotat")
    assert mode(late) == 0o600
    assert drafts_in(home) == []


# -- the utkast commands ---------------------------------------------------------------------------


def test_list_shows_progress_never_answers(
    run_pty: Any, run_cli: Any, home: Path, flow_file: Path, prove_script: list[list[str]]
) -> None:
    assert run_cli(["utkast", "liste"]).stderr.strip() == "Ingen utkast."
    s = run_pty("start", flow_file, "--enkel", "--dato", DATE)
    s.drive(prove_script, stop=4)
    assert s.finish()[0] == 130
    [draft] = drafts_in(home)
    result = run_cli(["utkast", "liste"])
    assert result.returncode == 0
    assert draft.stem in result.stdout
    assert "prove" in result.stdout and "3 spørsmål besvart" in result.stdout
    # the case reference the user chose tells two cases apart; nothing else of the answers
    assert re.search(r"\bAB\b", result.stdout.replace(draft.stem, ""))
    for answer in ("Jordmor", "annen"):
        assert answer not in result.stdout.replace(draft.stem, "")
    assert mode(draft) == 0o600 and mode(draft.parent) == 0o700


def test_delete_one_and_all(
    run_pty: Any, run_cli: Any, home: Path, flow_file: Path, prove_script: list[list[str]]
) -> None:
    for _ in range(3):
        s = run_pty("start", flow_file, "--enkel", "--dato", DATE)
        if drafts_in(home):
            s.child.expect(r"Fortsette utkastet\?")
            s.child.sendline("nei")
        s.drive(prove_script, stop=2)
        assert s.finish()[0] == 130
    first, *_ = drafts_in(home)
    result = run_cli(["utkast", "slett", first.stem[-4:]])  # any unique part of the id
    assert result.returncode == 0 and first.stem in result.stderr
    assert len(drafts_in(home)) == 2
    # on a terminal, --alle asks first; anything but «ja» deletes nothing
    s = run_pty("utkast", "slett", "--alle")
    s.child.expect(r"Slette alle 2 utkast\? .*Skriv ja: ")
    s.child.sendline("nei")
    code, output = s.finish()
    assert code == 0 and "Ingenting er slettet." in output
    assert len(drafts_in(home)) == 2
    result = run_cli(["utkast", "slett", "finnes-ikke"])
    assert result.returncode == 2 and "finnes ikke" in result.stderr
    result = run_cli(["utkast", "slett", "--alle"])
    assert result.returncode == 0 and "Slettet 2 utkast" in result.stderr
    assert drafts_in(home) == []


def test_corrupt_draft_is_reported_and_moved_aside(run_cli: Any, home: Path) -> None:
    d = home / "data" / "utkast"
    d.mkdir(parents=True)
    (d / "prove-20261122-1103-dead.toml").write_text('[svar]\nnavn = "Kari Hansen"\n')
    result = run_cli(["utkast", "fortsett", "prove-20261122-1103-dead"])
    assert result.returncode == 2
    assert "kan ikke leses" in result.stderr and "skadet" in result.stderr
    assert "Kari Hansen" not in result.stderr and "Traceback" not in result.stderr
    assert (d / "skadet" / "prove-20261122-1103-dead.toml").exists()
    assert "Ingen utkast." in run_cli(["utkast", "liste"]).stderr


def test_old_drafts_are_deleted_at_start(
    run_pty: Any, run_cli: Any, home: Path, flow_file: Path, prove_script: list[list[str]]
) -> None:
    s = run_pty("start", flow_file, "--enkel", "--dato", DATE)
    s.drive(prove_script, stop=2)
    assert s.finish()[0] == 130
    [draft] = drafts_in(home)
    old = draft.stat().st_mtime - 4 * 86400
    os.utime(draft, (old, old))
    result = run_cli(["utkast", "liste"], env={"OMSORGSLINJE_UTKAST_DAGER": "5"})
    assert draft.stem in result.stdout
    result = run_cli(["utkast", "liste"], env={"OMSORGSLINJE_UTKAST_DAGER": "3"})
    assert f"Slettet utkast eldre enn 3 dager: {draft.stem}." in result.stderr
    assert drafts_in(home) == []


def test_stale_draft_resumes_and_reports_what_is_gone(
    run_pty: Any, home: Path, tmp_path: Path, flow_file: Path, prove_script: list[list[str]]
) -> None:
    s = run_pty("start", flow_file, "--enkel", "--dato", DATE)
    s.drive(prove_script, stop=5)  # answered: info, initialer, rolle=annen, annen_rolle, samtykke
    assert s.finish()[0] == 130
    text = flow_file.read_text(encoding="utf-8")
    flow_file.write_text(
        text.replace('version = "1.0"', 'version = "1.1"').replace(
            'id = "annen_rolle"', 'id = "hvilken_rolle"'
        ),
        encoding="utf-8",
    )
    [draft] = drafts_in(home)
    s = run_pty("utkast", "fortsett", draft.stem)
    s.child.expect("1.0 → 1.1")
    s.child.expect("finnes ikke lenger")
    s.child.expect("annen_rolle")
    s.child.expect("tatt vare på i")
    s.child.expect(ASK)
    s.child.expect("Hvilken annen rolle")  # the renamed step is asked anew
    s.child.sendintr()
    assert s.finish()[0] == 130
    kept = home / "data" / "utkast" / "eldre" / f"{draft.stem}-1.0.toml"
    assert tomllib.loads(kept.read_text(encoding="utf-8"))["svar"]["annen_rolle"] == "Jordmor"
    assert mode(kept) == 0o600
