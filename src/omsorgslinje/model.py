"""The flow model: frozen, typed, no I/O.

A flow is an ordered list of steps. Each step may carry a `when` condition over earlier
answers, help, the part of the routine it comes from (`source`), and actions: next steps that
the note lists when the step applies.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from typing import Literal, TypeVar

from .fastclass import dataclass

V = TypeVar("V")

StepType = Literal["text", "textarea", "select", "multiselect", "confirm", "date", "number", "info"]
STEP_TYPES: tuple[str, ...] = (
    "text",
    "textarea",
    "select",
    "multiselect",
    "confirm",
    "date",
    "number",
    "info",
)
DOCUMENT_FORMATS: tuple[str, ...] = ("md", "txt", "toml", "json", "docx")
# Names a document template sees besides the step ids (render.context); a step may not take them.
TEMPLATE_NAMES: tuple[str, ...] = (
    "flyt",
    "dato",
    "format",
    "svar",
    "vis",
    "gjelder",
    "besvart",
    "steg",
    "seksjoner",
    "ubesvarte",
    "informasjon",
    "neste_steg",
    "kilder",
    "ikke_besvart",
    "programversjon",
)


# Names every expression and template sees (expr.environment's globals); a step may not take them.
GLOBAL_NAMES: tuple[str, ...] = ("kommune",)


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    help: str = ""
    exclusive: bool = False  # in a multiselect: this choice stands alone («Ingenting ennå»)


@dataclass(frozen=True)
class Action:
    """A next step: what is to be done, by whom, and when (a deadline in words)."""

    what: str
    who: str = ""
    when: str = ""
    condition: str | None = None  # `if` in the flow file: a Jinja expression


@dataclass(frozen=True)
class Validation:
    pattern: str | None = None
    min: float | None = None
    max: float | None = None
    message: str | None = None


@dataclass(frozen=True)
class Step:
    id: str
    type: StepType
    prompt: str
    help: str = ""
    source: str = ""
    when: str | None = None
    required: bool = True
    default: object = None
    choices: tuple[Choice, ...] = ()
    validation: Validation | None = None
    section: str = ""
    actions: tuple[Action, ...] = ()
    line: int | None = None
    # names, national identity numbers, addresses: never in a draft, a cache or an answers
    # record; only in a document the user asks for
    identifying: bool = False
    level: str = "info"  # "urgent": shown as urgent (a duty, call 112, a BEON warning)
    # Ids the step had in earlier versions of the flow, and choice values renamed since
    # ({old: new}): answers files and drafts written before still load (see `renamed`).
    previous_ids: tuple[str, ...] = ()
    previous_values: tuple[tuple[str, str], ...] = ()

    @property
    def asks(self) -> bool:
        """Whether the step takes an answer (info steps only inform)."""
        return self.type != "info"

    def choice(self, value: str) -> Choice | None:
        for c in self.choices:
            if c.value == value:
                return c
        return None

    def current_value(self, value: object) -> object:
        """An answer written for an earlier version of the step, in today's values: a renamed
        choice value becomes its new value (also inside a list). A bool matches the key
        "true" or "false". Anything else is returned as it is."""
        if not self.previous_values:
            return value
        renames = dict(self.previous_values)

        def one(v: object) -> object:
            key = ("true" if v else "false") if isinstance(v, bool) else v
            return renames.get(key, v) if isinstance(key, str) else v

        if isinstance(value, list | tuple):
            return [one(v) for v in value]
        if self.type == "multiselect" and isinstance(value, str):  # «a, b» as typed in a file
            return [one(v.strip()) for v in value.split(",") if v.strip()]
        return one(value)


@dataclass(frozen=True)
class Document:
    name: str
    template: str
    title: str
    primary: bool = False
    when: str | None = None
    filename: str = ""


@dataclass(frozen=True)
class Flow:
    id: str
    title: str
    version: str
    source: str
    steps: tuple[Step, ...]
    documents: tuple[Document, ...]
    description: str = ""
    intro: str = ""
    path: str = ""
    # Words a reader may not know, and what they mean: [flow.glossary], in the file's order.
    glossary: dict[str, str] = field(default_factory=dict)
    index: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    # Earlier ids of renamed steps (`previous_ids`) to today's id.
    renamed: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.index:
            self.index.update({s.id: i for i, s in enumerate(self.steps)})
        if not self.renamed:
            self.renamed.update(
                {old: s.id for s in self.steps for old in s.previous_ids if old not in self.index}
            )

    def current_id(self, step_id: str) -> str:
        """Today's id of a step, given its id today or in an earlier version of the flow."""
        if step_id in self.index:
            return step_id
        return self.renamed.get(step_id, step_id)

    def step(self, step_id: str) -> Step:
        return self.steps[self.index[step_id]]

    def has_step(self, step_id: str) -> bool:
        return step_id in self.index

    def identifying(self, step_id: str) -> bool:
        """Whether the step's answer identifies someone (`identifying = true`)."""
        return step_id in self.index and self.steps[self.index[step_id]].identifying

    def storable(self, answers: Mapping[str, V]) -> dict[str, V]:
        """The answers that may be stored (in a draft, an answers record): all but the
        identifying ones, which only a document the user asks for holds."""
        return {sid: v for sid, v in answers.items() if not self.identifying(sid)}

    @property
    def primary_document(self) -> Document:
        for d in self.documents:
            if d.primary:
                return d
        return self.documents[0]

    def document(self, name: str) -> Document | None:
        for d in self.documents:
            if d.name == name:
                return d
        return None

    @property
    def sections(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for s in self.steps:
            seen.setdefault(s.section, None)
        return tuple(seen)


def safe_filename(name: str) -> bool:
    """A file name that stays inside the folder it is written to (--ut-mappe)."""
    return (
        bool(name.strip())
        and not name.startswith(".")
        and not any(c in name for c in "/\\:\x00")
        and name not in (".", "..")
    )
