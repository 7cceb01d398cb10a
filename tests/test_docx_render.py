"""Markdown to Word: each file is read back with python-docx (and opened as the zip of XML
parts it must be), and checked against the Markdown it came from."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

docx = pytest.importorskip("docx")

from omsorgslinje.docx_render import markdown_to_docx  # noqa: E402

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

SAMPLE = """\
# Journalnotat

Skrevet av **helsesykepleier**, *Helsestasjonen*. Se `flyt sjekk` og
[rutinen](https://example.org/rutine) og en linje\\
med hardt linjeskift.

## Neste steg

1. Meld til barnevernstjenesten
2. Ring Koordinerende enhet
   - spør om skjemaet
   - avtal tid

Tekst mellom listene.

1. Ny liste, ny nummerering
2. Andre punkt

- [ ] Gå to sammen
- [x] Skriv ned observasjonene

| Hva | Hvem | Når |
|---|---|---|
| Melde \\| straks | **Helsesykepleier** | i dag |
| Følge opp |  | 27.11.2026 |

> Sitat fra brukeren: «Jeg vil prøve selv.»

---

### Underskrift

Sted og dato: ____________________
"""


def _open(data: bytes):
    return docx.Document(io.BytesIO(data))


def _numbering(paragraph) -> tuple[str, str] | None:
    num_pr = paragraph._p.find(f"{W}pPr/{W}numPr")
    if num_pr is None:
        return None
    return (
        num_pr.find(f"{W}numId").get(f"{W}val"),
        num_pr.find(f"{W}ilvl").get(f"{W}val"),
    )


def test_a_docx_file_is_a_valid_office_open_xml_package() -> None:
    data = markdown_to_docx(SAMPLE, title="Journalnotat")
    assert data[:2] == b"PK"
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.testzip() is None
        names = set(z.namelist())
        assert {"[Content_Types].xml", "_rels/.rels", "word/document.xml"} <= names
        types = z.read("[Content_Types].xml").decode()
        assert "wordprocessingml.document.main+xml" in types
        for name in names:  # every XML part parses
            if name.endswith((".xml", ".rels")):
                ElementTree.fromstring(z.read(name))


def test_headings_keep_their_level_and_text() -> None:
    d = _open(markdown_to_docx(SAMPLE))
    headings = [(p.style.name, p.text) for p in d.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [
        ("Heading 1", "Journalnotat"),
        ("Heading 2", "Neste steg"),
        ("Heading 3", "Underskrift"),
    ]


def test_bold_italic_code_link_and_line_break_in_a_paragraph() -> None:
    d = _open(markdown_to_docx(SAMPLE))
    para = next(p for p in d.paragraphs if p.text.startswith("Skrevet av"))
    runs = {r.text: r for r in para.runs}
    assert runs["helsesykepleier"].bold is True
    assert runs["Helsestasjonen"].italic is True
    assert runs["flyt sjekk"].font.name == "Consolas"
    # a soft line break is a space, a hard one a Word line break
    assert "Se flyt sjekk og" in para.text.replace("\n", " ")
    assert para._p.findall(f".//{W}br"), "the hard line break is lost"
    links = para._p.findall(f"{W}hyperlink")
    assert len(links) == 1
    rel_id = links[0].get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
    assert para.part.rels[rel_id].target_ref == "https://example.org/rutine"
    assert "rutinen" in "".join(t.text for t in links[0].iter(f"{W}t"))


def test_lists_bulleted_nested_and_numbered_each_from_one() -> None:
    d = _open(markdown_to_docx(SAMPLE))
    items = [(p.style.name, p.text) for p in d.paragraphs if p.style.name.startswith("List")]
    assert items == [
        ("List Number", "Meld til barnevernstjenesten"),
        ("List Number", "Ring Koordinerende enhet"),
        ("List Bullet 2", "spør om skjemaet"),
        ("List Bullet 2", "avtal tid"),
        ("List Number", "Ny liste, ny nummerering"),
        ("List Number", "Andre punkt"),
    ]
    # a task-list box is the item's own mark, in place of a bullet
    boxes = [p for p in d.paragraphs if p.text.startswith(("☐", "☒"))]
    assert [p.text for p in boxes] == ["☐ Gå to sammen", "☒ Skriv ned observasjonene"]
    assert all(p.style.name == "Normal" and p.paragraph_format.left_indent for p in boxes)
    numbered = [p for p in d.paragraphs if p.style.name == "List Number"]
    first, second = _numbering(numbered[0]), _numbering(numbered[2])
    assert first and second
    assert first[0] == _numbering(numbered[1])[0]  # type: ignore[index]
    assert first[0] != second[0], "the second list would go on counting from 3"
    numbering = d.part.numbering_part.element
    for num_id in (first[0], second[0]):
        num = next(n for n in numbering.num_lst if str(n.numId) == num_id)
        start = num.find(f"{W}lvlOverride/{W}startOverride")
        assert start is not None and start.get(f"{W}val") == "1"


def test_tables_keep_cells_header_and_escaped_pipes() -> None:
    d = _open(markdown_to_docx(SAMPLE))
    assert len(d.tables) == 1
    table = d.tables[0]
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows == [
        ["Hva", "Hvem", "Når"],
        ["Melde | straks", "Helsesykepleier", "i dag"],
        ["Følge opp", "", "27.11.2026"],
    ]
    header = table.rows[0]
    assert all(r.bold for c in header.cells for r in c.paragraphs[0].runs)
    assert header._tr.find(f"{W}trPr/{W}tblHeader") is not None  # repeated on each page
    assert table.rows[1].cells[1].paragraphs[0].runs[0].bold is True


def test_quote_rule_and_signature_line_survive() -> None:
    d = _open(markdown_to_docx(SAMPLE))
    quote = next(p for p in d.paragraphs if "Jeg vil prøve selv" in p.text)
    assert quote.style.name == "Quote"
    assert any(p._p.find(f"{W}pPr/{W}pBdr") is not None for p in d.paragraphs)
    assert any(p.text == "Sted og dato: ____________________" for p in d.paragraphs)


def test_a4_bokmal_and_no_trace_of_the_library_or_the_user() -> None:
    d = _open(markdown_to_docx(SAMPLE, title="Søknad om koordinator"))
    section = d.sections[0]
    assert abs(section.page_width.mm - 210) < 0.5 and abs(section.page_height.mm - 297) < 0.5
    lang = d.styles.element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert lang is not None and lang.get(f"{W}val") == "nb-NO"
    props = d.core_properties
    assert props.title == "Søknad om koordinator"
    assert props.language == "nb-NO"
    assert "python-docx" not in (props.author + props.comments + props.last_modified_by)
    assert props.created is not None and props.created.year > 2013  # not the library's date


def test_nothing_of_the_text_is_lost() -> None:
    """Every word of the Markdown (less its markup) is in the Word file."""
    d = _open(markdown_to_docx(SAMPLE))
    text = " ".join(p.text for p in d.paragraphs)
    text += " " + " ".join(c.text for t in d.tables for row in t.rows for c in row.cells)
    words = re.findall(r"[\wæøåÆØÅ«»]{3,}", re.sub(r"\(https?://[^)]*\)", "", SAMPLE))
    missing = [w for w in words if w not in text]
    assert not missing


def test_importing_the_module_does_not_import_python_docx() -> None:
    code = (
        "import sys, omsorgslinje.docx_render, omsorgslinje.render\n"
        "print(sorted(m for m in ('docx', 'lxml') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("markdown", ["", "\n\n", "|a|\n|-|\n", "- \n", "# \n", "1. \n"])
def test_odd_markdown_still_makes_a_file(markdown: str, tmp_path: Path) -> None:
    data = markdown_to_docx(markdown)
    assert zipfile.is_zipfile(io.BytesIO(data))
    _open(data)


# --- every document of every example -------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))


def _example_documents() -> list[tuple[Path, str]]:
    import tomllib

    from omsorgslinje.answers import merge
    from omsorgslinje.loader import load_flow
    from omsorgslinje.render import Case, applicable_documents

    out = []
    for path in EXAMPLES:
        flow_id = tomllib.loads(path.read_text(encoding="utf-8"))["omsorgslinje"]["flyt"]
        flow = load_flow(ROOT / "flows" / f"{flow_id}.toml")
        answers = merge([path], flow).answers
        case = Case(flow, answers, answers_date(path))
        out += [(path, d.name) for d in applicable_documents(case)]
    return out


def answers_date(path: Path):
    import datetime
    import tomllib

    return tomllib.loads(path.read_text(encoding="utf-8"))["omsorgslinje"].get(
        "dato", datetime.date(2026, 11, 20)
    )


@pytest.mark.parametrize(
    ("path", "name"), _example_documents(), ids=lambda v: v.stem if isinstance(v, Path) else v
)
def test_every_document_of_every_example_as_word(path: Path, name: str) -> None:
    """Headings, table rows and list items of the Markdown, counted by hand, are all in the
    Word file, with their text."""
    import tomllib

    from omsorgslinje.answers import merge
    from omsorgslinje.documents import render_bytes
    from omsorgslinje.loader import load_flow
    from omsorgslinje.plaintext import inline as _inline
    from omsorgslinje.render import Case, render

    def inline(text: str) -> str:  # and Markdown's backslash escapes, as a reader sees them
        return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", _inline(text))

    flow_id = tomllib.loads(path.read_text(encoding="utf-8"))["omsorgslinje"]["flyt"]
    flow = load_flow(ROOT / "flows" / f"{flow_id}.toml")
    case = Case(flow, merge([path], flow).answers, answers_date(path))
    document = flow.document(name)
    assert document is not None
    md = render(case, document, "md")
    d = _open(render_bytes(case, document, "docx"))
    assert d.core_properties.title == document.title

    lines = md.splitlines()
    want_headings = [
        (f"Heading {len(m.group(1))}", inline(m.group(2)).strip())
        for m in (re.match(r"^(#{1,6})\s+(.*)$", line) for line in lines)
        if m
    ]
    got_headings = [(p.style.name, p.text) for p in d.paragraphs if p.style.name.startswith("Head")]
    assert got_headings == want_headings

    rows = [
        line for line in lines if line.startswith("|") and not re.match(r"^\|[\s:|-]+\|$", line)
    ]
    got_rows = [row for t in d.tables for row in t.rows]
    assert len(got_rows) == len(rows)
    for line, row in zip(rows, got_rows, strict=True):
        first = inline(re.split(r"(?<!\\)\|", line)[1].strip())
        assert row.cells[0].text == first

    items = [m.group(1) for m in (re.match(r"^\s*(?:[-*]|\d+\.)\s+(.*)$", x) for x in lines) if m]
    got_items = [
        p.text
        for p in d.paragraphs
        if p.style.name.startswith("List") or p.text.startswith(("☐", "☒"))
    ]
    assert len(got_items) == len(items)
    for want, got in zip(items, got_items, strict=True):
        plain = re.sub(r"^\[[ xX]\]\s+", "", inline(want)).rstrip("\\").strip()
        assert re.sub(r"^[☐☒] ", "", got).startswith(plain)
