"""Markdown to plain text for journal systems: no #, **, | or ]( left, and no words lost."""

from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path

from conftest import write_flow
from hypothesis import given, settings
from hypothesis import strategies as st

from omsorgslinje.loader import load_flow
from omsorgslinje.plaintext import inline, markdown_to_text
from omsorgslinje.render import Case, render

MARKUP = ("#", "**", "|", "](", "__", "`")


def assert_plain(text: str) -> None:
    for mark in MARKUP:
        assert mark not in text, (mark, text)


def test_headings() -> None:
    out = markdown_to_text("# Journalnotat\n\n## Samtykke\n\n### Neste steg\n")
    assert out.splitlines()[:2] == ["JOURNALNOTAT", "============"]
    assert "Samtykke\n--------" in out
    assert "Neste steg:" in out
    assert_plain(out)


def test_emphasis_links_and_code() -> None:
    out = inline("Se **rutinen** og *kapittel 2*, __her__, `kode` og [Bufdir](https://bufdir.no).")
    assert out == "Se rutinen og kapittel 2, her, kode og Bufdir (https://bufdir.no)."
    assert inline("[https://x.no](https://x.no)") == "https://x.no"


def test_arithmetic_stars_are_not_emphasis() -> None:
    assert inline("2 * 3 * 4") == "2 * 3 * 4"


def test_two_column_table_becomes_question_answer_lines() -> None:
    md = "| Spørsmål | Svar |\n|---|---|\n| Rolle | Jordmor |\n| Dato | |\n"
    out = markdown_to_text(md)
    assert out.splitlines() == ["- Rolle: Jordmor", "- Dato: -"]
    assert_plain(out)


def test_wider_table_names_the_columns() -> None:
    md = "| Hva | Hvem | Når |\n|:--|--:|:-:|\n| Søk | Oppdager | straks |\n"
    out = markdown_to_text(md)
    assert out.strip() == "- Søk; Hvem: Oppdager; Når: straks"
    assert_plain(out)


def test_escaped_pipe_in_a_cell_stays_one_cell() -> None:
    md = "| Spørsmål | Svar |\n|---|---|\n| Tiltak | A \\| B |\n"
    assert markdown_to_text(md).strip() == "- Tiltak: A | B"


def test_bullets_checkboxes_quotes_rules() -> None:
    md = "- [ ] Ring\n- [x] Skrevet\n* punkt med **fet**\n  - under\n> sitat\n\n---\nslutt\n"
    lines = markdown_to_text(md).splitlines()
    assert lines[:4] == ["- [ ] Ring", "- [x] Skrevet", "- punkt med fet", "  - under"]
    assert "  sitat" in lines
    assert "---" not in lines
    assert lines[-1] == "slutt"


def test_code_fences_and_line_breaks() -> None:
    out = markdown_to_text("```\nkode\n```\nLinje<br>ny\\\n")
    assert out == "kode\nLinje ny\n"


WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzæøåABCÆØÅ0123456789", min_size=1, max_size=8)


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, list[str]]:
    """Markdown as our templates write it, and the words in it."""
    words: list[str] = []

    def w() -> str:
        word = draw(WORD)
        words.append(word)
        return word

    blocks: list[str] = []
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["h", "p", "table", "list", "quote"]))
        if kind == "h":
            blocks.append("#" * draw(st.integers(1, 3)) + " " + w())
        elif kind == "p":
            parts = []
            for _ in range(draw(st.integers(1, 4))):
                style = draw(st.sampled_from(["", "**", "*", "`", "link"]))
                if style == "link":
                    parts.append(f"[{w()}](https://eksempel.no/{w()})")
                else:
                    parts.append(f"{style}{w()}{style}")
            blocks.append(" ".join(parts))
        elif kind == "table":
            cols = draw(st.integers(2, 4))
            # the header of a two-column table and the first header are left out by design
            header = [draw(WORD) if cols == 2 or i == 0 else w() for i in range(cols)]
            rows = ["| " + " | ".join(header) + " |"]
            rows.append("|" + "---|" * cols)
            for _ in range(draw(st.integers(1, 3))):
                rows.append("| " + " | ".join(f"**{w()}**" for _ in range(cols)) + " |")
            blocks.append("\n".join(rows))
        elif kind == "list":
            blocks.append("\n".join(f"- **{w()}** ({w()})" for _ in range(draw(st.integers(1, 3)))))
        else:
            blocks.append(f"> {w()}")
    return "\n\n".join(blocks) + "\n", words


@settings(max_examples=200, deadline=None)
@given(documents())
def test_no_markup_left_and_no_word_lost(doc: tuple[str, list[str]]) -> None:
    md, words = doc
    out = markdown_to_text(md)
    assert_plain(out)
    flat = out.lower()
    for word in words:
        assert word.lower() in flat, word


def test_rendered_txt_document_is_plain(tmp_path: Path) -> None:
    flow = load_flow(write_flow(tmp_path))
    answers = {
        "initialer": "AB",
        "rolle": "annen",
        "annen_rolle": "Jordmor",
        "samtykke": True,
        "samtykke_dato": _dt.date(2026, 11, 1),
        "gjelder_hvem": ["gravid", "barn"],
        "antall_barn": 2,
        "beskrivelse": "Bekymret etter hjemmebesøk.",
    }
    case = Case(flow, answers, _dt.date(2026, 11, 22))
    md = render(case, flow.primary_document, "md")
    txt = render(case, flow.primary_document, "txt")
    assert re.search(r"^\| ", md, re.M) and "**" in md  # the Markdown has markup to remove
    assert_plain(txt)
    for value in ("AB", "Jordmor", "01.11.2026", "Gravid; Barn 0–3 år", "Bekymret etter"):
        assert value in txt
    assert "Send søknad for AB" in txt
