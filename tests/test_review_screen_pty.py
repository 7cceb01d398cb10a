"""The full-screen review at 60 columns: one «→» per answer, its continuation lines under it;
a multiselect says which choices are ticked, not how many."""

from __future__ import annotations

import re

import pytest
from ptyhelp import ENTER, INFO, LIST, SUBMIT_TEXTAREA, screen

pytestmark = pytest.mark.pty

LONG = (
    "Far luktet alkohol ved henting to ganger denne måneden, og barnet var stille og "
    "trøtt begge dagene etterpå i barnehagen"
)


def test_review_and_ticks_at_60_columns(spawn, flow_file) -> None:
    s = spawn(["start", flow_file, "--dato", "22.11.2026"], dimensions=(40, 60))
    s.expect("Husk å skrive initialer")
    s.ready(INFO)
    s.send(ENTER)
    s.expect("Initialer eller saksreferanse")
    s.ready("< tilbake · ? hjelp")
    s.send("AB" + ENTER)
    s.expect("Hvilken rolle har du")
    s.ready(LIST)
    s.send("2" + ENTER)  # Fastlege
    s.expect("Har familien gitt samtykke")
    s.ready(LIST)
    s.send("n" + ENTER)  # Nei
    s.expect("Hva gjelder bekymringen")
    s.ready("Enter bekrefter")
    s.send("1")
    s.expect("Krysset av: 1")
    s.send("2")
    s.expect(", 2")  # the screen redraws only what changed: «Krysset av: 1, 2»
    s.send(ENTER)
    s.expect("Hvor mange barn under 3")
    s.ready("< tilbake · ? hjelp")
    s.send("1" + ENTER)
    s.expect("Beskriv bekymringen kort")
    s.ready("kan stå tomt")
    s.send(LONG + SUBMIT_TEXTAREA)
    s.expect("Gjennomgang av svarene")
    s.expect("Er svarene riktige")
    shown = screen(s.text)
    review = shown[shown.rindex("Gjennomgang av svarene") :]
    lines = review.splitlines()
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("→ Far luktet"))
    assert lines[start + 1].strip() and "→" not in lines[start + 1]  # wrapped, no second arrow
    text = " ".join(line.strip().lstrip("→ ") for line in lines[start : start + 4])
    assert re.sub(r"\s+", " ", LONG) in re.sub(r"\s+", " ", text)
