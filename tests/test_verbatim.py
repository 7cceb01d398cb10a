"""The user's text reaches the document exactly: no forged structure in md, nothing lost in txt.

Each answer below is put into a paragraph, a list item, a table cell, a quote and a list made
from its lines, rendered through the installed script, and read back with a real Markdown parser.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import tomli_w
from conftest import PROVE_FLOW, write_flow
from markdown_it import MarkdownIt

from omsorgslinje.verbatim import Verbatim, escape_line, normalise_breaks

TEMPLATE = """\
# Notat

## Observasjon

Observert: {{ beskrivelse }}

- Beskrivelse: {{ beskrivelse }}

> {{ beskrivelse }}

| Felt | Svar |
|---|---|
| Beskrivelse | {{ beskrivelse }} |
| Initialer | {{ initialer }} |

## Linjer

{% for linje in beskrivelse.splitlines() if linje.strip() %}
- {{ linje }}
{% endfor %}

## Slutt

Ferdig.
"""

HOSTILE = [
    "## Vurdering fra barnevernstjenesten\nIngen grunn til bekymring.",
    "Første linje\u2028## Vurdering fra barnevernstjenesten",
    "Før\u0085# Forfalsket\rCR\r\nCRLF",
    "```\nkode\n```",
    "---",
    "Linje\n---\nLinje",
    "Tittel\n===",
    "rapport_2026__v2__final.pdf og *viktig* og __fet__ og _kursiv_",
    "| a | b |\n|---|---|\n| c | d |",
    "<script>alert(1)</script> &amp; &lt;",
    "[lenke](http://example.org) ![bilde](x.png)",
    "1. punkt\n2) punkt\n- punkt\n+ punkt\n* punkt",
    "> sitat\n>> dypere",
    "bakstrek \\ og \\*ikke\\* og `kode`",
    "~~gjennomstreket~~",
    "Avsnitt en\n\nAvsnitt to",
    "    innrykket fire mellomrom",
]


def _blocks(md: str) -> list[tuple[str, str]]:
    """The document's block structure: (tag, heading text) for headings, tags for the rest."""
    parser = MarkdownIt("commonmark").enable("table").enable("strikethrough")
    tokens = parser.parse(md)
    out: list[tuple[str, str]] = []
    for i, t in enumerate(tokens):
        if t.type == "heading_open":
            out.append((t.tag, tokens[i + 1].content))
        elif t.type in ("table_open", "tr_open", "blockquote_open", "bullet_list_open"):
            out.append((t.tag, ""))
        elif t.type in ("fence", "code_block", "hr", "html_block", "ordered_list_open"):
            out.append((t.type, t.content))
    return out


def _inline_texts(md: str) -> list[str]:
    """The text of every inline run, as a reader sees it (breaks as newlines)."""
    parser = MarkdownIt("commonmark").enable("table").enable("strikethrough")
    out = []
    for t in parser.parse(md):
        if t.type != "inline":
            continue
        parts = []
        for c in t.children or []:
            if c.type == "text" or c.type == "code_inline":
                parts.append(c.content)
            elif c.type in ("softbreak", "hardbreak") or (
                c.type == "html_inline" and c.content == "<br>"
            ):
                parts.append("\n")
            else:
                parts.append(f"<{c.type}>")
        out.append("".join(parts))
    return out


@pytest.fixture
def hostile_flow(tmp_path: Path) -> Path:
    return write_flow(
        tmp_path / "flyt",
        PROVE_FLOW,
        templates={"prove-notat.md.j2": TEMPLATE, "prove-soknad.md.j2": "# Søknad\n"},
    )


def _answers(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "svar.toml"
    answers = {
        "initialer": "AB",
        "rolle": "fastlege",
        "samtykke": False,
        "gjelder_hvem": ["gravid"],
        "beskrivelse": text,
    }
    path.write_text(tomli_w.dumps({"svar": answers}), encoding="utf-8")
    return path


def _render(run_cli, flow: Path, answers: Path, fmt: str) -> str:
    r = run_cli(["start", flow, "--svar", answers, "--format", fmt, "--dokument", "notat"])
    assert r.returncode == 0, r.stderr
    return r.stdout


@pytest.mark.parametrize("text", HOSTILE)
def test_an_answer_cannot_forge_markdown_structure(run_cli, tmp_path, hostile_flow, text):
    benign = _render(run_cli, hostile_flow, _answers(tmp_path, "Rolig og trygg."), "md")
    md = _render(run_cli, hostile_flow, _answers(tmp_path, text), "md")
    shape = _blocks(benign)
    # the split list has one item per non-blank line: compare the rest exactly
    assert [b for b in _blocks(md) if b[0] != "ul"] == [b for b in shape if b[0] != "ul"]
    typed = normalise_breaks(text.strip())
    inline = _inline_texts(md)
    # whole, in the paragraph, the list item, the quote and the table cell (a blank line in the
    # answer makes two paragraphs of the block it is in: read them as one)
    runs = "\n\n".join(inline)
    assert f"Observert: {typed}\n\n" in runs
    assert f"Beskrivelse: {typed}\n\n" in runs
    assert f"\n\n{typed}\n\n" in runs
    # one list item per non-blank line, each as typed
    for line in typed.splitlines():
        if line.strip():
            assert line in inline


@pytest.mark.parametrize("text", HOSTILE)
def test_plain_text_keeps_the_answer_as_typed(run_cli, tmp_path, hostile_flow, text):
    txt = _render(run_cli, hostile_flow, _answers(tmp_path, text), "txt")
    typed = normalise_breaks(text.strip())
    assert f"Observert: {typed}" in txt
    assert f"- Beskrivelse: {typed}" in txt
    # the template's own Markdown is still converted
    assert "NOTAT\n=====" in txt
    assert "Observasjon\n-----------" in txt and "Slutt\n-----" in txt
    assert "## Observasjon" not in txt


def test_plain_text_keeps_underscores_fences_and_rules(run_cli, tmp_path, hostile_flow):
    text = "```\nrapport_2026__v2__final.pdf\n---\n```"
    txt = _render(run_cli, hostile_flow, _answers(tmp_path, text), "txt")
    assert text in txt


def test_toml_record_keeps_the_answer_byte_for_byte(run_cli, tmp_path, hostile_flow):
    import tomllib

    text = "## Vurdering\n| a | b |\n```"
    record = tomllib.loads(_render(run_cli, hostile_flow, _answers(tmp_path, text), "toml"))
    assert record["svar"]["beskrivelse"] == text


def test_escape_line_is_read_back_as_the_line() -> None:
    parser = MarkdownIt("commonmark").enable("table").enable("strikethrough")
    for text in HOSTILE:
        for line in normalise_breaks(text).split("\n"):
            if not line.strip() or line.startswith("    "):
                continue
            tokens = parser.parse(escape_line(line))
            inline = [t for t in tokens if t.type == "inline"]
            assert len(inline) == 1, line
            assert "".join(c.content for c in inline[0].children or []) == line


def test_an_empty_answer_is_no_token() -> None:
    v = Verbatim()
    assert v.token("") == ""
    assert v.to_markdown("a\nb") == "a\nb"


def test_a_multi_line_answer_keeps_its_lines_in_word(run_cli, tmp_path, hostile_flow):
    import io

    import docx

    from omsorgslinje.docx_render import markdown_to_docx

    text = "Linje én\nLinje | to\n## tre"
    md = _render(run_cli, hostile_flow, _answers(tmp_path, text), "md")
    d = docx.Document(io.BytesIO(markdown_to_docx(md, title="Notat")))
    paragraphs = [p.text for p in d.paragraphs]
    assert f"Observert: {text}" in paragraphs
    cells = [c.text for t in d.tables for row in t.rows for c in row.cells]
    assert text in cells
