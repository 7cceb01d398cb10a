"""What every front end shows alike: the progress line, a step's help and source, the review."""

from __future__ import annotations

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
