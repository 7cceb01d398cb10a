"""The cache of checked flows (flow_cache.py): data only, the same output with and without it,
and an entry of the wrong shape ignored and written anew."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import REPO, CliResult

from omsorgslinje import cache as code_cache
from omsorgslinje import flow_cache
from omsorgslinje.loader import load_flow

Run = Callable[..., CliResult]
EXAMPLES = sorted((REPO / "examples").glob("*.toml"))


def flow_of(example: Path) -> Path:
    return REPO / "flows" / f"{example.name.split('-')[0]}.toml"


def entries(home: Path) -> list[Path]:
    folder = home / "cache"
    return sorted(folder.glob(f"{code_cache.FLOW}-*.json")) if folder.is_dir() else []


def documents(run_cli: Run, example: Path, out: Path, env: dict[str, str] | None = None) -> dict:
    r = run_cli(
        ["start", flow_of(example), "--svar", example, "--ut-mappe", out, "--overskriv"], env=env
    )
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    files = {p.name: p.read_bytes() for p in sorted(out.iterdir())}
    assert files
    return {
        "stdout": r.stdout.replace(str(out), "UT"),
        "stderr": r.stderr.replace(str(out), "UT"),
        "files": files,
    }


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_renders_the_same_with_and_without_the_cache(
    run_cli: Run, home: Path, tmp_path: Path, example: Path
) -> None:
    plain = documents(run_cli, example, tmp_path / "uten", {"OMSORGSLINJE_INGEN_BUFFER": "1"})
    assert entries(home) == []
    written = documents(run_cli, example, tmp_path / "forste")  # checks, then writes the entry
    [entry] = entries(home)
    assert entry.stat().st_mode & 0o777 == 0o600
    read = documents(run_cli, example, tmp_path / "andre")  # builds the flow from the entry
    assert written == plain
    assert read == plain


@pytest.mark.parametrize("name", ["henvisning", "oppdager"])
def test_the_model_comes_back_exactly(name: str) -> None:
    flow = load_flow(REPO / "flows" / f"{name}.toml")
    data = flow_cache.to_data(flow)
    assert data is not None
    again = flow_cache.from_data(json.loads(json.dumps(data)), flow.path)
    assert again == flow
    assert again.index == flow.index and again.renamed == flow.renamed
    assert [s.default for s in again.steps] == [s.default for s in flow.steps]


def test_a_flow_with_a_date_default_is_not_kept(tmp_path: Path) -> None:
    import dataclasses
    import datetime

    flow = load_flow(REPO / "flows" / "oppdager.toml")
    step = dataclasses.replace(flow.steps[0], default=datetime.date(2026, 1, 1))
    assert flow_cache.to_data(dataclasses.replace(flow, steps=(step, *flow.steps[1:]))) is None


def wrong_shapes(good: dict) -> dict[str, bytes]:
    def changed(edit: Callable[[dict], None]) -> bytes:
        entry = json.loads(json.dumps(good))
        edit(entry)
        return json.dumps(entry).encode()

    def step_type(e: dict) -> None:
        e["flow"]["steps"][0]["type"] = "__import__('os')"

    def prompt_number(e: dict) -> None:
        e["flow"]["steps"][0]["prompt"] = 1

    def extra_key(e: dict) -> None:
        e["flow"]["steps"][0]["kode"] = "x"

    def short_choice(e: dict) -> None:
        step = next(s for s in e["flow"]["steps"] if s["choices"])
        step["choices"][0] = step["choices"][0][:2]

    def other_file(e: dict) -> None:
        e["sha256"] = "0" * 64

    def bool_as_text(e: dict) -> None:
        e["flow"]["steps"][0]["required"] = "ja"

    def no_steps(e: dict) -> None:
        e["flow"]["steps"] = []

    def condition_code(e: dict) -> None:
        e["flow"]["conditions"][0][1] = ["call", "__import__", "os"]

    def condition_of_another_flow(e: dict) -> None:
        e["flow"]["conditions"][0][0] = "a == 'b'"

    def text_code(e: dict) -> None:
        e["flow"]["texts"][0][1] = ["text", [["out", ["call", "open", "/etc/passwd"]]]]

    return {
        "ikke-json": b"\x80\x04ikke json",
        "tom": b"",
        "liste": b"[]",
        "steg-type": changed(step_type),
        "tall-som-tekst": changed(prompt_number),
        "ekstra-felt": changed(extra_key),
        "kort-valg": changed(short_choice),
        "annen-fil": changed(other_file),
        "tekst-som-sannhetsverdi": changed(bool_as_text),
        "ingen-steg": changed(no_steps),
        "betingelse-kode": changed(condition_code),
        "betingelse-ukjent": changed(condition_of_another_flow),
        "tekst-kode": changed(text_code),
    }


SHAPES = [
    "ikke-json",
    "tom",
    "liste",
    "steg-type",
    "tall-som-tekst",
    "ekstra-felt",
    "kort-valg",
    "annen-fil",
    "tekst-som-sannhetsverdi",
    "ingen-steg",
    "betingelse-kode",
    "betingelse-ukjent",
    "tekst-kode",
]


@pytest.mark.parametrize("shape", SHAPES)
def test_an_entry_of_the_wrong_shape_is_ignored_and_rebuilt(
    run_cli: Run, home: Path, tmp_path: Path, shape: str
) -> None:
    example = REPO / "examples" / "henvisning-full.toml"
    plain = documents(run_cli, example, tmp_path / "uten", {"OMSORGSLINJE_INGEN_BUFFER": "1"})
    documents(run_cli, example, tmp_path / "forste")
    [entry] = entries(home)
    good = json.loads(entry.read_bytes())
    entry.write_bytes(wrong_shapes(good)[shape])
    again = documents(run_cli, example, tmp_path / "andre")
    assert again == plain  # nothing blamed on the flow, the same documents
    assert json.loads(entry.read_bytes()) == good  # written anew


def test_a_changed_flow_file_is_checked_again(run_cli: Run, home: Path, tmp_path: Path) -> None:
    """The key is the file's bytes: an edit that breaks the flow is reported, not hidden by
    the entry of the file before the edit."""
    flow = tmp_path / "henvisning.toml"
    text = (REPO / "flows" / "henvisning.toml").read_text(encoding="utf-8")
    flow.write_text(text, encoding="utf-8")
    (tmp_path / "templates").symlink_to(REPO / "templates")
    example = REPO / "examples" / "henvisning-full.toml"
    r = run_cli(["start", flow, "--svar", example])
    assert r.returncode == 0, r.stderr
    assert len(entries(home)) == 1
    broken = text.replace('\nwhen = "', '\nwhen = "(', 1)
    assert broken != text
    flow.write_text(broken, encoding="utf-8")
    r = run_cli(["start", flow, "--svar", example])
    assert r.returncode == 2
    assert "Ugyldig Jinja-uttrykk" in r.stderr
    assert "Traceback" not in r.stderr


def test_flyt_sjekk_never_reads_the_cache(run_cli: Run, home: Path) -> None:
    example = REPO / "examples" / "oppdager-akutt.toml"
    r = run_cli(["start", flow_of(example), "--svar", example])
    assert r.returncode == 0, r.stderr
    [entry] = entries(home)
    before = entry.read_bytes()
    r = run_cli(["flyt", "sjekk", flow_of(example)])
    assert r.returncode == 0, r.stderr
    assert entry.read_bytes() == before
    entry.write_bytes(b"{}")
    r = run_cli(["flyt", "sjekk", flow_of(example)])
    assert r.returncode == 0, r.stderr
    assert entry.read_bytes() == b"{}"  # neither read nor written by the check
