"""Markdown, as our templates write it, to plain text that reads well pasted into a journal
system (DIPS, Gerica, Profil, CosDoc, Visma Flyt): no #, **, | or [](), nothing lost."""

from __future__ import annotations

import re

_LINK = re.compile(r"\[([^\]]+)\]\(([^)]+)\)")
_EMPH = re.compile(r"(\*\*|__)(.+?)\1|(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?!\w)")
_CODE = re.compile(r"`([^`]+)`")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
_BULLET = re.compile(r"^(\s*)[-*+]\s+(\[[ xX]\]\s+)?(.*)$")
# a backslash before ASCII punctuation is CommonMark's escape: the character itself
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_HR = re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$")


def inline(text: str) -> str:
    def link(m: re.Match[str]) -> str:
        label, url = m.group(1), m.group(2)
        return label if label == url else f"{label} ({url})"

    text = _LINK.sub(link, text)
    text = _CODE.sub(r"\1", text)
    text = _EMPH.sub(lambda m: m.group(2) or m.group(3) or "", text)
    text = _ESCAPED.sub(r"\1", text)
    return text.replace("<br>", " ").replace("&nbsp;", " ")


def _cells(line: str) -> list[str]:
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    cells = re.split(r"(?<!\\)\|", body)
    return [inline(c.strip()) for c in cells]


def _table(rows: list[str]) -> list[str]:
    """A table becomes one line per row: 'Header: cell; Header: cell'."""
    header = _cells(rows[0])
    out: list[str] = []
    for row in rows[1:]:
        if _TABLE_RULE.match(row):
            continue
        cells = _cells(row)
        if len(header) == 2 and len(cells) == 2:
            out.append(f"- {cells[0]}: {cells[1] or '-'}")
            continue
        parts = []
        for i, cell in enumerate(cells):
            name = header[i] if i < len(header) else ""
            if not cell:
                continue
            parts.append(f"{name}: {cell}" if name and i > 0 else cell)
        out.append("- " + "; ".join(parts))
    return out


def markdown_to_text(md: str) -> str:
    lines = md.splitlines()
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.lstrip().startswith("|") and i + 1 < len(lines) and _TABLE_RULE.match(lines[i + 1]):
            block = [line]
            i += 1
            while i < len(lines) and lines[i].lstrip().startswith("|"):
                block.append(lines[i])
                i += 1
            out += _table(block)
            continue
        if line.strip().startswith("```"):
            i += 1
            continue
        m = _HEADING.match(line)
        if m:
            level, title = len(m.group(1)), inline(m.group(2))
            if out and out[-1]:
                out.append("")
            if level == 1:
                out += [title.upper(), "=" * len(title)]
            elif level == 2:
                out += [title, "-" * len(title)]
            else:
                out.append(title.rstrip(":") + ":")
            i += 1
            continue
        if _HR.match(line):
            out.append("")
            i += 1
            continue
        m = _BULLET.match(line)
        if m:
            indent, box, body = m.group(1), m.group(2), m.group(3)
            mark = ""
            if box:
                mark = "[x] " if box.strip().lower() == "[x]" else "[ ] "
            out.append(f"{indent}- {mark}{inline(body)}")
            i += 1
            continue
        if line.lstrip().startswith(">"):
            out.append("  " + inline(line.lstrip()[1:].lstrip()))
            i += 1
            continue
        out.append(inline(line.rstrip("\\").rstrip()))
        i += 1
    return "\n".join(out) + "\n"
