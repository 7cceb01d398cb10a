"""The journal note reads as sentences whatever case the user typed the role in.

Users type their role as they say it, in lower case («helsesykepleier», «pedagogisk leder i
barnehage»; the prompt's own example is lower case). A sentence in the note must not start with
it, or the assessment opens with a lower-case word.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path

import pytest

from omsorgslinje.answers import merge
from omsorgslinje.documents import find_document
from omsorgslinje.loader import load_flow
from omsorgslinje.render import Case, render

ROOT = Path(__file__).absolute().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("oppdager-*.toml"))
FLOW = load_flow(ROOT / "flows" / "oppdager.toml")


def _note(path: Path, **changes: object) -> tuple[str, str]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    date = data["omsorgslinje"].get("dato", dt.date(2026, 11, 20))
    answers = dict(merge([path], FLOW).answers)
    role = str(answers["rolle"]).lower()
    answers["rolle"] = role
    answers.update(changes)
    doc = find_document(FLOW, "notat")
    assert doc is not None
    return role, render(Case(FLOW, answers, date), doc, "md")


def _sentences_start_with(role: str, md: str) -> list[str]:
    """Lines of the note, and sentences inside them, that begin with the role."""
    hits = []
    for line in md.splitlines():
        for sentence in re.split(r"(?<=[.!?]) ", line.strip()):
            if sentence.startswith(role):
                hits.append(sentence)
    return hits


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_no_sentence_starts_with_a_lower_case_role(path: Path) -> None:
    role, md = _note(path)
    assert _sentences_start_with(role, md) == []


def test_not_health_personnel_with_a_pregnant_woman_reads_as_a_sentence() -> None:
    path = ROOT / "examples" / "oppdager-gravid.toml"
    role, md = _note(path, helsepersonell=False)
    assert "§ 32 annet ledd gjelder ikke" in md  # the branch is the one under test
    assert _sentences_start_with(role, md) == []


def test_the_outcome_of_a_discussion_says_whose_it_is() -> None:
    hits = 0
    for path in EXAMPLES:
        _, md = _note(path)
        if "Drøftet med" in md:
            assert " De kom fram til:" not in md  # «de»: nobody named
            if "Konklusjonen fra drøftingen:" in md:
                hits += 1
    assert hits >= 1
