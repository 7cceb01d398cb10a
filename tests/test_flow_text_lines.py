"""Info and help texts render as Markdown-like paragraphs: a line indented by spaces outside a
list is joined to the sentence before it. In henvisning's «skriving_info» a command on its own
indented line ran into the next sentence on screen («--ut rus.toml Delene slås sammen …»)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).absolute().parent.parent
FLOWS = sorted((ROOT / "flows").glob("*.toml"))
LIST_ITEM = re.compile(r"\s*(?:[-*]|\d+\.) ")


def _stray_indented_lines(text: str) -> list[str]:
    stray, in_list = [], False
    for line in text.split("\n"):
        if LIST_ITEM.match(line):
            in_list = True
        elif not line.strip():
            in_list = False
        elif line.startswith((" ", "\t")) and not in_list:
            stray.append(line)
    return stray


@pytest.mark.parametrize("path", FLOWS, ids=lambda p: p.stem)
def test_no_indented_line_outside_a_list(path: Path) -> None:
    flow = tomllib.loads(path.read_text(encoding="utf-8"))
    found = [
        (step["id"], key, line)
        for step in flow["steps"]
        for key in ("prompt", "help")
        for line in _stray_indented_lines(step.get(key) or "")
    ]
    assert found == []


def test_the_command_to_write_a_part_is_a_sentence_of_its_own() -> None:
    flow = tomllib.loads((ROOT / "flows" / "henvisning.toml").read_text(encoding="utf-8"))
    (step,) = [s for s in flow["steps"] if s["id"] == "skriving_info"]
    text = " ".join(step["prompt"].split())
    assert "«omsorgslinje henvisning --del rusmiddelbruk --ut rus.toml»." in text
    # the file the meeting's own answers are in is named, not an unexplained «mote.toml»
    assert "henvisning-svar.toml" in text and "mote.toml" not in text
