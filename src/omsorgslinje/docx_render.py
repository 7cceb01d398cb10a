"""Markdown, as our templates write it, to a Word file (.docx) for printing, signing and
attaching to an application or a referral.

Headings, paragraphs, bold, italic, inline code, links, line breaks, bullet and numbered lists
(nested, each numbered list starting at its own first number), task-list boxes, block quotes,
code blocks, rules and tables (the header row repeated on every page) become their Word
counterparts. The page is A4 with the text marked as Norwegian bokmål, so Word and LibreOffice
check the spelling in the right language.

python-docx (and lxml under it) is only imported here, and this module only when a docx is
asked for: start-up and replay do not pay for it. The Markdown is parsed by markdown-it-py,
which rich already brings.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import field
from typing import TYPE_CHECKING, Any

from .fastclass import dataclass

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.table import _Cell
    from docx.text.paragraph import Paragraph
    from markdown_it.token import Token

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LANGUAGE = "nb-NO"
_BOX = re.compile(r"^\[([ xX])\]\s+")
_MONO = "Consolas"


@dataclass
class _Marks:
    """The inline formatting open at a point of a line: nesting counts, not flags."""

    bold: int = 0
    italic: int = 0
    strike: int = 0
    link: list[str] = field(default_factory=list)


@dataclass
class _List:
    ordered: bool
    start: int
    num_id: int | None = None  # the Word numbering of an ordered list, made at its first item


def markdown_to_docx(markdown: str, *, title: str = "") -> bytes:
    """The Markdown as the bytes of a .docx file."""
    from docx import Document
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
    tokens = parser.parse(markdown)
    doc = Document()
    _set_up(doc, title)
    _Writer(doc).blocks(tokens)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _set_up(doc: DocxDocument, title: str) -> None:
    """A4 with 2,5 cm margins, bokmål, black headings, no trace of the library or the user."""
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt, RGBColor

    for section in doc.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(25)
        section.top_margin = section.bottom_margin = Mm(25)
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.size = Pt(11)
    rpr_default = styles.element.find(qn("w:docDefaults"))
    if rpr_default is not None:
        rpr = rpr_default.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        if rpr is not None:
            lang = rpr.find(qn("w:lang"))
            if lang is None:
                lang = rpr.makeelement(qn("w:lang"), {})
                rpr.append(lang)
            for attr in ("w:val", "w:eastAsia", "w:bidi"):
                lang.set(qn(attr), LANGUAGE)
    for level in range(1, 7):
        style = styles[f"Heading {level}"]
        style.font.color.rgb = RGBColor(0, 0, 0)
    props = doc.core_properties
    props.title = title
    props.language = LANGUAGE
    props.author = ""
    props.last_modified_by = ""
    props.comments = ""
    props.keywords = ""
    props.subject = ""
    # the library's template says 2013: the file is made now
    import datetime as _dt

    now = _dt.datetime.now(_dt.UTC).replace(microsecond=0, tzinfo=None)
    props.created = props.modified = now
    props.revision = 1


class _Writer:
    """Walks markdown-it's block tokens and writes the Word document."""

    def __init__(self, doc: DocxDocument) -> None:
        self.doc = doc
        self.lists: list[_List] = []
        self.quote = 0

    # --- blocks -------------------------------------------------------------------------

    def blocks(self, tokens: Sequence[Token]) -> None:
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            kind = tok.type
            if kind == "heading_open":
                level = int(tok.tag[1:])
                para = self.doc.add_heading("", level=min(level, 6))
                self.inline(para, tokens[i + 1].children or [])
                i += 3
                continue
            if kind == "paragraph_open":
                para = self._paragraph(tokens, i)
                self.inline(para, tokens[i + 1].children or [], in_list=bool(self.lists))
                i += 3
                continue
            if kind in ("bullet_list_open", "ordered_list_open"):
                start = int(tok.attrs.get("start", 1) or 1) if tok.attrs else 1
                self.lists.append(_List(ordered=kind == "ordered_list_open", start=start))
            elif kind in ("bullet_list_close", "ordered_list_close"):
                self.lists.pop()
            elif kind == "blockquote_open":
                self.quote += 1
            elif kind == "blockquote_close":
                self.quote -= 1
            elif kind in ("fence", "code_block"):
                self._code(tok.content)
            elif kind == "hr":
                self._rule()
            elif kind == "table_open":
                end = _closing(tokens, i, "table_close")
                self._table(tokens[i + 1 : end])
                i = end + 1
                continue
            i += 1

    def _paragraph(self, tokens: Sequence[Token], i: int) -> Paragraph:
        """A new paragraph: a list item's first paragraph gets the list style, later ones
        (and tight-list continuation) are indented under it."""
        from docx.shared import Mm

        first_in_item = i > 0 and tokens[i - 1].type == "list_item_open"
        boxed = _BOX.match(tokens[i + 1].content) if i + 1 < len(tokens) else None
        if self.lists and first_in_item and not (boxed and not self.lists[-1].ordered):
            return self._list_paragraph()
        if self.lists and first_in_item:  # a task-list box is its own mark: no bullet beside it
            para = self.doc.add_paragraph()
            para.paragraph_format.left_indent = Mm(7 * len(self.lists))
            return para
        para = self.doc.add_paragraph()
        if self.lists:
            para.paragraph_format.left_indent = Mm(7 * len(self.lists))
        elif self.quote:
            para.style = self.doc.styles["Quote"]
        return para

    def _list_paragraph(self) -> Paragraph:
        current = self.lists[-1]
        depth = min(len(self.lists), 3)
        kind = "Number" if current.ordered else "Bullet"
        name = f"List {kind}" if depth == 1 else f"List {kind} {depth}"
        para = self.doc.add_paragraph(style=name)
        if current.ordered:
            if current.num_id is None:
                current.num_id = self._restart_numbering(name, current.start)
            num_pr = para._p.get_or_add_pPr().get_or_add_numPr()
            num_pr.get_or_add_ilvl().val = 0
            num_pr.get_or_add_numId().val = current.num_id
        return para

    def _restart_numbering(self, style_name: str, start: int) -> int:
        """A fresh Word numbering for one list (else every list would go on counting)."""
        from docx.oxml.ns import qn

        style = self.doc.styles[style_name].element
        num_id_el = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
        numbering = self.doc.part.numbering_part.element
        if num_id_el is None:
            return 0
        style_num = num_id_el.get(qn("w:val"))
        abstract = None
        for num in numbering.num_lst:
            if str(num.numId) == style_num:
                abstract = num.abstractNumId.val
        if abstract is None:
            return int(style_num or 0)
        num = numbering.add_num(abstract)
        num.add_lvlOverride(ilvl=0).add_startOverride(start)
        return int(num.numId)

    def _code(self, text: str) -> None:
        from docx.shared import Mm, Pt

        para = self.doc.add_paragraph()
        para.paragraph_format.left_indent = Mm(7 * (len(self.lists) + 1))
        lines = text.rstrip("\n").split("\n")
        for n, line in enumerate(lines):
            run = para.add_run(line)
            run.font.name = _MONO
            run.font.size = Pt(10)
            if n < len(lines) - 1:
                run.add_break()

    def _rule(self) -> None:
        """A thin line under an empty paragraph."""
        from docx.oxml.ns import qn

        para = self.doc.add_paragraph()
        p_pr = para._p.get_or_add_pPr()
        border = p_pr.makeelement(qn("w:pBdr"), {})
        bottom = border.makeelement(
            qn("w:bottom"),
            {qn("w:val"): "single", qn("w:sz"): "6", qn("w:space"): "1", qn("w:color"): "auto"},
        )
        border.append(bottom)
        p_pr.append(border)

    def _table(self, tokens: Sequence[Token]) -> None:
        from docx.oxml.ns import qn

        rows: list[tuple[bool, list[Token]]] = []
        header = False
        for tok in tokens:
            if tok.type == "thead_open":
                header = True
            elif tok.type == "thead_close":
                header = False
            elif tok.type == "tr_open":
                rows.append((header, []))
            elif tok.type == "inline" and rows:
                rows[-1][1].append(tok)
        if not rows:
            return
        width = max(len(cells) for _, cells in rows)
        table = self.doc.add_table(rows=len(rows), cols=width)
        table.style = self.doc.styles["Table Grid"]
        for r, (is_header, cells) in enumerate(rows):
            row = table.rows[r]
            if is_header:
                tr_pr = row._tr.get_or_add_trPr()
                tr_pr.append(tr_pr.makeelement(qn("w:tblHeader"), {}))
            for c, cell_token in enumerate(cells):
                self._cell(table.cell(r, c), cell_token.children or [], bold=is_header)
        self.doc.add_paragraph()  # a table needs air before the next heading or text

    def _cell(self, cell: _Cell, children: Sequence[Token], *, bold: bool) -> None:
        para = cell.paragraphs[0]
        self.inline(para, children, bold=bold)

    # --- inline -------------------------------------------------------------------------

    def inline(
        self,
        para: Paragraph,
        children: Sequence[Token],
        *,
        bold: bool = False,
        in_list: bool = False,
    ) -> None:
        marks = _Marks(bold=1 if bold else 0)
        first = True
        for tok in children:
            kind = tok.type
            if kind == "text":
                text = tok.content
                if first and in_list:
                    m = _BOX.match(text)
                    if m:  # a task-list box: - [ ] / - [x]
                        text = ("☒ " if m.group(1).lower() == "x" else "☐ ") + text[m.end() :]
                # a table cell holds an answer's line breaks as <br> (see verbatim.py)
                for i, piece in enumerate(text.split("<br>")):
                    if i:
                        para.add_run().add_break()
                    if piece:
                        self._run(para, piece, marks)
            elif kind == "code_inline":
                run = self._run(para, tok.content, marks)
                run.font.name = _MONO
            elif kind == "softbreak":
                # our templates write a paragraph on one line: a line break inside one is the
                # user's own, in a multi-line answer, and stays a line break in Word
                para.add_run().add_break()
            elif kind == "hardbreak":
                para.add_run().add_break()
            elif kind == "strong_open":
                marks.bold += 1
            elif kind == "strong_close":
                marks.bold -= 1
            elif kind == "em_open":
                marks.italic += 1
            elif kind == "em_close":
                marks.italic -= 1
            elif kind == "s_open":
                marks.strike += 1
            elif kind == "s_close":
                marks.strike -= 1
            elif kind == "link_open":
                marks.link.append(str(tok.attrs.get("href", "")))
            elif kind == "link_close":
                marks.link.pop()
            elif kind == "image":
                self._run(para, tok.content or "", marks)
            first = False

    def _run(self, para: Paragraph, text: str, marks: _Marks) -> Any:
        if marks.link and marks.link[-1]:
            return self._hyperlink(para, text, marks)
        run = para.add_run(text)
        run.bold = marks.bold > 0 or None
        run.italic = marks.italic > 0 or None
        if marks.strike:
            run.font.strike = True
        return run

    def _hyperlink(self, para: Paragraph, text: str, marks: _Marks) -> Any:
        """A real link in Word: a relationship to the address, the text blue and underlined."""
        from docx.opc.constants import RELATIONSHIP_TYPE
        from docx.oxml.ns import qn
        from docx.shared import RGBColor
        from docx.text.run import Run

        url = marks.link[-1]
        rel_id = para.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
        link = para._p.makeelement(qn("w:hyperlink"), {qn("r:id"): rel_id})
        para._p.append(link)
        r = link.makeelement(qn("w:r"), {})
        link.append(r)
        run = Run(r, para)
        run.text = text
        run.bold = marks.bold > 0 or None
        run.italic = marks.italic > 0 or None
        run.underline = True
        run.font.color.rgb = RGBColor(0x05, 0x63, 0xC1)
        return run


def _closing(tokens: Sequence[Token], start: int, kind: str) -> int:
    for j in range(start, len(tokens)):
        if tokens[j].type == kind:
            return j
    return len(tokens) - 1
