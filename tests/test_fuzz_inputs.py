"""Bad input never gives a traceback. Thousands of mutated flow files, templates and answers
files go through the loader, `flyt sjekk` and `start`: each ends in a message and exit code
0, 1 or 2, never in the catch-all «Intern feil» (an uncaught exception).

The bulk runs in-process through `omsorgslinje.__main__.main` (the installed script would take
minutes for thousands); a few cases run the installed console script as a subprocess.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from conftest import PROVE_ANSWERS, PROVE_FLOW, PROVE_NOTAT, PROVE_SOKNAD, write_flow
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from omsorgslinje.__main__ import main

pytestmark = pytest.mark.fuzz

SNIPPETS = [
    '"',
    "'",
    "[",
    "]",
    "[[steps]]\n",
    "[flow]\n",
    "[flow.documents.x]\n",
    "{",
    "}",
    "=",
    "\n",
    "{{",
    "}}",
    "{%",
    "%}",
    "{% if %}",
    "{{ ukjent }}",
    "{{ vis('rolle') }}",
    "{{ vis(1) }}",
    "{{ steg('finnes_ikke').prompt }}",
    "{{ ''.__class__ }}",
    "{{ dato | dato('lang') }}",
    "{{ 1/0 }}",
    "{% include 'finnes_ikke.j2' %}",
    "{% for x in 3 %}{% endfor %}",
    "when = \"rolle == 'x'\"\n",
    'when = "1/0"\n',
    'when = "samtykke.x.y"\n',
    'when = "range(10**9)|list"\n',
    'type = "select"\n',
    'type = "multiselect"\n',
    'type = "date"\n',
    "choices = []\n",
    'choices = [{ value = "a" }, { value = "a" }]\n',
    'id = "rolle"\n',
    'default = "x"\n',
    "default = 2026-01-01\n",
    "default = [1, 2]\n",
    "default = 1e400\n",
    "validation = { pattern = '(' }\n",
    "validation = { min = 5, max = 1 }\n",
    "validation = 3\n",
    "actions = [{ what = '{{ x }}' }]\n",
    "required = 'ja'\n",
    'section = ""\n',
    "1",
    "-1",
    "true",
    "nan",
    "2026-13-45",
    "2026-01-01T10:00:00",
    "10:00:00",
    "#",
    "\\",
    "\\u0000",
    "é",
    "\x00",
    "\ufeff",
    "\r\n",
    "\t",
]

MUTATION = st.tuples(
    st.sampled_from(["delete", "insert", "snippet", "replace_line", "dup_line", "swap"]),
    st.integers(min_value=0, max_value=10**6),
    st.integers(min_value=0, max_value=60),
    st.one_of(st.sampled_from(SNIPPETS), st.text(max_size=12)),
)


def mutate(text: str, mutations: list[tuple[str, int, int, str]]) -> str:
    for kind, pos, length, snippet in mutations:
        lines = text.splitlines(keepends=True)
        if kind == "delete" and text:
            i = pos % len(text)
            text = text[:i] + text[i + length :]
        elif kind in ("insert", "snippet"):
            i = pos % (len(text) + 1)
            text = text[:i] + snippet + text[i:]
        elif kind == "replace_line" and lines:
            lines[pos % len(lines)] = snippet + "\n"
            text = "".join(lines)
        elif kind == "dup_line" and lines:
            i = pos % len(lines)
            lines.insert(i, lines[i])
            text = "".join(lines)
        elif kind == "swap" and len(lines) > 1:
            i, j = pos % len(lines), (pos + length) % len(lines)
            lines[i], lines[j] = lines[j], lines[i]
            text = "".join(lines)
    return text


@pytest.fixture(scope="module")
def workdir() -> Iterator[Path]:
    """One directory for the module (hypothesis reuses it), a private home, no caches."""
    saved = {k: os.environ.get(k) for k in ("OMSORGSLINJE_HJEM", "OMSORGSLINJE_INGEN_BUFFER")}
    with tempfile.TemporaryDirectory() as d:
        os.environ["OMSORGSLINJE_HJEM"] = str(Path(d) / "hjem")
        os.environ["OMSORGSLINJE_INGEN_BUFFER"] = "1"
        try:
            yield Path(d)
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v


def run(args: list[str]) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(args)
    return code, err.getvalue()


def assert_clean(code: int, err: str) -> None:
    assert code in (0, 1, 2), (code, err)
    assert "Intern feil" not in err, err
    assert "Traceback" not in err, err


FUZZ = settings(
    max_examples=int(os.environ.get("OMSORGSLINJE_FUZZ", "1000")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(mutations=st.lists(MUTATION, min_size=1, max_size=4))
def test_mutated_flow_files(workdir: Path, mutations: list[tuple[str, int, int, str]]) -> None:
    path = write_flow(workdir / "flyt", mutate(PROVE_FLOW, mutations))
    answers = workdir / "svar.toml"
    answers.write_text(PROVE_ANSWERS, encoding="utf-8")
    code, err = run(["flyt", "sjekk", str(path)])
    assert_clean(code, err)
    code, err = run(["start", str(path), "--svar", str(answers), "--ikke-interaktiv"])
    assert_clean(code, err)
    if code == 0:
        code, err = run(["flyt", "vis", str(path), "--format", "mermaid"])
        assert_clean(code, err)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # Jinja on "\\k" in a string
@FUZZ
@given(mutations=st.lists(MUTATION, min_size=1, max_size=4), which=st.booleans())
def test_mutated_templates(
    workdir: Path, mutations: list[tuple[str, int, int, str]], which: bool
) -> None:
    notat, soknad = PROVE_NOTAT, PROVE_SOKNAD
    if which:
        notat = mutate(notat, mutations)
    else:
        soknad = mutate(soknad, mutations)
    path = write_flow(
        workdir / "maler", templates={"prove-notat.md.j2": notat, "prove-soknad.md.j2": soknad}
    )
    answers = workdir / "svar.toml"
    answers.write_text(PROVE_ANSWERS, encoding="utf-8")
    code, err = run(["flyt", "sjekk", str(path)])
    assert_clean(code, err)
    for extra in (["-f", "txt"], ["-d", "soknad"]):
        code, err = run(["start", str(path), "--svar", str(answers), "--ikke-interaktiv", *extra])
        assert_clean(code, err)


@FUZZ
@given(mutations=st.lists(MUTATION, min_size=1, max_size=4))
def test_mutated_answers_files(workdir: Path, mutations: list[tuple[str, int, int, str]]) -> None:
    flow = workdir / "svar" / "prove.toml"
    if not flow.exists():
        write_flow(workdir / "svar")
    answers = workdir / "svar" / "svar.toml"
    answers.write_text(mutate(PROVE_ANSWERS, mutations), encoding="utf-8")
    code, err = run(["start", str(flow), "--svar", str(answers), "--ikke-interaktiv"])
    assert_clean(code, err)
    code, err = run(["start", str(flow), "--svar", str(answers), "--ikke-interaktiv", "-f", "toml"])
    assert_clean(code, err)


BROKEN_FLOWS = {
    "syntaks": "[flow\nid = 1",
    "tom": "",
    "binær": "\x00\xff",
    "uten_steg": PROVE_FLOW.split("[[steps]]")[0],
    "alt_feil": mutate(PROVE_FLOW, [("snippet", 300, 0, "{{"), ("replace_line", 5, 0, "x = ")]),
}


@pytest.mark.parametrize("name", sorted(BROKEN_FLOWS))
def test_installed_script_on_broken_flows(run_cli, tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.toml"
    path.write_bytes(BROKEN_FLOWS[name].encode("utf-8", "surrogateescape"))
    for args in (
        ["flyt", "sjekk", path],
        ["start", path, "--ikke-interaktiv"],
        ["flyt", "vis", path],
    ):
        result = run_cli(args)
        assert result.returncode in (1, 2), (args, result)
        assert "Traceback" not in result.stderr and "Intern feil" not in result.stderr
        assert result.stderr.strip(), "a message says what is wrong"


def test_installed_script_on_broken_answers_and_template(run_cli, tmp_path: Path) -> None:
    path = write_flow(
        tmp_path / "f",
        templates={"prove-notat.md.j2": "{{ 1/0 }}\n", "prove-soknad.md.j2": "{% for %}"},
    )
    answers = tmp_path / "svar.toml"
    answers.write_text('[svar]\nrolle = "pilot"\n', encoding="utf-8")
    for args in (
        ["start", path, "--svar", answers, "--ikke-interaktiv"],
        ["start", path, "--svar", tmp_path / "svar-ikke.toml", "--ikke-interaktiv"],
        ["flyt", "sjekk", path],
    ):
        result = run_cli(args)
        assert result.returncode in (1, 2), (args, result)
        assert "Traceback" not in result.stderr and "Intern feil" not in result.stderr
