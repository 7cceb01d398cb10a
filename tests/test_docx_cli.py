"""`--format docx` from the command line, and `--ut-mappe` making every document that applies:
the installed script, real files, read back with python-docx."""

from __future__ import annotations

import io
import stat
import subprocess
import tomllib
import zipfile
from pathlib import Path

import pytest
from conftest import REPO

docx = pytest.importorskip("docx")

EXAMPLES = sorted((REPO / "examples").glob("*.toml"))
OPPDAGER = REPO / "examples" / "oppdager-ber-om-hjelp.toml"


def _flow_of(example: Path) -> str:
    return str(tomllib.loads(example.read_text(encoding="utf-8"))["omsorgslinje"]["flyt"])


def _word(path: Path):
    assert zipfile.is_zipfile(path), f"{path} is not a zip file"
    return docx.Document(str(path))


def _private(path: Path) -> None:
    assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def _headings(d) -> list[str]:
    return [p.text for p in d.paragraphs if p.style.name.startswith("Heading")]


def test_ut_file_docx_is_a_word_file_made_private(run_cli, tmp_path: Path) -> None:
    out = tmp_path / "notat.docx"
    r = run_cli(["oppdager", "--svar", OPPDAGER, "--ikke-interaktiv", "--ut", out])
    assert r.returncode == 0, r.stderr
    _private(out)
    d = _word(out)
    md = run_cli(["oppdager", "--svar", OPPDAGER, "--ikke-interaktiv"]).stdout
    title = next(line[2:] for line in md.splitlines() if line.startswith("# "))
    assert _headings(d)[0] == title
    assert "Skrev Journalnotat til" in r.stderr


def test_format_docx_to_a_pipe_gives_the_bytes(script: str, cli_env, tmp_path: Path) -> None:
    proc = subprocess.run(
        [script, "oppdager", "--svar", str(OPPDAGER), "--ikke-interaktiv", "-f", "docx"],
        capture_output=True,
        env=cli_env,
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    d = docx.Document(io.BytesIO(proc.stdout))
    assert _headings(d)


def test_format_docx_to_a_terminal_is_refused_before_any_question(
    script: str, cli_env, tmp_path: Path
) -> None:
    from ptyhelp import Session

    s = Session([script, "oppdager", "--format", "docx"], cli_env, tmp_path)
    try:
        code, _ = s.end()
    finally:
        s.close()
    text = s.text
    assert code == 2
    assert "binærfil" in text and "--ut notat.docx" in text and "--ut-mappe" in text
    assert "Traceback" not in text
    assert "Spørsmål 1" not in text  # refused before the interview, nothing typed is lost


def test_a_docx_name_with_another_format_is_refused(run_cli, tmp_path: Path) -> None:
    r = run_cli(
        ["oppdager", "--svar", OPPDAGER, "--ikke-interaktiv", "-f", "txt", "--ut", "x.docx"]
    )
    assert r.returncode == 2
    assert "heter .docx, men formatet er txt" in r.stderr
    assert not (tmp_path / "x.docx").exists()


def test_questions_and_answers_by_name_and_in_the_list_of_documents(run_cli) -> None:
    r = run_cli(
        ["oppdager", "--svar", OPPDAGER, "--ikke-interaktiv", "--dokument", "sporsmal-og-svar"]
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("# Spørsmål og svar")
    bad = run_cli(["oppdager", "--svar", OPPDAGER, "--ikke-interaktiv", "--dokument", "finnes"])
    assert bad.returncode == 2 and "sporsmal-og-svar" in bad.stderr


def _expected_files(example: Path, ext: str) -> set[str]:
    """What the folder must hold, worked out from the flow file itself: every document whose
    `when` holds, the primary one also as plain text, the built-in questions and answers, and
    the record."""
    from omsorgslinje.answers import merge
    from omsorgslinje.engine import resolve
    from omsorgslinje.expr import evaluate
    from omsorgslinje.loader import load_flow

    flow_id = _flow_of(example)
    flow = load_flow(REPO / "flows" / f"{flow_id}.toml")
    ctx = dict(resolve(flow, merge([example], flow).answers).context)
    names = {
        f"{d.filename or d.name}.{ext}"
        for d in flow.documents
        if d.when is None or evaluate(d.when, ctx)
    }
    # the journal note also as plain text, to paste into the journal system
    primary = flow.primary_document
    text = {f"{primary.filename or primary.name}.txt"} if ext in ("md", "docx") else set()
    return names | text | {f"{flow_id}-sporsmal-og-svar.{ext}", f"{flow_id}-svar.toml"}


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("fmt", ["md", "docx"])
def test_out_dir_makes_every_document_that_applies(
    run_cli, tmp_path: Path, example: Path, fmt: str
) -> None:
    folder = tmp_path / "sak"
    r = run_cli(
        [_flow_of(example), "--svar", example, "--ikke-interaktiv", "-f", fmt, "--ut-mappe", folder]
    )
    assert r.returncode == 0, r.stderr
    made = {p.name for p in folder.iterdir()}
    assert made == _expected_files(example, fmt)
    for path in folder.iterdir():
        _private(path)
        assert f"Skrev {path}" in r.stderr
        if path.suffix == ".docx":
            assert _headings(_word(path)), path
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
