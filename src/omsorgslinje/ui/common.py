"""What every front end shows alike: the progress line, a step's help and source, the review."""

from __future__ import annotations

import re

from ..engine import Interview
from ..fastclass import dataclass
from ..model import Step
from ..values import display

BACK = "\x00tilbake"
HELP = "\x00hjelp"
FINISH = "\x00ferdig"


@dataclass(frozen=True)
class Progress:
    """Where the interview stands, in terms that stay true as answers open or close branches:
    the question's number counts the questions before it (never information panels), and what
    remains is said in sections (and minutes, when many questions remain), not as a total that
    would jump when an answer opens a new branch."""

    section: str
    section_no: int
    section_count: int
    number: int  # this question's number; 0 for an information panel
    remaining: int  # questions after this one, as the answers stand now

    def line(self) -> str:
        parts = []
        if self.section:
            parts.append(f"Del {self.section_no} av {self.section_count}: {self.section}")
        parts.append(f"Spørsmål {self.number}" if self.number else "Til informasjon")
        left = self.section_count - self.section_no
        if left > 0:
            parts.append(f"{left} {'del' if left == 1 else 'deler'} igjen")
        elif self.remaining == 0 and self.number:
            parts.append("siste spørsmål")
        if self.remaining >= 10:
            parts.append(f"ca.\u00a0{minutes(self.remaining)}\u00a0min")
        return " · ".join(parts)


RESUMED = (
    "Du fortsetter der du slapp. Svarene du har gitt, er med videre, og du kan gå tilbake til dem."
)


def minutes(questions: int) -> int:
    """A plain estimate: about 20 seconds a question, rounded up to whole minutes."""
    return max(1, -(-questions * 20 // 60))


def progress(iv: Interview) -> Progress:
    step = iv.step
    path = iv.path
    sections = [s for s in dict.fromkeys(iv.flow.step(sid).section for sid in path)]
    section = step.section if step else ""
    no = sections.index(section) + 1 if section in sections else len(sections)
    at = path.index(iv.cursor) if iv.cursor in path else len(path)
    before = sum(1 for sid in path[:at] if iv.flow.step(sid).asks)
    after = [sid for sid in path[at + 1 :] if iv.flow.step(sid).asks and sid not in iv.counted]
    number = before + 1 if step is not None and step.asks else 0
    return Progress(section, no, len(sections), number, len(after))


def term_width(default: int = 80) -> int:
    """The terminal's width: from the terminal itself (/dev/tty, stderr, stdin), never from
    standard output alone, which may be a file (`> notat.md`)."""
    import os
    import sys

    for stream in (sys.stderr, sys.stdin, sys.stdout):
        try:
            return os.get_terminal_size(stream.fileno()).columns
        except (AttributeError, ValueError, OSError):
            continue
    try:
        fd = os.open("/dev/tty", os.O_RDONLY)
        try:
            return os.get_terminal_size(fd).columns
        finally:
            os.close(fd)
    except OSError:
        return default


def blocks(text: str) -> list[tuple[str, str]]:
    """A flow file's text as blocks to wrap: (lead, text), where lead is "- " for a list item
    and "" for a paragraph. The file's own line breaks are not layout: lines are joined, except
    before a list item, after a blank line, and after a list item's last (unindented) line."""
    blocks: list[tuple[str, str]] = []
    lead, words = "", list[str]()

    def flush() -> None:
        nonlocal words
        if words:
            blocks.append((lead, " ".join(words)))
        words = []

    for raw in text.strip().splitlines():
        line = raw.strip()
        if not line:
            flush()
            lead = ""
            continue
        bullet = line[:2] in ("- ", "• ", "* ")
        if bullet:
            flush()
            lead, line = "- ", line[2:].strip()
        elif lead and not raw[:1].isspace():
            flush()
            lead = ""
        words.append(line)
    flush()
    return blocks


def wrapped(text: str, width: int) -> str:
    """`text` reflowed (see `blocks`; a section sign kept with its number) and wrapped at word boundaries to `width`."""
    import textwrap

    out: list[str] = []
    previous = None
    for lead, body in blocks(text):
        body = keep_together(body)
        if out and not (lead and previous):
            out.append("")
        out += textwrap.wrap(
            body,
            max(10, width),
            initial_indent=lead,
            subsequent_indent=" " * len(lead),
            break_on_hyphens=False,
        )
        previous = lead
    return "\n".join(out)


def as_shown(iv: Interview, step: Step) -> Step:
    """The step with `{{ ... }}` in its prompt, help and default filled in from the answers so
    far."""
    from dataclasses import replace

    from ..expr import render_text
    from ..values import default_of

    ctx = iv.resolution.context
    if isinstance(step.default, str) and "{{" in step.default:
        # a default worked out from earlier answers: its value now, or none
        step = replace(step, default=default_of(step, ctx))
    try:
        return replace(step, prompt=render_text(step.prompt, ctx), help=render_text(step.help, ctx))
    except Exception:  # a broken text is shown as written; `flyt sjekk` reports it
        return step


_KEEP_LINE = re.compile(r"^(\s|[-*•]\s|\d+[.)]\s)")


def reflow(text: str) -> str:
    """A flow's text for a panel that wraps it: the line breaks of the TOML file within a
    paragraph become spaces, so the panel wraps at its own width (at 60 columns as at 200).
    Blank lines, indented lines (a command to type) and list items keep their own lines, and
    a section sign is not parted from its number."""
    paragraphs = []
    for para in re.split(r"\n\s*\n", text.strip()):
        lines: list[str] = []
        for line in para.split("\n"):
            if lines and not _KEEP_LINE.match(line) and not _KEEP_LINE.match(lines[-1]):
                lines[-1] = lines[-1].rstrip() + " " + line.strip()
            else:
                lines.append(line.rstrip())
        paragraphs.append("\n".join(lines))
    return keep_together("\n\n".join(paragraphs))


def keep_together(text: str) -> str:
    """No-break spaces where a line must not break: a section sign and its number («§ 10a»,
    «§§ 10-2»), and the groups of a phone number («55 66 77 88», «116 117»)."""
    text = re.sub(r"(§§?) (?=\d)", "\\1\u00a0", text)
    return re.sub(r"(?<=\d) (?=\d)", "\u00a0", text)


def help_text(step: Step, glossary: dict[str, str] | None = None) -> str:
    """The step's help, each choice's explanation, its source, and the glossary's words that
    the question uses."""
    parts = []
    if step.help:
        parts.append(step.help.strip())
    if step.choices and any(c.help for c in step.choices):
        parts += [f"- {c.label}: {' '.join(c.help.split())}" for c in step.choices if c.help]
    if step.source:
        parts.append(f"Kilde: {step.source}")
    if not parts:
        parts.append("Det finnes ingen hjelpetekst for dette spørsmålet.")
    words = used_terms(step, glossary or {})
    if words:
        parts.append("Ord i spørsmålet:")
        parts += [f"- {term}: {' '.join(text.split())}" for term, text in words.items()]
    return "\n\n".join(parts)


def used_terms(step: Step, glossary: dict[str, str]) -> dict[str, str]:
    """The glossary's terms that occur in the step's question, help or choices."""
    text = " ".join(
        [step.prompt, step.help, *(c.label + " " + c.help for c in step.choices)]
    ).casefold()
    return {term: what for term, what in glossary.items() if term.casefold() in text}


def glossary_text(glossary: dict[str, str]) -> str:
    if not glossary:
        return "Flyten har ingen ordliste."
    return "\n".join(
        f"- {term}: {' '.join(what.split())}"
        for term, what in sorted(glossary.items(), key=lambda kv: kv[0].casefold())
    )


def review_rows(iv: Interview) -> list[tuple[str, str, str, str]]:
    """(step id, section, question, answer) for every question that applies."""
    rows = []
    for sid in iv.path:
        step = iv.flow.step(sid)
        if not step.asks:
            continue
        answer = display(step, iv.counted.get(sid))
        # a text of several lines on one line, so the list keeps its shape
        answer = " / ".join(line.strip() for line in answer.splitlines() if line.strip())
        rows.append((sid, step.section, as_shown(iv, step).prompt, answer))
    return rows
