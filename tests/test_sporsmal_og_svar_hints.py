"""«Spørsmål og svar» shows each question as a label, without the screen's hints about empty
answers and date formats. «(kan stå tomt: nei)» (oppdager's melde_uten_plikt) slipped through
into five of the seven non-acute oppdager examples."""

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
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_no_screen_hints_in_the_questions_and_answers(path: Path) -> None:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    flow = load_flow(ROOT / "flows" / f"{data['omsorgslinje']['flyt']}.toml")
    doc = find_document(flow, "sporsmal-og-svar")
    assert doc is not None
    date = data["omsorgslinje"].get("dato", dt.date(2026, 11, 20))
    md = render(Case(flow, merge([path], flow).answers, date), doc, "md")
    assert "kan stå tomt" not in md
    assert "dd.mm.åååå" not in md
