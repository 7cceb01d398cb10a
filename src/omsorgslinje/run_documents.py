"""Running a flow, the documents: which one, rendered how, written where.

`emit` writes the documents where the options say: standard output, a file (`--ut`), or every
document that applies into a folder (`--ut-mappe`, all files or none): the flow's own, the
built-in questions and answers, and the record as TOML. A Word file (docx) is bytes, never
text, and never goes to a terminal.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

from .answers import answers_document
from .documents import all_documents, case_documents, find_document, render_bytes
from .engine import Interview, resolve
from .errors import UsageError
from .model import Document, Flow, safe_filename
from .output import write_private_bytes, write_private_files, write_stdout
from .records import has_own_record
from .render import Case, render
from .run_options import RunOptions
from .ui.console import say

EXTENSIONS = {"md": "md", "txt": "txt", "toml": "toml", "json": "json", "docx": "docx"}
BINARY_FORMATS = ("docx",)


def pick_document(case: Case, name: str | None) -> Document:
    flow = case.flow
    if name is None:
        return flow.primary_document
    doc = find_document(flow, name)
    if doc is None:
        names = ", ".join(d.name for d in all_documents(flow))
        raise UsageError(f"Flyten «{flow.id}» har ikke dokumentet «{name}». Dokumenter: {names}.")
    if doc not in case_documents(case):
        raise UsageError(f"Dokumentet «{name}» gjelder ikke i denne saken (vilkår: {doc.when}).")
    return doc


def emit(flow: Flow, iv: Interview, date: _dt.date, opts: RunOptions) -> None:
    """Write the documents where the options say."""
    import tomli_w

    from .cache import template_cache
    from .ui.console import warn

    case = Case(flow, iv.answers, date)
    if opts.parts:
        ids = [sid for sid in resolve(flow, iv.answers).path if iv.in_scope(sid)]
        part = answers_document(flow, dict(iv.answers), date, ids)
        if not part["svar"]:
            warn(
                "Merk: delen har ingen svar (alle spørsmålene i den kan stå tomme). Svar på "
                "dem i en terminal, eller legg svarene i en svarfil med --svar."
            )
        text = tomli_w.dumps(part)
        _deliver(text.encode("utf-8"), opts.out, opts.overwrite, "delsvarene", binary=False)
        return
    if opts.out_dir is not None:
        from .output import ensure_private_dir, reason, remove_stale_temporaries

        try:
            ensure_private_dir(opts.out_dir)
            remove_stale_temporaries(opts.out_dir)
        except OSError as exc:
            from .errors import WriteError

            raise WriteError(f"Kunne ikke lage mappen {opts.out_dir}: {reason(exc)}.") from None
        docs = case_documents(case)
        if opts.document:
            docs = [pick_document(case, opts.document)]
        # render everything first: a template error writes nothing
        texts: list[tuple[Path, bytes]] = []
        for doc in docs:
            if opts.fmt in ("toml", "json") and not has_own_record(case, doc):
                continue  # its record is the whole case: the answers file below
            path, *copies = folder_paths(opts.out_dir, doc, opts.fmt)
            if not safe_filename(doc.filename or doc.name):
                from .errors import WriteError

                raise WriteError(
                    f"Dokumentet «{doc.name}» har et filnavn som peker ut av mappen "
                    f"{opts.out_dir}; ingenting er skrevet."
                )
            texts.append((path, render_bytes(case, doc, opts.fmt, template_cache(warn))))
            for text_path in copies:
                texts.append((text_path, render_bytes(case, doc, "txt", template_cache(warn))))
        record = opts.out_dir / f"{flow.id}-svar.toml"
        texts.append((record, render(case, flow.primary_document, "toml").encode("utf-8")))
        write_private_files(texts, overwrite=opts.overwrite)
        for path, _ in texts:
            say(f"Skrev {path}")
        return
    doc = pick_document(case, opts.document)
    data = render_bytes(case, doc, opts.fmt, template_cache(warn))
    _deliver(data, opts.out, opts.overwrite, doc.title, binary=opts.fmt in BINARY_FORMATS)


def folder_paths(folder: Path, doc: Document, fmt: str) -> list[Path]:
    """The files `--ut-mappe` writes `doc` to: in `fmt`, and for the primary document (the
    journal note, pasted into a journal system) a plain-text copy beside md and docx."""
    path = folder / f"{doc.filename or doc.name}.{EXTENSIONS[fmt]}"
    return [path, path.with_suffix(".txt")] if doc.primary and fmt in ("md", "docx") else [path]


def _deliver(data: bytes, out: Path | None, overwrite: bool, what: str, binary: bool) -> None:
    if out is not None:
        write_private_bytes(out, data, overwrite=overwrite)
        say(f"Skrev {what} til {out}")
    elif binary:
        import sys

        if sys.stdout.isatty():  # refused before the questions too (run_options.precheck)
            from .run_options import BINARY_TO_TERMINAL

            raise UsageError(BINARY_TO_TERMINAL)
        write_stdout(data)
    else:
        write_stdout(data.decode("utf-8"))
