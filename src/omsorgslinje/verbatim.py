"""The user's own words in a document, exactly as typed.

A template is Markdown written by the routine owner; an answer is text written by the user. The
two must not mix: an answer may not forge a heading or a table row in `md`, and the conversion
to plain text (`plaintext.py`) must never touch what the user wrote.

While a document is rendered, every free-text answer stands in the template's output as an
opaque token (characters from Unicode's private use area that no keyboard types). After
rendering, `to_markdown` puts each answer back escaped for where it landed (a table cell, a
list item, a paragraph); `to_text` puts it back as typed, after the template's own Markdown has
been turned into plain text. Both run in time linear in the size of the document.
"""

from __future__ import annotations

import itertools
import re

_OPEN, _CLOSE = "\ue000", "\ue001"
_TOKEN = re.compile(f"{_OPEN}(\\d+){_CLOSE}")

# Line separators a user can paste (Windows CR LF, old Mac CR, Unicode LS/PS, NEL, VT, FF).
_BREAKS = re.compile("\r\n|[\r\u2028\u2029\u0085\x0b\x0c]")

# ASCII punctuation with a meaning in CommonMark or GitHub tables, escaped wherever it stands.
_INLINE = re.compile(r"([\\`*\[\]<>&~|])")
# Underscore opens emphasis only at a word's edge: rapport_2026__v2__final.pdf stays readable.
_UNDERSCORE = re.compile(r"(?<![0-9A-Za-zÆØÅæøå])_|_(?![0-9A-Za-zÆØÅæøå])")
# What makes a line a block of its own: a heading, a list item, a rule, a setext underline.
_BLOCK_START = re.compile(r"^(\s*)(#|[-+=]|\d+(?=[.)]))")
_LIST_ITEM = re.compile(r"^(\s*)([-*+]|\d+[.)])\s+")
_QUOTE = re.compile(r"^(\s*(?:>\s?)+)")


def normalise_breaks(text: str) -> str:
    """Every kind of line separator as one newline."""
    return _BREAKS.sub("\n", text)


def escape_line(line: str) -> str:
    """One line of an answer, escaped so that Markdown shows it as it was typed."""
    line = _INLINE.sub(r"\\\1", line)
    line = _UNDERSCORE.sub(r"\\_", line)
    m = _BLOCK_START.match(line)
    if m:
        indent, mark = m.group(1), m.group(2)
        rest = line[m.end() :]
        # "1. " or "1) " opens an ordered list: the punctuation after the number is escaped
        escaped = f"{mark}\\{rest}" if mark.isdigit() else f"\\{mark}{rest}"
        line = indent + escaped
    return line


class Kept(str):
    """A token that a template can still take apart as text: by lines, or stripped.

    (`{% for linje in deltakere.splitlines() %}` makes a list of what the user wrote, one
    line per item; each line is a token of its own.)
    """

    __slots__ = ("_owner", "_source")
    _owner: Verbatim
    _source: str

    def __new__(cls, token: str, owner: Verbatim, source: str) -> Kept:
        made = super().__new__(cls, token)
        made._owner, made._source = owner, source
        return made

    def splitlines(self, keepends: bool = False) -> list[str]:
        return [self._owner.token(line) for line in self._source.splitlines(keepends)]

    def strip(self, chars: str | None = None) -> str:
        return self._owner.token(self._source.strip(chars))

    def lstrip(self, chars: str | None = None) -> str:
        return self._owner.token(self._source.lstrip(chars))

    def rstrip(self, chars: str | None = None) -> str:
        return self._owner.token(self._source.rstrip(chars))


class Verbatim:
    """Tokens for the answers of one rendering, and the way back."""

    def __init__(self) -> None:
        self._texts: list[str] = []

    def token(self, text: str) -> str:
        """A stand-in for `text` that no Markdown rule and no template filter changes."""
        if not text:
            return text
        text = normalise_breaks(text)
        self._texts.append(text)
        return Kept(f"{_OPEN}{len(self._texts) - 1}{_CLOSE}", self, text)

    def _text(self, m: re.Match[str]) -> str:
        return self._texts[int(m.group(1))]

    def to_text(self, document: str) -> str:
        """Each answer back exactly as typed (line separators made newlines)."""
        return _TOKEN.sub(self._text, document)

    def to_markdown(self, document: str) -> str:
        """Each answer back, escaped for the line it landed on."""
        if _OPEN not in document:
            return document
        out: list[str] = []
        for line in document.split("\n"):
            if _OPEN not in line:
                out.append(line)
                continue
            if line.lstrip().startswith("|"):
                # a table cell: one line, pipes escaped (by _INLINE), breaks as <br>
                out.append(
                    _TOKEN.sub(
                        lambda m: "<br>".join(escape_line(s) for s in self._text(m).split("\n")),
                        line,
                    )
                )
                continue
            quote = _QUOTE.match(line)
            item = _LIST_ITEM.match(line)
            if quote:
                prefix = quote.group(1)
            elif item:
                prefix = " " * len(item.group(0))
            else:
                prefix = ""

            def put_back(m: re.Match[str], prefix: str = prefix) -> str:
                # each line of the answer continues the template's block (a paragraph, a list
                # item by its indent, a quote by its marks) after a hard break, so that it stays
                # a line of its own when the Markdown is shown; a blank line stays blank (inside
                # a list item or a quote); every line is escaped, so nothing can start a block
                lines = [escape_line(s) for s in self._text(m).split("\n")]
                out = lines[0]
                for before, line in itertools.pairwise(lines):
                    if line and before:
                        out += "\\"
                    out += "\n" + (prefix + line if line else prefix.rstrip())
                return out

            out.append(_TOKEN.sub(put_back, line))
        return "\n".join(out)
