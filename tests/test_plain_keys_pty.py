"""--enkel: Ctrl-B goes back as in the full-screen prompts (README), and the message after a
Ctrl-C starts on a line of its own, wrapped at words."""

from __future__ import annotations

import pytest
from ptyhelp import screen

pytestmark = pytest.mark.pty


def at_the_role(spawn, flow_file, **options):
    """The test flow in plain mode, past the first panel, «AB» as initials, at the role."""
    s = spawn(["start", flow_file, "--enkel", "--dato", "20.11.2026"], **options)
    s.expect("Trykk Enter")
    s.send("\r")
    s.expect("Initialer eller saksreferanse")
    s.send("AB\r")
    s.expect("Hvilken rolle har du")
    return s


def test_ctrl_b_goes_back_in_plain_mode(spawn, flow_file) -> None:
    s = at_the_role(spawn, flow_file)
    s.send("\x02\r")  # Ctrl-B, Enter
    s.expect(r"Initialer eller saksreferanse\? \[AB\]")
    assert "kontrolltegn" not in s.text


def test_the_message_after_ctrl_c_starts_on_its_own_line(spawn, flow_file) -> None:
    s = at_the_role(spawn, flow_file, dimensions=(30, 60))
    s.send("\x03")
    s.expect("Avbrutt.")
    shown = screen(s.text)
    assert "\nAvbrutt." in shown
    # wrapped at words: no line of the message ends inside a word of the draft's sentence
    tail = shown[shown.index("Avbrutt.") :]
    assert all(len(line) <= 60 for line in tail.splitlines())
    assert "Svar\nene" not in tail and "fortse\ntt" not in tail


def test_resuming_says_where_you_stand_not_the_introduction(spawn, flow_file, home) -> None:
    s = at_the_role(spawn, flow_file)
    s.send("\x03")
    s.expect("Avbrutt.")
    s.close()
    again = spawn(["utkast", "fortsett", "--enkel"])
    again.expect("Hvilken rolle har du")
    shown = screen(again.text)
    assert "Fortsetter: Prøveflyt for tester" in shown
    assert "Du fortsetter der du slapp." in shown
    assert "Dette er en prøveflyt." not in shown  # the intro was read when it started


def test_plain_mode_keeps_urgent_panels_and_choice_help_inside_60_columns(spawn) -> None:
    s = spawn(["oppdager", "--enkel"], dimensions=(40, 60))
    s.expect("Skriv et nummer")
    s.send("1\r")  # a child in danger: the urgent panel
    s.expect("Trykk Enter for å gå videre")
    shown = screen(s.text)
    panel = shown[shown.index("VIKTIG:") :]
    assert all(len(line) <= 60 for line in panel.splitlines()), panel
