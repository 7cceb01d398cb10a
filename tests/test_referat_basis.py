"""The meeting record ends with one line for its basis, not a list of every step's source.

The record is the responsibility group's memory; its last line used to list some forty step
sources («Bergen-rutinen, saksgang pkt. 2; … pkt. 2 (fristen er veiviserens råd); …»), most of
them the same routine point. The routine itself (with its date and attachments) is the basis."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest

from omsorgslinje.answers import merge
from omsorgslinje.documents import find_document
from omsorgslinje.loader import load_flow
from omsorgslinje.render import Case, render

ROOT = Path(__file__).absolute().parent.parent
FLOW = load_flow(ROOT / "flows" / "henvisning.toml")
EXAMPLES = sorted((ROOT / "examples").glob("henvisning-*.toml"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_record_ends_with_the_routine_as_its_basis(path: Path) -> None:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    date = data["omsorgslinje"].get("dato", dt.date(2026, 11, 20))
    doc = find_document(FLOW, "referat")
    assert doc is not None
    md = render(Case(FLOW, merge([path], FLOW).answers, date), doc, "md")
    last = md.rstrip().splitlines()[-1]
    assert last.startswith("Laget med omsorgslinje")
    assert f"Grunnlag: {FLOW.source}." in last
    assert "Kilder:" not in md and "saksgang pkt. 2;" not in md
