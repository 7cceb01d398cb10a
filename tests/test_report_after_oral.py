"""A report already made by phone: the written report says so, and does not tell the reporter
to report again.

The caseworker who gets the written report must be able to match it with the phone call (when);
the reporter who called must not be told «Send meldingen, eller ring» as if nothing was done.
"""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from pathlib import Path

import pytest

from omsorgslinje.answers import merge
from omsorgslinje.documents import find_document
from omsorgslinje.loader import load_flow
from omsorgslinje.render import Case, render

ROOT = Path(__file__).absolute().parent.parent
FLOW = load_flow(ROOT / "flows" / "oppdager.toml")
REPORTING = [
    p
    for p in sorted((ROOT / "examples").glob("oppdager-*.toml"))
    if tomllib.loads(p.read_text(encoding="utf-8"))["svar"].get("barnevern_meldt")
]


def _report(path: Path, fmt: str) -> tuple[dict, str]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    date = data["omsorgslinje"].get("dato", dt.date(2026, 11, 20))
    answers = dict(merge([path], FLOW).answers)
    doc = find_document(FLOW, "bekymringsmelding")
    assert doc is not None
    return answers, render(Case(FLOW, answers, date), doc, fmt)


def test_the_examples_cover_a_phone_report_and_one_still_to_make() -> None:
    kinds = {_report(p, "md")[0]["barnevern_meldt"] for p in REPORTING}
    assert {"muntlig", "ikke_enda"} <= kinds


@pytest.mark.parametrize("path", REPORTING, ids=lambda p: p.stem)
def test_written_report_says_when_it_was_reported_by_phone(path: Path) -> None:
    answers, md = _report(path, "md")
    history = md.split("### Historikk", 1)[1].split("### Andre synspunkter", 1)[0]
    record = json.loads(_report(path, "json")[1])["melding"]["historie"]
    footer = md.split("\n---\n", 1)[1]
    if answers["barnevern_meldt"] == "muntlig":
        when = answers["barnevern_meldt_dato"].strftime("%d.%m.%Y")
        for text in (history, record):
            assert "Meldt muntlig til barnevernstjenesten" in text and when in text
        assert "Send meldingen, eller ring" not in footer
        assert "meldt muntlig" in footer
    else:
        assert "Meldt muntlig" not in history and "Meldt muntlig" not in record
        assert "Send meldingen, eller ring" in footer
