"""README's option table names every document `--dokument` accepts in the built-in flows.

It listed three (koordinatorsoknad, referat, sporsmal-og-svar) while oppdager also writes the
report to barnevernstjenesten and the § 32 information, which a user finds only by a wrong guess."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from omsorgslinje.loader import load_flow

ROOT = Path(__file__).absolute().parent.parent


def _dokument_row() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = [line for line in readme.splitlines() if line.startswith("| `--dokument NAVN`")]
    assert len(rows) == 1
    return rows[0]


@pytest.mark.parametrize("flow_file", ["oppdager.toml", "henvisning.toml"])
def test_every_document_of_the_built_in_flows_is_named(flow_file: str) -> None:
    flow = load_flow(ROOT / "flows" / flow_file)
    named = set(re.findall(r"`([a-z0-9_-]+)`", _dokument_row()))
    for doc in flow.documents:
        assert doc.name in named, doc.name
    assert "sporsmal-og-svar" in named


def test_every_preselected_answer_is_named_where_readme_promises_none() -> None:
    """README said «Ingenting er valgt på forhånd, så Enter alene gir aldri et svar du ikke har
    valgt», but two oppdager steps have a `default` that Enter picks."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("Ingenting er valgt på forhånd")
    paragraph = " ".join(readme[start : readme.index("\n\n", start)].split())
    steps = [
        step
        for name in ("oppdager.toml", "henvisning.toml")
        for step in load_flow(ROOT / "flows" / name).steps
        if step.default is not None and step.choices
    ]
    # a default worked out from earlier answers (`{{ ... }}`) is named with the choice it gives
    worked_out = [s for s in steps if isinstance(s.default, str) and "{{" in s.default]
    defaults = [(s.id, s.choice(s.default).label) for s in steps if s not in worked_out]
    defaults += [
        (s.id, c.label) for s in worked_out for c in s.choices if f"'{c.value}'" in str(s.default)
    ]
    for step_id, label in defaults:
        assert f"«{label}»" in paragraph, step_id
    assert ("bortsett fra" in paragraph) == bool(defaults)


@pytest.mark.cli
@pytest.mark.parametrize(
    "command, example",
    [("oppdager", "oppdager-akutt.toml"), ("henvisning", "henvisning-full.toml")],
)
def test_readme_says_what_ut_mappe_writes(
    run_cli, tmp_path: Path, command: str, example: str
) -> None:
    """`--ut-mappe` also writes the main document as .txt; README's option table said nothing."""
    out = tmp_path / "sak"
    result = run_cli(
        [command, "--svar", ROOT / "examples" / example, "--ikke-interaktiv", "--ut-mappe", out]
    )
    assert result.returncode == 0, result.stderr
    suffixes = {p.suffix for p in out.iterdir()}
    assert ".txt" in suffixes
    row = next(
        line
        for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
        if line.startswith("| `--ut-mappe MAPPE`")
    )
    for suffix in suffixes - {".md", ".toml"}:
        assert f"`{suffix}`" in row, suffix
