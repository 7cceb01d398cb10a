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
