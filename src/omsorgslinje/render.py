"""Documents: the template context, rendering to Markdown, plain text and TOML.

A document is one Jinja template in Markdown (`templates/NAME.md.j2`). Plain text comes from
`NAME.txt.j2` when the routine owner wrote one, otherwise from the Markdown by `plaintext`.
The TOML form is the whole record, and is itself a valid answers file.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import field
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .engine import Resolution, resolve
from .errors import FlowError, OmsorgslinjeError, Problem, TemplateError, UsageError
from .expr import environment, evaluate, render_text, syntax_message
from .fastclass import dataclass
from .model import Document, Flow
from .values import NOT_ANSWERED, Value, display

if TYPE_CHECKING:
    from jinja2 import BytecodeCache, Environment

    from .verbatim import Verbatim

NOT_APPLICABLE = "Ikke aktuelt"


@dataclass(frozen=True)
class Case:
    """One finished interview: the flow, the answers given, and the date of the case."""

    flow: Flow
    answers: Mapping[str, Value | None]
    date: _dt.date
    # what the documents of this case share while they are made (render): the template context
    # of a format, and a document's Markdown before its answers are put back
    made: dict[object, Any] = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def resolution(self) -> Resolution:
        return resolve(self.flow, self.answers)


@contextmanager
def _flow_text(flow: Flow, step_id: str | None, what: str) -> Iterator[None]:
    """A condition or text of the flow that fails while filled in is a flow error, not a crash."""
    try:
        yield
    except OmsorgslinjeError:
        raise
    except Exception as exc:
        line = flow.step(step_id).line if step_id and flow.has_step(step_id) else None
        detail = _undefined(exc) or type(exc).__name__
        raise FlowError(
            [Problem(flow.path, f"{what} kunne ikke fylles ut: {detail}", line, step_id)]
        ) from None


def _undefined(exc: BaseException) -> str | None:
    """Jinja's «'x' is undefined» in Norwegian, without ever quoting a value.

    Jinja names the missing key or attribute, and a key can be an answer
    (`svar[beskrivelse]`), so only a name the template itself could have written is shown.
    """
    from jinja2 import UndefinedError

    if not isinstance(exc, UndefinedError):
        return None
    m = re.fullmatch(r"'([A-Za-z_][A-Za-z0-9_]{0,60})' is undefined", str(exc))
    if m:
        return f"«{m.group(1)}» er ikke definert (ikke et steg i flyten eller et navn malen får)"
    m = re.fullmatch(
        r"'[a-z_ ]+ object' has no attribute '([A-Za-z_][A-Za-z0-9_]{0,60})'", str(exc)
    )
    if m:
        return f"verdien har ikke feltet «{m.group(1)}»"
    return "en verdi mangler et felt eller en nøkkel malen bruker"


def next_steps(case: Case, answers: Mapping[str, object] | None = None) -> list[dict[str, str]]:
    """Every action of every step that applies, whose `if` holds, in flow order.

    `answers` is the context the texts are filled in from (the resolution's by default).
    """
    res = case.resolution
    ctx = dict(res.context if answers is None else answers)
    out: list[dict[str, str]] = []
    for sid in res.path:
        step = case.flow.step(sid)
        for action in step.actions:
            with _flow_text(case.flow, sid, "Neste steg"):
                if action.condition and not evaluate(action.condition, ctx):
                    continue
                out.append(
                    {
                        "hva": render_text(action.what, ctx).strip(),
                        "hvem": render_text(action.who, ctx).strip(),
                        "når": render_text(action.when, ctx).strip(),
                        "steg": sid,
                        "kilde": step.source,
                    }
                )
    return out


FREE_TEXT = ("text", "textarea")


def context(case: Case, fmt: str, keep: Callable[[str], str] | None = None) -> dict[str, Any]:
    """What a template sees. Step ids are variables too, as in `when` conditions.

    `keep` stands in for every free-text answer (see `verbatim.py`), so that what the user
    wrote reaches the document untouched by the template's Markdown and its conversion.
    """
    flow = case.flow
    res = case.resolution
    applies = set(res.path)
    answers: dict[str, Any] = dict(res.context)
    if keep is not None:
        for sid, value in answers.items():
            if isinstance(value, str) and flow.has_step(sid) and flow.step(sid).type in FREE_TEXT:
                answers[sid] = keep(value)

    def shown(step_id: str, value: object) -> str:
        text = display(flow.step(step_id), value)
        if keep is not None and flow.step(step_id).type in FREE_TEXT and value not in (None, ""):
            return keep(text)
        return text

    def vis(step_id: str) -> str:
        if step_id not in applies:
            return NOT_APPLICABLE
        return shown(step_id, res.counted.get(step_id))

    sections: list[dict[str, Any]] = []
    unanswered: list[dict[str, Any]] = []
    for sid in res.path:
        step = flow.step(sid)
        if not step.asks or step.identifying:
            # an identifying answer is in a document only where its template names it
            continue
        value = res.counted.get(sid)
        prompt = step.prompt
        if "{" in prompt:  # a question worded by earlier answers: as the user saw it
            with _flow_text(flow, sid, "Spørsmålet"):
                prompt = render_text(prompt, res.context).strip()
        row: dict[str, Any] = {
            "id": sid,
            "spørsmål": prompt,
            "svar": shown(sid, value),
            "besvart": value is not None and value != [],
            "kilde": step.source,
        }
        if not row["besvart"]:
            unanswered.append(row)
        if not sections or sections[-1]["navn"] != step.section:
            sections.append({"navn": step.section, "steg": []})
        sections[-1]["steg"].append(row)
    sources: dict[str, None] = {}
    for sid in res.path:
        if flow.step(sid).source:
            sources.setdefault(flow.step(sid).source, None)
    info = []
    for sid in res.path:
        if not flow.step(sid).asks:
            with _flow_text(flow, sid, "Teksten"):
                tekst = render_text(flow.step(sid).prompt, answers).strip()
            info.append({"id": sid, "tekst": tekst, "kilde": flow.step(sid).source})
    ctx: dict[str, Any] = dict(answers)
    ctx.update(
        {
            "flyt": {
                "id": flow.id,
                "tittel": flow.title,
                "versjon": flow.version,
                "kilde": flow.source,
            },
            "dato": case.date,
            "format": fmt,
            "svar": dict(answers),
            "vis": vis,
            "gjelder": lambda step_id: step_id in applies,
            "besvart": lambda step_id: res.counted.get(step_id) not in (None, []),
            "steg": flow.step,
            "seksjoner": sections,
            "ubesvarte": unanswered,
            "informasjon": info,
            "neste_steg": next_steps(case, answers),
            "kilder": list(sources),
            "ikke_besvart": NOT_ANSWERED,
            "programversjon": __version__,
        }
    )
    return ctx


_ENVS: dict[tuple[tuple[Path, ...], int], tuple[object, Environment]] = {}


def _template_env(dirs: tuple[Path, ...], code_cache: BytecodeCache | None) -> Environment:
    key = (dirs, id(code_cache))
    known = _ENVS.get(key)
    if known is None or known[0] is not code_cache:
        from jinja2 import FileSystemLoader

        env = environment().overlay(
            loader=FileSystemLoader([str(d) for d in dirs]),
            bytecode_cache=code_cache,
        )
        known = _ENVS[key] = (code_cache, env)
    return known[1]


def template_env(flow: Flow, code_cache: BytecodeCache | None = None) -> Environment:
    """The environment for the flow's templates; compiled templates kept in `code_cache`
    (the shell's, or None)."""
    from .resources import template_dirs

    return _template_env(tuple(template_dirs(flow.path)), code_cache)


def _template_line(exc: BaseException) -> tuple[str | None, int | None]:
    tb = exc.__traceback__
    found: tuple[str | None, int | None] = (None, None)
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith(".j2"):
            found = (name, tb.tb_lineno)
        tb = tb.tb_next
    return found


def render_template(
    flow: Flow, name: str, ctx: Mapping[str, Any], code_cache: BytecodeCache | None = None
) -> str:
    from jinja2 import TemplateNotFound, TemplateRuntimeError, TemplateSyntaxError

    from .sandbox import SECONDS, TimeLimit, time_limit

    env = template_env(flow, code_cache)
    try:
        with time_limit():
            return str(env.get_template(name).render(**ctx))
    except TimeLimit:
        raise TemplateError(
            f"{name}: Malen brukte mer enn {SECONDS:g} sekunder og ble stoppet "
            "(en løkke uten slutt, eller for mye arbeid)."
        ) from None
    except TemplateNotFound as exc:
        raise TemplateError(
            f"Fant ikke malen «{exc.name}» (flyten {flow.id}, {flow.path})."
        ) from None
    except TemplateSyntaxError as exc:
        where = exc.filename or name
        raise TemplateError(
            f"{where}:{exc.lineno}: Ugyldig Jinja i malen: {syntax_message(exc.message)}"
        ) from None
    except OmsorgslinjeError:
        raise
    except Exception as exc:  # a template is the routine owner's code: any error is theirs
        file, line = _template_line(exc)
        where = f"{file or name}:{line}" if line else (file or name)
        detail = (
            _undefined(exc)
            or (
                "malen har for mange nivåer inne i hverandre"
                if isinstance(exc, RecursionError)
                else None
            )
            or (
                syntax_message(str(exc))
                if isinstance(exc, TemplateRuntimeError)  # an unknown test, the sandbox saying no
                else type(exc).__name__
            )
        )
        raise TemplateError(f"{where}: Malen kunne ikke fylles ut: {detail}") from None


def document_applies(case: Case, doc: Document) -> bool:
    if doc.when is None:
        return True
    with _flow_text(case.flow, None, f"Vilkåret for dokumentet «{doc.name}»"):
        return evaluate(doc.when, dict(case.resolution.context))
    return False  # not reached: _flow_text raises


def applicable_documents(case: Case) -> list[Document]:
    return [d for d in case.flow.documents if document_applies(case, d)]


def render(case: Case, doc: Document, fmt: str, code_cache: BytecodeCache | None = None) -> str:
    """One document in one format (compiled templates kept in the shell's `code_cache`)."""
    if fmt in ("toml", "json"):
        from .records import document_record, to_json

        data = document_record(case, doc, code_cache)
        if fmt == "json":
            return to_json(data)
        import tomli_w

        return tomli_w.dumps(data)
    if fmt not in ("md", "txt"):
        raise UsageError(f"Ukjent format «{fmt}». Velg md, txt, toml eller json.")
    answers, ctx = _shared_context(case, fmt)
    base = doc.template.removesuffix(".j2").removesuffix(".md")
    if fmt == "txt":
        env = template_env(case.flow, code_cache)
        txt_name = base + ".txt.j2"
        try:
            env.get_template(txt_name)
        except Exception:
            pass
        else:
            return answers.to_text(_tidy(render_template(case.flow, txt_name, ctx, code_cache)))
        from .plaintext import markdown_to_text

        made: tuple[Verbatim, str] | None = case.made.get(("md", doc.name))
        if made is not None and not _templates_read_format(case.flow, code_cache):
            answers, markdown = made  # the same text: the templates never look at `format`
        else:
            markdown = render_template(case.flow, base + ".md.j2", ctx, code_cache)
        return answers.to_text(_tidy(markdown_to_text(markdown)))
    markdown = render_template(case.flow, base + ".md.j2", ctx, code_cache)
    case.made[("md", doc.name)] = (answers, markdown)
    return answers.to_markdown(_tidy(markdown))


def _shared_context(case: Case, fmt: str) -> tuple[Verbatim, dict[str, Any]]:
    """The template context of `fmt`, made once for all the case's documents, with the
    stand-ins for the answers (verbatim.py) they share."""
    if ("context", fmt) not in case.made:
        from .verbatim import Verbatim

        answers = Verbatim()
        case.made[("context", fmt)] = (answers, context(case, fmt, keep=answers.token))
    shared: tuple[Verbatim, dict[str, Any]] = case.made[("context", fmt)]
    return shared


def _templates_read_format(flow: Flow, code_cache: BytecodeCache | None) -> bool:
    """Whether a template loaded so far names `format` (then the Markdown and the plain text
    are rendered apart, as the template may differ between them). A template can only see a
    variable by its name, and the plain text loads what the Markdown loaded (only `format`
    differs between them), so templates that never have the word render the same text."""
    loaded = template_env(flow, code_cache).cache
    if loaded is None:
        return True
    files = tuple(sorted({t.filename or "" for t in loaded.values()}))
    return "" in files or _format_named(files)


@cache
def _format_named(files: tuple[str, ...]) -> bool:
    for name in files:
        try:
            text = Path(name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return True
        text = re.sub(r"\{#.*?#\}", "", text, flags=re.S)  # a comment names nothing
        if re.search(r"\bformat\b", text):
            return True
    return False


def render_bytes(
    case: Case, doc: Document, fmt: str, code_cache: BytecodeCache | None = None
) -> bytes:
    """One document in one format, as the bytes of its file. A Word file (docx) is made from
    the Markdown, so a routine owner's template serves every format."""
    if fmt == "docx":
        from .docx_render import markdown_to_docx

        return markdown_to_docx(render(case, doc, "md", code_cache), title=doc.title)
    return render(case, doc, fmt, code_cache).encode("utf-8")


def _tidy(text: str) -> str:
    """At most one blank line in a row, no trailing spaces, one final newline."""
    lines = [line.rstrip() for line in text.splitlines()]
    out: list[str] = []
    for line in lines:
        if not line and (not out or not out[-1]):
            continue
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n"
