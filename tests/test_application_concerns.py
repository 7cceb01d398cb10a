"""The coordinator application says whom the concern is about as a list in prose, like the note
(«et sped- eller småbarn (0–3 år) og foreldre eller omsorgspersoner»), not joined by «;»."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest

from omsorgslinje.answers import merge
from omsorgslinje.documents import case_documents, find_document
from omsorgslinje.loader import load_flow
from omsorgslinje.render import Case, render

ROOT = Path(__file__).absolute().parent.parent
FLOW = load_flow(ROOT / "flows" / "oppdager.toml")


def _case(path: Path) -> Case:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    date = data["omsorgslinje"].get("dato", dt.date(2026, 11, 20))
    return Case(FLOW, merge([path], FLOW).answers, date)


APPLYING = [
    p
    for p in sorted((ROOT / "examples").glob("oppdager-*.toml"))
    if "koordinatorsoknad" in [d.name for d in case_documents(_case(p))]
]


def test_some_example_applies_for_a_coordinator_for_more_than_one_group() -> None:
    assert any(len(_case(p).answers["gjelder_hvem"]) > 1 for p in APPLYING)


@pytest.mark.parametrize("path", APPLYING, ids=lambda p: p.stem)
def test_application_lists_whom_the_concern_is_about_in_prose(path: Path) -> None:
    case = _case(path)
    doc = find_document(FLOW, "koordinatorsoknad")
    assert doc is not None
    md = render(case, doc, "md")
    line = next(x for x in md.splitlines() if x.startswith("- Bekymringen gjelder: "))
    step = FLOW.step("gjelder_hvem")
    labels = [step.choice(v).label.lower() for v in case.answers["gjelder_hvem"]]
    want = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " og " + labels[-1]
    assert line == f"- Bekymringen gjelder: {want}"
