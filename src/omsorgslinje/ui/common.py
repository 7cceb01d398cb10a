"""What every front end shows alike: the progress line, a step's help and source, the review."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..engine import Interview
from ..model import Step
from ..values import display

BACK = "\x00tilbake"
HELP = "\x00hjelp"
FINISH = "\x00ferdig"


@dataclass(frozen=True)
class Progress:
    section: str
    section_no: int
    section_count: int
    position: int
    count: int

    def line(self) -> str:
        text = f"Spørsmål {self.position} av {self.count}"
        if self.section:
            text = f"Del {self.section_no} av {self.section_count}: {self.section} · " + text
        return text


def progress(iv: Interview) -> Progress:
    step = iv.step
    sections = [s for s in dict.fromkeys(iv.flow.step(sid).section for sid in iv.path)]
    section = step.section if step else ""
    no = sections.index(section) + 1 if section in sections else len(sections)
    pos, count = iv.position()
    return Progress(section, no, len(sections), pos, count)


def as_shown(iv: Interview, step: Step) -> Step:
    """The step with `{{ ... }}` in its prompt and help filled in from the answers so far."""
    from dataclasses import replace

    from ..expr import render_text

    try:
        ctx = iv.resolution.context
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
    # a section sign stays with its number («§ 10a», «§§ 10-2»)
    return re.sub(r"(§§?) (?=\d)", "\\1\u00a0", "\n\n".join(paragraphs))


def help_text(step: Step) -> str:
    parts = []
    if step.help:
        parts.append(step.help.strip())
    if step.choices and any(c.help for c in step.choices):
        parts += [f"• {c.label}: {c.help}" for c in step.choices if c.help]
    if step.source:
        parts.append(f"Kilde: {step.source}")
    if not parts:
        parts.append("Det finnes ingen hjelpetekst for dette spørsmålet.")
    return "\n\n".join(parts)


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
        rows.append((sid, step.section, step.prompt, answer))
    return rows
